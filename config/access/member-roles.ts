import { ConfigError, show } from "../errors";
import { Account, Organization, resolveMembers } from "../organization";
import { arnIn, arnsIn } from "../partition";
import { IAM_NAME, ROLE_SESSION_SECONDS } from "../patterns";
import { ConfigValue } from "../reader";
import * as P from "./patterns";
import { MemberRoleSpec, Team } from "./types";

export function parseMemberRole(value: ConfigValue, org: Organization, access: Account, teams: readonly Team[]): MemberRoleSpec {
    const r = value.object(["name", "teams", "accounts", "managedPolicyArns", "maxSessionDuration", "externalId", "permissionsBoundary", "description"]);
    const name = r.required("name").string(IAM_NAME.pattern, IAM_NAME.what);
    const teamsValue = r.required("teams");
    const teamNames = teamsValue.stringList();
    if (teamNames.length === 0) {
        teamsValue.fail("needs at least one team");
    }
    teamNames.forEach((n, i) => {
        if (!teams.some((t) => t.name === n)) {
            throw new ConfigError(`${teamsValue.key}[${i}]`, `unknown team ${show(n)} (not in org-access:teams)`);
        }
    });
    const accounts = parseAccounts(r.required("accounts"), org, access);
    const managedPolicyArns = r.optional("managedPolicyArns", (m) => arnsIn(m, P.MANAGED_POLICY_ARN, org.partition)) ?? [];
    if (managedPolicyArns.length > 10) {
        r.field("managedPolicyArns").fail(`lists ${managedPolicyArns.length} policies; IAM attaches at most 10 to a role`);
    }
    const maxSessionDuration = r.optional("maxSessionDuration", (m) => m.integer(ROLE_SESSION_SECONDS.min, ROLE_SESSION_SECONDS.max)) ?? ROLE_SESSION_SECONDS.min;
    const externalId = r.optional("externalId", (e) => e.string(P.EXTERNAL_ID.pattern, P.EXTERNAL_ID.what));
    const permissionsBoundary = r.optional("permissionsBoundary", (b) => arnIn(b, P.MANAGED_POLICY_ARN, org.partition));
    const description = r.optional("description", (d) => d.string(/^[^\n]{1,1000}$/, "one line of at most 1000 characters"));
    return { name, teams: teamNames, accounts, managedPolicyArns, maxSessionDuration, externalId, permissionsBoundary, description };
}

/** `"*"`: every member account but the access account; or a list of member accounts. */
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
