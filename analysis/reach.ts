/**
 * Reach: which roles each entry identity can end up in, through any chain of
 * `sts:AssumeRole`, across every stack of the organization; and the paths that
 * should alarm a reviewer.
 *
 * A hop from a caller to a role exists when the caller's identity policies
 * (inline, customer-managed, AWS managed; minus Deny; capped by a permissions
 * boundary) allow the assume action on the role's ARN AND the role's trust
 * admits the caller (analysis/policy.ts). Both are needed across accounts (IAM
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
import { buildOrganization, EntryIdentity, EntrySession, Organization, PlannedStack, RoleNode, RoleShape } from "./organization";
import {
    ABSENT,
    FREE,
    identityAllows,
    IdentityVerdict,
    known,
    readStatements,
    RequestContext,
    TrustCaller,
    trustAdmits,
    TrustLevel,
    TrustVerdict,
} from "./policy";

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
    readonly action: string;
    readonly context: RequestContext;
    readonly identity?: RoleShape["identity"];
    readonly boundary?: RoleShape["boundary"];
    readonly mfa: boolean;
    readonly sourceIdentity: boolean;
}

/** One hop's judgement, for one target role. */
interface Hop {
    readonly target: RoleNode;
    /** Named by both sides: an identity statement naming this action on this exact ARN (or no identity side), and a trust naming the caller or its account. */
    readonly granted: boolean;
    readonly why?: string;
    readonly setsSourceIdentity: boolean;
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
        "aws:PrincipalOrgID": orgId ? known(orgId) : ABSENT,
        "aws:PrincipalType": known(type),
        "aws:username": userName ? known(userName) : ABSENT,
        // Long-term user keys carry no MFA key at all; role sessions say false. IAM global condition keys reference.
        "aws:MultiFactorAuthPresent": mfa ? known("true") : type === "User" ? ABSENT : known("false"),
        "aws:MultiFactorAuthAge": mfa ? known("0") : ABSENT,
        "aws:SourceIdentity": sourceIdentity ? FREE : ABSENT,
        "aws:FederatedProvider": ABSENT,
    });
}

function entryCaller(org: Organization, s: EntrySession): Caller {
    if (s.kind === "federated") {
        const claims: Record<string, ReturnType<typeof known>> = {};
        for (const [k, v] of Object.entries(s.claims ?? {})) claims[k] = v.length > 0 ? known(...v) : FREE;
        return {
            trustCaller: { kind: "federated", providerArn: s.arn },
            action: s.action,
            context: new RequestContext({
                "aws:PrincipalArn": ABSENT,
                "aws:PrincipalAccount": ABSENT,
                "aws:PrincipalOrgID": ABSENT,
                "aws:MultiFactorAuthPresent": ABSENT,
                "aws:SourceIdentity": ABSENT,
                "aws:FederatedProvider": known(s.arn),
                ...claims,
            }),
            mfa: false,
            sourceIdentity: false,
        };
    }
    const type = s.arn.includes(":user/") ? "User" : "AssumedRole";
    return {
        trustCaller: { kind: "aws", arn: s.arn, accountId: s.accountId },
        action: s.action,
        context: sessionContext(org.organizationIdOf(s.accountId), s.arn, s.accountId, type, s.mfa, false, s.userName),
        identity: s.identity ?? [],
        mfa: s.mfa,
        sourceIdentity: false,
    };
}

function roleCaller(org: Organization, role: RoleNode, mfa: boolean, sourceIdentity: boolean): Caller {
    return {
        trustCaller: { kind: "aws", arn: role.arn, accountId: role.accountId },
        action: "sts:AssumeRole",
        context: sessionContext(org.organizationIdOf(role.accountId), role.arn, role.accountId, "AssumedRole", mfa, sourceIdentity),
        identity: role.shape.identity,
        boundary: role.shape.boundary,
        mfa,
        sourceIdentity,
    };
}

/** The engine's memo tables, shared by every search over one organization. */
class Judge {
    private readonly trustMemo = new Map<string, TrustVerdict>();
    private readonly identityMemo = new Map<string, Hop[]>();

    trust(target: RoleShape, caller: Caller, callerKey: string): TrustVerdict {
        const key = `${target.id}|${callerKey}|${caller.mfa}|${caller.sourceIdentity}`;
        let v = this.trustMemo.get(key);
        if (!v) {
            v = trustAdmits(target.trust, caller.trustCaller, caller.action, caller.context.with({ "sts:ExternalId": FREE }));
            this.trustMemo.set(key, v);
        }
        return v;
    }

    /** Targets of `shape` that the caller may assume, given that the trust admitted it with `verdict`. */
    hops(target: RoleShape, caller: Caller, verdict: TrustVerdict, identityKey: string | undefined): Hop[] {
        const key =
            identityKey === undefined ? undefined : `${target.id}|${identityKey}|${caller.mfa}|${caller.sourceIdentity}|${verdict.level}`;
        const memo = key === undefined ? undefined : this.identityMemo.get(key);
        if (memo) return memo;
        const hops: Hop[] = [];
        // The trust may let the caller set a source identity on this hop.
        const trustSetsSI =
            !caller.sourceIdentity && trustAdmits(target.trust, caller.trustCaller, "sts:SetSourceIdentity", caller.context).admitted;
        for (const role of target.roles) {
            let identity: IdentityVerdict = { allowed: true, exact: true };
            let setsSI = trustSetsSI;
            if (caller.identity !== undefined) {
                const context = caller.context.with({ "aws:ResourceAccount": known(role.accountId) });
                identity = identityAllows(caller.identity, caller.boundary, caller.action, role.arn, context);
                if (!identity.allowed) continue;
                setsSI &&= identityAllows(caller.identity, caller.boundary, "sts:SetSourceIdentity", role.arn, context).allowed;
            }
            const granted = verdict.level !== undefined && grantedHop(identity.exact, verdict.level);
            const from = caller.trustCaller.kind === "aws" ? caller.trustCaller.arn : caller.trustCaller.providerArn;
            const why = granted
                ? undefined
                : verdict.level === "anyone"
                  ? `${from} -> ${role.arn} is admitted only by a trust of any principal in the organization`
                  : `${from} -> ${role.arn} is allowed only by a wildcard permission (an action or resource pattern, e.g. sts:*, * or role/*) into a trust that names the caller's whole account`;
            hops.push({ target: role, granted, why, setsSourceIdentity: setsSI });
        }
        if (key !== undefined) this.identityMemo.set(key, hops);
        return hops;
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
 */
function search(org: Organization, judge: Judge, entry: EntryIdentity, grantedOnly: boolean): Map<string, State> {
    const first = new Map<string, State>();
    const seen = new Set<string>();
    let frontier: State[] = [];
    const mfa = entry.sessions.some((s) => s.mfa);
    const visit = (next: State[], hop: Hop, parent: State | undefined, parentSI: boolean) => {
        if ((grantedOnly && !hop.granted) || hop.target.arn === parent?.role.arn) return;
        const si = parentSI || hop.setsSourceIdentity;
        const key = `${hop.target.arn}|${si}`;
        if (seen.has(key)) return;
        seen.add(key);
        const state: State = {
            role: hop.target,
            sourceIdentity: si,
            parent,
            notGranted: parent?.notGranted ?? (hop.granted ? undefined : hop.why),
        };
        if (!first.has(hop.target.arn)) first.set(hop.target.arn, state);
        next.push(state);
    };
    for (const session of entry.sessions) {
        const caller = entryCaller(org, session);
        for (const shape of org.shapes) {
            const verdict = judge.trust(shape, caller, `entry:${session.arn}:${entry.id}`);
            if (!verdict.admitted) continue;
            for (const hop of judge.hops(shape, caller, verdict, undefined)) visit(frontier, hop, undefined, false);
        }
    }
    const fired = new Set<string>();
    while (frontier.length > 0) {
        const next: State[] = [];
        for (const state of frontier) {
            const caller = roleCaller(org, state.role, mfa, state.sourceIdentity);
            for (const shape of org.shapes) {
                const verdict = judge.trust(shape, caller, state.role.arn);
                if (!verdict.admitted) continue;
                // Per trust level too: a copy the trust names exactly may grant what a copy admitted as "anyone" does not.
                const edge = `${state.role.shape.id}|${state.sourceIdentity}|${shape.id}|${verdict.level}`;
                if (fired.has(edge)) continue;
                fired.add(edge);
                for (const hop of judge.hops(shape, caller, verdict, `${state.role.shape.id}`))
                    visit(next, hop, state, state.sourceIdentity);
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
 * it: the caller's identity policies (and boundary) against the target ARN, and
 * the target's trust against the caller.
 */
export function judgeHop(
    caller: HopCaller,
    identityPolicies: readonly object[],
    boundary: object | undefined,
    targetArn: string,
    trustPolicy: object,
): { readonly allowed: boolean; readonly granted: boolean; readonly assumed: readonly string[] } {
    const accountId = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(caller.arn)?.[1] ?? "";
    const type = caller.arn.includes(":user/") ? "User" : "AssumedRole";
    const context = sessionContext(caller.organizationId, caller.arn, accountId, type, caller.mfa ?? false, caller.sourceIdentity ?? false);
    const assumed = new Set<string>();
    const identity = identityAllows(
        identityPolicies.flatMap((d) => readStatements(d)),
        boundary === undefined ? undefined : readStatements(boundary),
        "sts:AssumeRole",
        targetArn,
        context.with({ "aws:ResourceAccount": known(/::(\d{12}):/.exec(targetArn)?.[1] ?? "") }),
        assumed,
    );
    const trust = trustAdmits(readStatements(trustPolicy), { kind: "aws", arn: caller.arn, accountId }, "sts:AssumeRole", context);
    trust.assumed.forEach((k) => assumed.add(k));
    const allowed = identity.allowed && trust.admitted;
    return {
        allowed,
        granted: allowed && trust.level !== undefined && grantedHop(identity.exact, trust.level),
        assumed: [...assumed].sort(),
    };
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
    const judge = new Judge();
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
                        const verdict = judge.trust(target, caller, role.arn);
                        if (!verdict.admitted) continue;
                        for (const hop of judge.hops(target, caller, verdict, `${shape.id}`)) {
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
 * plan calls, and the benchmark times.
 */
export function organizationReach(
    stacks: readonly PlannedStack[],
    accountName: (id: string) => string,
    managementAccountId?: string,
): ReachResult {
    return reachOf(buildOrganization(stacks, accountName, managementAccountId));
}
