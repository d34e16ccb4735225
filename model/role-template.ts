/**
 * A role of the model as CloudFormation declares it (`AWS::IAM::Role`), for the stack sets that deliver
 * roles into member accounts: the deploy identity's `OrgAccessDeploy`, and member roles under
 * `org-access:memberRoleDelivery: stacksets`. The documents are the model's own, so a role delivered by
 * CloudFormation has the very name, path, trust and policies the per-account registration would give it
 * (roles/register-role.ts). Properties: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html
 */
import { PolicyDocument } from "../iam/documents";

/** What a template needs of a role: the model's documents, without the account it lands in. */
export interface TemplateRole {
    readonly name: string;
    readonly path?: string;
    readonly description: string;
    readonly trust: PolicyDocument;
    readonly inline: Readonly<Record<string, PolicyDocument>>;
    readonly managedPolicyArns?: readonly string[];
    readonly maxSessionDuration: number;
    readonly permissionsBoundary?: string;
}

/** The logical id of the one role of a role template. */
export const TEMPLATE_ROLE_ID = "Role";

/** A template (JSON text) with one `AWS::IAM::Role`, named `logicalId`. Pure. */
export function roleTemplate(description: string, role: TemplateRole, logicalId: string = TEMPLATE_ROLE_ID): string {
    const managed = role.managedPolicyArns ?? [];
    return JSON.stringify({
        AWSTemplateFormatVersion: "2010-09-09",
        Description: description,
        Resources: {
            [logicalId]: {
                Type: "AWS::IAM::Role",
                Properties: {
                    RoleName: role.name,
                    ...(role.path !== undefined ? { Path: role.path } : {}),
                    Description: role.description,
                    AssumeRolePolicyDocument: role.trust,
                    MaxSessionDuration: role.maxSessionDuration,
                    Policies: Object.entries(role.inline).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })),
                    ...(managed.length > 0 ? { ManagedPolicyArns: [...managed] } : {}),
                    ...(role.permissionsBoundary !== undefined ? { PermissionsBoundary: role.permissionsBoundary } : {}),
                },
            },
        },
    });
}
