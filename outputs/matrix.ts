/**
 * Who may reach which role in which account, read from IAM documents (trust
 * policies, role and group policies, group memberships) rather than from
 * config. The program feeds it the documents it builds; `npm run plan` feeds
 * it the documents the plan registered. It follows Allow statements only and
 * reports conditions as text; the tests check the real decisions with an IAM
 * simulator.
 */
import { ReadStatement, statementsOf, valuesOf } from "../iam/documents";
import { AccessModel, RoleModel } from "../model/organization";

type Doc = object;

export interface GraphRole {
    readonly accountId?: string;
    readonly name: string;
    readonly arn: string;
    readonly trustPolicy: Doc;
    readonly policies: readonly Doc[];
}
export interface GraphGroup {
    readonly accountId?: string;
    readonly name: string;
    readonly policies: readonly Doc[];
}
export interface GraphUser {
    readonly accountId?: string;
    readonly name: string;
    readonly arn: string;
    readonly groups: readonly string[];
}
export interface IamGraph {
    readonly roles: readonly GraphRole[];
    readonly groups: readonly GraphGroup[];
    readonly users: readonly GraphUser[];
}

/** A way into the organization: a person or workload and how they authenticate. */
export interface Entry {
    readonly kind: "user" | "saml" | "oidc" | "identity-center";
    /** User name, SAML provider name, OIDC `host sub`, or permission set. */
    readonly who: string;
    /** Conditions the entry must meet, in words. */
    readonly when: string;
}

export interface MatrixRow {
    readonly entry: Entry;
    /** The team role the entry lands in (access account). */
    readonly team: string;
    /** The member role reached from it, if any. */
    readonly role?: string;
    readonly accountId?: string;
}

/** IAM's glob: `*` any run of characters, `?` one character, case-sensitive. */
export function globMatch(pattern: string, value: string): boolean {
    if (!pattern.includes("*") && !pattern.includes("?")) {
        return pattern === value;
    }
    let re = compiledGlobs.get(pattern);
    if (re === undefined) {
        re = new RegExp(
            `^${pattern
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replace(/\*/g, ".*")
                .replace(/\?/g, ".")}$`,
        );
        compiledGlobs.set(pattern, re);
    }
    return re.test(value);
}

/** The matrix compares every team's Resource list with every member role: compile each pattern once. */
const compiledGlobs = new Map<string, RegExp>();

const actionMatch = (s: ReadStatement, action: string) => valuesOf(s.Action).some((a) => globMatch(a.toLowerCase(), action.toLowerCase()));

/** Does any Allow statement of these identity policies cover `action` on `resource`? */
export function identityAllows(policies: readonly Doc[], action: string, resource: string): boolean {
    return allowedResources(policies, action)(resource);
}

/**
 * A matcher for the resources on which these policies allow `action`, built
 * once: exact ARNs in a set, wildcard patterns tried in turn. A team's policy
 * lists every member role ARN it may assume, so at a thousand accounts the
 * matrix would otherwise rescan that list for every role.
 */
function allowedResources(policies: readonly Doc[], action: string): (resource: string) => boolean {
    const patterns = policies
        .flatMap(statementsOf)
        .filter((s) => s.Effect === "Allow" && actionMatch(s, action))
        .flatMap((s) => valuesOf(s.Resource));
    const exact = new Set(patterns.filter((p) => !p.includes("*") && !p.includes("?")));
    const wildcards = patterns.filter((p) => !exact.has(p));
    return (resource) => exact.has(resource) || wildcards.some((p) => globMatch(p, resource));
}

function awsPrincipals(s: ReadStatement): string[] {
    if (s.Principal === "*") {
        return ["*"];
    }
    return typeof s.Principal === "object" && s.Principal !== null ? valuesOf((s.Principal as { AWS?: unknown }).AWS) : [];
}

function federatedPrincipals(s: ReadStatement): string[] {
    return typeof s.Principal === "object" && s.Principal !== null ? valuesOf((s.Principal as { Federated?: unknown }).Federated) : [];
}

function conditionValues(s: ReadStatement, key: string): string[] {
    return Object.values(s.Condition ?? {}).flatMap((byKey) => valuesOf(byKey[key]));
}

function describeUserConditions(s: ReadStatement): string {
    const parts: string[] = [];
    if (conditionValues(s, "aws:MultiFactorAuthPresent").includes("true")) {
        parts.push("MFA");
    }
    const age = conditionValues(s, "aws:MultiFactorAuthAge")[0];
    if (age) {
        parts.push(`< ${age}s old`);
    }
    return parts.join(" ");
}

/** The entries that land in `role`, from its trust policy (and, for users, their group policies). */
export function entriesOf(role: GraphRole, graph: IamGraph): Entry[] {
    const entries: Entry[] = [];
    for (const s of statementsOf(role.trustPolicy).filter((x) => x.Effect === "Allow")) {
        for (const provider of federatedPrincipals(s)) {
            const saml = /:saml-provider\/(.+)$/.exec(provider)?.[1];
            if (saml && actionMatch(s, "sts:AssumeRoleWithSAML")) {
                const aud = conditionValues(s, "SAML:aud");
                entries.push({ kind: "saml", who: saml, when: aud.length ? `SAML:aud ${aud.join(" | ")}` : "any audience" });
            }
            const oidc = /:oidc-provider\/(.+)$/.exec(provider)?.[1];
            if (oidc && actionMatch(s, "sts:AssumeRoleWithWebIdentity")) {
                const aud = conditionValues(s, `${oidc}:aud`).join(" | ");
                for (const sub of conditionValues(s, `${oidc}:sub`)) {
                    entries.push({ kind: "oidc", who: `${oidc} ${sub}`, when: `aud ${aud}` });
                }
            }
        }
        if (!actionMatch(s, "sts:AssumeRole")) {
            continue;
        }
        for (const principal of awsPrincipals(s)) {
            const root =
                /^arn:aws(?:-us-gov|-cn)?:iam::(\d{12}):root$/.exec(principal)?.[1] ?? (/^\d{12}$/.test(principal) ? principal : undefined);
            if (!root) {
                continue; // exact role principals are chains, handled by chainsFrom
            }
            const patterns = conditionValues(s, "aws:PrincipalArn");
            if (patterns.length === 0) {
                entries.push({ kind: "user", who: `any principal of ${root} with sts:AssumeRole`, when: "" });
                continue;
            }
            for (const pattern of patterns) {
                const sso = /AWSReservedSSO_(.+)_\*$/.exec(pattern)?.[1];
                if (sso) {
                    entries.push({ kind: "identity-center", who: sso, when: "" });
                    continue;
                }
                for (const user of graph.users.filter((u) => u.accountId === root && globMatch(pattern, u.arn))) {
                    const policies = graph.groups
                        .filter((g) => g.accountId === root && user.groups.includes(g.name))
                        .flatMap((g) => g.policies);
                    if (identityAllows(policies, "sts:AssumeRole", role.arn)) {
                        entries.push({ kind: "user", who: user.name, when: describeUserConditions(s) });
                    }
                }
            }
        }
    }
    return entries;
}

/**
 * Does this trust statement admit `from` by its exact ARN: named as the
 * principal, or its account named with `from`'s ARN in `aws:PrincipalArn`?
 */
function admitsExactly(s: ReadStatement, from: GraphRole): boolean {
    const principals = awsPrincipals(s);
    if (principals.includes(from.arn)) {
        return true;
    }
    const account = from.arn.split(":")[4];
    const byAccount = principals.some((p) => p === account || p.endsWith(`:${account}:root`));
    return byAccount && conditionValues(s, "aws:PrincipalArn").some((pattern) => globMatch(pattern, from.arn));
}

/** Roles that trust `from` by exact ARN and that `from`'s own policies let it assume. */
export function chainsFrom(from: GraphRole, graph: IamGraph): GraphRole[] {
    const mayAssume = allowedResources(from.policies, "sts:AssumeRole");
    return graph.roles.filter(
        (to) =>
            to !== from &&
            mayAssume(to.arn) &&
            statementsOf(to.trustPolicy).some((s) => s.Effect === "Allow" && actionMatch(s, "sts:AssumeRole") && admitsExactly(s, from)),
    );
}

/** Every (entry, team, member role, account) path: one hop in, one chained hop out. Sorted, so the order of documents does not matter. */
export function accessMatrix(graph: IamGraph): MatrixRow[] {
    const rows: MatrixRow[] = [];
    for (const team of graph.roles) {
        const entries = entriesOf(team, graph);
        if (entries.length === 0) {
            continue;
        }
        const reached = chainsFrom(team, graph);
        for (const entry of entries) {
            if (reached.length === 0) {
                rows.push({ entry, team: team.name });
            }
            for (const role of reached) {
                rows.push({ entry, team: team.name, role: role.name, accountId: role.accountId });
            }
        }
    }
    const keyed = rows.map((r) => ({ r, key: [r.team, r.entry.kind, r.entry.who, r.role ?? "", r.accountId ?? ""].join("\u0000") }));
    return keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(({ r }) => r);
}

/**
 * The graph of the model's documents: the same documents the resources receive. `entryRoles`: other roles of
 * the access account that people or CI sign in to (the deploy identity's `org-access-deploy`, in the stack that makes it).
 */
export function accessGraph(access: AccessModel, entryRoles: readonly RoleModel[] = []): IamGraph {
    const accountId = access.account.id;
    const graphRole = (r: RoleModel): GraphRole => ({
        accountId: r.account.id,
        name: r.name,
        arn: r.arn,
        trustPolicy: r.trust,
        policies: Object.values(r.inline),
    });
    const roles = [
        ...access.teams.map((t) => graphRole(t.role)),
        ...entryRoles.map(graphRole),
        ...access.memberRoles.flatMap((m) => m.copies.map(graphRole)),
    ];
    const groups = access.groups.map((g): GraphGroup => ({ accountId, name: g.name, policies: Object.values(g.policies) }));
    const users = access.users.map((u): GraphUser => ({ accountId, name: u.spec.name, arn: u.arn, groups: u.spec.groups }));
    return { roles, groups, users };
}
