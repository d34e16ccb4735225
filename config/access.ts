import * as fs from "fs";
import * as path from "path";
import { ConfigError, show } from "./errors";
import { roleArn } from "../iam/arns";
import { MANAGEMENT_PREVIEW_ROLE_NAME } from "./management-preview";
import { Account, Organization, resolveAnyAccount, resolveMember, resolveMembers } from "./organization";
import { IAM_GROUP_NAME, IAM_NAME, REGION } from "./patterns";
import { assertUnique, ConfigObject, ConfigValue } from "./reader";
import { samlMetadataProblem } from "./saml-metadata";

/**
 * The administrative access account (stack `access`): the one account that
 * authenticates people and CI and lets them into the others. Everything here is
 * validated before the first resource is registered.
 */
export interface AccessConfig {
    /** The access account; a member account, never the management account. */
    readonly account: Account;
    /** Distinct regions; the first is the profiles' region. Default: the stack's `aws:region`. */
    readonly regions: readonly string[];
    readonly identity: Identity;
    /** Team roles in the access account, the preview team included. */
    readonly teams: readonly Team[];
    /** Roles in member accounts, trusted from team roles, the preview role included. */
    readonly roles: readonly MemberRoleSpec[];
    readonly identityCenter?: IdentityCenterSpec;
    readonly preview?: PreviewSpec;
    /** What this stack deploys of the above: the whole access setup, or a shard of it. */
    readonly deploy: DeployScope;
}

/**
 * Lets one organization's access setup be split across stacks: the `access`
 * stack deploys identities and team roles, and any number of shard stacks
 * deploy member roles into their share of the accounts. Every stack reads the
 * same teams and roles, so trust policies name the same team role ARNs, built
 * from the access account id and team names: no cross-stack lookups, and
 * known at preview.
 */
export interface DeployScope {
    /** Users, groups, federation providers, team roles and Identity Center. */
    readonly identity: boolean;
    /** Member accounts whose member roles this stack deploys; undefined means all. */
    readonly memberAccounts?: readonly Account[];
}

export interface Identity {
    readonly users: readonly IamUserSpec[];
    /** Every IAM group: those users are in, plus `identity.groups`. Sorted. */
    readonly groups: readonly string[];
    readonly saml: readonly SamlProviderSpec[];
    readonly oidc: readonly OidcProviderSpec[];
    /** Upper bound on `aws:MultiFactorAuthAge` in team trust policies, in seconds. */
    readonly mfaMaxAgeSeconds: number;
    /** Until when (ISO 8601, UTC) users without MFA may enrol a device; absent: never (see docs/lifecycle.md). */
    readonly mfaEnrolmentUntil?: string;
}

export interface IamUserSpec {
    readonly name: string;
    readonly groups: readonly string[];
    /** Console password: created with `passwordResetRequired`, encrypted with `pgpKey` when given. */
    readonly loginProfile?: { readonly pgpKey?: string };
}

export interface SamlProviderSpec {
    readonly name: string;
    /** The IdP's metadata XML (read from `metadataFile` when the config names one). */
    readonly metadata: string;
}

export interface OidcProviderSpec {
    readonly name: string;
    /** `https://host[/path]`, as the IdP issues tokens. */
    readonly url: string;
    /** The URL without `https://`: the provider ARN suffix and the condition-key prefix. */
    readonly host: string;
    readonly clientIds: readonly string[];
    readonly thumbprints: readonly string[];
}

export interface OidcTrust {
    /** Name of an `identity.oidc` provider. */
    readonly provider: string;
    /** Exact `sub` values, or patterns whose wildcards sit after the second `:`. */
    readonly subjects: readonly string[];
}

export interface Team {
    /** Also the IAM role name in the access account. */
    readonly name: string;
    /** IAM groups whose users (with MFA) may assume the team role. */
    readonly groups: readonly string[];
    /** SAML providers that may federate into the team role. */
    readonly saml: readonly string[];
    readonly oidc: readonly OidcTrust[];
    /** Permission sets whose reserved roles in the access account may assume the team role. */
    readonly identityCenter: readonly string[];
    readonly maxSessionDuration: number;
}

export interface MemberRoleSpec {
    /** IAM role name in every account it lands in. */
    readonly name: string;
    readonly teams: readonly string[];
    readonly accounts: readonly Account[];
    readonly managedPolicyArns: readonly string[];
    /** Program-defined inline policies (the preview role's data-read guard); not config. */
    readonly inlinePolicies?: Readonly<Record<string, object>>;
    readonly maxSessionDuration: number;
    readonly externalId?: string;
    readonly permissionsBoundary?: string;
    readonly description?: string;
}

export interface PermissionSetSpec {
    readonly name: string;
    /** ISO 8601 duration, `PT1H` to `PT12H`. */
    readonly sessionDuration: string;
    readonly managedPolicyArns: readonly string[];
    /** A policy document from config, merged with the statement that lets the set assume its teams. */
    readonly inlinePolicy?: { readonly Version: string; readonly Statement: readonly object[] };
}

export interface AssignmentSpec {
    readonly permissionSet: string;
    /** Identity store group id. */
    readonly group: string;
    readonly accounts: readonly Account[];
}

export interface IdentityCenterSpec {
    /** Where Identity Center is administered: the management account or a delegated admin. */
    readonly account: Account;
    /** Identity Center's home region (single-region by nature). */
    readonly region: string;
    readonly instanceArn: string;
    readonly startUrl: string;
    readonly permissionSets: readonly PermissionSetSpec[];
    readonly assignments: readonly AssignmentSpec[];
}

export interface PreviewSpec {
    /** `owner/repo` whose pull requests may preview. */
    readonly repository: string;
    /** Name of the `identity.oidc` provider GitHub tokens come from. */
    readonly provider: string;
    readonly team: string;
    readonly role: string;
    /** The mgmt stack's read-only role (org-access:managementPreviewRole), which the preview team may also assume. */
    readonly managementReaderArn: string;
}

export const DEFAULT_MFA_MAX_AGE_SECONDS = 14400;
export const PREVIEW_TEAM_NAME = "org-access-preview";
export const PREVIEW_MEMBER_ROLE_NAME = "OrgAccessPreview";
export const READ_ONLY_ACCESS_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const MIN_SESSION = 3600;
const MAX_SESSION = 43200;

const SAML_NAME = { pattern: /^[\w.-]{1,128}$/, what: "a SAML provider name (1-128 of A-Z a-z 0-9 . _ -)" } as const;
const OIDC_URL = { pattern: /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[\w.~-]+)*$/, what: "an https issuer URL with no trailing slash" } as const;
const CLIENT_ID = { pattern: /^[^\s*]{1,255}$/, what: "an OIDC client id (audience) without wildcards" } as const;
const THUMBPRINT = { pattern: /^[0-9a-fA-F]{40}$/, what: "a 40-hex-digit certificate thumbprint" } as const;
const MANAGED_POLICY_ARN = {
    pattern: /^arn:aws:iam::(aws|\d{12}):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/,
    what: "a managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<12 digits>:policy/<name>)",
} as const;
const EXTERNAL_ID = { pattern: /^[\w+=,.@:/-]{2,1224}$/, what: "an external id (2-1224 of A-Z a-z 0-9 +=,.@:/_-)" } as const;
const INSTANCE_ARN = { pattern: /^arn:aws:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, what: "an Identity Center instance ARN (arn:aws:sso:::instance/ssoins-<16>)" } as const;
const START_URL = { pattern: /^https:\/\/[\w.-]+(\/[\w.-]+)*\/?$/, what: "an https start URL" } as const;
const SESSION_DURATION = { pattern: /^PT([1-9]|1[0-2])H$/, what: "an ISO 8601 duration from PT1H to PT12H" } as const;
const STORE_GROUP_ID = { pattern: /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/, what: "an identity store group id" } as const;
const PERMISSION_SET_NAME = { pattern: /^[\w+=,.@-]{1,32}$/, what: "a permission set name (1-32 of A-Z a-z 0-9 +=,.@_-)" } as const;
/** What UserLoginProfile accepts: `keybase:<username>` or a base64-encoded PGP public key. */
const PGP_KEY = { pattern: /^(keybase:[A-Za-z0-9_]{2,16}|[A-Za-z0-9+/=\s]{64,})$/, what: 'a PGP key ("keybase:<username>" or a base64-encoded public key)' } as const;
const UTC_TIME = { pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, what: "a UTC time (YYYY-MM-DDTHH:MM:SSZ)" } as const;
const REPOSITORY = { pattern: /^[A-Za-z0-9-]+\/[\w.-]+$/, what: "a GitHub repository (owner/name, no wildcards)" } as const;

/** The raw values of the access stack's top-level keys. */
export interface AccessConfigValues {
    readonly accessAccount: ConfigValue;
    readonly regions: ConfigValue;
    readonly identity: ConfigValue;
    readonly teams: ConfigValue;
    readonly roles: ConfigValue;
    readonly identityCenter: ConfigValue;
    readonly previewRole: ConfigValue;
    readonly deploy: ConfigValue;
}

/** Reads the access stack's config, or returns undefined when none of its keys is set. */
export function parseAccess(v: AccessConfigValues, org: Organization, projectDir: string, defaultRegion = "us-east-1"): AccessConfig | undefined {
    const others = [v.regions, v.identity, v.teams, v.roles, v.identityCenter, v.previewRole, v.deploy].filter((x) => x.present);
    if (!v.accessAccount.present) {
        if (others.length > 0) {
            v.accessAccount.fail(`is required when ${others[0].key} is set`);
        }
        return undefined;
    }
    const account = resolveMember(org, v.accessAccount);

    // Optional: nothing regional is created yet, so the first region only picks the profiles' region.
    const regions = v.regions.present ? v.regions.stringList(REGION.pattern, REGION.what) : [defaultRegion];
    if (regions.length === 0) {
        v.regions.fail(`is empty; name at least one region, or remove it to use the stack's aws:region (${defaultRegion})`);
    }

    const identity = parseIdentity(v.identity, projectDir);
    const previewValue = v.previewRole;
    const preview = previewValue.present ? parsePreview(previewValue, identity, org) : undefined;
    const identityCenter = v.identityCenter.present ? parseIdentityCenter(v.identityCenter, org, account) : undefined;

    const configTeams = v.teams.present ? v.teams.array().map((t) => parseTeam(t, identity, identityCenter, account)) : [];
    assertUniqueIam(v.teams, configTeams, (t) => t.name, "team name");
    if (preview) {
        const clash = configTeams.findIndex((t) => t.name.toLowerCase() === preview.team.toLowerCase());
        if (clash >= 0) {
            throw new ConfigError(`${v.teams.key}[${clash}].name`, `${show(configTeams[clash].name)} is reserved for org-access:previewRole`);
        }
    }
    configTeams.forEach((t, i) => {
        if (t.name.toLowerCase() === org.deployRoleName.toLowerCase()) {
            throw new ConfigError(`${v.teams.key}[${i}].name`, `${show(t.name)} is the organization's deploy role in the access account`);
        }
    });
    const teams = preview ? [...configTeams, previewTeam(preview)] : configTeams;

    const configRoles = v.roles.present ? v.roles.array().map((r) => parseMemberRole(r, org, account, teams)) : [];
    assertUniqueIam(v.roles, configRoles, (r) => r.name, "role name");
    configRoles.forEach((r, i) => {
        const at = `${v.roles.key}[${i}].name`;
        if (r.name.toLowerCase() === org.deployRoleName.toLowerCase()) {
            throw new ConfigError(at, `${show(r.name)} is the organization's deploy role, which every member account already has`);
        }
        if (preview && r.name.toLowerCase() === preview.role.toLowerCase()) {
            throw new ConfigError(at, `${show(r.name)} is reserved for org-access:previewRole`);
        }
        const team = teams.find((t) => t.name.toLowerCase() === r.name.toLowerCase());
        if (team && r.accounts.some((a) => a.id === account.id)) {
            throw new ConfigError(at, `${show(r.name)} lands in the access account, where team ${show(team.name)} already has that role name`);
        }
    });
    const roles = preview ? [...configRoles, previewMemberRole(preview, org)] : configRoles;

    const deploy = v.deploy.present ? parseDeployScope(v.deploy, org) : { identity: true };
    return { account, regions, identity, teams, roles, identityCenter, preview, deploy };
}

function parseDeployScope(value: ConfigValue, org: Organization): DeployScope {
    const o = value.object(["identity", "memberAccounts"]);
    const identity = o.optional("identity", (v) => v.boolean()) ?? true;
    const memberAccounts = o.optional("memberAccounts", (v) => resolveMembers(org, v));
    if (!identity && memberAccounts?.length === 0) {
        value.fail("deploys nothing: identity is false and memberAccounts is empty");
    }
    return { identity, memberAccounts };
}

/** A member role narrowed to the accounts this stack deploys it into. */
export function memberRoleInScope(role: MemberRoleSpec, scope: DeployScope): MemberRoleSpec {
    const inScope = scope.memberAccounts;
    return inScope === undefined ? role : { ...role, accounts: role.accounts.filter((a) => inScope.some((s) => s.id === a.id)) };
}

/** IAM names are unique regardless of case. */
function assertUniqueIam<T>(at: ConfigValue, items: readonly T[], nameOf: (item: T) => string, what: string): void {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
        const name = nameOf(item);
        const first = seen.get(name.toLowerCase());
        if (first !== undefined) {
            const same = nameOf(items[first]) === name;
            throw new ConfigError(
                `${at.key}[${i}]`,
                `duplicate ${what} ${show(name)} (also at [${first}]${same ? "" : " as " + show(nameOf(items[first])) + "; IAM names ignore case"})`,
            );
        }
        seen.set(name.toLowerCase(), i);
    });
}

function parseIdentity(value: ConfigValue, projectDir: string): Identity {
    if (!value.present) {
        return { users: [], groups: [], saml: [], oidc: [], mfaMaxAgeSeconds: DEFAULT_MFA_MAX_AGE_SECONDS };
    }
    const o = value.object(["users", "groups", "saml", "oidc", "mfaMaxAgeSeconds", "mfaEnrolmentUntil"]);
    const users = listOf(o, "users", (item): IamUserSpec => {
        const u = item.object(["name", "groups", "loginProfile", "pgpKey"]);
        const name = u.required("name").string(IAM_NAME.pattern, IAM_NAME.what);
        const groups = u.optional("groups", (g) => g.stringList(IAM_GROUP_NAME.pattern, IAM_GROUP_NAME.what)) ?? [];
        const login = u.optional("loginProfile", (l) => l.boolean()) ?? false;
        const pgpKey = u.optional("pgpKey", (p) => p.string(PGP_KEY.pattern, PGP_KEY.what));
        if (pgpKey && !login) {
            u.field("pgpKey").fail("is set, but loginProfile is not true");
        }
        if (login && !pgpKey) {
            // Without a key the first password sits in state in plain text (@pulumi/aws UserLoginProfile).
            u.field("loginProfile").fail(`is true for ${show(name)} without pgpKey ("keybase:<user>" or a base64 public key), which would leave the first password readable in state`);
        }
        return { name, groups, loginProfile: login ? { pgpKey } : undefined };
    });
    assertUniqueIam(o.field("users"), users, (u) => u.name, "user name");
    const explicitGroups = o.optional("groups", (g) => g.stringList(IAM_GROUP_NAME.pattern, IAM_GROUP_NAME.what)) ?? [];
    assertUniqueIam(o.field("groups"), explicitGroups, (g) => g, "group name");
    const byLower = new Map<string, string>();
    for (const g of [...explicitGroups, ...users.flatMap((u) => u.groups)]) {
        const known = byLower.get(g.toLowerCase());
        if (known !== undefined && known !== g) {
            throw new ConfigError(o.field("users").key, `group ${show(g)} differs from group ${show(known)} only in case; IAM names ignore case`);
        }
        byLower.set(g.toLowerCase(), g);
    }
    const groups = [...new Set(byLower.values())].sort();

    const saml = listOf(o, "saml", (item): SamlProviderSpec => {
        const s = item.object(["name", "metadata", "metadataFile"]);
        const name = s.required("name").string(SAML_NAME.pattern, SAML_NAME.what);
        const inline = s.optional("metadata", (m) => m.string());
        const file = s.optional("metadataFile", (m) => m.string());
        if ((inline === undefined) === (file === undefined)) {
            item.fail("needs exactly one of metadata or metadataFile");
        }
        const metadata = inline ?? readMetadataFile(s.field("metadataFile"), projectDir);
        const problem = samlMetadataProblem(metadata);
        if (problem !== undefined) {
            (inline !== undefined ? s.field("metadata") : s.field("metadataFile")).fail(`${show(inline ?? file)} ${problem}`);
        }
        return { name, metadata };
    });
    assertUnique(o.field("saml"), saml, (s) => s.name, "SAML provider name");

    const oidc = listOf(o, "oidc", (item): OidcProviderSpec => {
        const p = item.object(["name", "url", "clientIds", "thumbprints"]);
        const name = p.required("name").string(SAML_NAME.pattern, SAML_NAME.what.replace("SAML", "OIDC"));
        const url = p.required("url").string(OIDC_URL.pattern, OIDC_URL.what);
        const clientIds = p.required("clientIds").stringList(CLIENT_ID.pattern, CLIENT_ID.what);
        if (clientIds.length === 0) {
            p.field("clientIds").fail("needs at least one client id (the token's aud)");
        }
        const thumbprints = p.optional("thumbprints", (t) => t.stringList(THUMBPRINT.pattern, THUMBPRINT.what)) ?? [];
        return { name, url, host: url.slice("https://".length), clientIds, thumbprints };
    });
    assertUnique(o.field("oidc"), oidc, (p) => p.name, "OIDC provider name");
    assertUnique(o.field("oidc"), oidc, (p) => p.host, "OIDC provider url");

    const mfaMaxAgeSeconds = o.optional("mfaMaxAgeSeconds", (m) => m.integer(900, 43200)) ?? DEFAULT_MFA_MAX_AGE_SECONDS;
    const mfaEnrolmentUntil = o.optional("mfaEnrolmentUntil", (m) => m.string(UTC_TIME.pattern, UTC_TIME.what));
    return { users, groups, saml, oidc, mfaMaxAgeSeconds, mfaEnrolmentUntil };
}

function readMetadataFile(value: ConfigValue, projectDir: string): string {
    const relative = value.string();
    if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes("..")) {
        value.fail(`${show(relative)} must be a path inside the project, relative to it`);
    }
    const file = path.join(projectDir, relative);
    if (!fs.existsSync(file)) {
        value.fail(`${show(relative)} does not exist (paths are relative to the project directory)`);
    }
    return fs.readFileSync(file, "utf8");
}

function parseTeam(value: ConfigValue, identity: Identity, ic: IdentityCenterSpec | undefined, access: Account): Team {
    const t = value.object(["name", "groups", "saml", "oidc", "identityCenter", "maxSessionDuration"]);
    const name = t.required("name").string(IAM_NAME.pattern, IAM_NAME.what);
    const groups = t.optional("groups", (g) => {
        const names = g.stringList(IAM_GROUP_NAME.pattern, IAM_GROUP_NAME.what);
        names.forEach((n, i) => {
            if (!identity.groups.includes(n)) {
                throw new ConfigError(
                    `${g.key}[${i}]`,
                    `unknown group ${show(n)} (a group exists when a user in org-access:identity.users is in it, or org-access:identity.groups lists it)`,
                );
            }
        });
        return names;
    }) ?? [];
    const saml = t.optional("saml", (s) => {
        const names = s.stringList();
        names.forEach((n, i) => {
            if (!identity.saml.some((p) => p.name === n)) {
                throw new ConfigError(`${s.key}[${i}]`, `unknown SAML provider ${show(n)} (not in org-access:identity.saml)`);
            }
        });
        return names;
    }) ?? [];
    const oidc = t.optional("oidc", (list) => {
        const trusts = list.array().map((item) => parseOidcTrust(item, identity));
        assertUnique(list, trusts, (x) => x.provider, "OIDC provider");
        return trusts;
    }) ?? [];
    const identityCenter = t.optional("identityCenter", (s) => {
        const names = s.stringList();
        names.forEach((n, i) => {
            const at = new ConfigValue(`${s.key}[${i}]`, n);
            if (!ic) {
                throw new ConfigError(at.key, `names permission set ${show(n)}, but org-access:identityCenter is not set`);
            }
            if (!ic.permissionSets.some((p) => p.name === n)) {
                at.fail(`unknown permission set ${show(n)} (not in org-access:identityCenter.permissionSets)`);
            }
            if (!ic.assignments.some((a) => a.permissionSet === n && a.accounts.some((x) => x.id === access.id))) {
                at.fail(`permission set ${show(n)} is not assigned to the access account, so it has no role there to trust`);
            }
        });
        return names;
    }) ?? [];
    if (groups.length + saml.length + oidc.length + identityCenter.length === 0) {
        value.fail(`team ${show(name)} admits nobody: give it groups, saml, oidc or identityCenter`);
    }
    const maxSessionDuration = t.optional("maxSessionDuration", (m) => m.integer(MIN_SESSION, MAX_SESSION)) ?? MIN_SESSION;
    return { name, groups, saml, oidc, identityCenter, maxSessionDuration };
}

function parseOidcTrust(value: ConfigValue, identity: Identity): OidcTrust {
    const o = value.object(["provider", "subjects"]);
    const provider = o.required("provider").string();
    if (!identity.oidc.some((p) => p.name === provider)) {
        o.field("provider").fail(`unknown OIDC provider ${show(provider)} (not in org-access:identity.oidc)`);
    }
    const subjectsValue = o.required("subjects");
    const subjects = subjectsValue.stringList();
    if (subjects.length === 0) {
        subjectsValue.fail("needs at least one subject");
    }
    subjects.forEach((s, i) => checkSubject(new ConfigValue(`${subjectsValue.key}[${i}]`, s)));
    return { provider, subjects };
}

/**
 * A subject must name its repository (or, for other IdPs, its first two
 * `:`-separated parts) exactly: wildcards may appear only after the second `:`,
 * as in `repo:acme/infra:environment:*`.
 */
export function checkSubject(value: ConfigValue): void {
    const subject = value.string();
    if (/^[*?:]*$/.test(subject)) {
        value.fail(`${show(subject)} is a bare wildcard; name the repository and the ref, environment or event`);
    }
    const parts = subject.split(":");
    const fixed = parts.slice(0, 2).join(":");
    if (/[*?]/.test(fixed)) {
        value.fail(`${show(subject)} has a wildcard in ${show(fixed)}; the repository and its owner must be exact`);
    }
    if (parts.length < 3 || parts.slice(2).join(":").length === 0) {
        value.fail(`${show(subject)} names no ref, environment or event after ${show(fixed + ":")}`);
    }
}

function parseMemberRole(value: ConfigValue, org: Organization, access: Account, teams: readonly Team[]): MemberRoleSpec {
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
    const managedPolicyArns = r.optional("managedPolicyArns", (m) => m.stringList(MANAGED_POLICY_ARN.pattern, MANAGED_POLICY_ARN.what)) ?? [];
    if (managedPolicyArns.length > 10) {
        r.field("managedPolicyArns").fail(`lists ${managedPolicyArns.length} policies; IAM attaches at most 10 to a role`);
    }
    const maxSessionDuration = r.optional("maxSessionDuration", (m) => m.integer(MIN_SESSION, MAX_SESSION)) ?? MIN_SESSION;
    const externalId = r.optional("externalId", (e) => e.string(EXTERNAL_ID.pattern, EXTERNAL_ID.what));
    const permissionsBoundary = r.optional("permissionsBoundary", (b) => b.string(MANAGED_POLICY_ARN.pattern, MANAGED_POLICY_ARN.what));
    const description = r.optional("description", (d) => d.string(/^[^\n]{1,1000}$/, "one line of at most 1000 characters"));
    return { name, teams: teamNames, accounts, managedPolicyArns, maxSessionDuration, externalId, permissionsBoundary, description };
}

/** `"*"`: every member account but the access account; or a list of member accounts. */
function parseAccounts(value: ConfigValue, org: Organization, access: Account): Account[] {
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

function parseIdentityCenter(value: ConfigValue, org: Organization, access: Account): IdentityCenterSpec {
    const o = value.object(["account", "region", "instanceArn", "startUrl", "permissionSets", "assignments"]);
    const account = resolveAnyAccount(org, o.required("account"));
    const region = o.required("region").string(REGION.pattern, REGION.what);
    const instanceArn = o.required("instanceArn").string(INSTANCE_ARN.pattern, INSTANCE_ARN.what);
    const startUrl = o.required("startUrl").string(START_URL.pattern, START_URL.what);
    const permissionSets = listOf(o, "permissionSets", (item): PermissionSetSpec => {
        const p = item.object(["name", "sessionDuration", "managedPolicyArns", "inlinePolicy"]);
        return {
            name: p.required("name").string(PERMISSION_SET_NAME.pattern, PERMISSION_SET_NAME.what),
            sessionDuration: p.optional("sessionDuration", (d) => d.string(SESSION_DURATION.pattern, SESSION_DURATION.what)) ?? "PT1H",
            managedPolicyArns: p.optional("managedPolicyArns", (m) => m.stringList(MANAGED_POLICY_ARN.pattern, MANAGED_POLICY_ARN.what)) ?? [],
            inlinePolicy: p.optional("inlinePolicy", parseInlinePolicy),
        };
    });
    assertUnique(o.field("permissionSets"), permissionSets, (p) => p.name, "permission set");
    // The reserved role of set `A` is AWSReservedSSO_A_<hash>; a set named `A_B` would match `A`'s pattern.
    permissionSets.forEach((p, i) => {
        const shadowed = permissionSets.find((q) => q !== p && p.name.startsWith(`${q.name}_`));
        if (shadowed) {
            throw new ConfigError(
                `${o.field("permissionSets").key}[${i}].name`,
                `${show(p.name)} starts with ${show(shadowed.name + "_")}, so its reserved roles would match ${show(shadowed.name)}'s trust pattern`,
            );
        }
    });
    const assignments = listOf(o, "assignments", (item): AssignmentSpec => {
        const a = item.object(["permissionSet", "group", "accounts"]);
        const permissionSet = a.required("permissionSet").string();
        if (!permissionSets.some((p) => p.name === permissionSet)) {
            a.field("permissionSet").fail(`unknown permission set ${show(permissionSet)} (not in org-access:identityCenter.permissionSets)`);
        }
        const accountsValue = a.required("accounts");
        const accounts =
            accountsValue.raw === "*" ? org.members.filter((m) => m.id !== access.id) : parseAccounts(accountsValue, org, access);
        return { permissionSet, group: a.required("group").string(STORE_GROUP_ID.pattern, STORE_GROUP_ID.what), accounts };
    });
    assertUnique(o.field("assignments"), assignments, (a) => `${a.permissionSet}/${a.group}`, "assignment");
    return { account, region, instanceArn, startUrl, permissionSets, assignments };
}

function parseInlinePolicy(value: ConfigValue): { Version: string; Statement: object[] } {
    const p = value.object(["Version", "Statement"]);
    const version = p.required("Version").string(/^2012-10-17$/, '"2012-10-17"');
    const statements = p.required("Statement").array();
    if (statements.length === 0) {
        p.field("Statement").fail("needs at least one statement");
    }
    return {
        Version: version,
        Statement: statements.map((s) => {
            s.object(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
            return s.raw as object;
        }),
    };
}

function parsePreview(value: ConfigValue, identity: Identity, org: Organization): PreviewSpec {
    const o = value.object(["repository", "provider"]);
    const repository = o.required("repository").string(REPOSITORY.pattern, REPOSITORY.what);
    const provider = o.optional("provider", (p) => p.string()) ?? "github";
    if (!identity.oidc.some((p) => p.name === provider)) {
        (o.field("provider").present ? o.field("provider") : value).fail(
            `needs OIDC provider ${show(provider)} in org-access:identity.oidc`,
        );
    }
    return {
        repository,
        provider,
        team: PREVIEW_TEAM_NAME,
        role: PREVIEW_MEMBER_ROLE_NAME,
        managementReaderArn: roleArn(org.management.id, MANAGEMENT_PREVIEW_ROLE_NAME),
    };
}

/** The preview team: pull requests of one repository, through GitHub OIDC. */
function previewTeam(preview: PreviewSpec): Team {
    return {
        name: preview.team,
        groups: [],
        saml: [],
        oidc: [{ provider: preview.provider, subjects: [`repo:${preview.repository}:pull_request`] }],
        identityCenter: [],
        maxSessionDuration: MIN_SESSION,
    };
}

/**
 * The preview role in every member account, the access account included (a
 * preview of this stack reads IAM there): AWS `ReadOnlyAccess`, minus reads of
 * stored data, which no preview needs.
 */
function previewMemberRole(preview: PreviewSpec, org: Organization): MemberRoleSpec {
    return {
        name: preview.role,
        teams: [preview.team],
        accounts: org.members,
        managedPolicyArns: [READ_ONLY_ACCESS_ARN],
        inlinePolicies: { "deny-data-reads": PREVIEW_DATA_READ_DENY },
        maxSessionDuration: MIN_SESSION,
        description: "Read-only access for CI previews of org-access (managed by org-access)",
    };
}

/** Data-plane reads ReadOnlyAccess would allow and a preview never needs. */
export const PREVIEW_DATA_READ_DENY = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "DenyDataReads",
            Effect: "Deny",
            Action: [
                "s3:GetObject*",
                "secretsmanager:GetSecretValue",
                "ssm:GetParameter*",
                "kms:Decrypt",
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "logs:GetLogEvents",
                "logs:FilterLogEvents",
                "athena:GetQueryResults",
            ],
            Resource: "*",
        },
    ],
} as const;

function listOf<T>(o: ConfigObject, key: string, read: (item: ConfigValue) => T): T[] {
    return o.optional(key, (v) => v.array().map(read)) ?? [];
}
