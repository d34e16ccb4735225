// Verdicts: what the trust and resource-policy guardrails report. Each function combines a
// principal form (`principal-forms.ts`) with the requirement that confines it (`conditions.ts`,
// `scoping.ts`) and returns a finding, or nothing when the statement or grant is confined.

import {
    clauseProblem,
    findRestrictingClause,
    keysRequiredPresent,
    KeyRequirement,
    organizationScopeRequirement,
    organizationScopeValueProblem,
    parseConditionOperator,
    RequirementResult,
    WILDCARD_CHARACTERS,
} from "./conditions";
import { PolicyStatement, statementCoversAction, statementLabel } from "./documents";
import {
    accountPrincipals,
    iamUserPrincipals,
    principalArnPatternMatchesUsers,
    WildcardAdmission,
    wildcardAdmission,
} from "./principal-forms";
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

const PRINCIPAL_ARN_OPERATORS: readonly string[] = ["ArnEquals", "ArnLike", "StringEquals", "StringLike", "StringEqualsIgnoreCase"];

/**
 * Positive `aws:PrincipalArn` clauses that every admitted request must satisfy (plain or
 * `ForAnyValue:` operators; `...IfExists` only when another clause requires the key).
 */
function principalArnClauses(statement: PolicyStatement): { values: readonly string[] }[] {
    const present = keysRequiredPresent(statement.conditions);
    const requirement: KeyRequirement = { keys: ["aws:PrincipalArn"], operators: PRINCIPAL_ARN_OPERATORS, valueProblem: () => undefined };
    return statement.conditions.filter(
        (clause) =>
            clause.key.toLowerCase() === "aws:principalarn" &&
            parseConditionOperator(clause.operator).setOperator !== "ForAllValues" &&
            clauseProblem(clause, requirement, present) === undefined,
    );
}

/**
 * The IAM users an Allow statement lets assume the role, described for messages; empty when it
 * admits none. Users get in when the statement names them (`user/alice`, `user/*`), when it
 * trusts an account (`:root` or the bare ID) without an `aws:PrincipalArn` condition that leaves
 * users out, or when any principal is confined by an `aws:PrincipalArn` pattern that matches users
 * (e.g. `Principal {"AWS":"*"}` with `ArnLike aws:PrincipalArn arn:aws:iam::222222222222:user/*`).
 * An account principal admits every IAM principal of that account, users included
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts).
 */
export function trustedIamUsers(statement: PolicyStatement): string[] {
    if (statement.effect !== "Allow" || !statementCoversAction(statement, "sts:AssumeRole")) {
        return [];
    }
    const arnClauses = principalArnClauses(statement);
    // Requests must match every such clause; a clause none of whose patterns matches users shuts them out.
    const usersExcluded = arnClauses.some((clause) => !clause.values.some(principalArnPatternMatchesUsers));
    if (usersExcluded) {
        return [];
    }
    const admitted = [...iamUserPrincipals(statement)];
    const userPatterns = arnClauses.flatMap((clause) => clause.values.filter(principalArnPatternMatchesUsers));
    for (const account of accountPrincipals(statement)) {
        admitted.push(
            userPatterns.length > 0
                ? `${account} (aws:PrincipalArn ${userPatterns.join(", ")})`
                : `${account} (every IAM user of the account)`,
        );
    }
    if (admitted.length === 0 && userPatterns.length > 0 && statement.principal !== undefined) {
        admitted.push(`aws:PrincipalArn ${userPatterns.join(", ")}`);
    }
    return admitted;
}

/** Does a statement that lets IAM users assume the role require MFA? Undefined: it admits no users. */
export function userTrustRequiresMfa(statement: PolicyStatement): RequirementResult | undefined {
    if (trustedIamUsers(statement).length === 0) {
        return undefined;
    }
    return findRestrictingClause(statement.conditions, mfaRequirement());
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
