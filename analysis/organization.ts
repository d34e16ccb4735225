/**
 * The organization as reach sees it: every planned stack's IAM entities merged
 * into one set of roles (grouped into shapes), entry identities, and the
 * documents behind them (inline, customer-managed and AWS managed policies,
 * permissions boundaries), read once.
 *
 * Input is the plan's JSON (`npm run plan -- --json`), one per stack: its
 * `iam` view plus the planned resources for what `iam` does not carry (SAML and
 * OIDC providers, Identity Center permission sets, customer-managed policies).
 */
import { Partition } from "../config/partition";
import { accountOfArn, oidcProviderArn, partitionOfArn, policyArn, roleArn, samlProviderArn } from "../iam/arns";
import { Doc, IamEntities, IamGroup, IamRole, IamUser } from "../iam/entities";
import { managedPolicyDocuments, isAwsManagedPolicyArn } from "./managed-policies";
import { ControlLevels, readStatements, Statement } from "../iam/evaluator";
import { statementCoversAction } from "../iam/documents";

export interface PlannedResourceJson {
    readonly type: string;
    readonly name: string;
    readonly accountId?: string;
    readonly region?: string;
    readonly inputs: Readonly<Record<string, unknown>>;
}
/** One stack's plan JSON: the fields reach reads (`offline/report.ts` `PlanJson` has them all). */
export interface PlannedStack {
    readonly stack: string;
    readonly organizationId: string;
    readonly resources: readonly PlannedResourceJson[];
    readonly iam: IamEntities;
}

/** Roles with the same name, path and documents in several accounts: one judgement, many accounts. */
export interface RoleShape {
    readonly id: number;
    readonly name: string;
    readonly trust: readonly Statement[];
    readonly identity: readonly Statement[];
    readonly boundary?: readonly Statement[];
    readonly roles: RoleNode[];
}
export interface RoleNode {
    readonly arn: string;
    readonly accountId: string;
    readonly name: string;
    readonly shape: RoleShape;
}

export type EntryKind = "user" | "saml" | "oidc" | "identity-center";

/** One way in: how it authenticates and what its own policies allow. */
export interface EntrySession {
    readonly kind: "aws" | "federated";
    /** User ARN, reserved Identity Center role ARN, or provider ARN. */
    readonly arn: string;
    readonly accountId: string;
    readonly action: "sts:AssumeRole" | "sts:AssumeRoleWithSAML" | "sts:AssumeRoleWithWebIdentity";
    /** Identity policies (absent for SAML and OIDC, which have none). */
    readonly identity?: readonly Statement[];
    readonly mfa: boolean;
    readonly userName?: string;
    /** Token claims for OIDC (`<host>:sub`, `<host>:aud`). */
    readonly claims?: Readonly<Record<string, readonly string[]>>;
}
export interface EntryIdentity {
    /** `user:<name>`, `saml:<provider>`, `oidc:<host>:<subject>`, `identity-center:<permission set>`. */
    readonly id: string;
    readonly kind: EntryKind;
    readonly sessions: readonly EntrySession[];
    /** A break-glass user (`breakGlassUser`): shown apart in the grid. */
    readonly breakGlass?: boolean;
    /** For users: their groups, `<account>/<group>`. */
    readonly groups?: readonly string[];
}

/**
 * Organization policies and session policies, as reach takes them: optional,
 * `org-access:organizationPolicies` produces the SCP and RCP levels (offline/organization-policies.ts
 * `reachPolicies`). Absent, reach
 * is what it is without them. Each is read as IAM evaluates it
 * (iam/evaluator.ts `Guardrails`, with the AWS sources):
 * - `serviceControlPolicies`: by account id, the SCP documents attached at each
 *   level that applies to the account, the root first, then each OU of its
 *   path, the account last. List `FullAWSAccess` where it is attached: a level
 *   without an Allow allows nothing. They cap the account's users and roles,
 *   never the management account's or a service-linked role.
 * - `resourceControlPolicies`: by account id, the RCP documents (Deny
 *   statements; `RCPFullAWSAccess` is implied at every level) at each level.
 *   They cap `sts:` requests into the account's roles from any caller, never
 *   into the management account's.
 * - `sessionPolicies`: by role ARN, the session policy every session of that
 *   role is opened with in a chain (the `Policy` of its AssumeRole): the
 *   session's next hops need it to allow them as well.
 * An account not listed has no SCPs or RCPs (outside the organization, or none
 * attached).
 */
export interface OrganizationPolicies {
    readonly serviceControlPolicies?: Readonly<Record<string, readonly (readonly object[])[]>>;
    readonly resourceControlPolicies?: Readonly<Record<string, readonly (readonly object[])[]>>;
    readonly sessionPolicies?: Readonly<Record<string, object>>;
}

/** Organization policies read into statements (see `OrganizationPolicies`). */
export interface ReadPolicies {
    readonly scp: ReadonlyMap<string, ControlLevels>;
    readonly rcp: ReadonlyMap<string, ControlLevels>;
    readonly session: ReadonlyMap<string, readonly Statement[]>;
}

/** Reads organization policies; every unreadable document is a problem naming where it sits. */
export function readOrganizationPolicies(policies: OrganizationPolicies, problems: string[]): ReadPolicies {
    const levels = (what: string, byAccount: Readonly<Record<string, readonly (readonly object[])[]>> | undefined) =>
        new Map(
            Object.entries(byAccount ?? {}).map(([account, list]): [string, ControlLevels] => [
                account,
                list.map((docs, level) => docs.flatMap((d, i) => readStatements(d, problems, `${what}.${account}[${level}][${i}]`))),
            ]),
        );
    return {
        scp: levels("serviceControlPolicies", policies.serviceControlPolicies),
        rcp: levels("resourceControlPolicies", policies.resourceControlPolicies),
        session: new Map(
            Object.entries(policies.sessionPolicies ?? {}).map(([arn, d]) => [arn, readStatements(d, problems, `sessionPolicies.${arn}`)]),
        ),
    };
}

export interface Organization {
    readonly organizationIdOf: (accountId: string) => string | undefined;
    readonly managementAccountId?: string;
    /** Organization and session policies, when given (`OrganizationPolicies`); undefined: none are modelled. */
    readonly policies?: ReadPolicies;
    readonly shapes: readonly RoleShape[];
    readonly roles: ReadonlyMap<string, RoleNode>;
    readonly entries: readonly EntryIdentity[];
    readonly groups: readonly IamGroup[];
    readonly users: readonly IamUser[];
    /** Documents that could not be read or resolved. */
    readonly problems: readonly string[];
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** Does this user's policy set enforce MFA (a Deny that applies without `aws:MultiFactorAuthPresent`)? Such users sign in with MFA. */
function enforcesMfa(statements: readonly Statement[]): boolean {
    return statements.some((s) => s.effect === "Deny" && s.conditions.some((c) => c.key.toLowerCase() === "aws:multifactorauthpresent"));
}

/**
 * A break-glass user: an unconditional Deny keeps them from creating or
 * enabling MFA devices themselves, so the only device they hold is one an
 * administrator enrolled (model/access-policy.ts `breakGlassGroupPolicy`).
 * Read from the documents, as everything here.
 */
export function breakGlassUser(statements: readonly Statement[]): boolean {
    return statements.some(
        (s) =>
            s.effect === "Deny" &&
            s.conditions.length === 0 &&
            statementCoversAction(s, "iam:CreateVirtualMFADevice") &&
            statementCoversAction(s, "iam:EnableMFADevice"),
    );
}

/**
 * Builds the organization from the plans of its stacks. `accountName` names
 * accounts; the management account is the one named `management` (a name the
 * config reserves for it), unless given.
 */
export function buildOrganization(
    stacks: readonly PlannedStack[],
    accountName: (id: string) => string,
    managementAccountId?: string,
    organizationPolicies?: OrganizationPolicies,
): Organization {
    const problems: string[] = [];
    const orgOf = new Map<string, string>();
    for (const s of stacks) {
        for (const r of s.resources) {
            if (r.accountId) orgOf.set(r.accountId, s.organizationId);
            // Identity Center assigns accounts of its own organization only.
            if (r.type === "aws:ssoadmin/accountAssignment:AccountAssignment" && typeof r.inputs.targetId === "string")
                orgOf.set(r.inputs.targetId, s.organizationId);
        }
        // Every account the stack holds an entity in: a user's account with no role is still in the organization.
        for (const r of [...s.iam.roles, ...s.iam.users, ...s.iam.groups]) if (r.accountId) orgOf.set(r.accountId, s.organizationId);
    }
    const management = managementAccountId ?? [...orgOf.keys()].find((id) => accountName(id) === "management");
    // The organization's partition, read from the ARNs the plan holds: every ARN built below is in it.
    const partition = (stacks
        .flatMap((s) => [...s.iam.roles, ...s.iam.users, ...s.iam.groups])
        .map((e) => partitionOfArn(e.arn))
        .find((p) => p !== undefined) ?? "aws") as Partition;
    const resources = stacks.flatMap((s) => s.resources);

    // Merge entities across stacks: a role by ARN (first wins), a group's policies from every stack that adds one.
    const roleDocs = new Map<string, IamRole>();
    for (const s of stacks) for (const r of s.iam.roles) if (!roleDocs.has(r.arn)) roleDocs.set(r.arn, r);
    const groupDocs = new Map<string, { accountId?: string; name: string; arn: string; policies: Doc[]; managedPolicyArns: string[] }>();
    for (const s of stacks) {
        for (const g of s.iam.groups) {
            const key = `${g.accountId}/${g.name}`;
            const merged = groupDocs.get(key) ?? { accountId: g.accountId, name: g.name, arn: g.arn, policies: [], managedPolicyArns: [] };
            merged.policies.push(...g.policies);
            merged.managedPolicyArns.push(...g.managedPolicyArns);
            groupDocs.set(key, merged);
        }
    }
    const userDocs = new Map<string, IamUser>();
    for (const s of stacks) for (const u of s.iam.users) if (!userDocs.has(u.arn)) userDocs.set(u.arn, u);

    // Permission sets, their policies and assignments. Attachments name the set by an ARN unknown at preview, so they are
    // matched to it by resource name: the program names them `<set resource>-...` (accounts/identity-center.ts).
    const permissionSets = resources.filter((r) => r.type === "aws:ssoadmin/permissionSet:PermissionSet");
    const setOf = (resourceName: string) =>
        permissionSets.filter((p) => resourceName.startsWith(`${p.name}-`)).sort((a, b) => b.name.length - a.name.length)[0];
    const psInline = new Map<string, Doc[]>();
    const psManaged = new Map<string, string[]>();
    const psAccounts = new Map<string, string[]>();
    const push = <T>(m: Map<string, T[]>, k: string, v: T) => m.set(k, [...(m.get(k) ?? []), v]);
    for (const r of resources) {
        const set = r.type.startsWith("aws:ssoadmin/") ? setOf(r.name) : undefined;
        if (!set) continue;
        if (r.type === "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy")
            push(psInline, set.name, JSON.parse(str(r.inputs.inlinePolicy)) as Doc);
        if (r.type === "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment")
            push(psManaged, set.name, str(r.inputs.managedPolicyArn));
        if (r.type === "aws:ssoadmin/accountAssignment:AccountAssignment" && r.inputs.targetType === "AWS_ACCOUNT")
            push(psAccounts, set.name, str(r.inputs.targetId));
    }

    // Every managed policy document needed, read once: customer-managed from the plan, AWS managed from the data package.
    const customerManaged = new Map<string, unknown>();
    for (const r of resources.filter((x) => x.type === "aws:iam/policy:Policy")) {
        const path = typeof r.inputs.path === "string" ? r.inputs.path : "/";
        customerManaged.set(policyArn(`${r.accountId}`, str(r.inputs.name), path, partition), r.inputs.policy);
    }
    // Users' managed attachments: the plan's iam view lists their inline policies and groups only.
    const userManaged = new Map<string, string[]>();
    for (const r of resources.filter((x) => x.type === "aws:iam/userPolicyAttachment:UserPolicyAttachment")) {
        push(userManaged, `${r.accountId}/${str(r.inputs.user)}`, str(r.inputs.policyArn));
    }
    const wanted = [
        ...[...userManaged.values()].flat(),
        ...[...roleDocs.values()].flatMap((r) => [...r.managedPolicyArns, ...(r.permissionsBoundary ? [r.permissionsBoundary] : [])]),
        ...[...groupDocs.values()].flatMap((g) => g.managedPolicyArns),
        ...[...psManaged.values()].flat(),
    ];
    const awsManaged = managedPolicyDocuments(wanted.filter(isAwsManagedPolicyArn));
    const managed = (arn: string): Statement[] => {
        const doc = customerManaged.get(arn) ?? awsManaged.get(arn);
        if (doc === undefined) {
            problems.push(`managed policy ${arn}: no document (not planned, and not in the AWS managed policy data)`);
            return [];
        }
        return readStatements(doc, problems, arn);
    };
    const memo = new Map<string, Statement[]>();
    const managedMemo = (arn: string) => {
        let s = memo.get(arn);
        if (!s) memo.set(arn, (s = managed(arn)));
        return s;
    };

    // Shapes: roles with identical name, path and documents.
    const shapes: RoleShape[] = [];
    const byKey = new Map<string, RoleShape>();
    const roles = new Map<string, RoleNode>();
    for (const r of roleDocs.values()) {
        const path = /:role(\/.*\/|\/)[^/]+$/.exec(r.arn)?.[1] ?? "/";
        const key = JSON.stringify([
            r.name,
            path,
            r.trustPolicy,
            r.policies,
            [...r.managedPolicyArns].sort(),
            r.permissionsBoundary ?? null,
        ]);
        let shape = byKey.get(key);
        if (!shape) {
            shape = {
                id: shapes.length,
                name: r.name,
                trust: readStatements(r.trustPolicy, problems, `trust of ${r.arn}`),
                identity: [
                    ...r.policies.flatMap((d, i) => readStatements(d, problems, `policy ${i} of ${r.arn}`)),
                    ...r.managedPolicyArns.flatMap(managedMemo),
                ],
                boundary: r.permissionsBoundary ? managedMemo(r.permissionsBoundary) : undefined,
                roles: [],
            };
            shapes.push(shape);
            byKey.set(key, shape);
        }
        const node: RoleNode = { arn: r.arn, accountId: r.accountId ?? accountOfArn(r.arn) ?? "", name: r.name, shape };
        shape.roles.push(node);
        roles.set(r.arn, node);
    }

    // Entry identities.
    const entries: EntryIdentity[] = [];
    const groupStatements = (accountId: string | undefined, name: string) => {
        const g = groupDocs.get(`${accountId}/${name}`);
        return g ? [...g.policies.flatMap((d) => readStatements(d, problems, g.arn)), ...g.managedPolicyArns.flatMap(managedMemo)] : [];
    };
    for (const u of userDocs.values()) {
        const identity = [
            ...u.policies.flatMap((d) => readStatements(d, problems, u.arn)),
            ...(userManaged.get(`${u.accountId}/${u.name}`) ?? []).flatMap(managedMemo),
            ...u.groups.flatMap((g) => groupStatements(u.accountId, g)),
        ];
        const accountId = u.accountId ?? accountOfArn(u.arn) ?? "";
        entries.push({
            id: `user:${u.name}`,
            kind: "user",
            groups: u.groups.map((g) => `${accountName(accountId)}/${g}`),
            ...(breakGlassUser(identity) ? { breakGlass: true } : {}),
            sessions: [
                { kind: "aws", arn: u.arn, accountId, action: "sts:AssumeRole", identity, mfa: enforcesMfa(identity), userName: u.name },
            ],
        });
    }
    for (const p of resources.filter((r) => r.type === "aws:iam/samlProvider:SamlProvider")) {
        const arn = samlProviderArn(p.accountId ?? "", str(p.inputs.name), partition);
        entries.push({
            id: `saml:${str(p.inputs.name)}`,
            kind: "saml",
            sessions: [{ kind: "federated", arn, accountId: p.accountId ?? "", action: "sts:AssumeRoleWithSAML", mfa: false }],
        });
    }
    for (const p of resources.filter((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider")) {
        const host = str(p.inputs.url).replace(/^https:\/\//, "");
        const arn = oidcProviderArn(p.accountId ?? "", host, partition);
        const audiences = Array.isArray(p.inputs.clientIdLists) ? p.inputs.clientIdLists.map(String) : [];
        // Subjects: the values the trust policies that name this provider accept for `<host>:sub`.
        const subjects = new Set<string>();
        for (const shape of shapes) {
            for (const s of shape.trust) {
                const names = s.principal !== undefined && s.principal !== "*" ? (s.principal.Federated ?? []) : [];
                if (s.effect !== "Allow" || !names.includes(arn)) continue;
                for (const c of s.conditions)
                    if (c.key.toLowerCase() === `${host}:sub`.toLowerCase()) c.values.forEach((v) => subjects.add(v));
            }
        }
        for (const sub of [...subjects].sort()) {
            entries.push({
                id: `oidc:${host}:${sub}`,
                kind: "oidc",
                sessions: [
                    {
                        kind: "federated",
                        arn,
                        accountId: p.accountId ?? "",
                        action: "sts:AssumeRoleWithWebIdentity",
                        mfa: false,
                        claims: { [`${host}:sub`]: [sub], [`${host}:aud`]: audiences },
                    },
                ],
            });
        }
    }
    for (const ps of permissionSets) {
        const name = str(ps.inputs.name);
        const identity = [
            ...(psInline.get(ps.name) ?? []).flatMap((d) => readStatements(d, problems, `permission set ${name}`)),
            ...(psManaged.get(ps.name) ?? []).flatMap(managedMemo),
        ];
        // The reserved role Identity Center creates in each assigned account; its name ends in a suffix AWS picks.
        // IAM User Guide, "Service-linked roles for IAM Identity Center" / "AWSReservedSSO_" roles live under /aws-reserved/sso.amazonaws.com/.
        const sessions = [...new Set(psAccounts.get(ps.name) ?? [])].sort().map((accountId): EntrySession => ({
            kind: "aws",
            arn: roleArn(accountId, `AWSReservedSSO_${name}_0000000000000000`, "/aws-reserved/sso.amazonaws.com/", partition),
            accountId,
            action: "sts:AssumeRole",
            identity,
            mfa: false,
        }));
        entries.push({ id: `identity-center:${name}`, kind: "identity-center", sessions });
    }
    entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
        organizationIdOf: (id) => orgOf.get(id),
        managementAccountId: management,
        ...(organizationPolicies !== undefined ? { policies: readOrganizationPolicies(organizationPolicies, problems) } : {}),
        shapes,
        roles,
        entries,
        groups: [...groupDocs.values()],
        users: [...userDocs.values()],
        problems,
    };
}
