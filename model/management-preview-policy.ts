/** The documents of the management account's read-only CI preview role. */
import { PREVIEW_TEAM_NAME } from "../config/patterns";
import { ManagementPreviewRole } from "../config/management-preview";
import { Partition } from "../config/partition";
import { roleArn } from "../iam/arns";
import { CHAIN_ACTIONS, exactPrincipalsStatement } from "./access-policy";
import { policyDocument, PolicyDocument } from "../iam/documents";

/** Trust: exactly the preview team role of the access account. */
export function managementPreviewTrust(preview: ManagementPreviewRole, partition?: Partition): PolicyDocument {
    return policyDocument(
        exactPrincipalsStatement(
            "AccessAccountPreviewTeam",
            [roleArn(preview.accessAccount.id, PREVIEW_TEAM_NAME, "/", partition)],
            CHAIN_ACTIONS,
        ),
    );
}

/**
 * What a preview of this program reads in the management account, and no
 * more: IAM (the customer role), Organizations, IAM Identity Center
 * configuration. No data, no billing, no secrets: AWS ReadOnlyAccess would
 * include `s3:GetObject`, which has no place in the management account.
 */
export function managementPreviewPermissions(): PolicyDocument {
    return policyDocument(
        {
            Sid: "ReadWhatThePreviewReads",
            Effect: "Allow",
            Action: [
                "iam:Get*",
                "iam:List*",
                "organizations:Describe*",
                "organizations:List*",
                "sso:Describe*",
                "sso:Get*",
                "sso:List*",
                "identitystore:Describe*",
                "identitystore:List*",
            ],
            Resource: "*",
        },
        { Sid: "NoCredentialReports", Effect: "Deny", Action: ["iam:GenerateCredentialReport", "iam:GetCredentialReport"], Resource: "*" },
    );
}
