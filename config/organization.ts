import { ConfigError, show } from "./errors";
import { parsePartition, Partition } from "./partition";
import { ACCOUNT_ID, ACCOUNT_NAME, IAM_NAME, MANAGEMENT_ACCOUNT_NAME, ORGANIZATIONAL_UNIT_ID, ORGANIZATION_ID, ROOT_ID } from "./patterns";

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
    /** Organizational unit path, `workloads/prod` (a bare name is a one-level path); selects it with `{ ou: ... }`. */
    readonly ou?: string;
    /** Tags, selected with `{ tag: { key: value } }`. */
    readonly tags?: Readonly<Record<string, string>>;
}

/** An OU path: names of 1-128 of A-Z a-z 0-9 _ . - and spaces, joined by `/`. */
const OU_PATH = {
    pattern: /^[\w.-][\w .-]{0,127}(\/[\w.-][\w .-]{0,127})*$/,
    what: "an organizational unit name or path (workloads/prod)",
} as const;
/** AWS Organizations tag keys and values (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Tag.html). */
const TAG_KEY = { pattern: /^[\w.:/=+@ -]{1,128}$/, what: "a tag key (1-128 characters)" } as const;
const TAG_VALUE = { pattern: /^[\w.:/=+@ -]{0,256}$/, what: "a tag value (0-256 characters)" } as const;

/** An organizational unit's path, as accounts carry it in `ou`, and its AWS id. */
export interface OrganizationalUnit {
    readonly path: string;
    /** `ou-…-…`, as AWS Organizations names it. */
    readonly id: string;
}

export interface Organization {
    /** AWS Organizations id, `o-…`. */
    readonly id: string;
    /** The organization's root (`r-…`), where organization policies and stack sets may target every account. */
    readonly rootId?: string;
    /**
     * The ids of the OU paths accounts carry in `ou`: what StackSets and
     * organization policies target. Empty when config names none; when it
     * names any, every account's `ou` has one.
     */
    readonly organizationalUnits: readonly OrganizationalUnit[];
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
    const o = value.object([
        "id",
        "managementAccountId",
        "deployRoleName",
        "managementDeployRoleName",
        "accounts",
        "externalPrincipals",
        "partition",
        "rootId",
        "organizationalUnits",
    ]);
    const id = o.required("id").string(ORGANIZATION_ID.pattern, ORGANIZATION_ID.what);
    const rootId = o.optional("rootId", (v) => v.string(ROOT_ID.pattern, ROOT_ID.what));
    const managementAccountId = o.required("managementAccountId").string(ACCOUNT_ID.pattern, ACCOUNT_ID.what);
    const deployRoleName = o.optional("deployRoleName", (v) => v.string(IAM_NAME.pattern, IAM_NAME.what)) ?? DEFAULT_DEPLOY_ROLE_NAME;
    const managementDeployRoleName = o.optional("managementDeployRoleName", (v) => v.string(IAM_NAME.pattern, IAM_NAME.what));

    const partition = parsePartition(o.field("partition"));
    const accountsValue = o.required("accounts");
    const members = accountsValue.array().map((item): Account => {
        const a = item.object(["name", "id", "ou", "tags"]);
        const name = a.required("name").string(ACCOUNT_NAME.pattern, ACCOUNT_NAME.what);
        if (name === MANAGEMENT_ACCOUNT_NAME) {
            a.field("name").fail(`${show(name)} is reserved for the management account`);
        }
        const accountId = a.required("id").string(ACCOUNT_ID.pattern, ACCOUNT_ID.what);
        if (accountId === managementAccountId) {
            a.field("id").fail(`${show(accountId)} is the management account, which is not a member account`);
        }
        const ou = a.optional("ou", (v) => v.string(OU_PATH.pattern, OU_PATH.what));
        const tags = a.optional("tags", (v) => parseTags(v));
        return { name, id: accountId, ...(ou !== undefined ? { ou } : {}), ...(tags !== undefined ? { tags } : {}) };
    });
    assertUnique(accountsValue, members, (a) => a.name, "account name");
    assertUnique(accountsValue, members, (a) => a.id, "account id");
    const organizationalUnits = parseOrganizationalUnits(o.field("organizationalUnits"));
    if (organizationalUnits.length > 0) {
        accountsValue.array().forEach((item, index) => {
            const ou = members[index].ou;
            if (ou !== undefined && !organizationalUnits.some((unit) => unit.path === ou)) {
                item.object(["name", "id", "ou", "tags"])
                    .field("ou")
                    .fail(`${show(ou)} has no id in org-access:organization.organizationalUnits (add { path: ${ou}, id: ou-… })`);
            }
        });
    }

    const externalValue = o.field("externalPrincipals");
    const externalPrincipals = externalValue.present ? externalValue.stringList(EXTERNAL_PRINCIPAL.pattern, EXTERNAL_PRINCIPAL.what) : [];
    return {
        id,
        ...(rootId !== undefined ? { rootId } : {}),
        organizationalUnits,
        management: { name: MANAGEMENT_ACCOUNT_NAME, id: managementAccountId },
        members,
        deployRoleName,
        managementDeployRoleName,
        externalPrincipals,
        partition,
    };
}

/** `organizationalUnits`: a list of `{ path, id }`, each path and each id once. */
function parseOrganizationalUnits(value: ConfigValue): OrganizationalUnit[] {
    if (!value.present) {
        return [];
    }
    const units = value.array().map((item): OrganizationalUnit => {
        const u = item.object(["path", "id"]);
        return {
            path: u.required("path").string(OU_PATH.pattern, OU_PATH.what),
            id: u.required("id").string(ORGANIZATIONAL_UNIT_ID.pattern, ORGANIZATIONAL_UNIT_ID.what),
        };
    });
    assertUnique(value, units, (u) => u.path, "organizational unit path");
    assertUnique(value, units, (u) => u.id, "organizational unit id");
    return units;
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

/**
 * Member accounts selected by config: `"*"` (every member account), or a list
 * whose items are account names or ids, `{ ou: "workloads/prod" }` (accounts
 * in that OU or under it) or `{ tag: { key: value, ... } }` (accounts carrying
 * every one of those tags). Each account at most once: naming one account
 * twice is an error, selectors that overlap select it once. A selector that
 * selects nothing is an error, naming its key and value.
 */
export function resolveMembers(org: Organization, list: ConfigValue): Account[] {
    if (list.raw === "*") {
        return [...org.members];
    }
    const named: { at: ConfigValue; account: Account }[] = [];
    const selected = new Map<string, Account>();
    for (const item of list.array()) {
        if (typeof item.raw === "object" && item.raw !== null && !Array.isArray(item.raw)) {
            selectAccounts(org, item).forEach((a) => selected.set(a.id, a));
        } else {
            const account = resolveMember(org, item);
            named.push({ at: item, account });
            selected.set(account.id, account);
        }
    }
    assertUnique(
        list,
        named.map((n) => n.account),
        (a) => a.name,
        "account",
    );
    return [...selected.values()];
}

/** The member accounts one selector (`{ ou }` or `{ tag }`) picks; an error when it picks none. */
/** Is an account of OU path `ou` in the organizational unit at `path`, or in one below it? */
export function inOrganizationalUnit(ou: string | undefined, path: string): boolean {
    return ou !== undefined && (ou === path || ou.startsWith(`${path}/`));
}

export function selectAccounts(org: Organization, item: ConfigValue): Account[] {
    const o = item.object(["ou", "tag"]);
    const ouValue = o.field("ou");
    const tagValue = o.field("tag");
    if (ouValue.present === tagValue.present) {
        item.fail("needs exactly one of ou or tag");
    }
    if (ouValue.present) {
        const ou = ouValue.string(OU_PATH.pattern, OU_PATH.what);
        const inOu = (a: Account) => inOrganizationalUnit(a.ou, ou);
        if (![org.management, ...org.members].some(inOu)) {
            ouValue.fail(`unknown organizational unit ${show(ou)} (no account of org-access:organization.accounts is in it or under it)`);
        }
        const found = org.members.filter(inOu);
        if (found.length === 0) {
            ouValue.fail(`organizational unit ${show(ou)} selects no member account`);
        }
        return found;
    }
    const wanted = parseTags(tagValue);
    const pairs = Object.entries(wanted);
    if (pairs.length === 0) {
        tagValue.fail("needs at least one key: value");
    }
    for (const [key] of pairs) {
        if (![org.management, ...org.members].some((a) => a.tags?.[key] !== undefined)) {
            new ConfigValue(`${tagValue.key}.${key}`, wanted[key]).fail(
                `unknown tag ${show(key)} (no account of org-access:organization.accounts carries it)`,
            );
        }
    }
    const found = org.members.filter((a) => pairs.every(([k, v]) => a.tags?.[k] === v));
    if (found.length === 0) {
        tagValue.fail(`${pairs.map(([k, v]) => `${k}=${v}`).join(", ")} selects no member account`);
    }
    return found;
}

function parseTags(value: ConfigValue): Record<string, string> {
    const keys = typeof value.raw === "object" && value.raw !== null && !Array.isArray(value.raw) ? Object.keys(value.raw) : [];
    const o = value.object(keys);
    const tags: Record<string, string> = {};
    for (const key of keys) {
        if (!TAG_KEY.pattern.test(key)) {
            o.field(key).fail(`${show(key)} is not ${TAG_KEY.what}`);
        }
        const v = o.field(key);
        if (typeof v.raw !== "string" || !TAG_VALUE.pattern.test(v.raw)) {
            v.fail(`expected ${TAG_VALUE.what}, got ${show(v.raw)}`);
        }
        tags[key] = v.raw as string;
    }
    return tags;
}

/** Finds any account of the organization, the management account included. */
export function resolveAnyAccount(org: Organization, ref: ConfigValue): Account {
    const key = ref.string();
    if (key === org.management.name || key === org.management.id) {
        return org.management;
    }
    return resolveMember(org, ref);
}
