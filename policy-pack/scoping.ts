// Condition scoping: what a statement's conditions (or a permission's scoping fields) must say to
// confine the principals it admits. Each requirement is data (`KeyRequirement`: keys, operators, a
// value check) evaluated by `conditions.ts`; the policies turn unmet requirements into verdicts
// (`verdicts.ts`).
//
// - Federated trusts: the audience (`SAML:aud`, `<issuer>:aud`), and for shared CI issuers the
//   subject (`<issuer>:sub`) pinned to an owner.
// - IAM users: `Bool aws:MultiFactorAuthPresent true`.
// - Service principals and source ARNs: a source ARN scopes only when it names one account.

import { isBareWildcard, KeyRequirement, POSITIVE_STRING_OPERATORS, WILDCARD_CHARACTERS } from "./conditions";
import { parseArn } from "./arns";

// ------------------------------------------------------------------------------------------------
// Federated trust: audience and subject
// ------------------------------------------------------------------------------------------------

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

/** `NAME@ID`, GitHub's immutable form of an owner or a repository (the ID never changes hands). */
const IMMUTABLE_SEGMENT = /^[^@*?/:]+@[0-9]+$/;

/**
 * A `sub` pattern is a bare wildcard unless it pins the value of its first claim literally. The
 * text before the first wildcard must read `<claim>:<value>` followed by `/` or `:`:
 *
 *   scoped: `repo:my-org/my-repo:ref:refs/heads/main`, `repo:my-org/*`, `repo:my-org/app:*`,
 *           `organization:my-org:project:*` (Terraform), `project_path:group/*` (GitLab)
 *   bare:   `*`, `repo:*`, `repo:*:*`, `repo:my-org*` (also matches `my-org-evil`), `*:my-org/*`
 *
 * GitHub's immutable subject format, `repo:OWNER@OWNER_ID/REPO@REPO_ID:...`
 * (https://docs.github.com/en/actions/reference/security/oidc#immutable-subject-claims), is
 * accepted on the same terms, and a segment written in that form must be literal: `OWNER@*` or
 * `REPO@*` would accept whoever holds that name next, which is what the IDs are there to prevent.
 * `repo:OWNER@OWNER_ID/*` (every repository of one owner) is scoped like `repo:OWNER/*`.
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
    if (!/^[^:]+:[^:/]+[:/]/.test(literalPrefix)) {
        return `value ${quoted} is a bare wildcard: it does not pin the owner (e.g. repo:<org>/...)`;
    }
    const github = /^repo:([^:/]*)(?:\/([^:]*))?/.exec(value);
    if (github !== null) {
        for (const [what, segment] of [
            ["owner", github[1]],
            ["repository", github[2]],
        ] as const) {
            if (segment !== undefined && segment.includes("@") && !IMMUTABLE_SEGMENT.test(segment)) {
                return `value ${quoted} wildcards the ${what} in GitHub's immutable form (${segment}); write ${what === "owner" ? "OWNER@OWNER_ID" : "REPO@REPO_ID"} literally`;
            }
        }
    }
    return undefined;
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
    return issuers.some((issuer) => {
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
        valueProblem: (value) => (value.toLowerCase() === "true" ? undefined : `value ${JSON.stringify(value)} is not true`),
    };
}

// ------------------------------------------------------------------------------------------------
// Source ARNs
// ------------------------------------------------------------------------------------------------

/**
 * Why a source ARN does not confine a service principal to one account, or undefined when it
 * does. An ARN scopes only through its account field: S3 bucket ARNs carry none
 * (`arn:aws:s3:::bucket`, so anyone's bucket of that name, or `arn:aws:s3:::*` anyone's bucket,
 * matches), and a wildcard there (`arn:aws:execute-api:us-east-1:*:*`) admits every account's
 * resources. AWS recommends `SourceAccount` with such ARNs
 * (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
 */
export function sourceArnProblem(arn: string): string | undefined {
    const quoted = JSON.stringify(arn);
    if (isBareWildcard(arn)) {
        return `sourceArn ${quoted} is only wildcards`;
    }
    const parts = parseArn(arn);
    if (parts === undefined) {
        return `sourceArn ${quoted} is not an ARN`;
    }
    const account = parts.account;
    if (account === "") {
        return `sourceArn ${quoted} names no account (${parts.service} ARNs carry none), so it matches resources in any account`;
    }
    if (!/^[0-9]{12}$/.test(account)) {
        return `sourceArn ${quoted} does not name one account (${account})`;
    }
    return undefined;
}
