/**
 * The one IAM evaluator: reach (analysis/), the access matrix (outputs/) and the
 * pack's trust rules all ask it. It lives in the pack because the pack imports
 * nothing of the program; the program reads it through iam/evaluator.ts.
 *
 * Deciding one `sts:AssumeRole*` request from documents, when the request is
 * only partly known: the caller's identity is known (its ARN, account,
 * organization, whether its session carries MFA or a source identity), while
 * values the caller picks itself (an external id, a session name, a source
 * identity to set, request tags) are free. "Can reach" asks whether SOME
 * request gets through, so a free key satisfies an Allow clause and never
 * triggers a Deny clause; every free key an Allow relied on is recorded.
 *
 * Statements are read with the policy pack's parser (policy-pack/documents.ts:
 * principals, actions, resources, conditions). Operator names follow the pack's
 * `parseConditionOperator` (set prefixes, `IfExists`).
 *
 * Evaluation rules, IAM User Guide, "Condition operators": a key absent from
 * the request context makes a condition false, except for negated operators
 * (`StringNotEquals`, `ArnNotLike`, ...) which are then true, `...IfExists`
 * which is true, and `Null`, which tests presence. "Conditions with multiple
 * context keys or values": operators and keys are ANDed, values ORed (NOR for
 * negated operators). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
 */
import { accountOfArn, accountOfPrincipal } from "./arns";
import { ConditionClause, parsePolicyDocument, PolicyStatement, PrincipalBlock } from "./documents";
import { parseConditionOperator } from "./conditions";
import { glob, statementCoversAction } from "./wildcards";

/** The statement the evaluator reads: the pack's parsed statement (policy-pack/documents.ts), Resource/NotResource included. */
export type Statement = PolicyStatement;

/** Reads a document (object or JSON text) into statements; an unreadable document is reported and read as empty. */
export function readStatements(raw: unknown, problems?: string[], what = "document"): Statement[] {
    const parsed = parsePolicyDocument(raw);
    if (!parsed.ok) {
        problems?.push(`${what}: ${parsed.reason}`);
        return [];
    }
    return [...parsed.document.statements];
}

// ------------------------------------------------------------------------------------------------
// Request context
// ------------------------------------------------------------------------------------------------

/** What is known about one context key: its possible values (the caller has one of them), absent, or the caller's to choose. */
export type ContextValue =
    { readonly kind: "known"; readonly values: readonly string[] } | { readonly kind: "absent" } | { readonly kind: "free" };

/** The non-global keys of the STS side actions of an assume request (Service Authorization Reference, AWS STS). */
const ACTION_KEYS: Readonly<Record<string, readonly string[]>> = {
    "sts:setsourceidentity": ["sts:sourceidentity"],
    "sts:tagsession": ["sts:transitivetagkeys"],
};

export const known = (...values: string[]): ContextValue => ({ kind: "known", values });
export const ABSENT: ContextValue = { kind: "absent" };
export const FREE: ContextValue = { kind: "free" };

/**
 * The keys IAM sets for a request made with an assumed-role session of role `arn` in `account`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html): who is
 * calling, and its organization when known. Every other key is the request's to set.
 */
export function assumedRoleSessionKeys(arn: string, account: string, organizationId?: string): Record<string, ContextValue> {
    return {
        "aws:PrincipalArn": known(arn),
        "aws:PrincipalAccount": known(account),
        ...(organizationId ? { "aws:PrincipalOrgID": known(organizationId) } : {}),
        "aws:PrincipalType": known("AssumedRole"),
        "aws:PrincipalIsAWSService": known("false"),
    };
}

/** Context keys (any case) with what is known about them; keys not listed are free. */
export class RequestContext {
    private readonly values = new Map<string, ContextValue>();
    constructor(entries: Readonly<Record<string, ContextValue>> = {}) {
        for (const [key, value] of Object.entries(entries)) {
            this.values.set(key.toLowerCase(), value);
        }
    }
    /** Keys the request context holds for this action at all; the rest are absent (see `forAction`). */
    private available?: (lowerKey: string) => boolean;

    /** `aws:RequestTag/<key>` falls back to an entry for `aws:RequestTag/*` (whether the request passes tags at all). */
    get(key: string): ContextValue {
        const lower = key.toLowerCase();
        if (this.available !== undefined && !this.available(lower)) return ABSENT;
        const value = this.values.get(lower);
        if (value !== undefined) return value;
        if (lower.startsWith("aws:requesttag/")) return this.values.get("aws:requesttag/*") ?? FREE;
        return FREE;
    }
    /**
     * The context as IAM authorizes one action of a request: the global `aws:` keys
     * (request tags among them), plus the keys the Service Authorization Reference
     * lists for that action. `sts:SetSourceIdentity` sees `sts:SourceIdentity` but no
     * external id or token claims; `sts:TagSession` no source identity
     * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html,
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
     * Other actions keep every key.
     */
    forAction(action: string): RequestContext {
        const own = ACTION_KEYS[action.toLowerCase()];
        if (own === undefined) return this;
        const next = this.with({});
        next.available = (key) => key.startsWith("aws:") || own.some((k) => key === k || (k.endsWith("/") && key.startsWith(k)));
        return next;
    }

    with(entries: Readonly<Record<string, ContextValue>>): RequestContext {
        const next = new RequestContext();
        next.available = this.available;
        for (const [k, v] of this.values) next.values.set(k, v);
        for (const [k, v] of Object.entries(entries)) next.values.set(k.toLowerCase(), v);
        return next;
    }
}

/** `${aws:username}`-style policy variables, from the context; undefined when one is not known exactly. */
function substitute(value: string, context: RequestContext): string | undefined {
    if (!value.includes("${")) {
        return value;
    }
    let unresolved = false;
    const out = value.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        if (name === "*" || name === "?" || name === "$") {
            return name;
        }
        const v = context.get(name);
        if (v.kind === "known" && v.values.length === 1) {
            return v.values[0];
        }
        unresolved = true;
        return "";
    });
    return unresolved ? undefined : out;
}

// ------------------------------------------------------------------------------------------------
// Conditions
// ------------------------------------------------------------------------------------------------

const NEGATED = /^(StringNot|ArnNot|NumericNotEquals|DateNotEquals|NotIpAddress)/;

/** Does one context value satisfy an operator with these policy values? Undefined for operators not modelled (dates, IPs, binary). */
function valueMatches(base: string, value: string, policyValues: readonly string[]): boolean | undefined {
    const any = (f: (p: string) => boolean) => policyValues.some(f);
    switch (base) {
        case "StringEquals":
            return any((p) => p === value);
        case "StringNotEquals":
            return !any((p) => p === value);
        case "StringEqualsIgnoreCase":
            return any((p) => p.toLowerCase() === value.toLowerCase());
        case "StringNotEqualsIgnoreCase":
            return !any((p) => p.toLowerCase() === value.toLowerCase());
        case "StringLike":
        case "ArnLike":
        case "ArnEquals":
            return any((p) => glob(p, value));
        case "StringNotLike":
        case "ArnNotLike":
        case "ArnNotEquals":
            return !any((p) => glob(p, value));
        case "Bool":
            return any((p) => p.toLowerCase() === value.toLowerCase());
        case "NumericEquals":
            return any((p) => Number(value) === Number(p));
        case "NumericNotEquals":
            return !any((p) => Number(value) === Number(p));
        case "NumericLessThan":
            return any((p) => Number(value) < Number(p));
        case "NumericLessThanEquals":
            return any((p) => Number(value) <= Number(p));
        case "NumericGreaterThan":
            return any((p) => Number(value) > Number(p));
        case "NumericGreaterThanEquals":
            return any((p) => Number(value) >= Number(p));
        default:
            return undefined;
    }
}

/**
 * Is the clause true for SOME request the caller can make (`effect` Allow), or
 * for EVERY such request (`effect` Deny: the caller avoids a deny it can avoid)?
 * Free keys an Allow relies on are added to `assumed`.
 */
export function clauseHolds(clause: ConditionClause, context: RequestContext, effect: "Allow" | "Deny", assumed?: Set<string>): boolean {
    const { setOperator, base, ifExists } = parseConditionOperator(clause.operator);
    const value = context.get(clause.key);
    const free = () => {
        if (effect === "Allow") assumed?.add(clause.key);
        return effect === "Allow";
    };
    if (base === "Null") {
        const wantAbsent = clause.values.some((v) => v.toLowerCase() === "true");
        const wantPresent = clause.values.some((v) => v.toLowerCase() === "false");
        if (value.kind === "free") return free();
        const present = value.kind === "known";
        return (present && wantPresent) || (!present && wantAbsent);
    }
    if (value.kind === "free") {
        return free();
    }
    if (value.kind === "absent") {
        return ifExists || setOperator === "ForAllValues" || (setOperator !== "ForAnyValue" && NEGATED.test(base));
    }
    const policyValues: string[] = [];
    for (const v of clause.values) {
        const s = substitute(v, context);
        if (s === undefined) return free();
        policyValues.push(s);
    }
    const results = value.values.map((v) => valueMatches(base, v, policyValues));
    if (results.some((r) => r === undefined)) {
        return free(); // an operator not modelled (dates, IP addresses): the caller's to satisfy
    }
    return effect === "Allow" ? results.some(Boolean) : results.every(Boolean);
}

export function conditionsHold(
    conditions: readonly ConditionClause[],
    context: RequestContext,
    effect: "Allow" | "Deny",
    assumed?: Set<string>,
): boolean {
    const local = new Set<string>();
    const holds = conditions.every((c) => clauseHolds(c, context, effect, local));
    if (holds) for (const k of local) assumed?.add(k);
    return holds;
}

// ------------------------------------------------------------------------------------------------
// Identity side: does the caller's own policy allow the action on the target?
// ------------------------------------------------------------------------------------------------

/** A Resource list split once into exact ARNs (a set) and patterns: a team policy lists every member role it may assume. */
interface ResourceIndex {
    readonly exact: ReadonlySet<string>;
    readonly patterns: readonly string[];
}
const resourceIndexes = new WeakMap<readonly string[], ResourceIndex>();
function indexOf(list: readonly string[]): ResourceIndex {
    let index = resourceIndexes.get(list);
    if (!index) {
        const literal = (p: string) => !/[*?]/.test(p) && !p.includes("${");
        index = { exact: new Set(list.filter(literal)), patterns: list.filter((p) => !literal(p)) };
        resourceIndexes.set(list, index);
    }
    return index;
}

function resourceCovered(s: Statement, resource: string, context: RequestContext): { covered: boolean; exact: boolean } {
    const matchesPattern = (list: readonly string[]) =>
        indexOf(list).patterns.some((p) => {
            const q = substitute(p, context);
            return q !== undefined && glob(q, resource);
        });
    if (s.resources !== undefined) {
        if (indexOf(s.resources).exact.has(resource)) return { covered: true, exact: true };
        return { covered: matchesPattern(s.resources), exact: false };
    }
    if (s.notResources !== undefined) {
        return { covered: !indexOf(s.notResources).exact.has(resource) && !matchesPattern(s.notResources), exact: false };
    }
    return { covered: false, exact: false };
}

export interface IdentityVerdict {
    readonly allowed: boolean;
    /** Allowed by a statement that names this action literally (or `sts:AssumeRole*`-free) on this exact ARN: a grant, not a side effect of a wildcard. */
    readonly exact: boolean;
    /** An explicit Deny applies: nothing else can allow the request. */
    readonly denied?: boolean;
}

/** Allow minus explicit Deny over a set of statements (IAM's identity-policy evaluation, without SCPs). */
export function statementsAllow(
    statements: readonly Statement[],
    action: string,
    resource: string,
    context: RequestContext,
    assumed?: Set<string>,
): IdentityVerdict {
    let allowed = false;
    let exact = false;
    for (const s of statements) {
        if (!statementCoversAction(s, action)) continue;
        const r = resourceCovered(s, resource, context);
        if (!r.covered) continue;
        if (s.effect === "Deny") {
            if (conditionsHold(s.conditions, context, "Deny")) return { allowed: false, exact: false, denied: true };
        } else if (conditionsHold(s.conditions, context, "Allow", assumed)) {
            allowed = true;
            const literal = (s.actions ?? []).some((a) => a.toLowerCase() === action.toLowerCase());
            exact ||= r.exact && literal;
        }
    }
    return { allowed, exact };
}

/** The caller's side of a request: its identity policies' verdict, and its permissions boundary's when it has one. */
export interface IdentitySide {
    readonly own: IdentityVerdict;
    readonly boundary?: IdentityVerdict;
}

export function identitySide(
    identity: readonly Statement[],
    boundary: readonly Statement[] | undefined,
    action: string,
    resource: string,
    context: RequestContext,
    assumed?: Set<string>,
): IdentitySide {
    const own = statementsAllow(identity, action, resource, context, assumed);
    return boundary === undefined ? { own } : { own, boundary: statementsAllow(boundary, action, resource, context, assumed) };
}

/**
 * The caller's identity policies, intersected with its permissions boundary
 * when it has one: a boundary caps what identity policies allow, and a Deny in
 * either denies. IAM User Guide, "Permissions boundaries for IAM entities".
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export function identityAllows(
    identity: readonly Statement[],
    boundary: readonly Statement[] | undefined,
    action: string,
    resource: string,
    context: RequestContext,
    assumed?: Set<string>,
): IdentityVerdict {
    const side = identitySide(identity, boundary, action, resource, context, assumed);
    if (side.own.denied || side.boundary?.denied) return { allowed: false, exact: false, denied: true };
    if (!side.own.allowed || side.boundary === undefined) return side.own;
    return side.boundary.allowed ? side.own : { allowed: false, exact: false };
}

// ------------------------------------------------------------------------------------------------
// Trust side: does the role's trust policy admit the caller?
// ------------------------------------------------------------------------------------------------

/**
 * The caller as a trust policy sees it. `user` marks an IAM user (its ARN is
 * the request's principal); a role caller is a session of that role, which a
 * trust naming the role ARN matches as the role's session.
 */
export type TrustCaller =
    | { readonly kind: "aws"; readonly arn: string; readonly accountId: string; readonly user?: boolean }
    | { readonly kind: "federated"; readonly providerArn: string };

/**
 * Any caller of a trust or resource policy: also an AWS service principal
 * (`sns.amazonaws.com`, acting for whoever owns the source resource), and an
 * unsigned request, which only `"*"` (or `{"AWS": "*"}`) names. The pack asks
 * about them (policy-pack/verdicts.ts `outsiderCallers`).
 */
export type PolicyCaller = TrustCaller | { readonly kind: "service"; readonly service: string } | { readonly kind: "anonymous" };

/** How precisely an admitting statement names the caller: its ARN or provider; its account; or anyone (in the organization). */
export type TrustLevel = "exact" | "account" | "anyone";
const LEVEL_RANK: Record<TrustLevel, number> = { exact: 2, account: 1, anyone: 0 };

/**
 * How a principal element matches the caller, as IAM matches it:
 * - `direct`: the element names the caller itself (its user ARN, its role ARN
 *   for a session of that role, its provider) or everyone (`"*"`);
 * - `account`: the element names the caller's account (`<id>` or
 *   `arn:<partition>:iam::<id>:root`), which delegates to that account's own
 *   identity policies;
 * and `bypass`: a direct match on the request's principal itself (a user ARN,
 * `"*"`), which a permissions boundary does not cap within one account (a role
 * ARN does not match a role session that way).
 * A wildcard inside a principal ARN is not a pattern in IAM (it rejects such
 * a policy): it matches nothing. IAM User Guide, "AWS JSON policy elements:
 * Principal" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
 */
interface PrincipalMatch {
    readonly level: TrustLevel;
    readonly direct: boolean;
    readonly bypass: boolean;
}

function principalMatch(block: PrincipalBlock, caller: PolicyCaller): PrincipalMatch | undefined {
    if (block === "*") return { level: "anyone", direct: true, bypass: true };
    if (caller.kind !== "aws") {
        const named =
            caller.kind === "federated"
                ? block.Federated?.includes(caller.providerArn)
                : caller.kind === "service" && block.Service?.includes(caller.service);
        if (named === true) return { level: "exact", direct: true, bypass: true };
        // `{"AWS": "*"}` is every principal, as `"*"` is (IAM User Guide, "AWS JSON policy elements: Principal", all principals).
        return (block.AWS ?? []).includes("*") ? { level: "anyone", direct: true, bypass: true } : undefined;
    }
    let best: PrincipalMatch | undefined;
    const better = (m: PrincipalMatch) => {
        if (best === undefined || (m.direct && !best.direct) || (m.bypass && !best.bypass) || LEVEL_RANK[m.level] > LEVEL_RANK[best.level])
            best = {
                level: best === undefined || LEVEL_RANK[m.level] > LEVEL_RANK[best.level] ? m.level : best.level,
                direct: m.direct || (best?.direct ?? false),
                bypass: m.bypass || (best?.bypass ?? false),
            };
    };
    for (const p of block.AWS ?? []) {
        if (p === "*") better({ level: "anyone", direct: true, bypass: true });
        else if (p === caller.arn) better({ level: "exact", direct: true, bypass: caller.user === true });
        else if (accountOfPrincipal(p) === caller.accountId) better({ level: "account", direct: false, bypass: false });
    }
    return best;
}

/** A positive, exact `aws:PrincipalArn` or `aws:PrincipalAccount` condition narrows a statement's level. */
function conditionLevel(s: Statement): TrustLevel | undefined {
    let best: TrustLevel | undefined;
    for (const c of s.conditions) {
        const { base, ifExists, setOperator } = parseConditionOperator(c.operator);
        if (ifExists || setOperator === "ForAllValues" || NEGATED.test(base) || base === "Null") continue;
        const key = c.key.toLowerCase();
        if (key === "aws:principalarn" && c.values.every((v) => !/[*?]/.test(v))) return "exact";
        if (key === "aws:principalarn" || key === "aws:principalaccount") best = "account";
    }
    return best;
}

export interface TrustVerdict {
    /** Some Allow statement admits the caller (directly or through its account), and no Deny applies. */
    readonly admitted: boolean;
    /** An admitting statement names the caller itself or everyone: enough on its own within one account. */
    readonly direct?: boolean;
    /** An admitting statement names the caller's account: the caller's identity policies must allow too. */
    readonly account?: boolean;
    /** A direct statement that a permissions boundary does not cap (see `principalMatch`). */
    readonly bypass?: boolean;
    /** An explicit Deny applies. */
    readonly denied?: boolean;
    readonly level?: TrustLevel;
    /** Context keys left to the caller that an admitting statement relied on (e.g. sts:ExternalId). */
    readonly assumed: readonly string[];
}

/**
 * Allow statements whose principal matches, whose action covers `action`, and
 * whose conditions the caller can meet; minus Deny statements that certainly
 * apply. The level is the best among admitting statements.
 */
export function trustAdmits(trust: readonly Statement[], caller: PolicyCaller, action: string, context: RequestContext): TrustVerdict {
    let level: TrustLevel | undefined;
    let direct = false;
    let account = false;
    let bypass = false;
    const assumed = new Set<string>();
    for (const s of trust) {
        if (!statementCoversAction(s, action)) continue;
        let match: PrincipalMatch | undefined;
        if (s.principal !== undefined) match = principalMatch(s.principal, caller);
        else if (s.notPrincipal !== undefined)
            match = principalMatch(s.notPrincipal, caller) === undefined ? { level: "anyone", direct: true, bypass: true } : undefined;
        if (match === undefined) continue;
        if (s.effect === "Deny") {
            if (conditionsHold(s.conditions, context, "Deny")) return { admitted: false, denied: true, assumed: [] };
            continue;
        }
        const local = new Set<string>();
        if (!conditionsHold(s.conditions, context, "Allow", local)) continue;
        const narrowed = conditionLevel(s);
        const statementLevel = narrowed !== undefined && LEVEL_RANK[narrowed] > LEVEL_RANK[match.level] ? narrowed : match.level;
        if (level === undefined || LEVEL_RANK[statementLevel] > LEVEL_RANK[level]) level = statementLevel;
        direct ||= match.direct;
        account ||= !match.direct;
        bypass ||= match.bypass;
        for (const k of local) assumed.add(k);
    }
    return level === undefined
        ? { admitted: false, assumed: [] }
        : { admitted: true, direct, account, bypass, level, assumed: [...assumed].sort() };
}

// ------------------------------------------------------------------------------------------------
// The decision: both sides, as IAM combines them
// ------------------------------------------------------------------------------------------------

/**
 * Whether IAM allows a request to a role (any `sts:` action on it), from the
 * trust's verdict and the caller's identity side (undefined for a SAML or OIDC
 * caller, which has none). IAM User Guide, "Policy evaluation logic"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
 * and "Cross-account policy evaluation logic"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html):
 * - an explicit Deny anywhere wins;
 * - a SAML or OIDC caller has no identity side: the trust decides, naming a
 *   provider of the role's own account;
 * - across accounts, the trust must admit the caller AND its identity policies
 *   (capped by its permissions boundary) must allow;
 * - within one account, a trust that names the caller itself (or `"*"`)
 *   allows on its own; a trust that names only the account delegates to the
 *   identity policies, which must then allow. A permissions boundary that does
 *   not allow caps everything but a trust naming the request's principal
 *   itself (an IAM user's ARN, or `"*"`), not a role ARN for its session
 *   ("Permissions boundaries for IAM entities",
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 */
export function decide(trust: TrustVerdict, identity: IdentitySide | undefined, sameAccount: boolean): boolean {
    if (trust.denied) return false;
    // A SAML or OIDC provider is an IAM entity of the role's own account: STS takes it from there only.
    if (identity === undefined) return trust.admitted && trust.direct === true && sameAccount;
    if (identity.own.denied || identity.boundary?.denied) return false;
    const boundaryAllows = identity.boundary === undefined || identity.boundary.allowed;
    if (sameAccount) {
        if (!boundaryAllows) return trust.bypass === true;
        return trust.direct === true || (identity.own.allowed && trust.account === true);
    }
    return trust.admitted && identity.own.allowed && boundaryAllows;
}

/** The action a caller assumes a role with: `sts:AssumeRoleWithSAML` through a SAML provider, `…WithWebIdentity` through OIDC. */
export function assumeActionOf(caller: TrustCaller): string {
    if (caller.kind === "aws") return "sts:AssumeRole";
    return caller.providerArn.includes(":saml-provider/") ? "sts:AssumeRoleWithSAML" : "sts:AssumeRoleWithWebIdentity";
}

/**
 * One request to assume `role`, decided: the trust (all of it, or the statements asked about) against
 * the caller with its assume action, the caller's identity policies (undefined for a SAML or OIDC
 * caller, which has none) against the role's ARN, combined by `decide`. `level`: how precisely the
 * admitting trust statement names the caller.
 */
export function assumeDecision(
    trust: readonly Statement[],
    caller: TrustCaller,
    context: RequestContext,
    identity: readonly Statement[] | undefined,
    role: { readonly arn: string; readonly accountId: string },
): { readonly allowed: boolean; readonly level?: TrustLevel } {
    const verdict = trustAdmits(trust, caller, assumeActionOf(caller), context);
    const callerAccount = caller.kind === "aws" ? caller.accountId : accountOfArn(caller.providerArn);
    const side = identity === undefined ? undefined : identitySide(identity, undefined, "sts:AssumeRole", role.arn, context);
    return { allowed: decide(verdict, side, callerAccount === role.accountId), level: verdict.level };
}

// ------------------------------------------------------------------------------------------------
// Guardrails: organization policies (SCPs, RCPs) and session policies
// ------------------------------------------------------------------------------------------------

/**
 * Organization policies on one side of a request, one list of statements per
 * level of the organization tree: the root first, then each OU on the path,
 * the account last.
 */
export type ControlLevels = readonly (readonly Statement[])[];

/**
 * What caps one request besides the caller's own policies and the role's trust:
 * - `scp`: the SCPs of the caller's account. An action must be allowed at every
 *   level, root to account, and a Deny at any level denies ("How SCPs work with
 *   Allow"/"with Deny", AWS Organizations User Guide, SCP evaluation,
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).
 *   A level with no policy allows nothing: AWS attaches `FullAWSAccess` to every
 *   level, and the caller lists it where it is attached. Undefined where SCPs do
 *   not apply: a caller in the management account or a service-linked role
 *   ("SCPs don't affect users or roles in the management account", "SCPs do not
 *   affect any service-linked role",
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html),
 *   a SAML or web-identity request (no IAM principal of an account makes it).
 * - `rcp`: the RCPs of the role's account. `RCPFullAWSAccess` is attached to
 *   every level and cannot be detached, and `Allow` is supported in it alone
 *   ("RCP syntax",
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html),
 *   so every level allows and only a Deny at some level denies ("RCP evaluation",
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html).
 *   RCPs apply to AWS STS among a subset of services, to every principal, inside
 *   the organization or not; undefined for a role in the management account
 *   ("RCPs don't affect resources in the management account",
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
 *   The `Principal` of an RCP statement is always `"*"` there: it is not read.
 * - `session`: the session policy the caller's session was opened with (the
 *   `Policy`/`PolicyArns` of the AssumeRole that made it). The session's
 *   permissions are the intersection of the role's identity policies and the
 *   session policy; a trust that names the role (not the session's own ARN)
 *   is limited by it too (IAM User Guide, "Session policies",
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session;
 *   "Policy evaluation logic", the session policy step,
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 *   Trusts here never name an `assumed-role` session ARN.
 */
export interface Guardrails {
    readonly scp?: ControlLevels;
    readonly rcp?: ControlLevels;
    readonly session?: readonly Statement[];
}

/** Do the guardrails let this request through? A Deny that certainly applies denies; an Allow may rely on free keys. */
export function guardrailsAllow(guardrails: Guardrails, action: string, resource: string, context: RequestContext): boolean {
    if (guardrails.scp !== undefined) {
        for (const level of guardrails.scp) {
            const v = statementsAllow(level, action, resource, context);
            if (v.denied || !v.allowed) return false;
        }
    }
    if (guardrails.rcp !== undefined) {
        for (const level of guardrails.rcp) if (statementsAllow(level, action, resource, context).denied) return false;
    }
    if (guardrails.session !== undefined) {
        const v = statementsAllow(guardrails.session, action, resource, context);
        if (v.denied || !v.allowed) return false;
    }
    return true;
}
