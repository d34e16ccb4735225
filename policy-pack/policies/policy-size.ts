// Rule family: IAM size quotas. AWS rejects oversized policies only at apply time, half way
// through an update; counting here fails the preview instead. AWS counts characters excluding
// white space.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { readIntegerOption } from "../config";
import { countNonWhitespaceCharacters, policyText } from "../documents";
import { isUnknownValueError } from "../unknowns";
import { MANAGED_POLICY_TYPE, ROLE_POLICY_TYPE, ROLE_TYPE } from "../resource-types";

/** Default IAM quota for role trust policies; accounts can raise it to 4,096. */
export const TRUST_POLICY_DEFAULT_QUOTA = 2048;
export const TRUST_POLICY_MAX_QUOTA = 4096;
export const MANAGED_POLICY_QUOTA = 6144;
export const ROLE_INLINE_POLICIES_QUOTA = 10240;

export interface SizeViolation {
    readonly urn: string;
    readonly message: string;
}

interface InlinePolicyShare {
    readonly label: string;
    readonly characters: number;
}

/** Inline policies of one role, from its `inlinePolicies` and from `aws.iam.RolePolicy` resources. */
interface RoleInlinePolicies {
    roleUrn?: string;
    roleName: string;
    firstPolicyUrn: string;
    shares: InlinePolicyShare[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function characters(raw: unknown): number | undefined {
    const text = policyText(raw);
    return text === undefined ? undefined : countNonWhitespaceCharacters(text);
}

const format = (n: number): string => n.toLocaleString("en-US");

/**
 * `aws.iam.RolePolicy.role` takes a role name; an ARN (accepted by some helpers) names the role in
 * its last path segment.
 */
function roleNameOf(role: string): string {
    return role.startsWith("arn:") ? role.slice(role.lastIndexOf("/") + 1) : role;
}

/** Roles are matched by provider and name: the same name in two accounts is two roles. */
function roleKey(resource: PolicyResource, roleName: string): string {
    return `${resource.provider?.urn ?? ""}|${roleName}`;
}

/** All size violations in a stack; resources whose documents are unknown during preview are skipped. */
export function policySizeViolations(resources: readonly PolicyResource[], trustQuota: number): SizeViolation[] {
    const violations: SizeViolation[] = [];
    const roles = new Map<string, RoleInlinePolicies>();
    const shareOf = (resource: PolicyResource, roleName: string): RoleInlinePolicies => {
        const key = roleKey(resource, roleName);
        const existing = roles.get(key);
        if (existing !== undefined) {
            return existing;
        }
        const created: RoleInlinePolicies = { roleName, firstPolicyUrn: resource.urn, shares: [] };
        roles.set(key, created);
        return created;
    };

    for (const resource of resources) {
        try {
            if (resource.type === ROLE_TYPE) {
                const roleName = typeof resource.props.name === "string" ? resource.props.name : resource.name;
                const trust = characters(resource.props.assumeRolePolicy);
                if (trust !== undefined && trust > trustQuota) {
                    violations.push({
                        urn: resource.urn,
                        message:
                            `assumeRolePolicy of role '${roleName}' has ${format(trust)} non-whitespace characters; ` +
                            `the trust policy quota is ${format(trustQuota)}`,
                    });
                }
                const role = shareOf(resource, roleName);
                role.roleUrn = resource.urn;
                const inline: unknown = resource.props.inlinePolicies;
                for (const entry of Array.isArray(inline) ? inline : []) {
                    const size = isRecord(entry) ? characters(entry.policy) : undefined;
                    if (size !== undefined) {
                        const label = isRecord(entry) && typeof entry.name === "string" ? entry.name : "(unnamed)";
                        role.shares.push({ label: `inline policy '${label}'`, characters: size });
                    }
                }
            } else if (resource.type === MANAGED_POLICY_TYPE) {
                const size = characters(resource.props.policy);
                if (size !== undefined && size > MANAGED_POLICY_QUOTA) {
                    violations.push({
                        urn: resource.urn,
                        message:
                            `managed policy '${resource.name}' has ${format(size)} non-whitespace characters; ` +
                            `the managed policy quota is ${format(MANAGED_POLICY_QUOTA)}`,
                    });
                }
            } else if (resource.type === ROLE_POLICY_TYPE) {
                const size = characters(resource.props.policy);
                const role: unknown = resource.props.role;
                if (size !== undefined && typeof role === "string") {
                    shareOf(resource, roleNameOf(role)).shares.push({ label: `RolePolicy '${resource.name}'`, characters: size });
                }
            }
        } catch (e) {
            if (!(isUnknownValueError(e))) {
                throw e;
            }
        }
    }

    for (const role of roles.values()) {
        const total = role.shares.reduce((sum, share) => sum + share.characters, 0);
        if (total > ROLE_INLINE_POLICIES_QUOTA) {
            const parts = role.shares.map(share => `${share.label} ${format(share.characters)}`).join(", ");
            violations.push({
                urn: role.roleUrn ?? role.firstPolicyUrn,
                message:
                    `inline policies of role '${role.roleName}' total ${format(total)} non-whitespace characters ` +
                    `(${parts}); the quota for a role's inline policies together is ${format(ROLE_INLINE_POLICIES_QUOTA)}`,
            });
        }
    }
    return violations;
}

export const policySizeQuotas: StackValidationPolicy = {
    name: "policy-size-quotas",
    description:
        "IAM documents fit AWS size quotas, counted in non-whitespace characters: a role trust policy at most " +
        "maxTrustPolicyCharacters (default 2,048, up to 4,096 once the account quota is raised), a managed " +
        "policy at most 6,144, and a role's inline policies (inlinePolicies plus aws.iam.RolePolicy) together " +
        "at most 10,240.",
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
