import { Account, Organization, resolveMember, resolveMembers } from "./organization";
import { checkArnPartition } from "./partition";
import { ROLE_SESSION_SECONDS, IAM_GROUP_NAME, IAM_NAME, PRINCIPAL_ARN } from "./patterns";
import { show } from "./errors";
import { assertUnique, ConfigValue } from "./reader";
import { parseArn } from "../policy-pack/arns";

/** An IAM group in a member account whose members may assume the customer role. */
export interface TrustedGroup {
    readonly account: Account;
    readonly name: string;
}

/**
 * Whose sessions must carry MFA to assume the customer role (`customerAccess.trust.requireMfa`).
 * `iam-users` (the default): IAM users only, whose long-term access keys carry no MFA at all;
 * role sessions get in as they are. `everyone`: role sessions too, so only sessions whose
 * credentials were issued with MFA get in.
 */
export type MfaRequirement = "iam-users" | "everyone";
export const MFA_REQUIREMENTS: readonly MfaRequirement[] = ["iam-users", "everyone"];

/**
 * Who may assume the customer role. Absent, or naming no accounts, principals or groups: every
 * member account (a principal there also needs `sts:AssumeRole` of its own).
 */
export interface CustomerTrust {
    readonly accounts: readonly Account[];
    readonly principals: readonly string[];
    readonly groups: readonly TrustedGroup[];
    readonly requireMfa: MfaRequirement;
}

/** The trust of a config without `customerAccess.trust`: every member account, MFA for IAM users. */
export const DEFAULT_CUSTOMER_TRUST: CustomerTrust = { accounts: [], principals: [], groups: [], requireMfa: "iam-users" };

/** Does this trust admit every member account (it names no accounts, principals or groups)? */
export function trustsEveryMemberAccount(trust: CustomerTrust): boolean {
    return trust.accounts.length + trust.principals.length + trust.groups.length === 0;
}

/**
 * The service role an AWS Config organization aggregator runs on (`OrganizationAggregationSource.RoleArn`),
 * created by the stack that deploys the customer role, which may pass it to Config and nothing else.
 * A fixed name and path, so the customer role's policies name it exactly; `service-role/` is where
 * AWS puts the roles its consoles create for services.
 */
export const CONFIG_AGGREGATOR_ROLE = { name: "OrgAccessConfigAggregator", path: "/service-role/" } as const;

export interface CustomerAccess {
    readonly roleName: string;
    readonly maxSessionDuration: number;
    /** `DEFAULT_CUSTOMER_TRUST` when config has no `trust`. */
    readonly trust: CustomerTrust;
    /** The `~/.aws/config` profile of the user's member-account credentials, which the generated profile chains from. */
    readonly sourceProfile: string;
    /** The region of the generated profile (the stack's `aws:region`). */
    readonly region: string;
}

export const DEFAULT_CUSTOMER_ROLE_NAME = "PumpCustomerAccess";
/** The profile name the generated customer profile chains from unless `sourceProfile` names another. */
export const DEFAULT_SOURCE_PROFILE = "default";
/** A `~/.aws/config` profile name: no spaces or brackets, which would break the file. */
const PROFILE_NAME = { pattern: /^[\w+=,.@-]{1,64}$/, what: "a profile name (1-64 of A-Z a-z 0-9 +=,.@_-)" } as const;

export function parseCustomerAccess(value: ConfigValue, org: Organization, region = "us-east-1"): CustomerAccess {
    const o = value.object(["roleName", "maxSessionDuration", "trust", "sourceProfile"]);
    const sourceProfile = o.optional("sourceProfile", (v) => v.string(PROFILE_NAME.pattern, PROFILE_NAME.what)) ?? DEFAULT_SOURCE_PROFILE;
    const roleName = o.optional("roleName", (v) => v.string(IAM_NAME.pattern, IAM_NAME.what)) ?? DEFAULT_CUSTOMER_ROLE_NAME;
    const maxSessionDuration =
        o.optional("maxSessionDuration", (v) => v.integer(ROLE_SESSION_SECONDS.min, ROLE_SESSION_SECONDS.max)) ?? ROLE_SESSION_SECONDS.min;
    const trust = o.optional("trust", (v) => parseCustomerTrust(v, org)) ?? DEFAULT_CUSTOMER_TRUST;
    return { roleName, maxSessionDuration, trust, sourceProfile, region };
}

function parseCustomerTrust(value: ConfigValue, org: Organization): CustomerTrust {
    const t = value.object(["accounts", "principals", "groups", "requireMfa"]);
    const requireMfa =
        t.optional("requireMfa", (v): MfaRequirement => {
            const found = MFA_REQUIREMENTS.find((m) => m === v.raw);
            return found ?? v.fail(`expected ${MFA_REQUIREMENTS.join(" or ")}, got ${show(v.raw)}`);
        }) ?? "iam-users";
    const accounts = t.optional("accounts", (v) => resolveMembers(org, v)) ?? [];
    const principals =
        t.optional("principals", (v) => {
            const arns = v.stringList(PRINCIPAL_ARN.pattern, PRINCIPAL_ARN.what);
            arns.forEach((arn, i) => {
                checkArnPartition(new ConfigValue(`${v.key}[${i}]`, arn), arn, org.partition);
                const accountId = parseArn(arn)?.account;
                if (accountId === org.management.id) {
                    new ConfigValue(`${v.key}[${i}]`, arn).fail(
                        `${JSON.stringify(arn)} is in the management account; the customer role admits member-account principals only`,
                    );
                }
                if (!org.members.some((a) => a.id === accountId)) {
                    new ConfigValue(`${v.key}[${i}]`, arn).fail(
                        `${JSON.stringify(arn)} is in account ${accountId}, which is not in org-access:organization.accounts; the customer role admits principals of the organization only`,
                    );
                }
            });
            return arns;
        }) ?? [];
    const groups =
        t.optional("groups", (v) => {
            const list = v.array().map((item): TrustedGroup => {
                const g = item.object(["account", "name"]);
                return {
                    account: resolveMember(org, g.required("account")),
                    name: g.required("name").string(IAM_GROUP_NAME.pattern, IAM_GROUP_NAME.what),
                };
            });
            assertUnique(v, list, (g) => `${g.account.id}/${g.name}`, "group");
            return list;
        }) ?? [];
    if (accounts.length + principals.length + groups.length === 0 && !t.field("requireMfa").present) {
        value.fail("names no accounts, principals or groups, nor requireMfa; remove it to trust every member account");
    }
    return { accounts, principals, groups, requireMfa };
}
