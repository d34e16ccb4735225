// Reads a resource's policies the way the engine hands its inputs over (through the proxy that
// throws for values unknown during preview): its policy documents, found where CloudFormation and
// both providers put them (`cloudformation/policy-properties.ts`, else by property name), the
// permission-style grants that are not documents, and the same inside templates it deploys, read
// and resolved as CloudFormation would (`templates.ts`).
//
// A template value only deployment can tell (`!GetAtt Other.Arn`, a parameter without a value) is
// `Unresolved`. Where it decides who gets in (a principal, a condition, an action, a permission's
// scoping field) the statement or grant is reported as an `UnresolvedAdmission` and left out of
// the other verdicts; elsewhere (a `Resource`) it is dropped.

import { Unresolved, unresolvedIn } from "./cloudformation/intrinsics";
import {
    documentLocationOf,
    documentLocationOfNative,
    AWS_PROVIDER_DOCUMENT_LOCATIONS,
    PropertyPath,
} from "./cloudformation/policy-properties";
import { fieldOf, FoundDocument, isRecord, parsePolicyDocument, POLICY_PROPERTY_NAME } from "./documents";
import { PermissionGrant } from "./verdicts";
import { nativeKey, PermissionKind, permissionKindOf, trustPolicyProperty } from "./resource-types";
import { deploymentEnvironment, nestedDeployment, STACK_SET_TEMPLATE_PROPERTY, TemplateResource, templatePropertyOf } from "./templates";
import { isUnknownValueError } from "./unknowns";
import { StringMemo } from "./memo";

/** Property names under which an unknown value may be a policy document (any case). */
const MAY_HOLD_A_DOCUMENT = /polic|document|statement|template|content/i;

/** Objects nested deeper than this are not searched (documents sit a few levels down at most). */
const MAX_DEPTH = 16;

/** A value found in a resource's inputs, named by its path (`inlinePolicies[0].policy`). */
interface Located {
    readonly path: string;
    readonly value: unknown;
}

/**
 * Reads a property through the engine's proxy. A value unknown during preview stops the policy
 * (it cannot run yet) when it may be a document, and is skipped elsewhere (an unknown ARN or name
 * cannot be a policy).
 */
function readProperty(read: () => unknown, key: string): { readonly value: unknown } | undefined {
    try {
        return { value: read() };
    } catch (error) {
        if (!isUnknownValueError(error) || MAY_HOLD_A_DOCUMENT.test(key)) {
            throw error;
        }
        return undefined;
    }
}

function joinPath(path: string, key: string | number): string {
    return typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
}

/** The values at a property path (`Policies[].PolicyDocument`), matching names without regard to case. */
function valuesAtPath(record: Record<string, unknown>, path: PropertyPath): Located[] {
    let current: Located[] = [{ path: "", value: record }];
    for (const segment of path.split(".")) {
        const each = segment.endsWith("[]");
        const name = each ? segment.slice(0, -2) : segment;
        current = current.flatMap(({ path: at, value }) => {
            if (!isRecord(value) || value instanceof Unresolved) {
                return [];
            }
            const read = readProperty(() => fieldOf(value, name), name);
            if (read === undefined || read.value === undefined || read.value === null) {
                return [];
            }
            const here = joinPath(at, name);
            if (!each) {
                return [{ path: here, value: read.value }];
            }
            const items = Array.isArray(read.value) ? read.value : [];
            return items.map((item: unknown, index) => ({ path: joinPath(here, index), value: item }));
        });
    }
    return current;
}

/**
 * An IAM policy by its shape: a `Statement` each of whose entries carries `Effect`, `Action` or
 * `NotAction`. A WAF rule's `Statement` holds match statements (`ByteMatchStatement`, ...), none of
 * those, so it is not taken for a policy.
 */
function isIamShaped(value: unknown): boolean {
    if (!isRecord(value) || value instanceof Unresolved || value.Statement === undefined || value.Statement === null) {
        return false;
    }
    const statements: unknown[] = Array.isArray(value.Statement) ? value.Statement : [value.Statement];
    return (
        statements.length > 0 &&
        statements.every((statement) => isRecord(statement) && ["Effect", "Action", "NotAction"].some((element) => element in statement))
    );
}

/**
 * JSON text decoded once per text: the search reads the same trust and policy texts on every
 * account's copy of a role. The decoded value is only read, never changed.
 */
const DECODED = new StringMemo<{ readonly ok: true; readonly value: unknown } | { readonly ok: false }>(1024);

function decodeJson(text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false } {
    return DECODED.get(text, () => {
        try {
            return { ok: true, value: JSON.parse(text) as unknown };
        } catch {
            return { ok: false };
        }
    });
}

/**
 * Documents of a resource of a type the tables do not list, found where both providers and
 * CloudFormation put them: under a property named like a policy document (`policy`,
 * `assumeRolePolicy`, `accessPolicies`, `policyDocument`, `keyPolicy`, `repositoryPolicyText`,
 * ...; JSON text there that does not parse is reported as unreadable), or, under any other name, a
 * value shaped like an IAM policy (`isIamShaped`), so a type added to a provider after this table
 * is still read. `skip` names the input holding a deployed template, which `templates.ts` reads.
 */
function valuesByNameOrShape(value: unknown, skip?: string): Located[] {
    const found: Located[] = [];
    const visit = (current: unknown, path: string, key: string, depth: number): void => {
        if (depth > MAX_DEPTH) {
            return;
        }
        const policyNamed = POLICY_PROPERTY_NAME.test(key);
        if (current instanceof Unresolved) {
            if (policyNamed) {
                found.push({ path, value: current });
            }
            return;
        }
        if (typeof current === "string") {
            if (!current.trimStart().startsWith("{")) {
                return;
            }
            const decoding = decodeJson(current);
            if (!decoding.ok) {
                // Under a policy's name, text that is not JSON is a document we cannot read.
                if (policyNamed) {
                    found.push({ path, value: current });
                }
                return;
            }
            const decoded = decoding.value;
            if (isIamShaped(decoded) || (policyNamed && isRecord(decoded) && "Statement" in decoded)) {
                found.push({ path, value: current });
            } else {
                visit(decoded, path, key, depth + 1);
            }
            return;
        }
        if (isRecord(current) && (isIamShaped(current) || (policyNamed && "Statement" in current))) {
            found.push({ path, value: current });
            return;
        }
        // Indices, not `current.map`: a proxied array's species lookup goes through the proxy (costly).
        const entries: Array<[string | number, () => unknown]> = Array.isArray(current)
            ? Array.from({ length: current.length }, (_, index): [number, () => unknown] => [index, () => current[index]])
            : isRecord(current)
              ? Object.keys(current)
                    .filter((name) => depth > 0 || name !== skip)
                    .map((name) => [name, () => current[name]])
              : [];
        for (const [childKey, read] of entries) {
            const child = readProperty(read, typeof childKey === "number" ? key : childKey);
            if (child !== undefined) {
                visit(child.value, joinPath(path, childKey), typeof childKey === "number" ? key : childKey, depth + 1);
            }
        }
    };
    visit(value, "", "", 0);
    return found;
}

/** The document values of a resource's (or a template resource's) properties, by table, else by name or shape. */
function documentValues(paths: readonly PropertyPath[] | undefined, props: Record<string, unknown>, skip?: string): Located[] {
    if (paths === undefined) {
        return valuesByNameOrShape(props, skip);
    }
    return paths.flatMap((path) => valuesAtPath(props, path)).filter(({ value }) => value !== "");
}

function pathsOfType(type: string): readonly PropertyPath[] | undefined {
    return (
        AWS_PROVIDER_DOCUMENT_LOCATIONS.get(type) ?? (type.startsWith("aws-native:") ? documentLocationOfNative(type)?.paths : undefined)
    );
}

// ------------------------------------------------------------------------------------------------
// Settling resolved documents: what is known goes to the verdicts, what is not is reported.
// ------------------------------------------------------------------------------------------------

/** A statement or grant whose admission depends on values only deployment can tell. */
export interface UnresolvedAdmission {
    /** `template resource Queue (AWS::SQS::QueuePolicy) PolicyDocument statement #1`. */
    readonly where: string;
    /** What could not be resolved: `!GetAtt Other.Arn`, `parameter Trusted (no value passed and no Default)`. */
    readonly what: readonly string[];
}

const describe = (values: readonly Unresolved[]): string[] => [...new Set(values.map((value) => value.what))];

/** Elements that decide whom a statement admits and for what. */
const DECIDING_ELEMENTS: readonly string[] = ["Effect", "Action", "NotAction", "Condition"];
const PRINCIPAL_ELEMENTS: readonly string[] = ["Principal", "NotPrincipal"];

/** A principal block with unresolved values removed (they are reported instead). */
function knownPrincipal(block: unknown): unknown {
    if (block instanceof Unresolved) {
        return {};
    }
    if (!isRecord(block)) {
        return block;
    }
    const known: Record<string, unknown> = {};
    for (const [principalType, values] of Object.entries(block)) {
        if (values instanceof Unresolved) {
            continue;
        }
        known[principalType] = Array.isArray(values) ? values.filter((value) => !(value instanceof Unresolved)) : values;
    }
    return known;
}

interface Settled {
    readonly document?: FoundDocument;
    readonly unresolved: UnresolvedAdmission[];
}

/**
 * A resolved template document, as a plain document for the verdicts plus its unresolved
 * admissions. A statement with an unresolved Effect, Action or Condition is left out whole (its
 * admission is unknown); unresolved principal values are left out of the principal block (the rest
 * of it is still judged); unresolved values anywhere else (`Resource`, `Sid`) do not decide who
 * gets in and are dropped.
 */
function settleDocument(path: string, raw: unknown): Settled {
    if (raw instanceof Unresolved) {
        return { unresolved: [{ where: path, what: [raw.what] }] };
    }
    let value = raw;
    if (typeof raw === "string") {
        try {
            value = JSON.parse(raw);
        } catch {
            return { document: { path, raw, parsed: parsePolicyDocument(raw) }, unresolved: [] };
        }
    }
    if (!isRecord(value) || value.Statement === undefined) {
        return { document: { path, raw, parsed: parsePolicyDocument(value) }, unresolved: [] };
    }
    if (value.Statement instanceof Unresolved) {
        return { unresolved: [{ where: `${path} Statement`, what: [value.Statement.what] }] };
    }
    const statements: unknown[] = Array.isArray(value.Statement) ? value.Statement : [value.Statement];
    const unresolved: UnresolvedAdmission[] = [];
    const kept: unknown[] = [];
    statements.forEach((statement, index) => {
        const where = `${path} statement #${index + 1}`;
        if (!isRecord(statement) || statement instanceof Unresolved) {
            if (statement instanceof Unresolved) {
                unresolved.push({ where, what: [statement.what] });
            } else {
                kept.push(statement);
            }
            return;
        }
        const admits = statement.Effect !== "Deny" && PRINCIPAL_ELEMENTS.some((element) => element in statement);
        const deciding = describe(DECIDING_ELEMENTS.flatMap((element) => unresolvedIn(statement[element])));
        const principals = describe(PRINCIPAL_ELEMENTS.flatMap((element) => unresolvedIn(statement[element])));
        if (admits && deciding.length + principals.length > 0) {
            unresolved.push({
                where: typeof statement.Sid === "string" ? `${path} statement '${statement.Sid}'` : where,
                what: [...principals, ...deciding],
            });
        }
        if (deciding.length > 0) {
            return;
        }
        const plain: Record<string, unknown> = {};
        for (const [element, child] of Object.entries(statement)) {
            if (PRINCIPAL_ELEMENTS.includes(element)) {
                plain[element] = knownPrincipal(child);
            } else if (unresolvedIn(child).length === 0) {
                plain[element] = child;
            }
        }
        kept.push(plain);
    });
    const document = { ...value, Statement: kept };
    return { document: { path, raw: document, parsed: parsePolicyDocument(document) }, unresolved };
}

// ------------------------------------------------------------------------------------------------
// What a resource holds
// ------------------------------------------------------------------------------------------------

/** The provider's inputs as the engine hands them over, for the deploying account and region. */
export interface ResourceInputs {
    readonly type: string;
    readonly props: Record<string, unknown>;
    readonly provider?: { readonly props: Record<string, unknown> };
}

/** What a template-carrying resource deploys, read and resolved; empty when it deploys nothing or cannot be read. */
export interface TemplateReading {
    readonly resources: readonly TemplateResource[];
    /** Why the template's contents cannot be known, when they cannot. */
    readonly unknown?: string;
}

export function readTemplate(resource: ResourceInputs): TemplateReading {
    const deployment = nestedDeployment(
        resource.type,
        resource.props,
        deploymentEnvironment(resource.type, resource.props, resource.provider?.props),
    );
    if (deployment === undefined) {
        return { resources: [] };
    }
    return deployment.known ? { resources: deployment.resources } : { resources: [], unknown: deployment.reason };
}

function templateWhere(resource: TemplateResource): string {
    return `template resource ${resource.logicalId} (${resource.cfnType})`;
}

interface ResourceDocuments {
    readonly documents: FoundDocument[];
    readonly unresolved: UnresolvedAdmission[];
}

function readDocuments(resource: ResourceInputs): ResourceDocuments {
    const { type, props } = resource;
    const documents: FoundDocument[] = documentValues(pathsOfType(type), props, templatePropertyOf(type)).map(({ path, value }) => ({
        path,
        raw: value,
        parsed: parsePolicyDocument(value),
    }));
    // AWS::Events::EventBusPolicy's `statement` form is one statement without a document around it.
    if (nativeKey(type) === "aws-native:events:eventbuspolicy") {
        const statement = fieldOf(props, "statement");
        if (isRecord(statement)) {
            documents.push({ path: "statement", raw: statement, parsed: parsePolicyDocument({ Statement: statement }) });
        }
    }
    const unresolved: UnresolvedAdmission[] = [];
    const template = readTemplate(resource);
    if (template.unknown !== undefined) {
        unresolved.push({ where: "the template it deploys", what: [template.unknown] });
    }
    for (const nested of template.resources) {
        const where = templateWhere(nested);
        // Properties unknown as a whole may hold any document (a type without one is listed with no paths).
        if (nested.unresolvedProperties !== undefined && documentLocationOf(nested.cfnType)?.paths.length !== 0) {
            unresolved.push({ where: `${where} Properties`, what: [nested.unresolvedProperties.what] });
        }
        // A StackSet the pack read lists its template's resources after it, resolved; its TemplateBody is not read twice.
        const skip = nested.stackSet?.expanded ? STACK_SET_TEMPLATE_PROPERTY : undefined;
        for (const { path, value } of documentValues(documentLocationOf(nested.cfnType)?.paths, nested.properties, skip)) {
            const settled = settleDocument(`${where} ${path}`, value);
            if (settled.document !== undefined) {
                documents.push(settled.document);
            }
            unresolved.push(...settled.unresolved);
        }
    }
    return { documents, unresolved };
}

/** Every policy document of a resource and of the templates it deploys, with unresolved values left out. */
export function documentsOfResource(type: string, props: Record<string, unknown>, provider?: ResourceInputs["provider"]): FoundDocument[] {
    return readDocuments({ type, props, provider }).documents;
}

/** Who a permission-style resource (or template resource's `Properties`) lets in. */
export function permissionGrantOf(kind: PermissionKind, props: Record<string, unknown>): PermissionGrant {
    const principal = fieldOf(props, "principal");
    switch (kind) {
        case "lambda":
            return {
                principal,
                sourceAccount: fieldOf(props, "sourceAccount"),
                sourceArn: fieldOf(props, "sourceArn"),
                principalOrgId: fieldOf(props, "principalOrgId"),
            };
        case "layer":
            return { principal, principalOrgId: fieldOf(props, "organizationId") };
        case "event": {
            // EventBridge takes one condition, on aws:PrincipalOrgID with StringEquals
            // (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Condition.html).
            let condition = fieldOf(props, "condition");
            if (typeof condition === "string") {
                try {
                    condition = JSON.parse(condition);
                } catch {
                    condition = undefined;
                }
            }
            if (!isRecord(condition)) {
                return { principal };
            }
            const scoped =
                String(fieldOf(condition, "key")).toLowerCase() === "aws:principalorgid" && fieldOf(condition, "type") === "StringEquals";
            return { principal, principalOrgId: scoped ? fieldOf(condition, "value") : undefined };
        }
    }
}

/** A permission-style grant found on the resource itself or inside a template it deploys. */
export interface FoundGrant {
    readonly where: string;
    /** The grant with unresolved fields left out. */
    readonly grant: PermissionGrant;
    /** What could not be resolved among the fields that decide who gets in; empty when all are known. */
    readonly unresolved: readonly string[];
}

/** The resources of templates this resource deploys; none when it deploys none or they cannot be read. */
export function templateResourcesOf(
    type: string,
    props: Record<string, unknown>,
    provider?: ResourceInputs["provider"],
): readonly TemplateResource[] {
    return readTemplate({ type, props, provider }).resources;
}

function knownGrant(grant: PermissionGrant): { grant: PermissionGrant; unresolved: string[] } {
    const unresolved = describe(Object.values(grant).flatMap(unresolvedIn));
    const known = Object.fromEntries(
        Object.entries(grant).map(([key, value]) => [key, unresolvedIn(value).length > 0 ? undefined : value]),
    );
    return { grant: known, unresolved };
}

export function permissionGrantsOfResource(
    type: string,
    props: Record<string, unknown>,
    provider?: ResourceInputs["provider"],
): FoundGrant[] {
    const grants: FoundGrant[] = [];
    const kind = permissionKindOf(type);
    if (kind !== undefined) {
        grants.push({ where: type, grant: permissionGrantOf(kind, props), unresolved: [] });
    }
    for (const resource of templateResourcesOf(type, props, provider)) {
        const nested = resource.nativeType === undefined ? undefined : permissionKindOf(resource.nativeType);
        if (nested !== undefined) {
            grants.push({ where: templateWhere(resource), ...knownGrant(permissionGrantOf(nested, resource.properties)) });
        }
    }
    return grants;
}

/** A role trust: the resource's own, or one of a role its template deploys (unresolved values left out). */
export interface FoundTrust {
    readonly name: string;
    readonly raw: unknown;
}

export function trustDocumentsOfResource(
    type: string,
    props: Record<string, unknown>,
    provider?: ResourceInputs["provider"],
): FoundTrust[] {
    const trusts: FoundTrust[] = [];
    const property = trustPolicyProperty(type);
    if (property !== undefined) {
        const raw = fieldOf(props, property);
        if (raw !== undefined && raw !== null && raw !== "") {
            trusts.push({ name: property, raw });
        }
    }
    for (const resource of templateResourcesOf(type, props, provider)) {
        const trust = documentLocationOf(resource.cfnType)?.trust;
        if (trust === undefined) {
            continue;
        }
        for (const { path, value } of valuesAtPath(resource.properties, trust)) {
            const settled = settleDocument(`template resource ${resource.logicalId} ${path}`, value);
            if (settled.document !== undefined) {
                trusts.push({ name: settled.document.path, raw: settled.document.raw });
            }
        }
    }
    return trusts;
}

/**
 * Statements and grants of a resource's templates whose admission depends on values only
 * deployment can tell, and templates that cannot be read at all. Grants count only when the
 * unresolved field could change the verdict: `exposed` says whether the grant, without it, admits
 * principals outside the organization.
 */
export function unresolvedAdmissionsOfResource(
    resource: ResourceInputs,
    exposed: (grant: PermissionGrant) => boolean,
): UnresolvedAdmission[] {
    const { unresolved } = readDocuments(resource);
    for (const { where, grant, unresolved: what } of permissionGrantsOfResource(resource.type, resource.props, resource.provider)) {
        if (what.length > 0 && (grant.principal === undefined || exposed(grant))) {
            unresolved.push({ where: `${where} permission`, what });
        }
    }
    return unresolved;
}
