import { ConfigError, show } from "../errors";
import { Account, Organization, resolveMembers } from "../organization";
import { managedPolicyArnIn, managedPolicyArnsIn } from "../managed-policies";
import { IAM_NAME, ROLE_SESSION_SECONDS } from "../patterns";
import { ConfigValue } from "../reader";
import * as P from "./patterns";
import { GrantSpec, MemberRoleSpec, Team } from "./types";

export function parseMemberRole(value: ConfigValue, org: Organization, access: Account, teams: readonly Team[]): MemberRoleSpec {
    const r = value.object([
        "name",
        "teams",
        "accounts",
        "grants",
        "managedPolicyArns",
        "maxSessionDuration",
        "externalId",
        "permissionsBoundary",
        "description",
        "requireSourceIdentity",
    ]);
    const name = r.required("name").string(IAM_NAME.pattern, IAM_NAME.what);
    const grantsValue = r.field("grants");
    let grants: GrantSpec[];
    if (grantsValue.present) {
        for (const shorthand of ["teams", "accounts"]) {
            if (r.field(shorthand).present) {
                r.field(shorthand).fail("is set together with grants; use grants alone (teams + accounts is the one-grant shorthand)");
            }
        }
        grants = grantsValue.array().map((g) => {
            const o = g.object(["teams", "accounts"]);
            return parseGrant(o.required("teams"), o.required("accounts"), org, access, teams);
        });
        if (grants.length === 0) {
            grantsValue.fail("needs at least one grant");
        }
        // One team in one account is granted once: a repeat says the same thing twice.
        const seen = new Map<string, number>();
        grants.forEach((g, i) => {
            for (const t of g.teams) {
                for (const a of g.accounts) {
                    const first = seen.get(`${t}\u0000${a.id}`);
                    if (first !== undefined && first !== i) {
                        throw new ConfigError(
                            `${grantsValue.key}[${i}]`,
                            `grants team ${show(t)} in account ${show(a.name)} again (also at [${first}])`,
                        );
                    }
                    seen.set(`${t}\u0000${a.id}`, i);
                }
            }
        });
    } else {
        grants = [parseGrant(r.required("teams"), r.required("accounts"), org, access, teams)];
    }
    const teamNames = [...new Set(grants.flatMap((g) => g.teams))];
    const byId = new Map<string, Account>();
    grants.flatMap((g) => g.accounts).forEach((a) => byId.set(a.id, a));
    const accounts = [...byId.values()];
    const managedPolicyArns = r.optional("managedPolicyArns", (m) => managedPolicyArnsIn(m, org.partition)) ?? [];
    if (managedPolicyArns.length > 10) {
        r.field("managedPolicyArns").fail(`lists ${managedPolicyArns.length} policies; IAM attaches at most 10 to a role`);
    }
    const maxSessionDuration =
        r.optional("maxSessionDuration", (m) => m.integer(ROLE_SESSION_SECONDS.min, ROLE_SESSION_SECONDS.max)) ?? ROLE_SESSION_SECONDS.min;
    const externalId = r.optional("externalId", (e) => e.string(P.EXTERNAL_ID.pattern, P.EXTERNAL_ID.what));
    const permissionsBoundary = r.optional("permissionsBoundary", (b) => managedPolicyArnIn(b, org.partition));
    const description = r.optional("description", (d) => d.string(/^[^\n]{1,1000}$/, "one line of at most 1000 characters"));
    const requireSourceIdentity = r.optional("requireSourceIdentity", (v) => v.boolean()) ?? false;
    return {
        name,
        grants,
        teams: teamNames,
        accounts,
        managedPolicyArns,
        maxSessionDuration,
        externalId,
        permissionsBoundary,
        description,
        requireSourceIdentity,
    };
}

function parseGrant(
    teamsValue: ConfigValue,
    accountsValue: ConfigValue,
    org: Organization,
    access: Account,
    teams: readonly Team[],
): GrantSpec {
    const teamNames = teamsValue.stringList();
    if (teamNames.length === 0) {
        teamsValue.fail("needs at least one team");
    }
    teamNames.forEach((n, i) => {
        if (!teams.some((t) => t.name === n)) {
            throw new ConfigError(`${teamsValue.key}[${i}]`, `unknown team ${show(n)} (not in org-access:teams)`);
        }
    });
    return { teams: teamNames, accounts: parseAccounts(accountsValue, org, access), key: accountsValue.key };
}

/** The teams a member role admits in one account: those of every grant that names the account. */
export function teamsInAccount(role: MemberRoleSpec, accountId: string): string[] {
    return [...new Set(role.grants.filter((g) => g.accounts.some((a) => a.id === accountId)).flatMap((g) => g.teams))];
}

/** The accounts in which a member role admits a team, in first-seen order. */
export function accountsOfTeam(role: MemberRoleSpec, team: string): Account[] {
    const byId = new Map<string, Account>();
    role.grants
        .filter((g) => g.teams.includes(team))
        .flatMap((g) => g.accounts)
        .forEach((a) => byId.set(a.id, a));
    return [...byId.values()];
}

/**
 * `"*"`: every member account but the access account; or a list of member
 * accounts by name, id, `{ ou }` or `{ tag }` (config/organization.ts `resolveMembers`).
 */
export function parseAccounts(value: ConfigValue, org: Organization, access: Account): Account[] {
    if (value.raw === "*") {
        return org.members.filter((a) => a.id !== access.id);
    }
    if (typeof value.raw === "string") {
        value.fail(`expected "*" or a list of member accounts, got ${show(value.raw)}`);
    }
    const list = resolveMembers(org, value);
    if (list.length === 0) {
        value.fail(`is empty; use "*" for every member account`);
    }
    return list;
}
