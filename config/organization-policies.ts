import { show } from "./errors";
import { Organization } from "./organization";
import { assertUnique, ConfigValue } from "./reader";

/** Where the organization policies attach: the root, or an OU of `organization.organizationalUnits`. */
export interface PolicyTarget {
    /** `root`, or the OU's path as accounts carry it in `ou`. */
    readonly key: string;
    /** `r-…` or `ou-…`: what AWS Organizations attaches to. */
    readonly id: string;
}

/**
 * `org-access:organizationPolicies`: the organization policies AWS enforces at run time
 * (model/organization-policies.ts builds them), each switchable. All default to off.
 */
export interface OrganizationPoliciesConfig {
    /** The identity-perimeter RCP: no `sts:AssumeRole`, `sts:SetSourceIdentity` or `sts:TagSession` into member roles from outside. */
    readonly identityPerimeter: boolean;
    /** The same perimeter around S3, KMS, SQS and Secrets Manager resources of member accounts (RCP). */
    readonly dataPerimeter: boolean;
    /** SCP: IAM users, login profiles and access keys only in the access account. */
    readonly iamUsersOnlyInAccessAccount: boolean;
    /** SCP: only the deploy identity changes the program's roles (member, team and deploy roles). */
    readonly protectAccessRoles: boolean;
    /** SCP: no account calls `organizations:LeaveOrganization`. */
    readonly denyLeaveOrganization: boolean;
    /** The root or OUs the policies attach to, each once. */
    readonly targets: readonly PolicyTarget[];
}

const SWITCHES = [
    "identityPerimeter",
    "dataPerimeter",
    "iamUsersOnlyInAccessAccount",
    "protectAccessRoles",
    "denyLeaveOrganization",
] as const;

/** Reads `org-access:organizationPolicies`; targets must name the root (with `organization.rootId`) or OUs with ids. */
export function parseOrganizationPolicies(value: ConfigValue, org: Organization): OrganizationPoliciesConfig {
    const o = value.object([...SWITCHES, "targets"]);
    const flag = (name: (typeof SWITCHES)[number]) => o.optional(name, (v) => v.boolean()) ?? false;
    const switches = {
        identityPerimeter: flag("identityPerimeter"),
        dataPerimeter: flag("dataPerimeter"),
        iamUsersOnlyInAccessAccount: flag("iamUsersOnlyInAccessAccount"),
        protectAccessRoles: flag("protectAccessRoles"),
        denyLeaveOrganization: flag("denyLeaveOrganization"),
    };
    if (!SWITCHES.some((s) => switches[s])) {
        value.fail(`switches on no policy (set one of ${SWITCHES.join(", ")} to true, or remove the key)`);
    }
    if (switches.dataPerimeter && !switches.identityPerimeter) {
        o.field("dataPerimeter").fail("needs identityPerimeter: true (the data perimeter extends the identity perimeter)");
    }
    const targetsValue = o.required("targets");
    const targets = targetsValue.array().map((item: ConfigValue): PolicyTarget => {
        const key = item.string();
        if (key === "root") {
            if (org.rootId === undefined) {
                item.fail(`${show(key)} needs org-access:organization.rootId (the organization's root, r-…)`);
            }
            return { key, id: org.rootId };
        }
        const unit = org.organizationalUnits.find((u) => u.path === key);
        if (unit === undefined) {
            item.fail(
                `unknown organizational unit ${show(key)} (not in org-access:organization.organizationalUnits${org.organizationalUnits.length > 0 ? `: ${org.organizationalUnits.map((u) => u.path).join(", ")}` : ""}; or root)`,
            );
        }
        return { key, id: unit.id };
    });
    if (targets.length === 0) {
        targetsValue.fail("needs at least one target (root, or an OU path)");
    }
    assertUnique(targetsValue, targets, (t) => t.key, "target");
    return { ...switches, targets };
}
