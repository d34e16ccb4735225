import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { buildOrganization, PlannedResourceJson, PlannedStack } from "../../analysis/organization";
import { IamGroup, IamRole, IamUser } from "../../iam/entities";
import { judgeHop, reachOf } from "../../analysis/reach";

/**
 * A differential test of the reach engine against @cloud-copilot/iam-simulate
 * (devDependency, tests only): random organizations, written as the plan JSON
 * reach reads, and every hop and every end-to-end reach decided both ways.
 *
 * The oracle knows nothing of the engine: for each caller it builds the
 * request context IAM would send (IAM global condition keys reference,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html:
 * aws:MultiFactorAuthPresent absent for long-term user keys, "false" for a
 * role session without MFA; aws:PrincipalArn/Account/OrgID absent for SAML and
 * web-identity requests; aws:SourceIdentity on every request of a session that
 * carries one) and asks the simulator for each action a hop needs: the assume
 * action, `sts:SetSourceIdentity` when the request sets or carries a source
 * identity, `sts:TagSession` when it passes tags. A hop exists when some
 * request (with or without setting a source identity, with or without tags)
 * has every action allowed. Reach is the closure of hops from each entry.
 */

const ORG = "o-diff0000001";
const OTHER_ORG = "o-other000001";
const ACCOUNTS = ["100000000000", "200000000000", "300000000000"];
const OUTSIDER = "900000000000";
/**
 * The OIDC issuer. iam-simulate keeps a request's `<issuer>:sub`/`:aud` keys
 * only for issuers its action data lists for `sts:AssumeRoleWithWebIdentity`
 * (accounts.google.com, cognito-identity.amazonaws.com, ...), and drops them
 * for any other issuer, so a trust on `token.example.com:sub` never admits
 * anyone there. IAM evaluates them for every IAM OIDC provider ("Available
 * keys for AWS OIDC federation",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif).
 * The engine treats every issuer alike, so one the simulator knows is used.
 */
const OIDC_HOST = "accounts.google.com";
const SUBJECTS = ["repo:acme/a:ref:refs/heads/main", "repo:acme/b:pull_request"];
export const PARTITIONS = ["aws", "aws-us-gov", "aws-cn"] as const;

/** A small seeded generator (mulberry32), so a failing organization is reproduced from its seed. */
export class Rng {
    private state: number;
    constructor(seed: number) {
        this.state = seed >>> 0;
    }
    next(): number {
        this.state = (this.state + 0x6d2b79f5) >>> 0;
        let t = this.state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    chance(p: number): boolean {
        return this.next() < p;
    }
    int(n: number): number {
        return Math.floor(this.next() * n);
    }
    pick<T>(list: readonly T[]): T {
        return list[this.int(list.length)];
    }
    some<T>(list: readonly T[]): T[] {
        const out = list.filter(() => this.chance(0.5));
        return out.length > 0 ? out : [this.pick(list)];
    }
}

type Doc = { Version: string; Statement: object[] };
const doc = (...Statement: object[]): Doc => ({ Version: "2012-10-17", Statement });

interface GenRole {
    readonly arn: string;
    readonly accountId: string;
    readonly name: string;
    readonly trust: Doc;
    readonly policies: Doc[];
    readonly boundary?: Doc;
}
interface GenUser {
    readonly arn: string;
    readonly name: string;
    readonly accountId: string;
    readonly mfa: boolean;
    readonly policies: Doc[];
}
export interface GenOrganization {
    readonly seed: number;
    readonly partition: string;
    readonly roles: GenRole[];
    readonly users: GenUser[];
    readonly saml?: { arn: string; accountId: string };
    readonly oidc?: { arn: string; accountId: string };
    readonly identityCenter?: { accounts: string[]; policy: Doc };
    readonly stacks: PlannedStack[];
    /** SCPs, RCPs (by account, one list of documents per level) and session policies (by role ARN), when this organization has them. */
    readonly policies?: {
        readonly serviceControlPolicies: Record<string, Doc[][]>;
        readonly resourceControlPolicies: Record<string, Doc[][]>;
        readonly sessionPolicies: Record<string, Doc>;
    };
}

/** The management account: exempt from SCPs (its principals) and RCPs (its roles). */
const MANAGEMENT = ACCOUNTS[0];
/** The organization tree: the management account under the root, the members in one OU. */
const LEVELS: Record<string, readonly string[]> = {
    [ACCOUNTS[0]]: ["r-root", ACCOUNTS[0]],
    [ACCOUNTS[1]]: ["r-root", "ou-root-workloads", ACCOUNTS[1]],
    [ACCOUNTS[2]]: ["r-root", "ou-root-workloads", ACCOUNTS[2]],
};

/**
 * Random organization policies over the roles of an organization, from their
 * own generator stream (the organizations without them stay as they were):
 * SCPs at every level (FullAWSAccess or an allow-list, plus deny-lists with
 * aws:PrincipalArn, aws:ResourceOrgID, aws:ResourceAccount or aws:PrincipalOrgID
 * conditions), RCP deny statements (the organization perimeter, a source
 * identity requirement, accounts or users shut out), session policies that
 * keep or drop the assume and side actions.
 */
function generatePolicies(r: Rng, P: string, targets: readonly string[], roleArns: readonly string[]): GenOrganization["policies"] {
    const fullAccess = doc({ Effect: "Allow", Action: "*", Resource: "*" });
    const scpLevel = (): Doc[] => {
        const docs: Doc[] = [
            r.chance(0.7)
                ? fullAccess
                : doc({
                      Effect: "Allow",
                      Action: [
                          "sts:AssumeRole",
                          ...(r.chance(0.6) ? ["sts:SetSourceIdentity"] : []),
                          ...(r.chance(0.6) ? ["sts:TagSession"] : []),
                          "s3:*",
                      ],
                      Resource: "*",
                  }),
        ];
        if (r.chance(0.4)) {
            const deny = r.pick<() => object>([
                () => ({ Effect: "Deny", Action: "sts:AssumeRole", Resource: "*" }),
                () => ({
                    Effect: "Deny",
                    Action: "sts:AssumeRole",
                    Resource: "*",
                    Condition: { StringNotEquals: { "aws:ResourceOrgID": ORG } },
                }),
                () => ({
                    Effect: "Deny",
                    Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
                    Resource: targets.length > 0 ? r.pick(targets) : "*",
                }),
                () => ({
                    Effect: "Deny",
                    Action: "sts:*",
                    Resource: "*",
                    Condition: { ArnLike: { "aws:PrincipalArn": `arn:${P}:iam::*:role/${r.pick(["Ops", "Admin", "Deploy", "Audit"])}` } },
                }),
                () => ({
                    Effect: "Deny",
                    Action: "sts:AssumeRole",
                    Resource: "*",
                    Condition: { StringEquals: { "aws:ResourceAccount": r.pick(ACCOUNTS) } },
                }),
                () => ({ Effect: "Deny", NotAction: ["sts:AssumeRole", "sts:TagSession"], Resource: "*" }),
                () => ({
                    Effect: "Deny",
                    Action: "sts:AssumeRole",
                    Resource: "*",
                    Condition: { StringNotEquals: { "aws:PrincipalOrgID": ORG } },
                }),
            ])();
            docs.push(doc(deny));
        }
        return docs;
    };
    const rcpLevel = (): Doc[] => {
        if (!r.chance(0.4)) return [];
        const deny = r.pick<() => object>([
            // The organization perimeter (RCP examples, "Enforce ... access only by principals of your organization").
            () => ({
                Effect: "Deny",
                Principal: "*",
                Action: "sts:AssumeRole",
                Resource: "*",
                Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": ORG } },
            }),
            () => ({
                Effect: "Deny",
                Principal: "*",
                Action: "sts:*",
                Resource: "*",
                Condition: { StringNotEquals: { "aws:PrincipalAccount": r.some(ACCOUNTS) } },
            }),
            () => ({
                Effect: "Deny",
                Principal: "*",
                Action: "sts:AssumeRole",
                Resource: "*",
                Condition: { Null: { "sts:SourceIdentity": "true" } },
            }),
            () => ({
                Effect: "Deny",
                Principal: "*",
                Action: "sts:AssumeRole",
                Resource: "*",
                Condition: { ArnLike: { "aws:PrincipalArn": `arn:${P}:iam::*:user/*` } },
            }),
            () => ({ Effect: "Deny", Principal: "*", Action: ["sts:SetSourceIdentity", "sts:TagSession"], Resource: "*" }),
            () => ({
                Effect: "Deny",
                Principal: "*",
                Action: "sts:AssumeRoleWithWebIdentity",
                Resource: "*",
            }),
        ])();
        return [doc(deny)];
    };
    const serviceControlPolicies: Record<string, Doc[][]> = {};
    const resourceControlPolicies: Record<string, Doc[][]> = {};
    const root = { scp: scpLevel(), rcp: rcpLevel() };
    const ou = { scp: scpLevel(), rcp: rcpLevel() };
    for (const [account, levels] of Object.entries(LEVELS)) {
        serviceControlPolicies[account] = levels.map((l) => (l === "r-root" ? root.scp : l.startsWith("ou-") ? ou.scp : scpLevel()));
        resourceControlPolicies[account] = levels.map((l) => (l === "r-root" ? root.rcp : l.startsWith("ou-") ? ou.rcp : rcpLevel()));
    }
    const sessionPolicies: Record<string, Doc> = {};
    for (const arn of roleArns) {
        if (!r.chance(0.25)) continue;
        sessionPolicies[arn] = r.pick<() => Doc>([
            () => doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
            () => doc({ Effect: "Allow", Action: "sts:*", Resource: "*" }),
            () =>
                doc({
                    Effect: "Allow",
                    Action: ["sts:AssumeRole", "sts:TagSession"],
                    Resource: targets.length > 0 ? r.some(targets) : "*",
                }),
            () =>
                doc(
                    { Effect: "Allow", Action: "*", Resource: "*" },
                    { Effect: "Deny", Action: "sts:AssumeRole", Resource: targets.length > 0 ? r.pick(targets) : "*" },
                ),
        ])();
    }
    return { serviceControlPolicies, resourceControlPolicies, sessionPolicies };
}

const orgOf = (account: string) => (account === OUTSIDER ? OTHER_ORG : ORG);

/** One random organization. */
export function generateOrganization(seed: number): GenOrganization {
    const r = new Rng(seed);
    const P = r.pick(PARTITIONS);
    const arnOf = (account: string, name: string) => `arn:${P}:iam::${account}:role/${name}`;
    const accounts = r.chance(0.3) ? [...ACCOUNTS, OUTSIDER] : ACCOUNTS;
    const names = ["Ops", "Admin", "Deploy", "Audit"];
    // Role identities first, so trusts and policies can name them.
    const slots: { accountId: string; name: string }[] = [];
    const count = 2 + r.int(3);
    for (let i = 0; i < count; i++) {
        const slot = { accountId: r.pick(accounts), name: r.pick(names) };
        if (!slots.some((s) => s.accountId === slot.accountId && s.name === slot.name)) slots.push(slot);
    }
    const users: GenUser[] = [];
    for (let i = 0; i < r.int(3); i++) {
        const accountId = r.pick(ACCOUNTS);
        users.push({ arn: `arn:${P}:iam::${accountId}:user/u${i}`, name: `u${i}`, accountId, mfa: r.chance(0.5), policies: [] });
    }
    const saml = r.chance(0.4) ? { accountId: r.pick(ACCOUNTS), name: "idp" } : undefined;
    const oidc = r.chance(0.4) ? { accountId: r.pick(ACCOUNTS) } : undefined;
    const samlArn = saml && `arn:${P}:iam::${saml.accountId}:saml-provider/${saml.name}`;
    const oidcArn = oidc && `arn:${P}:iam::${oidc.accountId}:oidc-provider/${OIDC_HOST}`;
    const icAccounts = r.chance(0.4) ? r.some(ACCOUNTS) : undefined;
    const icArns = (icAccounts ?? []).map(
        (a) => `arn:${P}:iam::${a}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PS_0000000000000000`,
    );
    const callerArns = [...slots.map((s) => arnOf(s.accountId, s.name)), ...users.map((u) => u.arn), ...icArns];

    const extraActions = () => [...(r.chance(0.5) ? ["sts:SetSourceIdentity"] : []), ...(r.chance(0.3) ? ["sts:TagSession"] : [])];
    const trustStatement = (accountId: string): object => {
        const conditions: Record<string, Record<string, unknown>> = {};
        const add = (op: string, key: string, value: unknown) => (conditions[op] = { ...(conditions[op] ?? {}), [key]: value });
        let principal: unknown;
        let action = "sts:AssumeRole";
        const kind = r.int(8);
        if (kind === 0 && samlArn && saml?.accountId === accountId) {
            principal = { Federated: samlArn };
            action = "sts:AssumeRoleWithSAML";
        } else if (kind === 1 && oidcArn && oidc?.accountId === accountId) {
            principal = { Federated: oidcArn };
            action = "sts:AssumeRoleWithWebIdentity";
            add("StringEquals", `${OIDC_HOST}:sub`, r.pick(SUBJECTS));
            if (r.chance(0.5)) add("StringEquals", `${OIDC_HOST}:aud`, "sts.amazonaws.com");
        } else if (kind <= 3 && callerArns.length > 0) {
            principal = { AWS: r.pick(callerArns) };
        } else if (kind === 4) {
            const a = r.pick(accounts);
            principal = { AWS: r.chance(0.5) ? `arn:${P}:iam::${a}:root` : a };
            if (r.chance(0.4) && callerArns.length > 0) add("ArnEquals", "aws:PrincipalArn", r.pick(callerArns));
        } else {
            principal = r.chance(0.5) ? "*" : { AWS: "*" };
            if (r.chance(0.5)) add("StringEquals", "aws:PrincipalOrgID", ORG);
            else add("StringEquals", "aws:PrincipalAccount", r.some(accounts));
        }
        if (action === "sts:AssumeRole") {
            if (r.chance(0.25)) add("Bool", "aws:MultiFactorAuthPresent", "true");
            if (r.chance(0.2)) add("ArnNotLike", "aws:PrincipalArn", `arn:${P}:iam::*:user/*`);
            if (r.chance(0.2)) add("StringNotEquals", "aws:PrincipalAccount", r.pick(accounts));
        }
        if (r.chance(0.25)) add("Null", "sts:SourceIdentity", "false");
        if (r.chance(0.1)) add("StringEquals", "aws:RequestTag/team", "blue");
        const actions = [action, ...extraActions()];
        return {
            Effect: "Allow",
            Principal: principal,
            Action: actions.length === 1 ? actions[0] : actions,
            ...(Object.keys(conditions).length > 0 ? { Condition: conditions } : {}),
        };
    };
    const denyStatement = (): object =>
        r.pick([
            { Effect: "Deny", Principal: { AWS: "*" }, Action: "sts:*", Condition: { StringNotEquals: { "aws:PrincipalOrgID": ORG } } },
            {
                Effect: "Deny",
                Principal: "*",
                Action: "sts:AssumeRole",
                Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
            },
            { Effect: "Deny", Principal: { AWS: "*" }, Action: "sts:SetSourceIdentity" },
        ]);
    const targets = slots.map((s) => arnOf(s.accountId, s.name));
    const identityStatement = (): object => {
        const resource = r.pick([
            () => (targets.length > 0 ? r.some(targets) : "*"),
            () => "*",
            () => `arn:${P}:iam::*:role/*`,
            () => `arn:${P}:iam::${r.pick(accounts)}:role/*`,
            () => `arn:${P}:iam::*:role/${r.pick(names)}`,
        ])();
        const actions = r.chance(0.2) ? ["sts:*"] : ["sts:AssumeRole", ...extraActions()];
        return { Effect: "Allow", Action: actions.length === 1 ? actions[0] : actions, Resource: resource };
    };
    const identityPolicy = (): Doc => {
        const statements = [identityStatement()];
        if (r.chance(0.15) && targets.length > 0) statements.push({ Effect: "Deny", Action: "sts:AssumeRole", Resource: r.pick(targets) });
        return doc(...statements);
    };

    const roles: GenRole[] = [];
    for (const slot of slots) {
        const statements = [trustStatement(slot.accountId)];
        if (r.chance(0.4)) statements.push(trustStatement(slot.accountId));
        if (r.chance(0.15)) statements.push(denyStatement());
        const role: GenRole = {
            arn: arnOf(slot.accountId, slot.name),
            accountId: slot.accountId,
            name: slot.name,
            trust: doc(...statements),
            policies: r.chance(0.85) ? [identityPolicy()] : [],
            boundary: r.chance(0.2)
                ? doc({ Effect: "Allow", Action: r.pick(["sts:*", "s3:*", "sts:AssumeRole"]), Resource: "*" })
                : undefined,
        };
        roles.push(role);
        // A copy with the same documents in another account: one shape, several accounts.
        const other = r.pick(accounts);
        if (
            r.chance(0.3) &&
            !slots.some((s) => s.accountId === other && s.name === slot.name) &&
            !roles.some((x) => x.arn === arnOf(other, slot.name))
        )
            roles.push({ ...role, arn: arnOf(other, slot.name), accountId: other });
    }
    const usersWithPolicies = users.map((u) => ({
        ...u,
        policies: [
            identityPolicy(),
            // An MFA-enforcing Deny: such a user signs in with MFA (analysis/organization.ts enforcesMfa).
            ...(u.mfa
                ? [
                      doc({
                          Effect: "Deny",
                          NotAction: ["iam:ListMFADevices"],
                          Resource: "*",
                          Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
                      }),
                  ]
                : []),
        ],
    }));
    const identityCenter = icAccounts && { accounts: icAccounts, policy: identityPolicy() };

    // Organization policies, a service-linked role (exempt from SCPs) and session policies: their own stream.
    const r2 = new Rng(seed ^ 0x5c9a11ce);
    let policies: GenOrganization["policies"];
    if (r2.chance(0.5)) {
        if (r2.chance(0.4)) {
            const accountId = r2.pick(ACCOUNTS.slice(1));
            roles.push({
                arn: `arn:${P}:iam::${accountId}:role/aws-service-role/ops.amazonaws.com/AWSServiceRoleForOps`,
                accountId,
                name: "AWSServiceRoleForOps",
                trust: doc({ Effect: "Allow", Principal: { Service: "ops.amazonaws.com" }, Action: "sts:AssumeRole" }),
                policies: [doc({ Effect: "Allow", Action: r2.pick(["sts:AssumeRole", "sts:*"]), Resource: "*" })],
            });
        }
        policies = generatePolicies(
            r2,
            P,
            targets,
            roles.map((x) => x.arn),
        );
    }

    // The plan JSON reach reads: one stack per organization.
    const resources = (account: string): PlannedResourceJson[] => {
        const out: PlannedResourceJson[] = [];
        for (const role of roles.filter((x) => x.accountId === account && x.boundary))
            out.push({
                type: "aws:iam/policy:Policy",
                name: `boundary-${role.name}`,
                accountId: account,
                inputs: { name: `Boundary${role.name}`, policy: JSON.stringify(role.boundary) },
            });
        if (saml && saml.accountId === account)
            out.push({ type: "aws:iam/samlProvider:SamlProvider", name: "idp", accountId: account, inputs: { name: saml.name } });
        if (oidc && oidc.accountId === account)
            out.push({
                type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
                name: "oidc",
                accountId: account,
                inputs: { url: `https://${OIDC_HOST}`, clientIdLists: ["sts.amazonaws.com"] },
            });
        if (identityCenter && account === ACCOUNTS[0]) {
            out.push({ type: "aws:ssoadmin/permissionSet:PermissionSet", name: "ps", accountId: account, inputs: { name: "PS" } });
            out.push({
                type: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
                name: "ps-inline",
                accountId: account,
                inputs: { inlinePolicy: JSON.stringify(identityCenter.policy) },
            });
            for (const a of identityCenter.accounts)
                out.push({
                    type: "aws:ssoadmin/accountAssignment:AccountAssignment",
                    name: `ps-assign-${a}`,
                    accountId: account,
                    inputs: { targetType: "AWS_ACCOUNT", targetId: a },
                });
        }
        return out;
    };
    const stackOf = (stack: string, organizationId: string, accountIds: readonly string[]): PlannedStack => ({
        stack,
        organizationId,
        resources: accountIds.flatMap(resources),
        iam: {
            roles: roles
                .filter((x) => accountIds.includes(x.accountId))
                .map((x): IamRole => ({
                    accountId: x.accountId,
                    name: x.name,
                    arn: x.arn,
                    trustPolicy: x.trust,
                    policies: x.policies,
                    managedPolicyArns: [],
                    ...(x.boundary ? { permissionsBoundary: `arn:${P}:iam::${x.accountId}:policy/Boundary${x.name}` } : {}),
                })),
            groups: usersWithPolicies
                .filter((u) => accountIds.includes(u.accountId))
                .map((u): IamGroup => ({
                    accountId: u.accountId,
                    name: `g-${u.name}`,
                    arn: `arn:${P}:iam::${u.accountId}:group/g-${u.name}`,
                    policies: u.policies,
                    managedPolicyArns: [],
                })),
            users: usersWithPolicies
                .filter((u) => accountIds.includes(u.accountId))
                .map((u): IamUser => ({ accountId: u.accountId, name: u.name, arn: u.arn, groups: [`g-${u.name}`], policies: [] })),
        },
    });
    const stacks = [stackOf("org", ORG, ACCOUNTS), ...(accounts.includes(OUTSIDER) ? [stackOf("outsider", OTHER_ORG, [OUTSIDER])] : [])];
    return {
        seed,
        partition: P,
        roles,
        users: usersWithPolicies,
        saml: samlArn && saml ? { arn: samlArn, accountId: saml.accountId } : undefined,
        oidc: oidcArn && oidc ? { arn: oidcArn, accountId: oidc.accountId } : undefined,
        identityCenter,
        stacks,
        policies,
    };
}

// ------------------------------------------------------------------------------------------------
// The oracle: iam-simulate, one request at a time
// ------------------------------------------------------------------------------------------------

/** A caller as the oracle sees it: the request's principal, its context, its policies. */
interface OracleCaller {
    readonly principal: string;
    readonly action: string;
    readonly context: Record<string, string | string[]>;
    readonly identity: Doc[];
    readonly boundary?: Doc;
    /** The session carries a source identity. */
    readonly sourceIdentity: boolean;
    /** The SCPs over the caller (its account's levels), when any apply; the session policy it was opened with. */
    readonly scp?: { readonly account: string; readonly levels: Doc[][] };
    readonly session?: Doc;
}

/**
 * The SCPs the oracle applies to a principal of `account` (AWS Organizations User Guide,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html):
 * none to the management account's principals or to a service-linked role.
 */
function scpsOver(org: GenOrganization, account: string, arn: string): OracleCaller["scp"] {
    const levels = org.policies?.serviceControlPolicies[account];
    if (levels === undefined || account === MANAGEMENT || arn.includes(":role/aws-service-role/")) return undefined;
    return { account, levels };
}

class Oracle {
    constructor(private readonly org: GenOrganization) {}
    private readonly memo = new Map<string, Promise<boolean>>();
    calls = 0;
    /**
     * Set when the simulator dropped a token claim (`<issuer>:sub`, `:aud`) that the
     * trust names. It keeps only the keys the Service Authorization Reference lists
     * for each action, as IAM does, and the engine follows the same table
     * (`RequestContext.forAction`), so this should stay 0; an entry judged on such
     * a decision is left out and counted rather than compared.
     */
    limited = false;

    private allowed(caller: OracleCaller, action: string, target: GenRole, extra: Record<string, string | string[]>): Promise<boolean> {
        const context = {
            ...caller.context,
            "aws:ResourceAccount": target.accountId,
            ...(target.accountId !== OUTSIDER ? { "aws:ResourceOrgID": ORG } : { "aws:ResourceOrgID": OTHER_ORG }),
            ...extra,
        };
        const level = (account: string, levels: Doc[][]) =>
            levels.map((docs, i) => ({
                orgIdentifier: LEVELS[account][i],
                policies: docs.map((policy, j) => ({ name: `${i}-${j}`, policy })),
            }));
        const scps = caller.scp ? level(caller.scp.account, caller.scp.levels) : [];
        // RCPs over the role's account: none in the management account (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
        const rcpLevels = target.accountId === MANAGEMENT ? undefined : this.org.policies?.resourceControlPolicies[target.accountId];
        const rcps = rcpLevels ? level(target.accountId, rcpLevels) : [];
        const key = JSON.stringify([
            caller.principal,
            caller.identity,
            caller.boundary ?? null,
            action,
            target.arn,
            target.trust,
            context,
            scps,
            rcps,
            caller.session ?? null,
        ]);
        let v = this.memo.get(key);
        if (!v) {
            this.calls++;
            const simulation = {
                request: {
                    principal: caller.principal,
                    action,
                    resource: { resource: target.arn, accountId: target.accountId },
                    contextVariables: context,
                },
                identityPolicies: caller.identity.map((policy, i) => ({ name: `identity-${i}`, policy })),
                serviceControlPolicies: scps,
                resourceControlPolicies: rcps,
                ...(caller.session ? { sessionPolicy: caller.session } : {}),
                resourcePolicy: target.trust,
                ...(caller.boundary ? { permissionBoundaryPolicies: [{ name: "boundary", policy: caller.boundary }] } : {}),
            } as unknown as Simulation;
            v = runSimulation(simulation, {}).then((response) => {
                if (response.resultType === "error") throw new Error(`simulator rejected the request: ${JSON.stringify(response.errors)}`);
                const ignored = (response as { result?: { ignoredContextKeys?: string[] } }).result?.ignoredContextKeys ?? [];
                // A claim dropped from an action whose keys do not include it is IAM's own rule (the engine follows it,
                // RequestContext.forAction); only a claim dropped from the web-identity assume itself is the simulator's gap.
                if (
                    action === "sts:AssumeRoleWithWebIdentity" &&
                    ignored.some((k) => k.startsWith(`${OIDC_HOST}:`)) &&
                    JSON.stringify(target.trust).includes(`${OIDC_HOST}:`)
                )
                    this.limited = true;
                return response.overallResult === "Allowed";
            });
            this.memo.set(key, v);
        }
        return v;
    }

    /** The source-identity outcomes (false: none; true: carries one) of every request that gets `caller` into `target`. */
    async hop(caller: OracleCaller, target: GenRole): Promise<boolean[]> {
        const outcomes: boolean[] = [];
        const tagsMatter = JSON.stringify(target.trust).includes("aws:RequestTag");
        for (const si of caller.sourceIdentity ? [true] : [false, true]) {
            for (const tags of tagsMatter ? [false, true] : [false]) {
                const extra: Record<string, string | string[]> = {
                    ...(si ? { "sts:SourceIdentity": "alice" } : {}),
                    ...(tags ? { "aws:RequestTag/team": "blue", "aws:TagKeys": ["team"] } : {}),
                };
                const actions = [caller.action, ...(si ? ["sts:SetSourceIdentity"] : []), ...(tags ? ["sts:TagSession"] : [])];
                let ok = true;
                for (const action of actions) {
                    if (!(await this.allowed(caller, action, target, extra))) {
                        ok = false;
                        break;
                    }
                }
                if (ok) {
                    outcomes.push(si);
                    break;
                }
            }
        }
        return outcomes;
    }
}

function roleSession(
    org: GenOrganization,
    role: { arn: string; accountId: string },
    mfa: boolean,
    si: boolean,
    identity: Doc[],
    boundary?: Doc,
): OracleCaller {
    const name = role.arn.split("/").pop();
    return {
        principal: `arn:${org.partition}:sts::${role.accountId}:assumed-role/${name}/session`,
        action: "sts:AssumeRole",
        context: {
            "aws:PrincipalArn": role.arn,
            "aws:PrincipalAccount": role.accountId,
            "aws:PrincipalOrgID": orgOf(role.accountId),
            "aws:PrincipalType": "AssumedRole",
            "aws:MultiFactorAuthPresent": mfa ? "true" : "false",
            ...(mfa ? { "aws:MultiFactorAuthAge": "0" } : {}),
            ...(si ? { "aws:SourceIdentity": "alice" } : {}),
        },
        identity,
        boundary,
        sourceIdentity: si,
        scp: scpsOver(org, role.accountId, role.arn),
        session: org.policies?.sessionPolicies[role.arn],
    };
}

/** Entry identities, named as the engine names them, with their first callers. */
function entries(org: GenOrganization): { id: string; mfa: boolean; callers: OracleCaller[] }[] {
    const out: { id: string; mfa: boolean; callers: OracleCaller[] }[] = [];
    for (const u of org.users) {
        out.push({
            id: `user:${u.name}`,
            mfa: u.mfa,
            callers: [
                {
                    principal: u.arn,
                    action: "sts:AssumeRole",
                    context: {
                        "aws:PrincipalArn": u.arn,
                        "aws:PrincipalAccount": u.accountId,
                        "aws:PrincipalOrgID": ORG,
                        "aws:PrincipalType": "User",
                        "aws:username": u.name,
                        // Long-term keys: no MFA key at all; an MFA sign-in: true.
                        ...(u.mfa ? { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "0" } : {}),
                    },
                    identity: u.policies,
                    sourceIdentity: false,
                    scp: scpsOver(org, u.accountId, u.arn),
                },
            ],
        });
    }
    if (org.saml)
        out.push({
            id: "saml:idp",
            mfa: false,
            callers: [{ principal: org.saml.arn, action: "sts:AssumeRoleWithSAML", context: {}, identity: [], sourceIdentity: false }],
        });
    if (org.oidc) {
        // The engine lists one entry per subject some trust naming the provider accepts.
        const subjects = new Set<string>();
        for (const role of org.roles)
            for (const s of role.trust.Statement as {
                Principal?: { Federated?: string };
                Condition?: Record<string, Record<string, string>>;
            }[])
                if (s.Principal?.Federated === org.oidc.arn && s.Condition?.StringEquals?.[`${OIDC_HOST}:sub`])
                    subjects.add(s.Condition.StringEquals[`${OIDC_HOST}:sub`]);
        for (const sub of subjects)
            out.push({
                id: `oidc:${OIDC_HOST}:${sub}`,
                mfa: false,
                callers: [
                    {
                        principal: org.oidc.arn,
                        action: "sts:AssumeRoleWithWebIdentity",
                        context: { [`${OIDC_HOST}:sub`]: sub, [`${OIDC_HOST}:aud`]: "sts.amazonaws.com" },
                        identity: [],
                        sourceIdentity: false,
                    },
                ],
            });
    }
    if (org.identityCenter) {
        out.push({
            id: "identity-center:PS",
            mfa: false,
            callers: org.identityCenter.accounts.map((a) =>
                roleSession(
                    org,
                    {
                        arn: `arn:${org.partition}:iam::${a}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PS_0000000000000000`,
                        accountId: a,
                    },
                    false,
                    false,
                    [org.identityCenter!.policy],
                ),
            ),
        });
    }
    return out;
}

export interface Disagreement {
    readonly seed: number;
    readonly what: string;
}

/** Every hop between roles (with and without a carried source identity) and every reach, engine against oracle. */
export async function compare(
    org: GenOrganization,
): Promise<{ disagreements: Disagreement[]; calls: number; hops: number; reach: number; limited: number }> {
    const oracle = new Oracle(org);
    const disagreements: Disagreement[] = [];
    let hops = 0;
    // 1. Every role-to-role hop, judged on its own.
    for (const from of org.roles) {
        for (const to of org.roles) {
            if (from.arn === to.arn) continue;
            for (const si of [false, true]) {
                hops++;
                const engine = judgeHop(
                    {
                        arn: from.arn,
                        organizationId: orgOf(from.accountId),
                        mfa: false,
                        sourceIdentity: si,
                        sessionPolicy: org.policies?.sessionPolicies[from.arn],
                    },
                    from.policies,
                    from.boundary,
                    to.arn,
                    to.trust,
                    org.policies && { managementAccountId: MANAGEMENT, policies: org.policies, organizationIdOf: orgOf },
                );
                const oracleHop = await oracle.hop(roleSession(org, from, false, si, from.policies, from.boundary), to);
                if (engine.allowed !== oracleHop.length > 0)
                    disagreements.push({
                        seed: org.seed,
                        what: `hop ${from.arn} (source identity ${si}) -> ${to.arn}: engine ${engine.allowed}, simulator ${oracleHop.length > 0}`,
                    });
            }
        }
    }
    // 2. Reach from every entry: the oracle's closure against the engine's search.
    const result = reachOf(buildOrganization(org.stacks, (id) => id, MANAGEMENT, org.policies));
    const byRole = new Map(org.roles.map((x) => [x.arn, x]));
    let reach = 0;
    let limited = 0;
    for (const entry of entries(org)) {
        oracle.limited = false;
        const reached = new Set<string>();
        const seen = new Set<string>();
        let frontier: { caller: OracleCaller; role?: GenRole }[] = entry.callers.map((caller) => ({ caller }));
        while (frontier.length > 0) {
            const next: typeof frontier = [];
            for (const { caller, role } of frontier) {
                for (const target of org.roles) {
                    if (target.arn === role?.arn) continue;
                    for (const si of await oracle.hop(caller, target)) {
                        const key = `${target.arn}|${si}`;
                        if (seen.has(key)) continue;
                        seen.add(key);
                        reached.add(target.arn);
                        next.push({ caller: roleSession(org, target, entry.mfa, si, target.policies, target.boundary), role: target });
                    }
                }
            }
            frontier = next;
        }
        if (oracle.limited) {
            limited++;
            continue;
        }
        const engine = new Set(result.reach.filter((x) => x.from === entry.id).map((x) => x.to));
        reach += reached.size;
        const missing = [...reached].filter((a) => !engine.has(a));
        const extra = [...engine].filter((a) => !reached.has(a));
        if (missing.length > 0 || extra.length > 0)
            disagreements.push({
                seed: org.seed,
                what: `reach of ${entry.id}: engine misses [${missing.join(", ")}], engine adds [${extra.join(", ")}]`,
            });
        // Every hop of every path the engine reports is one the oracle allows from that point.
        for (const path of result.reach.filter((x) => x.from === entry.id)) {
            if (path.path.some((a) => !byRole.has(a)))
                disagreements.push({
                    seed: org.seed,
                    what: `reach of ${entry.id}: path through an unknown role ${path.path.join(" -> ")}`,
                });
        }
    }
    if (result.problems.length > 0) disagreements.push({ seed: org.seed, what: `engine problems: ${result.problems.join("; ")}` });
    return { disagreements, calls: oracle.calls, hops, reach, limited };
}
