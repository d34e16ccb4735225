// Verdicts: what the trust and resource-policy guardrails report. Each function combines a
// principal form (`principal-forms.ts`) with the requirement that confines it (`conditions.ts`,
// `scoping.ts`) and returns a finding, or nothing when the statement or grant is confined.

import { findRestrictingClause, organizationScopeRequirement, organizationScopeValueProblem, WILDCARD_CHARACTERS } from "./conditions";
import { PolicyStatement, statementLabel } from "./documents";
import { ABSENT, known, RequestContext, trustAdmits } from "./evaluator";
import { principalValues, WildcardAdmission, wildcardAdmission } from "./principal-forms";
import { mfaRequirement, sourceArnProblem } from "./scoping";

// ------------------------------------------------------------------------------------------------
// Wildcard principals in documents
// ------------------------------------------------------------------------------------------------

export interface WildcardFinding {
    readonly statement: PolicyStatement;
    readonly admission: WildcardAdmission;
    /** Clauses on scoping keys that looked like scoping but do not confine the statement. */
    readonly problems: readonly string[];
}

/**
 * Every Allow statement that admits any principal without a positive condition confining it to
 * the organization (or to one account). `organizationId`, when known, must be the org named.
 */
export function unscopedWildcardStatements(statements: readonly PolicyStatement[], organizationId?: string): WildcardFinding[] {
    const findings: WildcardFinding[] = [];
    const requirement = organizationScopeRequirement(organizationId);
    for (const statement of statements) {
        const admission = wildcardAdmission(statement);
        if (admission === undefined) {
            continue;
        }
        const scope = findRestrictingClause(statement.conditions, requirement);
        if (!scope.satisfied) {
            findings.push({ statement, admission, problems: scope.problems });
        }
    }
    return findings;
}

/** "Allow statement 'TrustOrg' in assumeRolePolicy admits any principal (Principal {"AWS":"*"}) ..." */
export function describeWildcardFinding(finding: WildcardFinding, documentName: string): string {
    const { statement, admission, problems } = finding;
    const whom = admission.element === "NotPrincipal" ? "every principal not listed" : "any principal";
    const base =
        `Allow statement ${statementLabel(statement)} in ${documentName} admits ${whom} ` +
        `(${admission.element} ${admission.rendered}) without an organization-scoping condition`;
    return problems.length === 0 ? base : `${base}; ${problems.join("; ")}`;
}

// ------------------------------------------------------------------------------------------------
// IAM users in trusts
// ------------------------------------------------------------------------------------------------

/** A symbolic IAM user the guardrails ask the evaluator about: one of an account the statement may admit. */
export interface SymbolicUser {
    readonly arn: string;
    readonly accountId: string;
    readonly name: string;
    /** For messages: the ARN or pattern the statement names, or the account's users. */
    readonly label: string;
}

/** An account a principal block or condition names: `<id>` or an ARN's account field. */
const ACCOUNT_ID = /^[0-9]{12}$/;
/** An account nothing names: "any other account" for a wildcard principal. */
export const SOME_OTHER_ACCOUNT = "000000000000";

function partitionOf(statement: PolicyStatement): string {
    const text = JSON.stringify([statement.principal, statement.notPrincipal, statement.conditions]);
    return /arn:(aws[a-z-]*):/.exec(text)?.[1] ?? "aws";
}

/**
 * The IAM users to ask about for one statement: a user of each account it names
 * (principals, `aws:PrincipalAccount`, the account of an `aws:PrincipalArn`
 * value; any other account when its principal is a wildcard), and each user
 * ARN it names (principal or `aws:PrincipalArn` value, wildcards instantiated).
 * Who gets in is then the evaluator's answer, not read from the syntax.
 */
export function symbolicUsers(statement: PolicyStatement): SymbolicUser[] {
    const partition = partitionOf(statement);
    const accounts = new Set<string>();
    const named: string[] = [];
    const principals = [...principalValues(statement.principal, "AWS"), ...principalValues(statement.notPrincipal, "AWS")];
    if (statement.principal === "*" || statement.notPrincipal !== undefined || principals.some((p) => WILDCARD_CHARACTERS.test(p)))
        accounts.add(SOME_OTHER_ACCOUNT);
    for (const p of principals) {
        if (ACCOUNT_ID.test(p)) accounts.add(p);
        else if (ACCOUNT_ID.test(p.split(":")[4] ?? "")) accounts.add(p.split(":")[4]);
        if (p.includes(":user/")) named.push(p);
    }
    for (const c of statement.conditions) {
        const key = c.key.toLowerCase();
        if (key === "aws:principalaccount") c.values.filter((v) => ACCOUNT_ID.test(v)).forEach((v) => accounts.add(v));
        if (key === "aws:principalarn")
            for (const v of c.values) {
                const account = v.split(":")[4] ?? "";
                if (ACCOUNT_ID.test(account)) accounts.add(account);
                if (v.includes(":user/")) named.push(v);
            }
    }
    const users = new Map<string, SymbolicUser>();
    const add = (arn: string, accountId: string, label: string) => {
        const name = arn.split("/").pop() ?? "user";
        users.set(arn, { arn, accountId, name, label });
    };
    for (const account of accounts)
        add(
            `arn:${partition}:iam::${account}:user/symbolic-user`,
            account,
            account === SOME_OTHER_ACCOUNT ? "any IAM user the conditions admit" : `every IAM user of ${account}`,
        );
    for (const pattern of named) {
        const parts = pattern.split(":");
        const targets = WILDCARD_CHARACTERS.test(parts[4] ?? "") ? [...accounts] : [parts[4]];
        for (const account of targets.filter((a) => ACCOUNT_ID.test(a ?? ""))) {
            const arn = [...parts.slice(0, 4), account, parts.slice(5).join(":").replace(/[*?]/g, "x")].join(":");
            add(arn, account, pattern);
        }
    }
    return [...users.values()];
}

/**
 * Does a trust (`statements`: the Allow statement asked about, with the Deny
 * statements of its document) let this IAM user assume the role with this MFA
 * state? MFA: `"absent"` for long-term access keys, which carry no
 * `aws:MultiFactorAuthPresent` at all; `"false"` for a session signed in
 * without MFA; `"true"` with MFA (IAM global condition keys,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent).
 * The user's organization and everything it sends itself are its to choose.
 */
export function admitsUser(statements: readonly PolicyStatement[], user: SymbolicUser, mfa: "absent" | "false" | "true"): boolean {
    const context = new RequestContext({
        "aws:PrincipalArn": known(user.arn),
        "aws:PrincipalAccount": known(user.accountId),
        "aws:PrincipalType": known("User"),
        "aws:username": known(user.name),
        "aws:MultiFactorAuthPresent": mfa === "absent" ? ABSENT : known(mfa),
        "aws:MultiFactorAuthAge": mfa === "true" ? known("0") : ABSENT,
        "aws:SourceIdentity": ABSENT,
        "aws:FederatedProvider": ABSENT,
    });
    return trustAdmits(statements, { kind: "aws", arn: user.arn, accountId: user.accountId, user: true }, "sts:AssumeRole", context)
        .admitted;
}

/**
 * The IAM users an Allow statement lets assume the role without MFA, for messages; empty when
 * it admits none. Asked of the evaluator with symbolic callers (`symbolicUsers`): a user of each
 * account the statement may admit, with long-term keys (no MFA key) and with a session signed in
 * without MFA. `denies` are the Deny statements of the same document, which may shut them out.
 */
export function trustedIamUsers(statement: PolicyStatement, denies: readonly PolicyStatement[] = []): string[] {
    if (statement.effect !== "Allow") return [];
    const trust = [statement, ...denies];
    const admitted = symbolicUsers(statement).filter((u) => admitsUser(trust, u, "absent") || admitsUser(trust, u, "false"));
    // An account's users are named by the pattern the statement gives them, when it gives one.
    const named = new Set(admitted.filter((u) => u.name !== "symbolic-user").map((u) => u.accountId));
    const labels = admitted.filter((u) => u.name !== "symbolic-user" || !named.has(u.accountId)).map((u) => u.label);
    return [...new Set(labels)];
}

/** Whether users need MFA to get in; `problems` explain how MFA clauses fall short when they do not. */
export interface MfaVerdict {
    readonly satisfied: boolean;
    readonly problems: readonly string[];
}

/**
 * Does a statement that lets IAM users assume the role require MFA? Undefined: it admits no
 * users, with or without MFA. Unsatisfied: some user gets in without MFA; the problems then
 * explain how the statement's MFA clauses fall short of `Bool aws:MultiFactorAuthPresent true`.
 */
export function userTrustRequiresMfa(statement: PolicyStatement, denies: readonly PolicyStatement[] = []): MfaVerdict | undefined {
    if (statement.effect !== "Allow") return undefined;
    const trust = [statement, ...denies];
    const users = symbolicUsers(statement);
    const withoutMfa = users.some((u) => admitsUser(trust, u, "absent") || admitsUser(trust, u, "false"));
    if (withoutMfa) {
        const clauses = findRestrictingClause(statement.conditions, mfaRequirement());
        return { satisfied: false, problems: clauses.satisfied ? [] : clauses.problems };
    }
    return users.some((u) => admitsUser(trust, u, "true")) ? { satisfied: true, problems: [] } : undefined;
}

// ------------------------------------------------------------------------------------------------
// Permission-style grants (Lambda permissions, layer permissions, event bus permissions)
// ------------------------------------------------------------------------------------------------

/**
 * The inputs of a permission-style resource that decide who gets in, whatever the resource calls
 * them: `aws.lambda.Permission` (`principal`, `sourceAccount`, `sourceArn`, `principalOrgId`),
 * `LayerVersionPermission` (`organizationId`), `cloudwatch.EventPermission` (`condition` on
 * `aws:PrincipalOrgID`), and their aws-native and CloudFormation twins.
 */
export interface PermissionGrant {
    readonly principal?: unknown;
    readonly sourceAccount?: unknown;
    readonly sourceArn?: unknown;
    readonly principalOrgId?: unknown;
}

/** A principal that is an AWS service (`s3.amazonaws.com`), which acts for whoever owns the source. */
export function isServicePrincipal(principal: string): boolean {
    return /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i.test(principal);
}

/**
 * Why a permission admits principals outside the organization, or undefined when it doesn't.
 *
 * - A wildcard principal (`*`) is confined by `sourceAccount` (a 12-digit account),
 *   `principalOrgId` (our organization when configured) or a `sourceArn` that names one account.
 * - A service principal acts for any account that owns a matching source (the confused deputy),
 *   so it is confined the same way: an account-less or wildcard-account `sourceArn` does not do it.
 * - An account ID or principal ARN is a named principal, a reviewed decision.
 */
export function permissionExposure(grant: PermissionGrant, organizationId?: string): string | undefined {
    const { principal, sourceAccount, sourceArn, principalOrgId } = grant;
    if (typeof principal !== "string") {
        return undefined;
    }
    const wildcard = WILDCARD_CHARACTERS.test(principal) || principal === "";
    if (!wildcard && !isServicePrincipal(principal)) {
        return undefined;
    }
    const problems: string[] = [];
    if (typeof sourceAccount === "string" && sourceAccount !== "") {
        const problem = organizationScopeValueProblem(sourceAccount, "aws:SourceAccount", organizationId);
        if (problem === undefined) {
            return undefined;
        }
        problems.push(`sourceAccount ${problem}`);
    }
    if (typeof principalOrgId === "string" && principalOrgId !== "") {
        const problem = organizationScopeValueProblem(principalOrgId, "aws:PrincipalOrgID", organizationId);
        if (problem === undefined) {
            return undefined;
        }
        problems.push(`principalOrgId ${problem}`);
    }
    if (typeof sourceArn === "string" && sourceArn !== "") {
        const problem = sourceArnProblem(sourceArn);
        if (problem === undefined) {
            return undefined;
        }
        problems.push(problem);
    }
    const base = wildcard
        ? `permission admits any principal (principal ${JSON.stringify(principal)}) without sourceAccount, a one-account sourceArn or principalOrgId`
        : `permission admits service ${principal} acting for any account (confused deputy) without sourceAccount, a one-account sourceArn or principalOrgId`;
    return problems.length === 0 ? base : `${base}; ${problems.join("; ")}`;
}
