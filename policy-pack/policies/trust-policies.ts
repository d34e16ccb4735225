// Rule family: who may assume a role, for roles of both AWS providers and roles in deployed
// templates. Federated trusts must pin the audience (and, for shared CI issuers, the subject);
// trusts that admit IAM users must require MFA.

import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { readStringListOption } from "../config";
import { parsePolicyDocument, PolicyDocument, PolicyStatement, statementLabel } from "../documents";
import { DocumentMemo } from "../memo";
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

interface TrustDocument {
    readonly name: string;
    readonly document: PolicyDocument;
}

/**
 * The trusts of a role of either provider (`assumeRolePolicy`, `assumeRolePolicyDocument`) and of
 * roles in templates it deploys, parsed; unreadable documents are `no-wildcard-principals`' to report.
 */
function trustDocuments(args: ResourceValidationArgs): TrustDocument[] {
    return trustDocumentsOfResource(args.type, args.props, args.provider).flatMap(({ name, raw }) => {
        const parsed = parsePolicyDocument(raw);
        return parsed.ok ? [{ name, document: parsed.document }] : [];
    });
}

/** Each rule's messages per trust text and variant: the same trust recurs on every account's copy of a role. */
const FEDERATED_VIOLATIONS = new DocumentMemo<readonly string[]>();
const MFA_VIOLATIONS = new DocumentMemo<readonly string[]>();

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
        for (const { name, document } of trustDocuments(args)) {
            const messages = FEDERATED_VIOLATIONS.get(document, `${name}\n${issuers.join("\n")}`, () =>
                document.statements.flatMap((statement) =>
                    federatedTrusts(statement).flatMap((trust) => federatedTrustViolations(statement, trust, issuers, name)),
                ),
            );
            messages.forEach((message) => reportViolation(message));
        }
    },
};

/** Messages for the Allow statements of one trust that admit IAM users without MFA. */
function mfaViolations({ name, document }: TrustDocument): string[] {
    // The document's Deny statements may shut users out that its Allow lets in.
    const denies = document.statements.filter((s) => s.effect === "Deny");
    return document.statements.flatMap((statement) => {
        const result = userTrustRequiresMfa(statement, denies);
        if (result === undefined || result.satisfied) {
            return [];
        }
        const users = trustedIamUsers(statement, denies).join(", ");
        return [
            withProblems(
                `Allow statement ${statementLabel(statement)} in ${name} admits IAM users (${users}) ` +
                    "without requiring MFA (Bool aws:MultiFactorAuthPresent true)",
                result.problems,
            ),
        ];
    });
}

export const trustedUsersRequireMfa: ResourceValidationPolicy = {
    name: "trusted-users-require-mfa",
    description:
        "A role trust must not admit an IAM user without MFA. Asked of the IAM evaluator with symbolic callers (a user " +
        "of each account the statement may admit, with long-term access keys, which carry no aws:MultiFactorAuthPresent, " +
        "and with a session signed in without MFA), the document's Deny statements included: e.g. Bool " +
        "aws:MultiFactorAuthPresent true (not BoolIfExists, which admits access keys), or aws:PrincipalArn leaving users out.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        for (const trust of trustDocuments(args)) {
            MFA_VIOLATIONS.get(trust.document, trust.name, () => mfaViolations(trust)).forEach((message) => reportViolation(message));
        }
    },
};
