import { CONFIG_AGGREGATOR_ROLE } from "./customer-access";
import { ConfigError, show } from "./errors";
import { DEPLOY_ROLE_NAMES } from "./deploy-identity";
import { MANAGEMENT_PREVIEW_ROLE_NAME } from "./management-preview";
import type { StackConfig } from "./stack";

/**
 * IAM role names are unique per account, regardless of case. Two roles this stack would create in
 * the same account under one name (the customer role named `OrgAccessPreview` next to the management
 * preview role; a member role named like a team role in the access account; any role named like
 * the role the providers deploy with) would fail in the middle of `pulumi up`, after other
 * resources changed. Checked here, before the first resource.
 */
interface PlannedRole {
    readonly accountId: string;
    readonly accountName: string;
    readonly name: string;
    /** The config key that makes the role. */
    readonly key: string;
}

/** Every IAM role name the stack creates or relies on, per account, with the key that names it. */
export function plannedRoles(config: StackConfig): PlannedRole[] {
    const org = config.organization;
    const management = { accountId: org.management.id, accountName: org.management.name };
    const roles: PlannedRole[] = [];
    if (org.managementDeployRoleName) {
        roles.push({ ...management, name: org.managementDeployRoleName, key: "org-access:organization.managementDeployRoleName" });
    }
    if (config.managementPreviewRole) {
        roles.push({ ...management, name: MANAGEMENT_PREVIEW_ROLE_NAME, key: "org-access:managementPreviewRole" });
    }
    if (config.customerAccess) {
        // The Config aggregator's service role comes with the customer role (a fixed name: config/customer-access.ts);
        // listed first, so a roleName that takes its name is the one reported.
        roles.push({ ...management, name: CONFIG_AGGREGATOR_ROLE.name, key: "org-access:customerAccess" });
        roles.push({ ...management, name: config.customerAccess.roleName, key: "org-access:customerAccess.roleName" });
    }
    const access = config.access;
    if (config.deployIdentity && access) {
        const key = "org-access:deployIdentity";
        roles.push({ ...management, name: DEPLOY_ROLE_NAMES.account, key });
        roles.push({ accountId: access.account.id, accountName: access.account.name, name: DEPLOY_ROLE_NAMES.access, key });
        for (const member of org.members.filter((m) => m.id !== access.account.id)) {
            roles.push({ accountId: member.id, accountName: member.name, name: DEPLOY_ROLE_NAMES.account, key });
        }
    }
    if (access) {
        for (const member of org.members) {
            roles.push({
                accountId: member.id,
                accountName: member.name,
                name: org.deployRoleName,
                key: "org-access:organization.deployRoleName",
            });
        }
        access.teams.forEach((team, i) => {
            const key = access.preview && team.name === access.preview.team ? "org-access:previewRole" : `org-access:teams[${i}].name`;
            roles.push({ accountId: access.account.id, accountName: access.account.name, name: team.name, key });
        });
        access.roles.forEach((role, i) => {
            const key = access.preview && role.name === access.preview.role ? "org-access:previewRole" : `org-access:roles[${i}].name`;
            for (const account of role.accounts) {
                roles.push({ accountId: account.id, accountName: account.name, name: role.name, key });
            }
        });
    }
    return roles;
}

/** Throws on the first role whose name another role already has in the same account. */
export function checkRoleNames(config: StackConfig): void {
    const seen = new Map<string, PlannedRole>();
    for (const role of plannedRoles(config)) {
        const id = `${role.accountId}/${role.name.toLowerCase()}`;
        const first = seen.get(id);
        if (first !== undefined && first.key !== role.key) {
            throw new ConfigError(
                role.key,
                `${show(role.name)} collides with the role of ${first.key} (${show(first.name)}) in account ${role.accountName} (${role.accountId}); IAM role names are unique per account, regardless of case`,
            );
        }
        seen.set(id, first ?? role);
    }
}
