import { show } from "../errors";
import { Organization } from "../organization";
import { awsManagedPolicyArn } from "../partition";
import { PREVIEW_ROLE_NAME, PREVIEW_TEAM_NAME, ROLE_SESSION_SECONDS } from "../patterns";
import { ConfigValue } from "../reader";
import * as P from "./patterns";
import { Identity, MemberRoleSpec, PreviewSpec, Team } from "./types";

export function parsePreview(value: ConfigValue, identity: Identity): PreviewSpec {
    const o = value.object(["repository", "provider"]);
    const repository = o.required("repository").string(P.REPOSITORY.pattern, P.REPOSITORY.what);
    const provider = o.optional("provider", (p) => p.string()) ?? "github";
    if (!identity.oidc.some((p) => p.name === provider)) {
        (o.field("provider").present ? o.field("provider") : value).fail(
            `needs OIDC provider ${show(provider)} in org-access:identity.oidc`,
        );
    }
    return {
        repository,
        provider,
        team: PREVIEW_TEAM_NAME,
        role: PREVIEW_ROLE_NAME,
    };
}

/** The preview team: pull requests of one repository, through GitHub OIDC. */
export function previewTeam(preview: PreviewSpec): Team {
    return {
        name: preview.team,
        groups: [],
        saml: [],
        oidc: [{ provider: preview.provider, subjects: [`repo:${preview.repository}:pull_request`] }],
        identityCenter: [],
        maxSessionDuration: ROLE_SESSION_SECONDS.min,
        breakGlass: false,
    };
}

/**
 * The preview role in every member account, the access account included (a
 * preview of this stack reads IAM there): AWS `ReadOnlyAccess`, minus reads of
 * stored data, which no preview needs.
 */
export function previewMemberRole(preview: PreviewSpec, org: Organization): MemberRoleSpec {
    return {
        name: preview.role,
        grants: [{ teams: [preview.team], accounts: org.members, key: "org-access:previewRole" }],
        teams: [preview.team],
        accounts: org.members,
        requireSourceIdentity: false,
        managedPolicyArns: [awsManagedPolicyArn(org.partition, P.READ_ONLY_ACCESS)],
        inlinePolicies: { "deny-data-reads": PREVIEW_DATA_READ_DENY },
        maxSessionDuration: ROLE_SESSION_SECONDS.min,
        description: "Read-only access for CI previews of org-access (managed by org-access)",
    };
}

/** Data-plane reads ReadOnlyAccess would allow and a preview never needs. */
export const PREVIEW_DATA_READ_DENY = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "DenyDataReads",
            Effect: "Deny",
            Action: [
                "s3:GetObject*",
                "secretsmanager:GetSecretValue",
                "ssm:GetParameter*",
                "kms:Decrypt",
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "logs:GetLogEvents",
                "logs:FilterLogEvents",
                "athena:GetQueryResults",
            ],
            Resource: "*",
        },
    ],
} as const;
