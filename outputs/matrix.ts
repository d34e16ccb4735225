/**
 * Who may reach which role in which account, read from IAM documents (trust
 * policies, role and group policies, group memberships) rather than from
 * config. The program feeds it the documents it builds; `npm run plan` feeds
 * it the documents the plan registered. It decides nothing itself: every "may
 * this caller assume that role" is the evaluator's answer (iam/evaluator.ts),
 * the one reach and the pack ask; it reports the conditions of the admitting
 * statement as text.
 */
import { accountOfArn, accountOfPrincipal } from "../iam/arns";
import { ABSENT, assumeDecision, known, readStatements, RequestContext, Statement, TrustCaller, trustAdmits } from "../iam/evaluator";
import { AccessModel, RoleModel } from "../model/organization";
import { Doc, IamEntities, IamGroup, IamRole, IamUser } from "../iam/entities";

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

/** A user or role of the graph as a caller, with what a request of its carries: its own keys known, the rest its to choose. */
function callerOf(arn: string, accountId: string, user: boolean): { trust: TrustCaller; context: RequestContext } {
    return {
        trust: { kind: "aws", arn, accountId, user },
        context: new RequestContext({
            "aws:PrincipalArn": known(arn),
            "aws:PrincipalAccount": known(accountId),
            "aws:PrincipalType": known(user ? "User" : "AssumedRole"),
        }),
    };
}

/** The statements of documents, read once per document. */
const statementMemo = new WeakMap<object, Statement[]>();
function statementsIn(docs: readonly Doc[]): Statement[] {
    return docs.flatMap((d) => {
        let s = statementMemo.get(d);
        if (!s) statementMemo.set(d, (s = readStatements(d)));
        return s;
    });
}

/** Does IAM let this caller assume `role` through `trust` (one statement or the whole trust)? The evaluator's answer. */
function assumes(
    caller: { trust: TrustCaller; context: RequestContext },
    identity: readonly Statement[] | undefined,
    trust: readonly Statement[],
    role: IamRole,
): { allowed: boolean; level?: string } {
    return assumeDecision(trust, caller.trust, caller.context, identity, { arn: role.arn, accountId: accountOf(role) });
}

/** The account of a role or user of the graph: as planned, or read off its ARN. */
const accountOf = (entity: { readonly accountId?: string; readonly arn: string }): string =>
    entity.accountId ?? accountOfArn(entity.arn) ?? "";

function conditionValues(s: Statement, key: string): string[] {
    return s.conditions.filter((c) => c.key.toLowerCase() === key.toLowerCase()).flatMap((c) => [...c.values]);
}

function describeUserConditions(s: Statement): string {
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

const awsPrincipals = (s: Statement): readonly string[] => (s.principal === "*" ? ["*"] : (s.principal?.AWS ?? []));
const federatedPrincipals = (s: Statement): readonly string[] =>
    s.principal === undefined || s.principal === "*" ? [] : (s.principal.Federated ?? []);

/**
 * The entries that land in `role`. Who to ask about is read from its trust
 * (the providers it names, the OIDC subjects it accepts, the accounts and
 * `aws:PrincipalArn` patterns it names, the users of the graph); whether each
 * gets in is the evaluator's answer, with the caller's own policies for users.
 */
export function entriesOf(role: IamRole, graph: IamEntities): Entry[] {
    const entries: Entry[] = [];
    for (const s of statementsIn([role.trustPolicy]).filter((x) => x.effect === "Allow")) {
        for (const provider of federatedPrincipals(s)) {
            const federated = (claims: Record<string, ReturnType<typeof known>>) => ({
                trust: { kind: "federated" as const, providerArn: provider },
                context: new RequestContext({ "aws:PrincipalArn": ABSENT, "aws:PrincipalOrgID": ABSENT, ...claims }),
            });
            const saml = /:saml-provider\/(.+)$/.exec(provider)?.[1];
            if (saml && assumes(federated({}), undefined, [s], role).allowed) {
                const aud = conditionValues(s, "SAML:aud");
                entries.push({ kind: "saml", who: saml, when: aud.length ? `SAML:aud ${aud.join(" | ")}` : "any audience" });
            }
            const oidc = /:oidc-provider\/(.+)$/.exec(provider)?.[1];
            if (oidc) {
                const aud = conditionValues(s, `${oidc}:aud`).join(" | ");
                for (const sub of conditionValues(s, `${oidc}:sub`)) {
                    if (assumes(federated({ [`${oidc}:sub`]: known(sub) }), undefined, [s], role).allowed)
                        entries.push({ kind: "oidc", who: `${oidc} ${sub}`, when: `aud ${aud}` });
                }
            }
        }
        for (const principal of awsPrincipals(s)) {
            const root = accountOfPrincipal(principal);
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
                    // The permission set's reserved role, with the suffix AWS picks: does the trust admit it?
                    const session = callerOf(pattern.replace(/\*$/, "0000000000000000"), root, false);
                    if (trustAdmits([s], session.trust, "sts:AssumeRole", session.context).admitted)
                        entries.push({ kind: "identity-center", who: sso, when: "" });
                    continue;
                }
                for (const user of graph.users.filter((u) => u.accountId === root)) {
                    const policies = [
                        ...user.policies,
                        ...graph.groups.filter((g) => g.accountId === root && user.groups.includes(g.name)).flatMap((g) => g.policies),
                    ];
                    if (assumes(callerOf(user.arn, root, true), statementsIn(policies), [s], role).allowed) {
                        entries.push({ kind: "user", who: user.name, when: describeUserConditions(s) });
                    }
                }
            }
        }
    }
    return entries;
}

/**
 * Roles whose trust names `from` exactly (its ARN as the principal, or its
 * account with its exact ARN in `aws:PrincipalArn`) and that IAM lets `from`
 * assume: the evaluator decides, with `from`'s own policies.
 */
export function chainsFrom(from: IamRole, graph: IamEntities): IamRole[] {
    const caller = callerOf(from.arn, accountOf(from), false);
    const identity = statementsIn(from.policies);
    return graph.roles.filter((to) => {
        if (to === from) return false;
        const decision = assumes(caller, identity, statementsIn([to.trustPolicy]), to);
        return decision.allowed && decision.level === "exact";
    });
}

/** Every (entry, team, member role, account) path: one hop in, one chained hop out. Sorted, so the order of documents does not matter. */
export function accessMatrix(graph: IamEntities): MatrixRow[] {
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
export function accessGraph(access: AccessModel, entryRoles: readonly RoleModel[] = []): IamEntities {
    const accountId = access.account.id;
    const graphRole = (r: RoleModel): IamRole => ({
        accountId: r.account.id,
        name: r.name,
        arn: r.arn,
        trustPolicy: r.trust,
        policies: Object.values(r.inline),
        managedPolicyArns: r.managedPolicyArns,
        ...(r.permissionsBoundary === undefined ? {} : { permissionsBoundary: r.permissionsBoundary }),
    });
    const roles = [
        ...access.teams.map((t) => graphRole(t.role)),
        ...entryRoles.map(graphRole),
        ...access.memberRoles.flatMap((m) => m.copies.map(graphRole)),
    ];
    const groups = access.groups.map((g): IamGroup => ({
        accountId,
        name: g.name,
        arn: g.arn,
        policies: Object.values(g.policies),
        managedPolicyArns: [],
    }));
    const users = access.users.map((u): IamUser => ({ accountId, name: u.spec.name, arn: u.arn, groups: u.spec.groups, policies: [] }));
    return { roles, groups, users };
}
