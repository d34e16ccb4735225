import { Account, Organization, resolveMember, resolveMembers } from "./organization";
import { checkArnPartition } from "./partition";
import { IAM_GROUP_NAME, IAM_NAME, PRINCIPAL_ARN } from "./patterns";
import { assertUnique, ConfigValue } from "./reader";

/** An IAM group in a member account whose members may assume the customer role. */
export interface TrustedGroup {
    readonly account: Account;
    readonly name: string;
}

/** Who may assume the customer role. Absent: every member account. */
export interface CustomerTrust {
    readonly accounts: readonly Account[];
    readonly principals: readonly string[];
    readonly groups: readonly TrustedGroup[];
}

export interface CustomerAccess {
    readonly roleName: string;
    readonly maxSessionDuration: number;
    /** Undefined means the organization-wide default. */
    readonly trust?: CustomerTrust;
}

export const DEFAULT_CUSTOMER_ROLE_NAME = "PumpCustomerAccess";
export const MIN_SESSION_SECONDS = 3600;
export const MAX_SESSION_SECONDS = 43200;

export function parseCustomerAccess(value: ConfigValue, org: Organization): CustomerAccess {
    const o = value.object(["roleName", "maxSessionDuration", "trust"]);
    const roleName = o.optional("roleName", (v) => v.string(IAM_NAME.pattern, IAM_NAME.what)) ?? DEFAULT_CUSTOMER_ROLE_NAME;
    const maxSessionDuration =
        o.optional("maxSessionDuration", (v) => v.integer(MIN_SESSION_SECONDS, MAX_SESSION_SECONDS)) ??
        MIN_SESSION_SECONDS;
    const trust = o.optional("trust", (v) => parseCustomerTrust(v, org));
    return { roleName, maxSessionDuration, trust };
}

function parseCustomerTrust(value: ConfigValue, org: Organization): CustomerTrust {
    const t = value.object(["accounts", "principals", "groups"]);
    const accounts = t.optional("accounts", (v) => resolveMembers(org, v)) ?? [];
    const principals = t.optional("principals", (v) => {
        const arns = v.stringList(PRINCIPAL_ARN.pattern, PRINCIPAL_ARN.what);
        arns.forEach((arn, i) => {
            checkArnPartition(new ConfigValue(`${v.key}[${i}]`, arn), arn, org.partition);
            if (arn.split(":")[4] === org.management.id) {
                new ConfigValue(`${v.key}[${i}]`, arn).fail(
                    `${JSON.stringify(arn)} is in the management account; the customer role admits member-account principals only`,
                );
            }
        });
        return arns;
    }) ?? [];
    const groups = t.optional("groups", (v) => {
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
    if (accounts.length + principals.length + groups.length === 0) {
        value.fail("names no accounts, principals or groups; remove it to trust every member account");
    }
    return { accounts, principals, groups };
}
