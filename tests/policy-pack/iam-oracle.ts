// An independent IAM evaluator used as an oracle for the pack's condition analysis. It is AGPL
// licensed, so only tests import it; the pack never does.

import { anonymousPrincipal, runSimulation } from "@cloud-copilot/iam-simulate";

export const OUR_ORG = "o-ourorg12345";
export const FOREIGN_ORG = "o-outsider9999";
export const OUR_ACCOUNT = "111111111111";
export const FOREIGN_ACCOUNT = "999999999999";

interface Caller {
    readonly principal: string;
    readonly context: Record<string, string | string[]>;
}

/** Principals of another organization, of no organization, and a service acting for another org. */
const OUTSIDERS: readonly Caller[] = [
    {
        principal: `arn:aws:iam::${FOREIGN_ACCOUNT}:role/outsider`,
        context: {
            "aws:PrincipalOrgID": FOREIGN_ORG,
            "aws:PrincipalAccount": FOREIGN_ACCOUNT,
            "aws:PrincipalOrgPaths": [`${FOREIGN_ORG}/r-zz99/ou-zz99-99999999/`],
        },
    },
    { principal: `arn:aws:iam::${FOREIGN_ACCOUNT}:role/no-org`, context: { "aws:PrincipalAccount": FOREIGN_ACCOUNT } },
    { principal: "sns.amazonaws.com", context: { "aws:SourceAccount": FOREIGN_ACCOUNT, "aws:SourceOrgID": FOREIGN_ORG } },
];

const INSIDERS: readonly Caller[] = [
    {
        principal: `arn:aws:iam::${OUR_ACCOUNT}:role/insider`,
        context: {
            "aws:PrincipalArn": `arn:aws:iam::${OUR_ACCOUNT}:role/insider`,
            "aws:PrincipalOrgID": OUR_ORG,
            "aws:PrincipalAccount": OUR_ACCOUNT,
            "aws:PrincipalOrgPaths": [`${OUR_ORG}/r-ab12/ou-ab12-11111111/`],
        },
    },
    { principal: "sns.amazonaws.com", context: { "aws:SourceAccount": OUR_ACCOUNT, "aws:SourceOrgID": OUR_ORG } },
];

async function isAllowed(statement: object, caller: Caller): Promise<boolean> {
    const result = await runSimulation(
        {
            request: {
                principal: caller.principal,
                action: "sqs:SendMessage",
                resource: { resource: "arn:aws:sqs:us-east-1:222222222222:queue", accountId: "222222222222" },
                contextVariables: caller.context,
            },
            identityPolicies: [
                { name: "all", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } },
            ],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: { Version: "2012-10-17", Statement: [{ Action: "sqs:SendMessage", Resource: "*", ...statement }] },
        },
        {},
    );
    if (result.resultType === "error") {
        throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult === "Allowed";
}

/** Does the statement (as a queue policy) let in some principal outside our organization? */
export async function admitsOutsider(statement: object): Promise<boolean> {
    for (const caller of OUTSIDERS) {
        if (await isAllowed(statement, caller)) {
            return true;
        }
    }
    return false;
}

/** Does the statement let in some principal of our organization? */
export async function admitsInsider(statement: object): Promise<boolean> {
    for (const caller of INSIDERS) {
        if (await isAllowed(statement, caller)) {
            return true;
        }
    }
    return false;
}

// ------------------------------------------------------------------------------------------------
// Whole documents, for the property test (principal-fuzz.test.ts).
// ------------------------------------------------------------------------------------------------

/**
 * A trust policy (asked about sts:AssumeRole) or a resource policy of one of several services:
 * an SQS queue (sqs:SendMessage), an SNS topic (sns:Publish), an S3 bucket (s3:GetObject), a KMS
 * key (kms:Decrypt), an EventBridge bus (events:PutEvents).
 */
export type DocumentKind = "trust" | "queue" | "topic" | "bucket" | "key" | "bus";

export const DOCUMENT_KINDS: readonly DocumentKind[] = ["trust", "queue", "topic", "bucket", "key", "bus"];

/** Organizations whose IDs match the wildcard patterns a document may use, none of them ours. */
export const LOOKALIKE_ORGS: readonly string[] = ["o-ourorg1234z", "o-ourorg12345z"];
/** An account outside the organization that `11111111111?`-style patterns still match. */
export const LOOKALIKE_ACCOUNT = "111111111112";
/** A service the generated documents never name, acting for another account. */
export const OUTSIDER_SERVICE = "events.amazonaws.com";

export interface OutsiderRequest {
    readonly label: string;
    readonly principal: string | typeof anonymousPrincipal;
    readonly context: Record<string, string | string[]>;
}

const orgPath = (org: string) => [`${org}/r-zz99/ou-zz99-99999999/`];

/**
 * Every request a principal outside the organization can make, as the context keys AWS puts in
 * it (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
 *
 * - an IAM role in an unrelated account (999999999999, and 111111111112, which account patterns
 *   such as `11111111111?` match), in no organization (aws:PrincipalOrgID and aws:PrincipalOrgPaths
 *   absent, as for accounts outside any organization), in another organization, or in an
 *   organization whose ID our org-ID patterns match. It carries aws:PrincipalArn and
 *   aws:PrincipalAccount; aws:SecureTransport and aws:MultiFactorAuthPresent are the caller's
 *   choice, so they are set to what a caller who wants in would send (true). aws:SourceAccount and
 *   aws:SourceOrgID are absent: only an AWS service acting for a resource sets them.
 * - an AWS service (one the documents never name) acting for such an account: aws:SourceAccount
 *   and, when that account is in an organization, aws:SourceOrgID; no aws:Principal* keys.
 * - for resource policies only, an anonymous (unsigned) request, which carries no principal keys.
 *   STS refuses unsigned AssumeRole calls, so trust policies are not asked about it.
 */
export function outsiderRequests(kind: DocumentKind): OutsiderRequest[] {
    const requests: OutsiderRequest[] = [];
    for (const account of [FOREIGN_ACCOUNT, LOOKALIKE_ACCOUNT]) {
        for (const org of [undefined, FOREIGN_ORG, ...LOOKALIKE_ORGS]) {
            const principal = `arn:aws:iam::${account}:role/outsider`;
            requests.push({
                label: `role in ${account}${org === undefined ? " (no organization)" : ` of ${org}`}`,
                principal,
                context: {
                    "aws:PrincipalArn": principal,
                    "aws:PrincipalAccount": account,
                    "aws:SecureTransport": "true",
                    "aws:MultiFactorAuthPresent": "true",
                    ...(org === undefined ? {} : { "aws:PrincipalOrgID": org, "aws:PrincipalOrgPaths": orgPath(org) }),
                },
            });
            requests.push({
                label: `${OUTSIDER_SERVICE} for ${account}${org === undefined ? " (no organization)" : ` of ${org}`}`,
                principal: OUTSIDER_SERVICE,
                context: {
                    "aws:SourceAccount": account,
                    "aws:SecureTransport": "true",
                    ...(org === undefined ? {} : { "aws:SourceOrgID": org }),
                },
            });
        }
    }
    if (kind !== "trust") {
        requests.push({ label: "anonymous", principal: anonymousPrincipal, context: { "aws:SecureTransport": "true" } });
    }
    return requests;
}

export type DocumentVerdict =
    | { readonly ok: true; readonly admitted: boolean; readonly by?: string }
    /** The simulator refused the document or request (its validation, like AWS's, rejects it). */
    | { readonly ok: false; readonly error: string };

export const TARGETS: Record<DocumentKind, { action: string; resource: string }> = {
    trust: { action: "sts:AssumeRole", resource: `arn:aws:iam::${OUR_ACCOUNT}:role/target` },
    queue: { action: "sqs:SendMessage", resource: `arn:aws:sqs:us-east-1:${OUR_ACCOUNT}:queue` },
    topic: { action: "sns:Publish", resource: `arn:aws:sns:us-east-1:${OUR_ACCOUNT}:topic` },
    bucket: { action: "s3:GetObject", resource: "arn:aws:s3:::our-bucket/report.csv" },
    key: { action: "kms:Decrypt", resource: `arn:aws:kms:us-east-1:${OUR_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
    bus: { action: "events:PutEvents", resource: `arn:aws:events:us-east-1:${OUR_ACCOUNT}:event-bus/default` },
};

/** Is `request` allowed by `document` (a trust or resource policy in our account)? */
export async function documentAllows(
    kind: DocumentKind,
    document: object,
    request: OutsiderRequest,
    action = TARGETS[kind].action,
): Promise<DocumentVerdict> {
    // The caller's own account grants it everything: the outsider controls its identity policies.
    // Anonymous callers and service principals have none.
    const hasIdentity = typeof request.principal === "string" && request.principal.startsWith("arn:");
    const result = await runSimulation(
        {
            request: {
                principal: request.principal,
                action,
                resource: { resource: TARGETS[kind].resource, accountId: OUR_ACCOUNT },
                contextVariables: request.context,
            },
            identityPolicies: hasIdentity
                ? [{ name: "all", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }]
                : [],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: document,
        },
        {},
    );
    if (result.resultType === "error") {
        return { ok: false, error: JSON.stringify(result.errors) };
    }
    return { ok: true, admitted: result.overallResult === "Allowed", by: request.label };
}

/** Does some outsider request get in? Stops at the first that does. */
export async function documentAdmitsOutsider(kind: DocumentKind, document: object, action?: string): Promise<DocumentVerdict> {
    for (const request of outsiderRequests(kind)) {
        const verdict = await documentAllows(kind, document, request, action);
        if (!verdict.ok || verdict.admitted) {
            return verdict;
        }
    }
    return { ok: true, admitted: false };
}
