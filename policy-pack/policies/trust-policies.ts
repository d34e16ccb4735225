// Rule family: who may assume a role, for roles of both AWS providers and roles in deployed
// templates. Federated trusts must pin the audience (and, for shared CI issuers, the subject);
// trusts that admit IAM users must require MFA.

import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { readStringListOption } from "../config";
import { parsePolicyDocument, PolicyStatement, statementLabel } from "../documents";
import { findRestrictingClause, KeyRequirement } from "../conditions";
import { FederatedTrust, federatedTrusts } from "../principal-forms";
import { trustDocumentsOfResource } from "../resource-documents";
import {
    DEFAULT_SUBJECT_REQUIRED_ISSUERS,
    issuerRequiresSubject,
    oidcAudienceRequirement,
    oidcSubjectRequirement,
    samlAudienceRequirement,
} from "../scoping";
import { trustedIamUsers, userTrustRequiresMfa } from "../verdicts";

interface TrustStatement {
    readonly document: string;
    readonly statement: PolicyStatement;
}

/**
 * The trust statements of a role of either provider (`assumeRolePolicy`,
 * `assumeRolePolicyDocument`) and of roles in templates it deploys; unreadable documents are
 * `no-wildcard-principals`' to report.
 */
function trustStatements(args: ResourceValidationArgs): TrustStatement[] {
    return trustDocumentsOfResource(args.type, args.props, args.provider).flatMap(({ name, raw }) => {
        const parsed = parsePolicyDocument(raw);
        return parsed.ok ? parsed.document.statements.map((statement) => ({ document: name, statement })) : [];
    });
}

function withProblems(message: string, problems: readonly string[]): string {
    return problems.length === 0 ? message : `${message}; ${problems.join("; ")}`;
}

/** Messages for one federated trust of one statement; empty when its conditions suffice. */
export function federatedTrustViolations(
    statement: PolicyStatement,
    trust: FederatedTrust,
    subjectRequiredIssuers: readonly string[],
    documentName = "assumeRolePolicy",
): string[] {
    const prefix = `Allow statement ${statementLabel(statement)} in ${documentName}`;
    const missing = (requirement: KeyRequirement, what: string, purpose: string): string[] => {
        const result = findRestrictingClause(statement.conditions, requirement);
        return result.satisfied
            ? []
            : [withProblems(`${prefix} trusts ${what} without a ${requirement.keys[0]} condition ${purpose}`, result.problems)];
    };
    if (trust.kind === "saml") {
        return missing(samlAudienceRequirement(), `SAML provider ${trust.provider}`, "pinning the sign-in endpoint");
    }
    if (trust.host === undefined) {
        return [`${prefix} allows sts:AssumeRoleWithWebIdentity but names no Federated OIDC provider`];
    }
    const violations = missing(oidcAudienceRequirement(trust.host), `OIDC provider ${trust.host}`, "pinning the audience");
    if (issuerRequiresSubject(trust.host, subjectRequiredIssuers)) {
        violations.push(
            ...missing(
                oidcSubjectRequirement(trust.host),
                `shared CI issuer ${trust.host}`,
                "pinning the repository owner (every customer of the issuer can mint tokens for this audience)",
            ),
        );
    }
    return violations;
}

export const federatedTrustConditions: ResourceValidationPolicy = {
    name: "federated-trust-conditions",
    description:
        "Role trusts for SAML providers require a SAML:aud condition; trusts for OIDC providers require " +
        "<issuer>:aud, and for shared CI issuers (GitHub Actions, GitLab, Terraform Cloud, Buildkite) also a " +
        "<issuer>:sub condition that pins the repository owner rather than a bare wildcard such as repo:*.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            subjectRequiredIssuers: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [...DEFAULT_SUBJECT_REQUIRED_ISSUERS],
                description: "OIDC issuer hosts (without https://) shared by many customers, whose trusts must pin <issuer>:sub.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const issuers = readStringListOption(args.getConfig(), "subjectRequiredIssuers", DEFAULT_SUBJECT_REQUIRED_ISSUERS);
        for (const { document, statement } of trustStatements(args)) {
            for (const trust of federatedTrusts(statement)) {
                federatedTrustViolations(statement, trust, issuers, document).forEach((message) => reportViolation(message));
            }
        }
    },
};

export const trustedUsersRequireMfa: ResourceValidationPolicy = {
    name: "trusted-users-require-mfa",
    description:
        "A role trust must not admit an IAM user without MFA. Asked of the IAM evaluator with symbolic callers (a user " +
        "of each account the statement may admit, with long-term access keys, which carry no aws:MultiFactorAuthPresent, " +
        "and with a session signed in without MFA), the document's Deny statements included: e.g. Bool " +
        "aws:MultiFactorAuthPresent true (not BoolIfExists, which admits access keys), or aws:PrincipalArn leaving users out.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const statements = trustStatements(args);
        for (const { document, statement } of statements) {
            // The document's Deny statements may shut users out that its Allow lets in.
            const denies = statements.filter((s) => s.document === document && s.statement.effect === "Deny").map((s) => s.statement);
            const result = userTrustRequiresMfa(statement, denies);
            if (result !== undefined && !result.satisfied) {
                const users = trustedIamUsers(statement, denies).join(", ");
                reportViolation(
                    withProblems(
                        `Allow statement ${statementLabel(statement)} in ${document} admits IAM users (${users}) ` +
                            "without requiring MFA (Bool aws:MultiFactorAuthPresent true)",
                        result.problems,
                    ),
                );
            }
        }
    },
};
