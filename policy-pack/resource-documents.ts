// Reads a resource's policies the way the engine hands its inputs over (through the proxy that
// throws for values unknown during preview): every policy document, found by shape in any
// property (`documents.ts` `findPolicyDocuments`), the permission-style grants that are not
// documents, and the resources of templates it deploys.

import { fieldOf, findPolicyDocuments, FoundDocument, isRecord, parsePolicyDocument } from "./documents";
import { PermissionGrant } from "./verdicts";
import { nativeKey, PermissionKind, permissionKindOf, trustPolicyProperty } from "./resource-types";
import { nestedDeployment, TemplateResource } from "./templates";
import { isUnknownValueError } from "./unknowns";

/** Property names under which an unknown value may be a policy document (any case). */
const MAY_HOLD_A_DOCUMENT = /polic|document|statement|template/i;

/**
 * Every policy document in a resource's inputs. A value unknown during preview stops the search
 * (the policy cannot run yet) when it sits under a property that may hold a document, and is
 * skipped elsewhere (an unknown ARN or name cannot be a policy).
 */
export function documentsOfResource(type: string, props: Record<string, unknown>): FoundDocument[] {
    const found = findPolicyDocuments(props, {
        onUnreadable: (error, _path, key) => {
            if (!isUnknownValueError(error) || MAY_HOLD_A_DOCUMENT.test(key)) {
                throw error;
            }
        },
    });
    // AWS::Events::EventBusPolicy's `statement` form is one statement without a document around it.
    if (nativeKey(type) === "aws-native:events:eventbuspolicy") {
        const statement = fieldOf(props, "statement");
        if (isRecord(statement)) {
            found.push({ path: "statement", raw: statement, parsed: parsePolicyDocument({ Statement: statement }) });
        }
    }
    return found;
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
    readonly grant: PermissionGrant;
}

/** The resources of templates this resource deploys; none when it deploys none or they cannot be read. */
export function templateResourcesOf(type: string, props: Record<string, unknown>): readonly TemplateResource[] {
    const deployment = nestedDeployment(type, props);
    return deployment?.known ? deployment.resources : [];
}

export function permissionGrantsOfResource(type: string, props: Record<string, unknown>): FoundGrant[] {
    const grants: FoundGrant[] = [];
    const kind = permissionKindOf(type);
    if (kind !== undefined) {
        grants.push({ where: type, grant: permissionGrantOf(kind, props) });
    }
    for (const resource of templateResourcesOf(type, props)) {
        const nested = resource.nativeType === undefined ? undefined : permissionKindOf(resource.nativeType);
        if (nested !== undefined) {
            grants.push({
                where: `template resource ${resource.logicalId} (${resource.cfnType})`,
                grant: permissionGrantOf(nested, resource.properties),
            });
        }
    }
    return grants;
}

/** A role trust: the resource's own, or one of a role its template deploys. */
export interface FoundTrust {
    readonly name: string;
    readonly raw: unknown;
}

export function trustDocumentsOfResource(type: string, props: Record<string, unknown>): FoundTrust[] {
    const trusts: FoundTrust[] = [];
    const property = trustPolicyProperty(type);
    if (property !== undefined) {
        const raw = fieldOf(props, property);
        if (raw !== undefined && raw !== null && raw !== "") {
            trusts.push({ name: property, raw });
        }
    }
    for (const resource of templateResourcesOf(type, props)) {
        if (resource.nativeType !== undefined && nativeKey(resource.nativeType) === "aws-native:iam:role") {
            const raw = fieldOf(resource.properties, "assumeRolePolicyDocument");
            if (raw !== undefined) {
                trusts.push({ name: `template resource ${resource.logicalId} AssumeRolePolicyDocument`, raw });
            }
        }
    }
    return trusts;
}
