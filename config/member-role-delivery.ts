/**
 * How member roles reach their accounts (`org-access:memberRoleDelivery`):
 *
 * - `providers` (the default): one `aws.Provider` per member account, and the roles registered through it.
 * - `stacksets`: service-managed CloudFormation stack sets, administered from the management account, with
 *   automatic deployment to the organizational units the roles' accounts are in. One provider serves any
 *   number of accounts, and an account added to a targeted OU gets its roles from CloudFormation, not from
 *   a deploy (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html).
 *
 * A stack set reaches whole OUs (and the OUs under them), never the management account
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html). So under
 * `stacksets` config must say what the stack sets will do: every account a role lands in has an `ou` with an
 * id, and every account of a targeted OU gets the role with the same teams. This file works out the stack
 * sets from the validated config, splitting at CloudFormation's limits (config/cloudformation-quotas.ts),
 * and fails on the first account that breaks that, naming the key.
 */
import { createHash } from "crypto";
import { STACK_SET_QUOTAS } from "./cloudformation-quotas";
import { ConfigError, show } from "./errors";
import { Account, inOrganizationalUnit, Organization, OrganizationalUnit } from "./organization";
import { ConfigValue } from "./reader";
import { teamsInAccount } from "./access/member-roles";
import { MemberRoleSpec } from "./access/types";

export const MEMBER_ROLE_DELIVERIES = ["providers", "stacksets"] as const;
export type MemberRoleDelivery = (typeof MEMBER_ROLE_DELIVERIES)[number];

export const MEMBER_ROLE_DELIVERY_KEY = "org-access:memberRoleDelivery";

export function parseMemberRoleDelivery(value: ConfigValue): MemberRoleDelivery {
    if (!value.present) {
        return "providers";
    }
    const raw = value.raw;
    if (typeof raw !== "string" || !(MEMBER_ROLE_DELIVERIES as readonly string[]).includes(raw)) {
        value.fail(`expected one of ${MEMBER_ROLE_DELIVERIES.join(", ")}, got ${show(raw)}`);
    }
    return raw as MemberRoleDelivery;
}

/** One stack set: a member role, with one trust, into the accounts of some organizational units. */
export interface StackSetTarget {
    /** The CloudFormation stack set name, and the key of its resources: the role and its first OU's id, stable as OUs come and go. */
    readonly name: string;
    /** The member role (`org-access:roles[].name`) it deploys. */
    readonly role: string;
    /** The teams its trust admits, as in every account it reaches. */
    readonly teams: readonly string[];
    /** Where it deploys; none is under another. At most `organizationalUnitsPerOperation`. */
    readonly organizationalUnits: readonly OrganizationalUnit[];
    /** The member accounts it reaches, from config's accounts and OUs: exactly those the role is granted in with these teams. */
    readonly accounts: readonly Account[];
    /** Account ids of the targeted OUs it leaves out: the access account, when the role is not granted there. */
    readonly excludedAccounts: readonly string[];
}

/** The member accounts a stack set targeting `path` reaches: those in it or under it (never the management account). */
function reachOf(org: Organization, path: string): Account[] {
    return org.members.filter((a) => inOrganizationalUnit(a.ou, path));
}

/** A stack set name: letters, digits and hyphens, starting with a letter, at most 128 characters. */
function stackSetName(role: string, first: OrganizationalUnit): string {
    const slug = role.replace(/[^A-Za-z0-9-]/g, "-");
    const tag = slug === role ? "" : `-${createHash("sha256").update(role).digest("hex").slice(0, 6)}`;
    const room = 128 - "org-access-".length - tag.length - first.id.length - 1;
    return `org-access-${slug.slice(0, room)}${tag}-${first.id}`;
}

/**
 * The stack sets that deliver one member role: one per distinct trust (the teams its grants name in an
 * account), split into chunks of whole OUs within CloudFormation's per-stack-set limits. Throws
 * `ConfigError` at the grant's key when a stack set would reach an account config does not grant the
 * role with the same teams, or when an account cannot be reached at all.
 */
export function roleStackSets(org: Organization, accessAccount: Account, role: MemberRoleSpec): StackSetTarget[] {
    const groups = new Map<string, { teams: string[]; accounts: Account[] }>();
    for (const account of role.accounts) {
        const teams = teamsInAccount(role, account.id);
        const key = teams.join("\u0000");
        const group = groups.get(key) ?? { teams, accounts: [] };
        group.accounts.push(account);
        groups.set(key, group);
    }
    const keyOf = (accounts: (a: Account) => boolean): string =>
        role.grants.find((g) => g.accounts.some(accounts))?.key ?? "org-access:roles";
    const targets: StackSetTarget[] = [];
    for (const { teams, accounts } of groups.values()) {
        const granted = new Set(accounts.map((a) => a.id));
        const unplaced = accounts.find((a) => a.ou === undefined);
        if (unplaced) {
            throw new ConfigError(
                keyOf((a) => a.id === unplaced.id),
                `selects account ${show(unplaced.name)}, which no organizational unit covers under ${MEMBER_ROLE_DELIVERY_KEY} stacksets ` +
                    `(it has no ou in org-access:organization.accounts): give it an ou and select it with { ou: <its OU path> }`,
            );
        }
        const paths = [...new Set(accounts.map((a) => a.ou as string))].sort();
        const tops = paths.filter((p) => !paths.some((q) => q !== p && inOrganizationalUnit(p, q)));
        const units = tops.map((path): { unit: OrganizationalUnit; reached: Account[]; excluded: string[] } => {
            const unit = org.organizationalUnits.find((u) => u.path === path);
            if (unit === undefined) {
                throw new ConfigError(
                    "org-access:organization.organizationalUnits",
                    `has no id for organizational unit ${show(path)}, which ${MEMBER_ROLE_DELIVERY_KEY} stacksets targets (add { path: ${path}, id: ou-… })`,
                );
            }
            const reached: Account[] = [];
            const excluded: string[] = [];
            for (const b of reachOf(org, path)) {
                if (granted.has(b.id)) {
                    reached.push(b);
                } else if (b.id === accessAccount.id) {
                    excluded.push(b.id);
                } else {
                    const other = teamsInAccount(role, b.id);
                    throw new ConfigError(
                        keyOf((a) => granted.has(a.id) && inOrganizationalUnit(a.ou, path)),
                        `under ${MEMBER_ROLE_DELIVERY_KEY} stacksets role ${show(role.name)} reaches every account of organizational unit ` +
                            `${show(path)}, and account ${show(b.name)} there is ${other.length > 0 ? `granted teams ${other.join(", ")}, not ${teams.join(", ")}` : "not granted it"}: ` +
                            `grant the whole OU alike ({ ou: ${path} }), or move ${show(b.name)} to another OU`,
                    );
                }
            }
            const limit = STACK_SET_QUOTAS.instancesPerStackSet;
            if (reached.length > limit.value) {
                throw new ConfigError(
                    keyOf((a) => inOrganizationalUnit(a.ou, path)),
                    `organizational unit ${show(path)} holds ${reached.length} accounts of role ${show(role.name)}, more than CloudFormation's ` +
                        `${limit.value} ${limit.what} (${limit.source}): split it into child OUs`,
                );
            }
            return { unit, reached, excluded };
        });
        // Chunks of whole OUs, in path order, each within the instance and per-operation OU limits.
        let chunk: typeof units = [];
        const flush = () => {
            if (chunk.length === 0) return;
            targets.push({
                name: stackSetName(role.name, chunk[0].unit),
                role: role.name,
                teams,
                organizationalUnits: chunk.map((c) => c.unit),
                accounts: chunk.flatMap((c) => c.reached),
                excludedAccounts: [...new Set(chunk.flatMap((c) => c.excluded))],
            });
            chunk = [];
        };
        for (const u of units) {
            const instances = chunk.reduce((n, c) => n + c.reached.length, 0);
            if (
                instances + u.reached.length > STACK_SET_QUOTAS.instancesPerStackSet.value ||
                chunk.length + 1 > STACK_SET_QUOTAS.organizationalUnitsPerOperation.value
            ) {
                flush();
            }
            chunk.push(u);
        }
        flush();
    }
    return targets;
}

/** Every member role's stack sets, in role order. Checks first that config names OU ids at all. */
export function memberRoleStackSets(
    org: Organization,
    accessAccount: Account,
    roles: readonly MemberRoleSpec[],
    delivery: ConfigValue,
): StackSetTarget[] {
    if (roles.length > 0 && org.organizationalUnits.length === 0) {
        delivery.fail(
            "is stacksets, but org-access:organization.organizationalUnits is empty: stack sets target organizational units by id (add { path, id } for each account's ou)",
        );
    }
    return roles.flatMap((role) => roleStackSets(org, accessAccount, role));
}

/**
 * Under `stacksets` a stack deploys whole stack sets: `deploy.memberAccounts` must select every account of a
 * stack set or none of it. `scope` undefined means every member account.
 */
export function checkStackSetScope(deployKey: string, scope: readonly Account[] | undefined, targets: readonly StackSetTarget[]): void {
    if (scope === undefined) return;
    const selected = new Set(scope.map((a) => a.id));
    for (const t of targets) {
        const inside = t.accounts.find((a) => selected.has(a.id));
        const outside = t.accounts.find((a) => !selected.has(a.id));
        if (inside && outside) {
            throw new ConfigError(
                `${deployKey}.memberAccounts`,
                `selects ${show(inside.name)} but not ${show(outside.name)}, which stack set ${t.name} (role ${show(t.role)}) reaches with it: ` +
                    `under ${MEMBER_ROLE_DELIVERY_KEY} stacksets a stack deploys whole stack sets; select { ou: ${t.organizationalUnits[0].path} }`,
            );
        }
    }
}
