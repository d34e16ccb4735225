// Resources that deploy other resources: CloudFormation stacks and StackSets, Config conformance
// packs, Service Catalog provisioned products. The pack reads the template they carry as
// CloudFormation does (`cloudformation/yaml.ts`: JSON, or YAML with the short-form tags) and
// resolves its intrinsic functions against the deploying environment (`cloudformation/intrinsics.ts`:
// parameters, pseudo-parameters, conditions). A template's own `AWS::CloudFormation::StackSet` with an
// inline `TemplateBody` is read too, as what the template deploys (the program's stack-set stacks).
// In the special accounts such a resource counts as what it deploys; when that cannot be known (a
// template URL, a transform or macro, a nested stack, a Service Catalog product), it is a violation.

import { resourceAccounts } from "./accounts";
import { PseudoParameters, TemplateContext, TemplateResolver, Unresolved, parameterValues } from "./cloudformation/intrinsics";
import { parseTemplateText } from "./cloudformation/yaml";
import { fieldOf, isRecord } from "./documents";
import { moduleOfType, nativeKey, nativeTypeOfCloudFormation } from "./resource-types";
import { isUnknownValueError } from "./unknowns";

/** One resource of a template: its logical ID, CloudFormation type and resolved `Properties`. */
export interface TemplateResource {
    readonly logicalId: string;
    readonly cfnType: string;
    /** The aws-native token of the CloudFormation type (`aws-native:lambda:Function`), if it has one. */
    readonly nativeType?: string;
    /** `Properties` with intrinsic functions resolved; `Unresolved` where only deployment can tell. */
    readonly properties: Record<string, unknown>;
    /** Set when `Properties` as a whole cannot be resolved (`Properties: !If [...]` on an unknown condition). */
    readonly unresolvedProperties?: Unresolved;
    /**
     * For an `AWS::CloudFormation::StackSet`: whether the pack read the inline template it deploys, whose
     * resources then follow it in the list, each named `<its logicalId>/<theirs>` (`StackSet/Role`); or why not.
     */
    readonly stackSet?: StackSetReading;
    /** For a resource a StackSet of the template deploys: that StackSet's logical id (`StackSet`, or `Outer/Inner` when nested). */
    readonly deployedBy?: string;
}

export type StackSetReading = { readonly expanded: true } | { readonly expanded: false; readonly reason: string };

export type NestedDeployment =
    { readonly known: true; readonly resources: readonly TemplateResource[] } | { readonly known: false; readonly reason: string };

interface TemplateCarrier {
    /** The input holding an inline template. */
    readonly template: string;
    /** The input holding parameter values (a map of name to value), if the type has one. */
    readonly parameters?: string;
    /** The input holding the stack's name (`AWS::StackName`). */
    readonly stackName?: string;
    /**
     * A StackSet deploys into each of its target accounts and regions, so `AWS::AccountId` and
     * `AWS::Region` are the target's, not the deploying provider's.
     */
    readonly fansOut?: true;
}

/** Types that deploy a template, by lower-case key. Inputs: the aws and aws-native registry pages of each type. */
const TEMPLATE_CARRIERS: ReadonlyMap<string, TemplateCarrier> = new Map([
    // https://www.pulumi.com/registry/packages/aws/api-docs/cloudformation/stack/
    ["aws:cloudformation/stack:Stack", { template: "templateBody", parameters: "parameters", stackName: "name" }],
    // https://www.pulumi.com/registry/packages/aws/api-docs/cloudformation/stackset/
    ["aws:cloudformation/stackSet:StackSet", { template: "templateBody", parameters: "parameters", fansOut: true }],
    // https://www.pulumi.com/registry/packages/aws/api-docs/cfg/conformancepack/
    ["aws:cfg/conformancePack:ConformancePack", { template: "templateBody", stackName: "name" }],
    // https://www.pulumi.com/registry/packages/aws-native/api-docs/cloudformation/stack/
    ["aws-native:cloudformation:stack", { template: "templateBody", parameters: "parameters", stackName: "stackName" }],
    // https://www.pulumi.com/registry/packages/aws-native/api-docs/cloudformation/stackset/
    ["aws-native:cloudformation:stackset", { template: "templateBody", fansOut: true }],
    // https://www.pulumi.com/registry/packages/aws-native/api-docs/configuration/conformancepack/
    ["aws-native:config:conformancepack", { template: "templateBody" }],
]);

/** Types that deploy something the pack cannot see at all. */
const OPAQUE_DEPLOYERS: ReadonlySet<string> = new Set([
    "aws:servicecatalog",
    "aws-native:servicecatalog",
    "aws:cloudformation/stackSetInstance:StackSetInstance",
    "aws-native:cloudformation:stacksetinstance",
]);

export const TEMPLATE_CARRIER_TYPES: readonly string[] = [...TEMPLATE_CARRIERS.keys()];

/** The input holding the inline template of a type that deploys one, or undefined. */
export function templatePropertyOf(type: string): string | undefined {
    return TEMPLATE_CARRIERS.get(nativeKey(type))?.template;
}

/** Does this type deploy other resources? */
export function isNestedDeployer(type: string): boolean {
    const key = nativeKey(type);
    return TEMPLATE_CARRIERS.has(key) || OPAQUE_DEPLOYERS.has(key) || OPAQUE_DEPLOYERS.has(moduleOfType(key));
}

// ------------------------------------------------------------------------------------------------
// The deploying environment: pseudo-parameters and parameter values
// ------------------------------------------------------------------------------------------------

/**
 * Partitions by region prefix, and their URL suffixes
 * (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html;
 * `AWS::URLSuffix` is `amazonaws.com`, or `amazonaws.com.cn` in China,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html).
 */
const PARTITIONS: ReadonlyArray<{ readonly prefix: string; readonly partition: string; readonly urlSuffix: string }> = [
    { prefix: "cn-", partition: "aws-cn", urlSuffix: "amazonaws.com.cn" },
    { prefix: "us-gov-", partition: "aws-us-gov", urlSuffix: "amazonaws.com" },
    { prefix: "us-isob-", partition: "aws-iso-b", urlSuffix: "sc2s.sgov.gov" },
    { prefix: "us-iso-", partition: "aws-iso", urlSuffix: "c2s.ic.gov" },
];

/** What the pack knows of where a template is deployed; anything left out is unknown. */
export interface DeploymentEnvironment {
    readonly accountId?: string | Unresolved;
    readonly region?: string | Unresolved;
    readonly stackName?: string;
    /** Parameter values passed to the stack (over each parameter's Default). */
    readonly parameters?: Readonly<Record<string, unknown>>;
}

/**
 * Where a StackSet deploys: into each of its target accounts and regions, so `AWS::AccountId` and
 * `AWS::Region` are each target's, not the administrator's; only its parameter values are known.
 */
function fanOutEnvironment(parameters: Readonly<Record<string, unknown>>): DeploymentEnvironment {
    return {
        accountId: new Unresolved("AWS::AccountId (a StackSet deploys into each of its target accounts)"),
        region: new Unresolved("AWS::Region (a StackSet deploys into each of its target regions)"),
        parameters,
    };
}

function pseudoParameters(environment: DeploymentEnvironment): PseudoParameters {
    const unknown = (name: string) => new Unresolved(`${name} (not known to the pack for this resource)`);
    const region = environment.region ?? unknown("AWS::Region");
    const partition =
        typeof region === "string"
            ? (PARTITIONS.find((p) => region.startsWith(p.prefix)) ?? { partition: "aws", urlSuffix: "amazonaws.com" })
            : undefined;
    return {
        "AWS::AccountId": environment.accountId ?? unknown("AWS::AccountId"),
        "AWS::Region": region,
        "AWS::Partition": partition?.partition ?? new Unresolved(`AWS::Partition (the region is unknown: ${(region as Unresolved).what})`),
        "AWS::URLSuffix": partition?.urlSuffix ?? new Unresolved("AWS::URLSuffix (the region is unknown)"),
        "AWS::StackName": environment.stackName ?? unknown("AWS::StackName"),
    };
}

/** A provider input read through the engine's proxy; a value unknown during preview is unresolved. */
function providerInput<T>(read: () => T, what: string): T | Unresolved {
    try {
        return read();
    } catch (e) {
        if (isUnknownValueError(e)) {
            return new Unresolved(`${what} (unknown during preview)`);
        }
        throw e;
    }
}

/** A map input that the engine may hand over as its JSON text. */
function recordInput(value: unknown): Readonly<Record<string, unknown>> {
    if (typeof value === "string") {
        try {
            const decoded: unknown = JSON.parse(value);
            return isRecord(decoded) ? decoded : {};
        } catch {
            return {};
        }
    }
    return isRecord(value) ? value : {};
}

/**
 * Where a template-carrying resource deploys its template: the account its provider is pinned to
 * (`accounts.ts`), the provider's region, the stack's name and the parameter values it passes. A
 * StackSet's account and region are each target's, so they stay unknown.
 */
export function deploymentEnvironment(
    type: string,
    props: Record<string, unknown>,
    providerProps: Record<string, unknown> | undefined,
): DeploymentEnvironment {
    const carrier = TEMPLATE_CARRIERS.get(nativeKey(type));
    if (carrier === undefined) {
        return {};
    }
    const stackName = carrier.stackName === undefined ? undefined : fieldOf(props, carrier.stackName);
    const parameters = carrier.parameters === undefined ? {} : recordInput(fieldOf(props, carrier.parameters));
    if (carrier.fansOut) {
        return fanOutEnvironment(parameters);
    }
    const accounts = providerInput(() => resourceAccounts(providerProps), "the provider's account");
    const accountId =
        accounts instanceof Unresolved
            ? accounts
            : !accounts.known
              ? new Unresolved(`AWS::AccountId (${accounts.reason})`)
              : accounts.accountIds.length === 1
                ? accounts.accountIds[0]
                : new Unresolved(`AWS::AccountId (the provider may deploy into any of ${accounts.accountIds.join(", ")})`);
    const region = providerInput(() => providerProps?.region, "the provider's region");
    return {
        accountId,
        region: typeof region === "string" && region !== "" ? region : region instanceof Unresolved ? region : undefined,
        stackName: typeof stackName === "string" && stackName !== "" ? stackName : undefined,
        parameters,
    };
}

// ------------------------------------------------------------------------------------------------
// Reading a template
// ------------------------------------------------------------------------------------------------

/** The resources of a template given as JSON or YAML text or as an object, or why they cannot be known. */
export function templateResources(template: unknown, environment: DeploymentEnvironment = {}): NestedDeployment {
    return readTemplateResources(template, environment, 0);
}

/**
 * How many levels of StackSets the pack reads (a StackSet in a template is level 1, one in its inline
 * template level 2, ...); a deeper one stays unknowable. The program nests one level (a stack holding
 * its stack set); the bound keeps a template that nests StackSets over and over from costing the
 * analysis without end.
 */
export const STACK_SET_NESTING_LIMIT = 3;

const STACK_SET_TYPE = "AWS::CloudFormation::StackSet";
/** The property of a template's StackSet that holds the inline template it deploys. */
export const STACK_SET_TEMPLATE_PROPERTY = "TemplateBody";

function readTemplateResources(template: unknown, environment: DeploymentEnvironment, depth: number): NestedDeployment {
    let value = template;
    if (typeof template === "string") {
        const parsed = parseTemplateText(template);
        if (!parsed.ok) {
            return { known: false, reason: `its template cannot be read: ${parsed.reason}` };
        }
        value = parsed.value;
    }
    if (!isRecord(value)) {
        return { known: false, reason: "its template is not an object" };
    }
    if (value.Transform !== undefined) {
        return { known: false, reason: `its template uses Transform ${JSON.stringify(value.Transform)}, which rewrites what it deploys` };
    }
    const resources = value.Resources;
    if (!isRecord(resources)) {
        return { known: false, reason: "its template has no Resources" };
    }
    const context: TemplateContext = {
        pseudo: pseudoParameters(environment),
        parameters: parameterValues(value.Parameters, environment.parameters ?? {}),
        mappings: isRecord(value.Mappings) ? value.Mappings : {},
        conditions: isRecord(value.Conditions) ? value.Conditions : {},
        resources: new Set(Object.keys(resources)),
    };
    const resolver = new TemplateResolver(context);
    const found: TemplateResource[] = [];
    for (const [logicalId, resource] of Object.entries(resources)) {
        const cfnType = isRecord(resource) ? resource.Type : undefined;
        if (typeof cfnType !== "string") {
            return { known: false, reason: `its template resource ${logicalId} has no Type` };
        }
        // A resource whose condition is false is not created; one whose condition is unknown may be.
        const condition = isRecord(resource) ? resource.Condition : undefined;
        if (typeof condition === "string" && resolver.condition(condition) === false) {
            continue;
        }
        const resolved = isRecord(resource) ? resolver.resolve(resource.Properties) : undefined;
        const properties = isRecord(resolved) && !(resolved instanceof Unresolved) ? resolved : {};
        const unresolvedProperties = resolved instanceof Unresolved ? resolved : undefined;
        const base = {
            logicalId,
            cfnType,
            nativeType: nativeTypeOfCloudFormation(cfnType),
            properties,
            ...(unresolvedProperties !== undefined ? { unresolvedProperties } : {}),
        };
        if (cfnType !== STACK_SET_TYPE) {
            found.push(base);
            continue;
        }
        const inner = stackSetDeployment(properties, unresolvedProperties, depth);
        if (!inner.known) {
            found.push({ ...base, stackSet: { expanded: false, reason: inner.reason } });
            continue;
        }
        found.push({ ...base, stackSet: { expanded: true } });
        found.push(
            ...inner.resources.map((r) => ({
                ...r,
                logicalId: `${logicalId}/${r.logicalId}`,
                deployedBy: r.deployedBy === undefined ? logicalId : `${logicalId}/${r.deployedBy}`,
            })),
        );
    }
    return { known: true, resources: found };
}

/**
 * What a template's `AWS::CloudFormation::StackSet` deploys into each target, read from its resolved
 * properties: the inline `TemplateBody`, with its `Parameters` ([{ParameterKey, ParameterValue}]) over the
 * template's Defaults, resolved as a top-level StackSet's template is (`fanOutEnvironment`). Properties:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stackset.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudformation-stackset-parameter.html.
 */
function stackSetDeployment(properties: Record<string, unknown>, unresolved: Unresolved | undefined, depth: number): NestedDeployment {
    if (unresolved !== undefined) {
        return { known: false, reason: `its Properties cannot be resolved before deployment (${unresolved.what})` };
    }
    if (depth >= STACK_SET_NESTING_LIMIT) {
        return { known: false, reason: `it lies inside ${depth} StackSets' templates, deeper than the pack reads` };
    }
    const body = properties[STACK_SET_TEMPLATE_PROPERTY];
    if (body instanceof Unresolved) {
        return { known: false, reason: `its TemplateBody cannot be resolved before deployment (${body.what})` };
    }
    if (body === undefined || body === "") {
        return properties.TemplateURL !== undefined
            ? { known: false, reason: "it deploys a template by URL (TemplateURL), which the pack cannot read; inline it as TemplateBody" }
            : { known: false, reason: "it has no inline TemplateBody" };
    }
    if (typeof body !== "string") {
        return { known: false, reason: "its TemplateBody is not text, which is all CloudFormation takes there" };
    }
    // Overrides give some stack instances other parameter values than the ones read here.
    const groups = Array.isArray(properties.StackInstancesGroup) ? properties.StackInstancesGroup : [];
    if (groups.some((g) => isRecord(g) && g.ParameterOverrides !== undefined)) {
        return { known: false, reason: "its StackInstancesGroup overrides parameters per group, which the pack does not read" };
    }
    const parameters = stackSetParameters(properties.Parameters);
    if (typeof parameters === "string") {
        return { known: false, reason: parameters };
    }
    return readTemplateResources(body, fanOutEnvironment(parameters), depth + 1);
}

/** A StackSet's `Parameters` list as a map of name to value (unresolved values kept), or why it cannot be read. */
function stackSetParameters(list: unknown): Record<string, unknown> | string {
    if (list === undefined) {
        return {};
    }
    if (!Array.isArray(list)) {
        return list instanceof Unresolved
            ? `its Parameters cannot be resolved before deployment (${list.what})`
            : "its Parameters is not a list of ParameterKey and ParameterValue";
    }
    const values: Record<string, unknown> = {};
    for (const entry of list) {
        const key = isRecord(entry) ? entry.ParameterKey : undefined;
        if (!isRecord(entry) || typeof key !== "string") {
            return key instanceof Unresolved
                ? `a ParameterKey of its Parameters cannot be resolved before deployment (${key.what})`
                : "its Parameters holds an entry without a ParameterKey";
        }
        values[key] = entry.ParameterValue;
    }
    return values;
}

/**
 * What a deploying resource deploys, or undefined when `type` deploys nothing. Reads `props`
 * through the engine's proxy, so a template unknown during preview stops the policy (it cannot
 * run) instead of passing. `environment` resolves pseudo-parameters (`deploymentEnvironment`).
 */
export function nestedDeployment(
    type: string,
    props: Record<string, unknown>,
    environment: DeploymentEnvironment = {},
): NestedDeployment | undefined {
    const key = nativeKey(type);
    const carrier = TEMPLATE_CARRIERS.get(key);
    if (carrier === undefined) {
        return isNestedDeployer(type)
            ? { known: false, reason: "it deploys products or stack instances whose resources the pack cannot see" }
            : undefined;
    }
    const template = fieldOf(props, carrier.template);
    if (template === undefined || template === null || template === "") {
        return {
            known: false,
            reason: "it deploys a template by URL (templateUrl), which the pack cannot read; inline it as templateBody",
        };
    }
    return templateResources(template, environment);
}

/**
 * The template resources that deploy something the pack cannot see further: nested stacks
 * (`AWS::CloudFormation::Stack`, always by URL), StackSets it could not read, custom resources
 * (backed by a Lambda function or SNS topic), Service Catalog products. A StackSet it read is not
 * opaque: its resources follow it in the list.
 */
export function opaqueTemplateResource(resource: TemplateResource): string | undefined {
    if (resource.stackSet !== undefined) {
        return resource.stackSet.expanded
            ? undefined
            : `${resource.logicalId} (${resource.cfnType}) deploys what the pack cannot see: ${resource.stackSet.reason}`;
    }
    if (resource.nativeType === undefined) {
        return `${resource.logicalId} (${resource.cfnType}) is a custom resource or not an AWS type`;
    }
    if (/^AWS::CloudFormation::(Stack|StackSet|CustomResource|Macro)$/.test(resource.cfnType) || isNestedDeployer(resource.nativeType)) {
        return `${resource.logicalId} (${resource.cfnType}) deploys what the pack cannot see`;
    }
    return undefined;
}
