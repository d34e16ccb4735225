// Rule family: IAM size quotas. AWS rejects oversized policies only at apply time, half way
// through an update; counting here fails the preview instead. AWS counts characters excluding
// white space (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):
// role trust policy 2,048 (raisable to 4,096), managed policy 6,144, and the inline policies of
// one entity together: role 10,240, user 2,048, group 5,120. Both AWS providers: `@pulumi/aws`
// (`inlinePolicies`, RolePolicy / UserPolicy / GroupPolicy) and `@pulumi/aws-native` (`policies`
// on Role / User / Group, RolePolicy / UserPolicy / GroupPolicy, and AWS::IAM::Policy, which embeds
// one inline policy in each role, user and group it names).

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { readIntegerOption } from "../config";
import { countNonWhitespaceCharacters, fieldOf, isRecord, policyText } from "../documents";
import { nativeKey } from "../resource-types";
import { isUnknownValueError } from "../unknowns";

/** Default IAM quota for role trust policies; accounts can raise it to 4,096. */
export const TRUST_POLICY_DEFAULT_QUOTA = 2048;
export const TRUST_POLICY_MAX_QUOTA = 4096;
export const MANAGED_POLICY_QUOTA = 6144;
export const ROLE_INLINE_POLICIES_QUOTA = 10240;
export const USER_INLINE_POLICIES_QUOTA = 2048;
export const GROUP_INLINE_POLICIES_QUOTA = 5120;

export type Entity = "role" | "user" | "group";

export const INLINE_POLICIES_QUOTAS: Readonly<Record<Entity, number>> = {
    role: ROLE_INLINE_POLICIES_QUOTA,
    user: USER_INLINE_POLICIES_QUOTA,
    group: GROUP_INLINE_POLICIES_QUOTA,
};

export interface SizeViolation {
    readonly urn: string;
    readonly message: string;
}

interface InlinePolicyShare {
    readonly label: string;
    readonly characters: number;
}

/** Inline policies of one role, user or group, from the entity itself and from policy resources. */
interface EntityInlinePolicies {
    readonly entity: Entity;
    readonly name: string;
    entityUrn?: string;
    readonly firstPolicyUrn: string;
    readonly shares: InlinePolicyShare[];
}

/** The entity types and the inputs holding their name and embedded policies. */
const ENTITIES: ReadonlyMap<string, { entity: Entity; name: string; inline: string; document: string }> = new Map([
    ["aws:iam/role:Role", { entity: "role", name: "name", inline: "inlinePolicies", document: "policy" }],
    ["aws:iam/user:User", { entity: "user", name: "name", inline: "inlinePolicies", document: "policy" }],
    ["aws:iam/group:Group", { entity: "group", name: "name", inline: "inlinePolicies", document: "policy" }],
    ["aws-native:iam:role", { entity: "role", name: "roleName", inline: "policies", document: "policyDocument" }],
    ["aws-native:iam:user", { entity: "user", name: "userName", inline: "policies", document: "policyDocument" }],
    ["aws-native:iam:group", { entity: "group", name: "groupName", inline: "policies", document: "policyDocument" }],
]);

/** Inline policy resources: which entity they embed into, through which input, and their document. */
const INLINE_POLICY_RESOURCES: ReadonlyMap<string, { entity: Entity; target: string; document: string }> = new Map([
    ["aws:iam/rolePolicy:RolePolicy", { entity: "role", target: "role", document: "policy" }],
    ["aws:iam/userPolicy:UserPolicy", { entity: "user", target: "user", document: "policy" }],
    ["aws:iam/groupPolicy:GroupPolicy", { entity: "group", target: "group", document: "policy" }],
    ["aws-native:iam:rolepolicy", { entity: "role", target: "roleName", document: "policyDocument" }],
    ["aws-native:iam:userpolicy", { entity: "user", target: "userName", document: "policyDocument" }],
    ["aws-native:iam:grouppolicy", { entity: "group", target: "groupName", document: "policyDocument" }],
]);

const TRUST_DOCUMENTS: ReadonlyMap<string, string> = new Map([
    ["aws:iam/role:Role", "assumeRolePolicy"],
    ["aws-native:iam:role", "assumeRolePolicyDocument"],
]);

const MANAGED_POLICIES: ReadonlyMap<string, string> = new Map([
    ["aws:iam/policy:Policy", "policy"],
    ["aws-native:iam:managedpolicy", "policyDocument"],
]);

/** AWS::IAM::Policy: one inline policy, embedded in every role, user and group it lists. */
const NATIVE_MULTI_TARGET_POLICY = "aws-native:iam:policy";

function characters(raw: unknown): number | undefined {
    const text = policyText(raw);
    return text === undefined ? undefined : countNonWhitespaceCharacters(text);
}

const format = (n: number): string => n.toLocaleString("en-US");

/**
 * Policy resources take an entity name; an ARN (accepted by some helpers) names the entity in its
 * last path segment.
 */
function entityNameOf(target: string): string {
    return target.startsWith("arn:") ? target.slice(target.lastIndexOf("/") + 1) : target;
}

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

/** All size violations in a stack; resources whose documents are unknown during preview are skipped. */
export function policySizeViolations(resources: readonly PolicyResource[], trustQuota: number): SizeViolation[] {
    const violations: SizeViolation[] = [];
    // Entities are matched by provider, kind and name: the same name in two accounts is two entities.
    const entities = new Map<string, EntityInlinePolicies>();
    const shareOf = (resource: PolicyResource, entity: Entity, name: string): EntityInlinePolicies => {
        const key = `${resource.provider?.urn ?? ""}|${entity}|${name}`;
        const existing = entities.get(key);
        if (existing !== undefined) {
            return existing;
        }
        const created: EntityInlinePolicies = { entity, name, firstPolicyUrn: resource.urn, shares: [] };
        entities.set(key, created);
        return created;
    };

    for (const resource of resources) {
        const type = nativeKey(resource.type);
        try {
            const trustProperty = TRUST_DOCUMENTS.get(type);
            const entityShape = ENTITIES.get(type);
            if (entityShape !== undefined) {
                const given = fieldOf(resource.props, entityShape.name);
                const name = typeof given === "string" && given !== "" ? given : resource.name;
                if (trustProperty !== undefined) {
                    const trust = characters(fieldOf(resource.props, trustProperty));
                    if (trust !== undefined && trust > trustQuota) {
                        violations.push({
                            urn: resource.urn,
                            message:
                                `${trustProperty} of role '${name}' has ${format(trust)} non-whitespace characters; ` +
                                `the trust policy quota is ${format(trustQuota)}`,
                        });
                    }
                }
                const entity = shareOf(resource, entityShape.entity, name);
                entity.entityUrn = resource.urn;
                for (const entry of listOf(fieldOf(resource.props, entityShape.inline))) {
                    const size = isRecord(entry) ? characters(fieldOf(entry, entityShape.document)) : undefined;
                    if (size !== undefined && isRecord(entry)) {
                        const label = fieldOf(entry, "name") ?? fieldOf(entry, "policyName");
                        entity.shares.push({
                            label: `inline policy '${typeof label === "string" ? label : "(unnamed)"}'`,
                            characters: size,
                        });
                    }
                }
                continue;
            }
            const managedProperty = MANAGED_POLICIES.get(type);
            if (managedProperty !== undefined) {
                const size = characters(fieldOf(resource.props, managedProperty));
                if (size !== undefined && size > MANAGED_POLICY_QUOTA) {
                    violations.push({
                        urn: resource.urn,
                        message:
                            `managed policy '${resource.name}' has ${format(size)} non-whitespace characters; ` +
                            `the managed policy quota is ${format(MANAGED_POLICY_QUOTA)}`,
                    });
                }
                continue;
            }
            const inline = INLINE_POLICY_RESOURCES.get(type);
            if (inline !== undefined) {
                const size = characters(fieldOf(resource.props, inline.document));
                const target = fieldOf(resource.props, inline.target);
                if (size !== undefined && typeof target === "string") {
                    shareOf(resource, inline.entity, entityNameOf(target)).shares.push({
                        label: `${resource.type.split(":").pop()} '${resource.name}'`,
                        characters: size,
                    });
                }
                continue;
            }
            if (type === NATIVE_MULTI_TARGET_POLICY) {
                const size = characters(fieldOf(resource.props, "policyDocument"));
                if (size === undefined) {
                    continue;
                }
                for (const [entity, property] of [
                    ["role", "roles"],
                    ["user", "users"],
                    ["group", "groups"],
                ] as const) {
                    for (const target of listOf(fieldOf(resource.props, property))) {
                        if (typeof target === "string") {
                            shareOf(resource, entity, entityNameOf(target)).shares.push({
                                label: `Policy '${resource.name}'`,
                                characters: size,
                            });
                        }
                    }
                }
            }
        } catch (e) {
            if (!isUnknownValueError(e)) {
                throw e;
            }
        }
    }

    for (const entity of entities.values()) {
        const total = entity.shares.reduce((sum, share) => sum + share.characters, 0);
        const quota = INLINE_POLICIES_QUOTAS[entity.entity];
        if (total > quota) {
            const parts = entity.shares.map((share) => `${share.label} ${format(share.characters)}`).join(", ");
            violations.push({
                urn: entity.entityUrn ?? entity.firstPolicyUrn,
                message:
                    `inline policies of ${entity.entity} '${entity.name}' total ${format(total)} non-whitespace characters ` +
                    `(${parts}); the quota for a ${entity.entity}'s inline policies together is ${format(quota)}`,
            });
        }
    }
    return violations;
}

export const policySizeQuotas: StackValidationPolicy = {
    name: "policy-size-quotas",
    description:
        "IAM documents fit AWS size quotas, counted in non-whitespace characters (aws and aws-native): a role trust " +
        "policy at most maxTrustPolicyCharacters (default 2,048, up to 4,096 once the account quota is raised), a " +
        "managed policy at most 6,144, and the inline policies of one entity together at most 10,240 for a role, " +
        "2,048 for a user and 5,120 for a group.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxTrustPolicyCharacters: {
                type: "integer",
                minimum: 1,
                maximum: TRUST_POLICY_MAX_QUOTA,
                default: TRUST_POLICY_DEFAULT_QUOTA,
                description: "The account's role trust policy length quota; raise only after raising it in Service Quotas.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const trustQuota = readIntegerOption(args.getConfig(), "maxTrustPolicyCharacters", {
            min: 1,
            max: TRUST_POLICY_MAX_QUOTA,
            default: TRUST_POLICY_DEFAULT_QUOTA,
        });
        for (const violation of policySizeViolations(args.resources, trustQuota)) {
            reportViolation(violation.message, violation.urn);
        }
    },
};
