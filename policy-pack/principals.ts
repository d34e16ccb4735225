// Pure analysis of the principals a policy statement admits: wildcards, federated identity
// providers (SAML, OIDC) and IAM users. Combined with `conditions.ts` it answers the questions the
// trust and resource-policy guardrails ask.

import {
    findRestrictingClause,
    isBareWildcard,
    KeyRequirement,
    organizationScopeValueProblem,
    organizationScopeRequirement,
    POSITIVE_STRING_OPERATORS,
    RequirementResult,
    WILDCARD_CHARACTERS,
} from "./conditions";
import {
    namesActionLiterally,
    PolicyStatement,
    PrincipalBlock,
    renderPrincipal,
    statementCoversAction,
    statementLabel,
} from "./documents";

// ------------------------------------------------------------------------------------------------
// Wildcard principals
// ------------------------------------------------------------------------------------------------

/** How an Allow statement admits (nearly) every principal. */
export interface WildcardAdmission {
    readonly element: "Principal" | "NotPrincipal";
    /** The principal block as written, for messages, e.g. `{"AWS":"*"}`. */
    readonly rendered: string;
}

/**
 * A principal block admits anyone when it is `"*"` or when any of its values contains a wildcard:
 * `{"AWS": "*"}`, `{"AWS": ["arn:...", "*"]}`, or a partial wildcard such as `arn:aws:iam::*:root`
 * (which AWS rejects, but we must not read it as "one account").
 */
export function principalHasWildcard(block: PrincipalBlock): boolean {
    if (block === "*") {
        return true;
    }
    return Object.values(block).some(values => values.some(value => WILDCARD_CHARACTERS.test(value)));
}

/**
 * Does this statement admit any principal? Only Allow statements can: a Deny with `*` is a
 * guardrail. `NotPrincipal` with Allow admits everyone except the listed principals, which is as
 * open as `*`, so it is treated exactly like `*` (including being scopable by an org condition).
 */
export function wildcardAdmission(statement: PolicyStatement): WildcardAdmission | undefined {
    if (statement.effect !== "Allow") {
        return undefined;
    }
    if (statement.notPrincipal !== undefined) {
        return { element: "NotPrincipal", rendered: renderPrincipal(statement.notPrincipal) };
    }
    if (statement.principal !== undefined && principalHasWildcard(statement.principal)) {
        return { element: "Principal", rendered: renderPrincipal(statement.principal) };
    }
    return undefined;
}

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
export function unscopedWildcardStatements(
    statements: readonly PolicyStatement[],
    organizationId?: string,
): WildcardFinding[] {
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
// Principal ARNs
// ------------------------------------------------------------------------------------------------

const SAML_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:saml-provider\/.+$/;
const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider\/(.+)$/;
const IAM_USER_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:user\/.+$/;
const ROLE_OR_USER_ARN_ACCOUNT = /^arn:aws[a-z-]*:(?:iam|sts)::([0-9]{12}):/;

function principalValues(block: PrincipalBlock | undefined, principalType: string): readonly string[] {
    if (block === undefined || block === "*") {
        return [];
    }
    return block[principalType] ?? [];
}

/** The account an IAM/STS ARN belongs to, e.g. for `assumeRoles[].roleArn`. */
export function accountOfArn(arn: string): string | undefined {
    return ROLE_OR_USER_ARN_ACCOUNT.exec(arn)?.[1];
}

/** IAM user ARNs named in the statement's `Principal.AWS`. */
export function iamUserPrincipals(statement: PolicyStatement): string[] {
    return principalValues(statement.principal, "AWS").filter(value => IAM_USER_ARN.test(value));
}

// ------------------------------------------------------------------------------------------------
// Federated trust
// ------------------------------------------------------------------------------------------------

export type FederatedTrust =
    | { readonly kind: "saml"; readonly provider: string }
    /** `host` is the issuer without scheme, which is also the prefix of its condition keys. */
    | { readonly kind: "oidc"; readonly provider: string; readonly host: string | undefined };

/**
 * The federated identity providers an Allow statement trusts. SAML: a `saml-provider` principal or
 * the `sts:AssumeRoleWithSAML` action. OIDC: an `oidc-provider` principal, or any Federated
 * principal (e.g. `accounts.google.com`, `cognito-identity.amazonaws.com`) on a statement naming
 * `sts:AssumeRoleWithWebIdentity`.
 */
export function federatedTrusts(statement: PolicyStatement): FederatedTrust[] {
    if (statement.effect !== "Allow") {
        return [];
    }
    const trusts: FederatedTrust[] = [];
    const namesWebIdentity = namesActionLiterally(statement, "sts:AssumeRoleWithWebIdentity");
    const namesSaml = namesActionLiterally(statement, "sts:AssumeRoleWithSAML");
    for (const provider of principalValues(statement.principal, "Federated")) {
        const oidc = OIDC_PROVIDER_ARN.exec(provider);
        if (SAML_PROVIDER_ARN.test(provider)) {
            trusts.push({ kind: "saml", provider });
        } else if (oidc !== null) {
            trusts.push({ kind: "oidc", provider, host: oidc[1] });
        } else if (namesWebIdentity) {
            trusts.push({ kind: "oidc", provider, host: provider });
        } else if (namesSaml) {
            trusts.push({ kind: "saml", provider });
        }
    }
    // The action alone marks a federated trust even if the principal is malformed or missing.
    if (namesSaml && !trusts.some(trust => trust.kind === "saml")) {
        trusts.push({ kind: "saml", provider: "(no SAML provider principal)" });
    }
    if (namesWebIdentity && !trusts.some(trust => trust.kind === "oidc")) {
        trusts.push({ kind: "oidc", provider: "(no OIDC provider principal)", host: undefined });
    }
    return trusts;
}

/**
 * Audience values must be literal: an audience is one identifier, and a pattern there is either a
 * mistake or an attempt to accept tokens minted for someone else.
 */
function audienceValueProblem(value: string): string | undefined {
    return WILDCARD_CHARACTERS.test(value) || value === "" ? `value ${JSON.stringify(value)} is not a literal audience` : undefined;
}

export function samlAudienceRequirement(): KeyRequirement {
    return { keys: ["SAML:aud"], operators: POSITIVE_STRING_OPERATORS, valueProblem: audienceValueProblem };
}

export function oidcAudienceRequirement(host: string): KeyRequirement {
    return { keys: [`${host}:aud`], operators: POSITIVE_STRING_OPERATORS, valueProblem: audienceValueProblem };
}

/**
 * A `sub` pattern is a bare wildcard unless it pins the value of its first claim literally. The
 * text before the first wildcard must read `<claim>:<value>` followed by `/` or `:`:
 *
 *   scoped: `repo:my-org/my-repo:ref:refs/heads/main`, `repo:my-org/*`, `repo:my-org/app:*`,
 *           `organization:my-org:project:*` (Terraform), `project_path:group/*` (GitLab)
 *   bare:   `*`, `repo:*`, `repo:*:*`, `repo:my-org*` (also matches `my-org-evil`), `*:my-org/*`
 *
 * A value without wildcards is an exact subject and always scoped.
 */
export function subjectValueProblem(value: string): string | undefined {
    const quoted = JSON.stringify(value);
    if (value === "" || isBareWildcard(value)) {
        return `value ${quoted} is a bare wildcard`;
    }
    const firstWildcard = value.search(WILDCARD_CHARACTERS);
    if (firstWildcard === -1) {
        return undefined;
    }
    const literalPrefix = value.slice(0, firstWildcard);
    if (/^[^:]+:[^:/]+[:/]/.test(literalPrefix)) {
        return undefined;
    }
    return `value ${quoted} is a bare wildcard: it does not pin the owner (e.g. repo:<org>/...)`;
}

export function oidcSubjectRequirement(host: string): KeyRequirement {
    return { keys: [`${host}:sub`], operators: POSITIVE_STRING_OPERATORS, valueProblem: subjectValueProblem };
}

/**
 * Issuers shared by every customer of a CI service: anyone can obtain a token with the default
 * audience, so only `sub` tells our pipelines apart. Matched as the whole host or a path under it
 * (GitHub Enterprise Cloud issues from `token.actions.githubusercontent.com/<enterprise>`).
 */
export const DEFAULT_SUBJECT_REQUIRED_ISSUERS: readonly string[] = [
    "token.actions.githubusercontent.com",
    "gitlab.com",
    "app.terraform.io",
    "agent.buildkite.com",
];

export function issuerRequiresSubject(host: string, issuers: readonly string[]): boolean {
    const normalized = host.toLowerCase();
    return issuers.some(issuer => {
        const expected = issuer.toLowerCase();
        return normalized === expected || normalized.startsWith(`${expected}/`);
    });
}

// ------------------------------------------------------------------------------------------------
// MFA for IAM users
// ------------------------------------------------------------------------------------------------

/**
 * Only `Bool` `aws:MultiFactorAuthPresent` = `true` counts. `BoolIfExists` is the documented trap:
 * the key is absent for long-term access keys, so it lets them in. `aws:MultiFactorAuthAge` alone
 * is not accepted either: one idiom keeps reviews simple.
 */
export function mfaRequirement(): KeyRequirement {
    return {
        keys: ["aws:MultiFactorAuthPresent"],
        operators: ["Bool"],
        valueProblem: value => (value.toLowerCase() === "true" ? undefined : `value ${JSON.stringify(value)} is not true`),
    };
}

/** Does the statement let the IAM users it names assume the role? */
export function userTrustRequiresMfa(statement: PolicyStatement): RequirementResult | undefined {
    if (statement.effect !== "Allow" || iamUserPrincipals(statement).length === 0) {
        return undefined;
    }
    // A statement that grants only sts:TagSession / sts:SetSourceIdentity does not admit anyone.
    if (!statementCoversAction(statement, "sts:AssumeRole")) {
        return undefined;
    }
    return findRestrictingClause(statement.conditions, mfaRequirement());
}

// ------------------------------------------------------------------------------------------------
// Lambda permissions
// ------------------------------------------------------------------------------------------------

/** The inputs of `aws.lambda.Permission` that decide who may invoke the function. */
export interface LambdaPermissionGrant {
    readonly principal?: unknown;
    readonly sourceAccount?: unknown;
    readonly sourceArn?: unknown;
    readonly principalOrgId?: unknown;
}

/**
 * Why a Lambda permission admits any principal, or undefined when it doesn't. A wildcard principal
 * is confined by `sourceAccount` (a 12-digit account), `principalOrgId` (our organization when
 * configured) or `sourceArn` (any ARN that is not only wildcards).
 */
export function lambdaPermissionExposure(grant: LambdaPermissionGrant, organizationId?: string): string | undefined {
    const { principal, sourceAccount, sourceArn, principalOrgId } = grant;
    if (typeof principal !== "string" || !WILDCARD_CHARACTERS.test(principal)) {
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
        if (!isBareWildcard(sourceArn)) {
            return undefined;
        }
        problems.push(`sourceArn ${JSON.stringify(sourceArn)} is only wildcards`);
    }
    const base = `permission admits any principal (principal ${JSON.stringify(principal)}) without sourceAccount, sourceArn or principalOrgId`;
    return problems.length === 0 ? base : `${base}; ${problems.join("; ")}`;
}
