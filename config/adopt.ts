/**
 * `org-access:adopt`: IAM entities that already exist and that this stack's
 * first `pulumi up` should adopt (Pulumi's `import` resource option) instead of
 * failing with `EntityAlreadyExists`. One list per kind, naming entities the way
 * the rest of the config names them, so an adoption is added in one place and
 * removed from one place after the first successful `up` (docs/runbook.md).
 *
 * Adopting something this stack does not create is an error: the import would
 * otherwise be silently ignored, or pulled into the wrong stack.
 */
import { AccessConfig } from "./access";
import { CustomerAccess } from "./customer-access";
import { show } from "./errors";
import { ManagementPreviewRole } from "./management-preview";
import { Account, Organization, resolveMembers } from "./organization";
import { ConfigValue, listOf } from "./reader";

export interface AdoptedMemberRole {
    readonly name: string;
    /** The accounts where the role already exists. */
    readonly accounts: readonly Account[];
}

export interface Adoption {
    /** IAM users of the access account, by name (`identity.users`). */
    readonly users: readonly string[];
    /** IAM groups of the access account, by name. */
    readonly groups: readonly string[];
    /** SAML providers, by their `identity.saml` name. */
    readonly saml: readonly string[];
    /** OIDC providers, by their `identity.oidc` name. */
    readonly oidc: readonly string[];
    /** Team roles in the access account, by team name. */
    readonly teams: readonly string[];
    /** Member roles, each in the accounts where it exists. */
    readonly roles: readonly AdoptedMemberRole[];
    /** The customer role in the management account (stack `mgmt`). */
    readonly customerRole: boolean;
    /** The management account's preview reader (`OrgAccessPreview`, stack `mgmt`). */
    readonly managementPreviewRole: boolean;
}

/** What the stack creates, which adoption is checked against. */
export interface AdoptionScope {
    readonly organization: Organization;
    readonly access?: AccessConfig;
    readonly customerAccess?: CustomerAccess;
    readonly managementPreviewRole?: ManagementPreviewRole;
}

const IDENTITY_KEYS = ["users", "groups", "saml", "oidc", "teams"] as const;

export function parseAdoption(value: ConfigValue, scope: AdoptionScope): Adoption {
    const o = value.object([...IDENTITY_KEYS, "roles", "customerRole", "managementPreviewRole"]);
    const access = scope.access;
    const names = (key: (typeof IDENTITY_KEYS)[number], known: readonly string[], where: string): string[] =>
        o.optional(key, (list) => {
            const wanted = list.stringList();
            wanted.forEach((name, i) => {
                const at: ConfigValue = new ConfigValue(`${list.key}[${i}]`, name);
                if (!access) {
                    at.fail(`${show(name)} cannot be adopted: this stack has no access setup (org-access:accessAccount is not set)`);
                }
                if (!access.deploy.identity) {
                    at.fail(
                        `${show(name)} cannot be adopted here: this stack deploys no identities or team roles (org-access:deploy.identity is false)`,
                    );
                }
                if (!known.includes(name)) {
                    at.fail(`${show(name)} is not created by this stack (not in ${where}); only what the config creates can be adopted`);
                }
            });
            return wanted;
        }) ?? [];
    const users = names("users", access?.identity.users.map((u) => u.name) ?? [], "org-access:identity.users");
    const groups = names("groups", access?.identity.groups ?? [], "the groups of org-access:identity");
    const saml = names("saml", access?.identity.saml.map((p) => p.name) ?? [], "org-access:identity.saml");
    const oidc = names("oidc", access?.identity.oidc.map((p) => p.name) ?? [], "org-access:identity.oidc");
    const teams = names("teams", access?.teams.map((t) => t.name) ?? [], "org-access:teams");
    const roles = listOf(o, "roles", (item) => parseAdoptedRole(item, scope));
    const seen = new Set<string>();
    roles.forEach((r, i) => {
        if (seen.has(r.name)) {
            new ConfigValue(`${o.field("roles").key}[${i}]`, r.name).fail(`duplicate member role ${show(r.name)}; list its accounts once`);
        }
        seen.add(r.name);
    });

    const customerRole = o.optional("customerRole", (v) => v.boolean()) ?? false;
    if (customerRole && !scope.customerAccess) {
        o.field("customerRole").fail(
            "is true, but this stack deploys no customer role (org-access:customerAccess, org-access:deploy.customerAccess)",
        );
    }
    const managementPreviewRole = o.optional("managementPreviewRole", (v) => v.boolean()) ?? false;
    if (managementPreviewRole && !scope.managementPreviewRole) {
        o.field("managementPreviewRole").fail(
            "is true, but this stack deploys no management preview role (org-access:managementPreviewRole, org-access:deploy.managementPreviewRole)",
        );
    }
    return { users, groups, saml, oidc, teams, roles, customerRole, managementPreviewRole };
}

/** `Name` (in every account this stack deploys it to) or `{name, accounts: [..]}`. */
function parseAdoptedRole(item: ConfigValue, scope: AdoptionScope): AdoptedMemberRole {
    const access = scope.access;
    const bare = typeof item.raw === "string";
    const o = bare ? undefined : item.object(["name", "accounts"]);
    const nameValue: ConfigValue = o ? o.required("name") : item;
    const name = nameValue.string();
    if (!access) {
        nameValue.fail(`${show(name)} cannot be adopted: this stack has no access setup (org-access:accessAccount is not set)`);
    }
    const role = access.roles.find((r) => r.name === name);
    if (!role) {
        nameValue.fail(`${show(name)} is not created by this stack (not in org-access:roles); only what the config creates can be adopted`);
    }
    const scopeIds = access.deploy.memberAccounts?.map((a) => a.id);
    const deployed = role.accounts.filter((a) => scopeIds === undefined || scopeIds.includes(a.id));
    if (!o) {
        if (deployed.length === 0) {
            nameValue.fail(`${show(name)} lands in no account this stack deploys (org-access:deploy.memberAccounts)`);
        }
        return { name, accounts: deployed };
    }
    const accountsValue = o.required("accounts");
    const accounts = resolveMembers(scope.organization, accountsValue);
    if (accounts.length === 0) {
        accountsValue.fail(`is empty; omit the role, or write just its name for every account`);
    }
    accounts.forEach((a, i) => {
        if (!deployed.some((d) => d.id === a.id)) {
            const why = role.accounts.some((r) => r.id === a.id)
                ? "this stack does not deploy it there (org-access:deploy.memberAccounts)"
                : "the role does not land there";
            new ConfigValue(`${accountsValue.key}[${i}]`, a.name).fail(`${show(name)} cannot be adopted in ${show(a.name)}: ${why}`);
        }
    });
    return { name, accounts };
}
