// Rule family: who may assume a role. Federated trusts must pin the audience (and, for shared CI
// issuers, the subject); trusts that admit IAM users must require MFA.

import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { readStringListOption } from "../config";
import { parsePolicyDocument, PolicyStatement, statementLabel } from "../documents";
import { findRestrictingClause, KeyRequirement } from "../conditions";
import {
    DEFAULT_SUBJECT_REQUIRED_ISSUERS,
    FederatedTrust,
    federatedTrusts,
    iamUserPrincipals,
    issuerRequiresSubject,
    oidcAudienceRequirement,
    oidcSubjectRequirement,
    samlAudienceRequirement,
    userTrustRequiresMfa,
} from "../principals";
import { ROLE_TYPE } from "../resource-types";
import { documentInput } from "./wildcard-principals";

const TRUST_POLICY = "assumeRolePolicy";

/** The role's trust statements; unreadable documents are `no-wildcard-principals`' to report. */
function trustStatements(args: ResourceValidationArgs): readonly PolicyStatement[] {
    if (args.type !== ROLE_TYPE) {
        return [];
    }
    const raw = documentInput(args, TRUST_POLICY);
    const parsed = raw === undefined ? undefined : parsePolicyDocument(raw);
    return parsed?.ok ? parsed.document.statements : [];
}

function withProblems(message: string, problems: readonly string[]): string {
    return problems.length === 0 ? message : `${message}; ${problems.join("; ")}`;
}

/** Messages for one federated trust of one statement; empty when its conditions suffice. */
export function federatedTrustViolations(
    statement: PolicyStatement,
    trust: FederatedTrust,
    subjectRequiredIssuers: readonly string[],
): string[] {
    const prefix = `Allow statement ${statementLabel(statement)} in ${TRUST_POLICY}`;
    const missing = (requirement: KeyRequirement, what: string, purpose: string): string[] => {
        const result = findRestrictingClause(statement.conditions, requirement);
        return result.satisfied ? [] : [withProblems(`${prefix} trusts ${what} without a ${requirement.keys[0]} condition ${purpose}`, result.problems)];
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
        for (const statement of trustStatements(args)) {
            for (const trust of federatedTrusts(statement)) {
                federatedTrustViolations(statement, trust, issuers).forEach(message => reportViolation(message));
            }
        }
    },
};

export const trustedUsersRequireMfa: ResourceValidationPolicy = {
    name: "trusted-users-require-mfa",
    description:
        "A role trust that admits IAM users (arn:aws:iam::<account>:user/...) must require MFA with a " +
        "Bool condition aws:MultiFactorAuthPresent = true (not BoolIfExists, which admits access keys).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        for (const statement of trustStatements(args)) {
            const result = userTrustRequiresMfa(statement);
            if (result !== undefined && !result.satisfied) {
                const users = iamUserPrincipals(statement).join(", ");
                reportViolation(
                    withProblems(
                        `Allow statement ${statementLabel(statement)} in ${TRUST_POLICY} admits IAM user ${users} ` +
                            "without requiring MFA (Bool aws:MultiFactorAuthPresent true)",
                        result.problems,
                    ),
                );
            }
        }
    },
};
