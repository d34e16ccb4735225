import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PREVIEW_TEAM_NAME } from "../config/access";
import { MANAGEMENT_PREVIEW_ROLE_NAME, ManagementPreviewRole } from "../config/management-preview";
import { Organization } from "../config/organization";
import { roleArn } from "../iam/arns";
import { policyDocument, PolicyDocument } from "../iam/documents";

/** Trust: exactly the preview team role of the access account. */
export function managementPreviewTrust(preview: ManagementPreviewRole): PolicyDocument {
    return policyDocument({
        Sid: "AccessAccountPreviewTeam",
        Effect: "Allow",
        Principal: { AWS: roleArn(preview.accessAccount.id, PREVIEW_TEAM_NAME) },
        Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
    });
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

export interface ManagementPreviewRoleArgs {
    readonly organization: Organization;
    readonly preview: ManagementPreviewRole;
    /** The management account's provider. */
    readonly provider: aws.Provider;
}

/** The management account's read-only preview role. Protected: CI depends on it. */
export class ManagementPreviewReader extends pulumi.ComponentResource {
    public readonly roleArn: string;

    constructor(name: string, args: ManagementPreviewRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:ManagementPreviewReader", name, {}, opts);
        const { organization: org, preview, provider } = args;
        this.roleArn = roleArn(org.management.id, MANAGEMENT_PREVIEW_ROLE_NAME);
        const role = new aws.iam.Role(
            name,
            {
                name: MANAGEMENT_PREVIEW_ROLE_NAME,
                description: "Read-only role for CI previews of org-access (managed by org-access)",
                assumeRolePolicy: JSON.stringify(managementPreviewTrust(preview)),
                maxSessionDuration: 3600,
            },
            { parent: this, provider, protect: true },
        );
        new aws.iam.RolePolicy(
            `${name}-read`,
            { role: role.name, name: "read", policy: JSON.stringify(managementPreviewPermissions()) },
            { parent: this, provider },
        );
        new aws.iam.RolePoliciesExclusive(`${name}-inline-only`, { roleName: role.name, policyNames: ["read"] }, { parent: this, provider });
        new aws.iam.RolePolicyAttachmentsExclusive(`${name}-no-managed-policies`, { roleName: role.name, policyArns: [] }, { parent: this, provider });
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
