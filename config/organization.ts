import { ConfigError, show } from "./errors";
import { parsePartition, Partition } from "./partition";
import { ACCOUNT_ID, ACCOUNT_NAME, IAM_NAME, MANAGEMENT_ACCOUNT_NAME, ORGANIZATION_ID } from "./patterns";

/** An exact IAM role, user or group ARN, for `externalPrincipals`. */
const EXTERNAL_PRINCIPAL = {
    pattern: /^arn:[\w-]+:iam::\d{12}:(role|user|group)\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/,
    what: "an exact IAM role, user or group ARN",
} as const;
import { assertUnique, ConfigValue } from "./reader";

/** An AWS account this program knows by name. */
export interface Account {
    /** Stable key used in resource names and config references. */
    readonly name: string;
    /** 12-digit AWS account id. */
    readonly id: string;
}

export interface Organization {
    /** AWS Organizations id, `o-…`. */
    readonly id: string;
    /** The management (payer) account, named `management` in config references. */
    readonly management: Account;
    /** Member accounts, in config order. */
    readonly members: readonly Account[];
    /** Role each member-account provider assumes to deploy. */
    readonly deployRoleName: string;
    /** Role the management-account provider assumes; absent means ambient credentials. */
    readonly managementDeployRoleName?: string;
    /**
     * Role, user and group ARNs the user vouches exist outside every stack of
     * the project. The organization plan accepts a trust or group policy naming
     * them; any other principal named by ARN must be created by some stack.
     */
    readonly externalPrincipals: readonly string[];
    /** The AWS partition (`aws`, `aws-us-gov`, `aws-cn`): every ARN, and the sign-in and console endpoints. */
    readonly partition: Partition;
}

export const DEFAULT_DEPLOY_ROLE_NAME = "OrganizationAccountAccessRole";

export function parseOrganization(value: ConfigValue): Organization {
    if (!value.present) {
        value.fail("is required");
    }
    const o = value.object(["id", "managementAccountId", "deployRoleName", "managementDeployRoleName", "accounts", "externalPrincipals", "partition"]);
    const id = o.required("id").string(ORGANIZATION_ID.pattern, ORGANIZATION_ID.what);
    const managementAccountId = o.required("managementAccountId").string(ACCOUNT_ID.pattern, ACCOUNT_ID.what);
    const deployRoleName =
        o.optional("deployRoleName", (v) => v.string(IAM_NAME.pattern, IAM_NAME.what)) ?? DEFAULT_DEPLOY_ROLE_NAME;
    const managementDeployRoleName = o.optional("managementDeployRoleName", (v) =>
        v.string(IAM_NAME.pattern, IAM_NAME.what),
    );

    const partition = parsePartition(o.field("partition"));
    const accountsValue = o.required("accounts");
    const members = accountsValue.array().map((item): Account => {
        const a = item.object(["name", "id"]);
        const name = a.required("name").string(ACCOUNT_NAME.pattern, ACCOUNT_NAME.what);
        if (name === MANAGEMENT_ACCOUNT_NAME) {
            a.field("name").fail(`${show(name)} is reserved for the management account`);
        }
        const accountId = a.required("id").string(ACCOUNT_ID.pattern, ACCOUNT_ID.what);
        if (accountId === managementAccountId) {
            a.field("id").fail(`${show(accountId)} is the management account, which is not a member account`);
        }
        return { name, id: accountId };
    });
    assertUnique(accountsValue, members, (a) => a.name, "account name");
    assertUnique(accountsValue, members, (a) => a.id, "account id");

    const externalValue = o.field("externalPrincipals");
    const externalPrincipals = externalValue.present ? externalValue.stringList(EXTERNAL_PRINCIPAL.pattern, EXTERNAL_PRINCIPAL.what) : [];
    return {
        id,
        management: { name: MANAGEMENT_ACCOUNT_NAME, id: managementAccountId },
        members,
        deployRoleName,
        managementDeployRoleName,
        externalPrincipals,
        partition,
    };
}

/** Finds a member account by name or id; the management account is not a member. */
export function resolveMember(org: Organization, ref: ConfigValue): Account {
    const key = ref.string();
    if (key === org.management.name || key === org.management.id) {
        ref.fail(`${show(key)} is the management account; only member accounts are allowed here`);
    }
    const found = org.members.find((a) => a.name === key || a.id === key);
    if (!found) {
        throw new ConfigError(ref.key, `unknown account ${show(key)} (not in org-access:organization.accounts)`);
    }
    return found;
}

/** A list of member accounts by name or id, each at most once. */
export function resolveMembers(org: Organization, list: ConfigValue): Account[] {
    const accounts = list.array().map((ref) => resolveMember(org, ref));
    assertUnique(list, accounts, (a) => a.name, "account");
    return accounts;
}

/** Finds any account of the organization, the management account included. */
export function resolveAnyAccount(org: Organization, ref: ConfigValue): Account {
    const key = ref.string();
    if (key === org.management.name || key === org.management.id) {
        return org.management;
    }
    return resolveMember(org, ref);
}
