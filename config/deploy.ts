import { Account, Organization, resolveMembers } from "./organization";
import { ConfigValue } from "./reader";

/**
 * What this stack deploys (`org-access:deploy`). Config may be shared by every
 * stack of the project (Pulumi.yaml's `config:`), so the presence of a section
 * never decides on its own: with `deploy`, a stack deploys exactly the parts it
 * names, and nothing else. Without `deploy`, a stack deploys every section its
 * config holds (one stack file per stack, as in the repository's examples).
 */
export interface StackDeploy {
    /** The management-account customer role (and, with a delegated Identity Center admin, its registration). */
    readonly customerAccess: boolean;
    /** The management account's read-only CI preview role. */
    readonly managementPreviewRole: boolean;
    /** Users, groups, federation providers, team roles and Identity Center permission sets. */
    readonly identity: boolean;
    /** Member accounts whose member roles this stack deploys; undefined means all. */
    readonly memberAccounts?: readonly Account[];
}

/** Which sections the stack's config holds. */
export interface SectionsPresent {
    readonly customerAccess: boolean;
    readonly managementPreviewRole: boolean;
    readonly access: boolean;
}

export function parseDeploy(value: ConfigValue, org: Organization, present: SectionsPresent): StackDeploy {
    if (!value.present) {
        return {
            customerAccess: present.customerAccess,
            managementPreviewRole: present.managementPreviewRole,
            identity: present.access,
            memberAccounts: present.access ? undefined : [],
        };
    }
    const o = value.object(["customerAccess", "managementPreviewRole", "identity", "memberAccounts"]);
    const part = (key: "customerAccess" | "managementPreviewRole" | "identity", section: string, has: boolean): boolean => {
        const wanted = o.optional(key, (v) => v.boolean()) ?? false;
        if (wanted && !has) {
            o.field(key).fail(`is true, but org-access:${section} is not set`);
        }
        return wanted;
    };
    const customerAccess = part("customerAccess", "customerAccess", present.customerAccess);
    const managementPreviewRole = part("managementPreviewRole", "managementPreviewRole", present.managementPreviewRole);
    const identity = part("identity", "accessAccount", present.access);
    // Left out: none. "*": every member account, as for a role's accounts.
    const accountsValue = o.field("memberAccounts");
    const memberAccounts = !accountsValue.present ? [] : accountsValue.raw === "*" ? undefined : resolveMembers(org, accountsValue);
    if ((memberAccounts === undefined || memberAccounts.length > 0) && !present.access) {
        accountsValue.fail("names member accounts, but org-access:accessAccount is not set");
    }
    if (!customerAccess && !managementPreviewRole && !identity && memberAccounts?.length === 0) {
        value.fail("deploys nothing: customerAccess, managementPreviewRole and identity are false and memberAccounts is empty");
    }
    return { customerAccess, managementPreviewRole, identity, memberAccounts };
}
