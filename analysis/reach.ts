/**
 * Reach: which roles each entry identity can end up in, through any chain of
 * `sts:AssumeRole`, across every stack of the organization; and the paths that
 * should alarm a reviewer.
 *
 * A hop from a caller to a role exists when the caller's identity policies
 * (inline, customer-managed, AWS managed; minus Deny; capped by a permissions
 * boundary) allow the assume action on the role's ARN AND the role's trust
 * admits the caller (iam/evaluator.ts). Both are needed across accounts (IAM
 * User Guide, "Cross-account policy evaluation logic",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html);
 * within one account this engine asks for both as well, which can only miss a
 * hop a trust grants to an exact principal ARN without an identity policy.
 *
 * Sessions carry MFA (from an IAM user whose groups enforce it, and then along
 * the chain) and a source identity (set at a hop whose trust and identity both
 * allow `sts:SetSourceIdentity`; it persists through chained sessions, IAM User
 * Guide "Monitor and control actions taken with assumed roles").
 *
 * Performance: roles are grouped into shapes (analysis/organization.ts). A hop
 * from shape S to shape T is judged once per breadth-first search: the first
 * copy of S that the trust of T admits fires the edge to every copy of T its
 * identity policy allows, and those get their shortest path through it; later
 * copies of S cannot reach them sooner. Trust verdicts are memoised per
 * (caller, shape), identity verdicts per (shape, shape).
 */
import { accountOfArn } from "../iam/arns";
import {
    buildOrganization,
    EntryIdentity,
    EntrySession,
    Organization,
    OrganizationPolicies,
    PlannedStack,
    ReadPolicies,
    readOrganizationPolicies,
    RoleNode,
    RoleShape,
} from "./organization";
import {
    ABSENT,
    ContextValue,
    decide,
    FREE,
    Guardrails,
    guardrailsAllow,
    IdentitySide,
    identitySide,
    known,
    readStatements,
    RequestContext,
    TrustCaller,
    trustAdmits,
    TrustLevel,
    TrustVerdict,
} from "../iam/evaluator";

export interface ReachPath {
    readonly from: string;
    readonly to: string;
    /** Every role assumed, in order, ending with `to`. */
    readonly path: readonly string[];
}
export interface ReachAlert extends ReachPath {
    readonly why: string;
}
export interface ReachResult {
    readonly reach: ReachPath[];
    readonly alerts: ReachAlert[];
    /** Entry identities, in order, including those that reach nothing. */
    readonly entries: readonly string[];
    /** The break-glass entries among them (IAM users whose only MFA device an administrator enrolled). */
    readonly breakGlass?: readonly string[];
    readonly managementAccountId?: string;
    readonly problems: readonly string[];
}

/** A caller's session: who it is and what its session carries. */
interface Caller {
    readonly trustCaller: TrustCaller;
    /** The caller's account (a SAML or OIDC caller's is its provider's): decides the same-account rule. */
    readonly accountId?: string;
    readonly action: string;
    readonly context: RequestContext;
    readonly identity?: RoleShape["identity"];
    readonly boundary?: RoleShape["boundary"];
    readonly mfa: boolean;
    readonly sourceIdentity: boolean;
    /** The SCPs over the caller (undefined where none apply) and its session policy; see `guardrailsOf`. */
    readonly scp?: Guardrails["scp"];
    readonly session?: Guardrails["session"];
    /**
     * Tells callers apart for the search's edge memo when organization or session
     * policies are given ("" otherwise): an SCP, an RCP or a session policy can
     * turn on any key of the caller's context (its ARN, account, organization),
     * so each caller fires its own edges.
     */
    readonly guardKey: string;
}

/** One hop's judgement, for one target role. */
interface Hop {
    readonly target: RoleNode;
    /** Named by both sides: an identity statement naming this action on this exact ARN (or no identity side), and a trust naming the caller or its account. */
    readonly granted: boolean;
    readonly why?: string;
    /** The session this hop opens carries a source identity: set on this hop, or carried from the caller's. */
    readonly sourceIdentity: boolean;
}

/**
 * One way to make the request: with a source identity (set on this hop, or
 * carried by the caller's session) or without, passing session tags or not.
 * A request that sets or carries a source identity is also a request for
 * `sts:SetSourceIdentity`, one that passes tags for `sts:TagSession`, each
 * judged on both sides like the assume action itself. Once a session has a
 * source identity, every chained request carries it, so every later hop needs
 * `sts:SetSourceIdentity` in the caller's policy and the role's trust (IAM
 * User Guide, "Monitor and control actions taken with assumed roles",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html;
 * "Passing session tags in AWS STS", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html).
 * Tags are passed only when a trust needs them: reach asks whether some
 * request gets through.
 */
interface Attempt {
    readonly sourceIdentity: boolean;
    readonly tags: boolean;
}
const ATTEMPTS: Record<"carried" | "fresh", readonly Attempt[]> = {
    carried: [
        { sourceIdentity: true, tags: false },
        { sourceIdentity: true, tags: true },
    ],
    fresh: [
        { sourceIdentity: false, tags: false },
        { sourceIdentity: false, tags: true },
        { sourceIdentity: true, tags: false },
        { sourceIdentity: true, tags: true },
    ],
};

/** The keys of one request the caller makes: its session's, plus what this attempt passes; external ids and session names are its own. */
function requestContext(caller: Caller, attempt: Attempt, resourceAccount?: string): RequestContext {
    const passed = (yes: boolean) => (yes ? FREE : ABSENT);
    return caller.context.with({
        "sts:ExternalId": FREE,
        "sts:SourceIdentity": passed(attempt.sourceIdentity),
        "aws:RequestTag/*": passed(attempt.tags),
        "aws:TagKeys": passed(attempt.tags),
        ...(resourceAccount !== undefined ? { "aws:ResourceAccount": known(resourceAccount) } : {}),
    });
}

function attemptActions(caller: Caller, attempt: Attempt): string[] {
    return [caller.action, ...(attempt.sourceIdentity ? ["sts:SetSourceIdentity"] : []), ...(attempt.tags ? ["sts:TagSession"] : [])];
}

function sessionContext(
    orgId: string | undefined,
    arn: string,
    accountId: string,
    type: "User" | "AssumedRole",
    mfa: boolean,
    sourceIdentity: boolean,
    userName?: string,
): RequestContext {
    return new RequestContext({
        "aws:PrincipalArn": known(arn),
        "aws:PrincipalAccount": known(accountId),
        // Present for a principal of an account in an organization (IAM global condition keys, aws:PrincipalOrgID).
        "aws:PrincipalOrgID": orgId ? known(orgId) : ABSENT,
        "aws:PrincipalType": known(type),
        "aws:username": userName ? known(userName) : ABSENT,
        // Long-term user keys carry no MFA key at all; role sessions say false. IAM global condition keys reference,
        // aws:MultiFactorAuthPresent (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent).
        "aws:MultiFactorAuthPresent": mfa ? known("true") : type === "User" ? ABSENT : known("false"),
        "aws:MultiFactorAuthAge": mfa ? known("0") : ABSENT,
        "aws:SourceIdentity": sourceIdentity ? FREE : ABSENT,
        "aws:FederatedProvider": ABSENT,
        // An IAM principal is no AWS service: the key is false in every signed request (IAM global condition keys,
        // aws:PrincipalIsAWSService), which an RCP's perimeter reads.
        "aws:PrincipalIsAWSService": known("false"),
    });
}

function entryCaller(org: Organization, s: EntrySession): Caller {
    if (s.kind === "federated") {
        const claims: Record<string, ReturnType<typeof known>> = {};
        for (const [k, v] of Object.entries(s.claims ?? {})) claims[k] = v.length > 0 ? known(...v) : FREE;
        return {
            trustCaller: { kind: "federated", providerArn: s.arn },
            accountId: s.accountId,
            action: s.action,
            // A web identity or SAML request has no AWS principal: aws:PrincipalArn, aws:PrincipalAccount and
            // aws:PrincipalOrgID are absent (IAM global condition keys, each key's availability:
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid).
            context: new RequestContext({
                "aws:PrincipalArn": ABSENT,
                "aws:PrincipalAccount": ABSENT,
                "aws:PrincipalOrgID": ABSENT,
                "aws:MultiFactorAuthPresent": ABSENT,
                "aws:SourceIdentity": ABSENT,
                "aws:FederatedProvider": known(s.arn),
                "aws:PrincipalIsAWSService": known("false"),
                ...claims,
            }),
            mfa: false,
            sourceIdentity: false,
            // No IAM principal of an account makes a SAML or web-identity request: no SCP applies to it.
            guardKey: "",
        };
    }
    const type = s.arn.includes(":user/") ? "User" : "AssumedRole";
    const scp = scpOver(org.policies, org.managementAccountId, s.arn, s.accountId);
    return {
        trustCaller: { kind: "aws", arn: s.arn, accountId: s.accountId, user: type === "User" },
        accountId: s.accountId,
        action: s.action,
        context: sessionContext(org.organizationIdOf(s.accountId), s.arn, s.accountId, type, s.mfa, false, s.userName),
        identity: s.identity ?? [],
        mfa: s.mfa,
        sourceIdentity: false,
        scp,
        guardKey: org.policies === undefined ? "" : s.arn,
    };
}

/**
 * The SCPs over a caller of this account: none for the management account's
 * principals or a service-linked role (a role under `/aws-service-role/`), see
 * iam/evaluator.ts `Guardrails`.
 */
function scpOver(policies: ReadPolicies | undefined, managementAccountId: string | undefined, arn: string, accountId: string) {
    if (policies === undefined || accountId === managementAccountId || arn.includes(":role/aws-service-role/")) return undefined;
    return policies.scp.get(accountId);
}

/** The RCPs over a role of this account: none in the management account. */
function rcpOver(policies: ReadPolicies | undefined, managementAccountId: string | undefined, accountId: string) {
    if (policies === undefined || accountId === managementAccountId) return undefined;
    return policies.rcp.get(accountId);
}

/** The guardrails of one request from `caller` into a role of `targetAccount`; undefined when nothing caps it. */
function guardrailsOf(
    caller: Caller,
    policies: ReadPolicies | undefined,
    managementAccountId: string | undefined,
    targetAccount: string,
    resourceOrgId: ContextValue,
): Sides["guardrails"] {
    const rcp = rcpOver(policies, managementAccountId, targetAccount);
    if (caller.scp === undefined && caller.session === undefined && rcp === undefined) return undefined;
    return { policies: { scp: caller.scp, rcp, session: caller.session }, resourceOrgId };
}

function roleCaller(org: Organization, role: RoleNode, mfa: boolean, sourceIdentity: boolean): Caller {
    const scp = scpOver(org.policies, org.managementAccountId, role.arn, role.accountId);
    const session = org.policies?.session.get(role.arn);
    return {
        trustCaller: { kind: "aws", arn: role.arn, accountId: role.accountId },
        accountId: role.accountId,
        action: "sts:AssumeRole",
        context: sessionContext(org.organizationIdOf(role.accountId), role.arn, role.accountId, "AssumedRole", mfa, sourceIdentity),
        identity: role.shape.identity,
        boundary: role.shape.boundary,
        mfa,
        sourceIdentity,
        scp,
        session,
        guardKey: org.policies === undefined ? "" : role.arn,
    };
}

/** What one request needs from a role's trust and from the caller's identity policies. */
interface Sides {
    trust(action: string, attempt: Attempt): TrustVerdict;
    identity(action: string, attempt: Attempt): IdentitySide | undefined;
    /**
     * SCPs, RCPs and the session policy over this request, when any applies, with
     * the target's organization (`aws:ResourceOrgID`: known, absent outside any
     * organization, free when not known).
     */
    readonly guardrails?: { readonly policies: Guardrails; readonly resourceOrgId: ContextValue };
}

/**
 * The hops a caller can make into one role: at most one without a source
 * identity and one with, each through the first attempt IAM allows (every
 * action of the attempt allowed by `decide`).
 */
function hopsInto(role: { readonly arn: string; readonly accountId: string }, caller: Caller, sides: Sides): Omit<Hop, "target">[] {
    const hops: Omit<Hop, "target">[] = [];
    const attempts = ATTEMPTS[caller.sourceIdentity ? "carried" : "fresh"];
    for (const withSourceIdentity of caller.sourceIdentity ? [true] : [false, true]) {
        for (const attempt of attempts.filter((a) => a.sourceIdentity === withSourceIdentity)) {
            let main: { trust: TrustVerdict; identity?: IdentitySide } | undefined;
            const allowed = attemptActions(caller, attempt).every((action) => {
                const trust = sides.trust(action, attempt);
                const identity = sides.identity(action, attempt);
                main ??= { trust, identity };
                return (
                    decide(trust, identity, caller.accountId === role.accountId) &&
                    (sides.guardrails === undefined ||
                        guardrailsAllow(
                            sides.guardrails.policies,
                            action,
                            role.arn,
                            requestContext(caller, attempt, role.accountId)
                                .with({ "aws:ResourceOrgID": sides.guardrails.resourceOrgId })
                                .forAction(action),
                        ))
                );
            });
            if (!allowed || main === undefined) continue;
            const { trust, identity } = main;
            const granted = trust.level !== undefined && grantedHop(identity?.own.exact ?? true, trust.level);
            const from = caller.trustCaller.kind === "aws" ? caller.trustCaller.arn : caller.trustCaller.providerArn;
            const why = granted
                ? undefined
                : trust.level === "anyone"
                  ? `${from} -> ${role.arn} is admitted only by a trust of any principal in the organization`
                  : `${from} -> ${role.arn} is allowed only by a wildcard permission (an action or resource pattern, e.g. sts:*, * or role/*) into a trust that names the caller's whole account`;
            hops.push({ granted, why, sourceIdentity: attempt.sourceIdentity });
            break;
        }
    }
    return hops;
}

/** The engine's memo tables, shared by every search over one organization. */
class Judge {
    constructor(private readonly org: Organization) {}
    private resourceOrg(accountId: string): ContextValue {
        const id = this.org.organizationIdOf(accountId);
        return id === undefined ? ABSENT : known(id);
    }
    private readonly trustMemo = new Map<string, TrustVerdict>();
    private readonly identityMemo = new Map<string, IdentitySide>();
    private readonly copies = new Map<RoleShape, Map<string, RoleNode>>();

    private trust(target: RoleShape, caller: Caller, callerKey: string, action: string, attempt: Attempt): TrustVerdict {
        const key = `${target.id}|${callerKey}|${caller.mfa}|${caller.sourceIdentity}|${action}|${attempt.sourceIdentity}|${attempt.tags}`;
        let v = this.trustMemo.get(key);
        if (!v) {
            v = trustAdmits(target.trust, caller.trustCaller, action, requestContext(caller, attempt).forAction(action));
            this.trustMemo.set(key, v);
        }
        return v;
    }

    /** The trust's verdict on the assume action for the most permissive attempt that it admits: undefined when none does. */
    admits(target: RoleShape, caller: Caller, callerKey: string): TrustVerdict | undefined {
        for (const attempt of ATTEMPTS[caller.sourceIdentity ? "carried" : "fresh"]) {
            const v = this.trust(target, caller, callerKey, caller.action, attempt);
            if (v.admitted) return v;
        }
        return undefined;
    }

    /** The copy of a shape in one account. */
    copyIn(shape: RoleShape, accountId: string): RoleNode | undefined {
        let index = this.copies.get(shape);
        if (!index) {
            index = new Map(shape.roles.map((r) => [r.accountId, r]));
            this.copies.set(shape, index);
        }
        return index.get(accountId);
    }

    /** Hops into `roles` of `target`; identity verdicts memoised under `identityKey` (the caller's shape) when given. */
    hops(target: RoleShape, roles: readonly RoleNode[], caller: Caller, callerKey: string, identityKey: string | undefined): Hop[] {
        return roles.flatMap((role) =>
            hopsInto(role, caller, {
                trust: (action, attempt) => this.trust(target, caller, callerKey, action, attempt),
                identity: (action, attempt) => {
                    if (caller.identity === undefined) return undefined;
                    const key =
                        identityKey === undefined
                            ? undefined
                            : `${identityKey}|${caller.mfa}|${caller.sourceIdentity}|${role.arn}|${action}|${attempt.sourceIdentity}|${attempt.tags}`;
                    const memo = key === undefined ? undefined : this.identityMemo.get(key);
                    if (memo) return memo;
                    const v = identitySide(
                        caller.identity,
                        caller.boundary,
                        action,
                        role.arn,
                        requestContext(caller, attempt, role.accountId).forAction(action),
                    );
                    if (key !== undefined) this.identityMemo.set(key, v);
                    return v;
                },
                guardrails: guardrailsOf(
                    caller,
                    this.org.policies,
                    this.org.managementAccountId,
                    role.accountId,
                    this.resourceOrg(role.accountId),
                ),
            }).map((hop) => ({ ...hop, target: role })),
        );
    }
}

interface State {
    readonly role: RoleNode;
    readonly sourceIdentity: boolean;
    readonly parent?: State;
    /** The first hop on the way here that was not granted, with why. */
    readonly notGranted?: string;
}

/**
 * Breadth-first search from one entry: the first state that reaches each role
 * holds one shortest path. With `grantedOnly`, only granted hops are followed.
 * A state is a role and whether its session carries a source identity.
 */
function search(org: Organization, judge: Judge, entry: EntryIdentity, grantedOnly: boolean): Map<string, State> {
    const first = new Map<string, State>();
    const seen = new Set<string>();
    let frontier: State[] = [];
    const mfa = entry.sessions.some((s) => s.mfa);
    const visit = (next: State[], hop: Hop, parent: State | undefined) => {
        if ((grantedOnly && !hop.granted) || hop.target.arn === parent?.role.arn) return;
        const key = `${hop.target.arn}|${hop.sourceIdentity}`;
        if (seen.has(key)) return;
        seen.add(key);
        const state: State = {
            role: hop.target,
            sourceIdentity: hop.sourceIdentity,
            parent,
            notGranted: parent?.notGranted ?? (hop.granted ? undefined : hop.why),
        };
        if (!first.has(hop.target.arn)) first.set(hop.target.arn, state);
        next.push(state);
    };
    for (const session of entry.sessions) {
        const caller = entryCaller(org, session);
        const callerKey = `entry:${session.arn}:${entry.id}`;
        for (const shape of org.shapes) {
            if (!judge.admits(shape, caller, callerKey)) continue;
            for (const hop of judge.hops(shape, shape.roles, caller, callerKey, undefined)) visit(frontier, hop, undefined);
        }
    }
    // Edge S -> T fires in full for the first copy of S the trust of T admits (per verdict); a later copy of S can only
    // add the copy of T in its own account (the same-account rule) and the one in the first copy's account.
    const fired = new Map<string, string>();
    while (frontier.length > 0) {
        const next: State[] = [];
        for (const state of frontier) {
            const caller = roleCaller(org, state.role, mfa, state.sourceIdentity);
            for (const shape of org.shapes) {
                const verdict = judge.admits(shape, caller, state.role.arn);
                if (!verdict) continue;
                const edge = `${state.role.shape.id}|${state.sourceIdentity}|${shape.id}|${verdict.level}|${verdict.direct}|${verdict.account}|${caller.guardKey}`;
                const firstAccount = fired.get(edge);
                let roles: readonly RoleNode[];
                if (firstAccount === undefined) {
                    fired.set(edge, state.role.accountId);
                    roles = shape.roles;
                } else {
                    roles = [
                        ...new Set(
                            [judge.copyIn(shape, state.role.accountId), judge.copyIn(shape, firstAccount)].filter((r) => r !== undefined),
                        ),
                    ];
                }
                for (const hop of judge.hops(shape, roles, caller, state.role.arn, `${state.role.shape.id}`)) visit(next, hop, state);
            }
        }
        frontier = next;
    }
    return first;
}

function pathOf(state: State): string[] {
    const path: string[] = [];
    for (let s: State | undefined = state; s; s = s.parent) path.unshift(s.role.arn);
    return path;
}

/** An AWS principal's session, for judging one hop on its own. */
export interface HopCaller {
    /** User or role ARN. */
    readonly arn: string;
    readonly organizationId?: string;
    readonly mfa?: boolean;
    readonly sourceIdentity?: boolean;
    /** The session policy this session was opened with (`Policy` of its AssumeRole): the hop needs it to allow as well. */
    readonly sessionPolicy?: object;
}

/**
 * Whether config asked for a hop: one side names the other exactly. Either the
 * target's trust admits the caller by its exact ARN (as a principal, or an
 * exact `aws:PrincipalArn` on its account): the member roles' gate, whatever
 * role-name pattern the team's policy uses; or the caller's own policy names
 * the target's exact ARN and the trust admits the caller's account (a user's
 * group policy naming its team role). A wildcard permission into a trust that
 * admits a whole account or anyone in the organization was not asked for.
 */
function grantedHop(identityExact: boolean, level: TrustLevel): boolean {
    return level === "exact" || (identityExact && level === "account");
}

/**
 * One `sts:AssumeRole` hop judged from documents, exactly as the search judges
 * it: the caller's identity policies (and boundary) against the target ARN, the
 * target's trust against the caller, combined by IAM's same- and cross-account
 * rule; a caller whose session carries a source identity also needs
 * `sts:SetSourceIdentity` on both sides. `sourceIdentity` in the answer says
 * whether the session it opens can carry one. `organization`, when given,
 * adds the SCPs over the caller's account and the RCPs over the target's
 * (analysis/organization.ts `OrganizationPolicies`), with the management
 * account exempt from both and a service-linked role from SCPs.
 */
export function judgeHop(
    caller: HopCaller,
    identityPolicies: readonly object[],
    boundary: object | undefined,
    targetArn: string,
    trustPolicy: object,
    organization?: {
        readonly managementAccountId?: string;
        readonly policies: OrganizationPolicies;
        /** The organization of an account (`aws:ResourceOrgID` of the target); undefined: outside any. Absent: not known. */
        readonly organizationIdOf?: (accountId: string) => string | undefined;
    },
): {
    readonly allowed: boolean;
    readonly granted: boolean;
    readonly assumed: readonly string[];
    readonly sourceIdentity: readonly boolean[];
} {
    const accountId = accountOfArn(caller.arn) ?? "";
    const type = caller.arn.includes(":user/") ? "User" : "AssumedRole";
    const mfa = caller.mfa ?? false;
    const sourceIdentity = caller.sourceIdentity ?? false;
    const problems: string[] = [];
    const policies = organization && readOrganizationPolicies(organization.policies, problems);
    if (problems.length > 0) throw new Error(problems.join("; "));
    const session: Caller = {
        trustCaller: { kind: "aws", arn: caller.arn, accountId, user: type === "User" },
        accountId,
        action: "sts:AssumeRole",
        context: sessionContext(caller.organizationId, caller.arn, accountId, type, mfa, sourceIdentity),
        identity: identityPolicies.flatMap((d) => readStatements(d)),
        boundary: boundary === undefined ? undefined : readStatements(boundary),
        mfa,
        sourceIdentity,
        scp: scpOver(policies, organization?.managementAccountId, caller.arn, accountId),
        session: caller.sessionPolicy === undefined ? undefined : readStatements(caller.sessionPolicy),
        guardKey: "",
    };
    const trust = readStatements(trustPolicy);
    const role = { arn: targetArn, accountId: accountOfArn(targetArn) ?? "" };
    const orgOfTarget = organization?.organizationIdOf?.(role.accountId);
    const resourceOrg = organization?.organizationIdOf === undefined ? FREE : orgOfTarget === undefined ? ABSENT : known(orgOfTarget);
    const assumed = new Set<string>();
    const hops = hopsInto(role, session, {
        trust: (action, attempt) => {
            const v = trustAdmits(trust, session.trustCaller, action, requestContext(session, attempt).forAction(action));
            v.assumed.forEach((k) => assumed.add(k));
            return v;
        },
        identity: (action, attempt) =>
            identitySide(
                session.identity ?? [],
                session.boundary,
                action,
                targetArn,
                requestContext(session, attempt, role.accountId).forAction(action),
                assumed,
            ),
        guardrails: guardrailsOf(session, policies, organization?.managementAccountId, role.accountId, resourceOrg),
    });
    return {
        allowed: hops.length > 0,
        granted: hops.some((h) => h.granted),
        assumed: [...assumed].sort(),
        sourceIdentity: hops.map((h) => h.sourceIdentity),
    };
}

/**
 * Whether a principal of the organization (a role of the plan, or a user entry)
 * may assume a role of the plan on its own, by the same rules as the search:
 * with or without MFA and a source identity, whichever IAM allows. Undefined
 * when the principal or the role is not in the plan (its documents are unknown).
 */
export function mayAssume(org: Organization, principalArn: string, targetArn: string): boolean | undefined {
    const target = org.roles.get(targetArn);
    if (!target) return undefined;
    const role = org.roles.get(principalArn);
    const callers: { caller: Caller; key: string; identityKey?: string }[] = [];
    if (role) {
        for (const mfa of [false, true])
            for (const si of [false, true])
                callers.push({ caller: roleCaller(org, role, mfa, si), key: role.arn, identityKey: `${role.shape.id}` });
    } else {
        for (const entry of org.entries)
            for (const session of entry.sessions)
                if (session.arn === principalArn)
                    callers.push({ caller: entryCaller(org, session), key: `entry:${session.arn}:${entry.id}` });
    }
    if (callers.length === 0) return undefined;
    const judge = new Judge(org);
    return callers.some(
        ({ caller, key, identityKey }) =>
            judge.admits(target.shape, caller, key) !== undefined &&
            judge.hops(target.shape, [target], caller, key, identityKey).length > 0,
    );
}

const byFromTo = (a: ReachPath, b: ReachPath) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0);

/**
 * Reach and alerts of an organization already built. Alerts:
 * - a path from an OIDC identity into a role in the management account;
 * - a path into the management account through a role in a member account
 *   (reported from the entry, and once per member role that hops in directly);
 * - a path to a role the entry was not granted: no chain of granted hops
 *   leads there (a grant names the target ARN in the caller's policy and the
 *   caller, or its account, in the target's trust).
 */
export function reachOf(org: Organization): ReachResult {
    const judge = new Judge(org);
    const reach: ReachPath[] = [];
    const alerts: ReachAlert[] = [];
    const mgmt = org.managementAccountId;
    for (const entry of org.entries) {
        const all = search(org, judge, entry, false);
        const granted = search(org, judge, entry, true);
        for (const [to, state] of all) {
            const path = pathOf(state);
            reach.push({ from: entry.id, to, path });
            const why: string[] = [];
            if (state.role.accountId === mgmt) {
                if (entry.kind === "oidc") why.push("an OIDC identity reaches the management account");
                const before = path[path.length - 2];
                if (before !== undefined && org.roles.get(before)?.accountId !== mgmt)
                    why.push(`member-account role ${before} leads into the management account`);
            }
            if (!granted.has(to)) why.push(`not granted: ${state.notGranted ?? "no granted path"}`);
            if (why.length > 0) alerts.push({ from: entry.id, to, path, why: why.join("; ") });
        }
    }
    // Every member-account role that may itself assume a management-account role, whoever reaches it.
    if (mgmt !== undefined) {
        const targets = org.shapes.filter((s) => s.roles.some((r) => r.accountId === mgmt));
        const reported = new Set<string>();
        for (const shape of org.shapes) {
            for (const role of shape.roles) {
                if (role.accountId === mgmt) continue;
                for (const si of [false, true]) {
                    const caller = roleCaller(org, role, false, si);
                    for (const target of targets) {
                        if (!judge.admits(target, caller, role.arn)) continue;
                        const copies: RoleNode[] = target.roles.filter((r: RoleNode) => r.accountId === mgmt);
                        for (const hop of judge.hops(target, copies, caller, role.arn, `${shape.id}`)) {
                            if (hop.target.accountId !== mgmt) continue;
                            const from = `role:${role.arn}`;
                            if (reported.has(`${from} ${hop.target.arn}`)) continue;
                            reported.add(`${from} ${hop.target.arn}`);
                            alerts.push({
                                from,
                                to: hop.target.arn,
                                path: [hop.target.arn],
                                why: `member-account role may assume a management-account role${hop.granted ? "" : `; not granted: ${hop.why}`}`,
                            });
                        }
                    }
                }
            }
        }
    }
    return {
        reach: reach.sort(byFromTo),
        alerts: alerts.sort(byFromTo),
        entries: org.entries.map((e) => e.id),
        breakGlass: org.entries.filter((e) => e.breakGlass).map((e) => e.id),
        managementAccountId: mgmt,
        problems: org.problems,
    };
}

/**
 * Reach over the plans of every stack of one organization (the organization
 * plan's `stacks`), accounts named by `accountName`. The hook the organization
 * plan calls, and the benchmark times. `organizationPolicies` (SCPs, RCPs,
 * session policies) are optional; the organization plan passes those of `org-access:organizationPolicies`.
 */
export function organizationReach(
    stacks: readonly PlannedStack[],
    accountName: (id: string) => string,
    managementAccountId?: string,
    organizationPolicies?: OrganizationPolicies,
): ReachResult {
    return reachOf(buildOrganization(stacks, accountName, managementAccountId, organizationPolicies));
}
