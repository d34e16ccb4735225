// Resources that deploy other resources: CloudFormation stacks and StackSets, Config conformance
// packs, Service Catalog provisioned products. In the special accounts they count as what they
// deploy, read from the template they carry; when that cannot be known (a template URL, YAML, a
// transform or macro, a nested stack, a Service Catalog product), they are violations.
//
// Templates are read as JSON only: the pack has no YAML parser, and a reviewer can always inline
// the template as JSON (`JSON.stringify(template)` or an object for aws-native).

import { fieldOf, isRecord } from "./documents";
import { moduleOfType, nativeKey, nativeTypeOfCloudFormation } from "./resource-types";

/** One resource of a template: its logical ID, CloudFormation type and `Properties`. */
export interface TemplateResource {
    readonly logicalId: string;
    readonly cfnType: string;
    /** The aws-native token of the CloudFormation type (`aws-native:lambda:Function`), if it has one. */
    readonly nativeType?: string;
    readonly properties: Record<string, unknown>;
}

export type NestedDeployment =
    { readonly known: true; readonly resources: readonly TemplateResource[] } | { readonly known: false; readonly reason: string };

/** Types that deploy a template, by lower-case key; the property holding an inline template. */
const TEMPLATE_CARRIERS: ReadonlyMap<string, string> = new Map([
    ["aws:cloudformation/stack:Stack", "templateBody"],
    ["aws:cloudformation/stackSet:StackSet", "templateBody"],
    ["aws:cfg/conformancePack:ConformancePack", "templateBody"],
    ["aws-native:cloudformation:stack", "templateBody"],
    ["aws-native:cloudformation:stackset", "templateBody"],
    ["aws-native:config:conformancepack", "templateBody"],
]);

/** Types that deploy something the pack cannot see at all. */
const OPAQUE_DEPLOYERS: ReadonlySet<string> = new Set([
    "aws:servicecatalog",
    "aws-native:servicecatalog",
    "aws:cloudformation/stackSetInstance:StackSetInstance",
    "aws-native:cloudformation:stacksetinstance",
]);

export const TEMPLATE_CARRIER_TYPES: readonly string[] = [...TEMPLATE_CARRIERS.keys()];

/** Does this type deploy other resources? */
export function isNestedDeployer(type: string): boolean {
    const key = nativeKey(type);
    return TEMPLATE_CARRIERS.has(key) || OPAQUE_DEPLOYERS.has(key) || OPAQUE_DEPLOYERS.has(moduleOfType(key));
}

/** The resources of a template given as JSON text or an object, or why they cannot be known. */
export function templateResources(template: unknown): NestedDeployment {
    let value = template;
    if (typeof template === "string") {
        try {
            value = JSON.parse(template);
        } catch {
            return { known: false, reason: "its template is not JSON (YAML templates cannot be read; inline the template as JSON)" };
        }
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
    const found: TemplateResource[] = [];
    for (const [logicalId, resource] of Object.entries(resources)) {
        const cfnType = isRecord(resource) ? resource.Type : undefined;
        if (typeof cfnType !== "string") {
            return { known: false, reason: `its template resource ${logicalId} has no Type` };
        }
        const properties = isRecord(resource) && isRecord(resource.Properties) ? resource.Properties : {};
        found.push({ logicalId, cfnType, nativeType: nativeTypeOfCloudFormation(cfnType), properties });
    }
    return { known: true, resources: found };
}

/**
 * What a deploying resource deploys, or undefined when `type` deploys nothing. Reads `props`
 * through the engine's proxy, so a template unknown during preview stops the policy (it cannot
 * run) instead of passing.
 */
export function nestedDeployment(type: string, props: Record<string, unknown>): NestedDeployment | undefined {
    const key = nativeKey(type);
    const property = TEMPLATE_CARRIERS.get(key);
    if (property === undefined) {
        return isNestedDeployer(type)
            ? { known: false, reason: "it deploys products or stack instances whose resources the pack cannot see" }
            : undefined;
    }
    const template = fieldOf(props, property);
    if (template === undefined || template === null || template === "") {
        return {
            known: false,
            reason: "it deploys a template by URL (templateUrl), which the pack cannot read; inline it as templateBody",
        };
    }
    return templateResources(template);
}

/**
 * The template resources that deploy something the pack cannot see further: nested stacks
 * (`AWS::CloudFormation::Stack`, always by URL), StackSets, custom resources (backed by a Lambda
 * function or SNS topic), Service Catalog products.
 */
export function opaqueTemplateResource(resource: TemplateResource): string | undefined {
    if (resource.nativeType === undefined) {
        return `${resource.logicalId} (${resource.cfnType}) is a custom resource or not an AWS type`;
    }
    if (/^AWS::CloudFormation::(Stack|StackSet|CustomResource|Macro)$/.test(resource.cfnType) || isNestedDeployer(resource.nativeType)) {
        return `${resource.logicalId} (${resource.cfnType}) deploys what the pack cannot see`;
    }
    return undefined;
}
