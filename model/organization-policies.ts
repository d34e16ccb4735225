/**
 * The organization policies AWS enforces at run time (`org-access:organizationPolicies`): one RCP
 * (the identity perimeter, and optionally the data perimeter) and one SCP (the switchable guardrails),
 * built once from the validated config. One policy of each type leaves room under AWS's quota of five
 * per target (FullAWSAccess and RCPFullAWSAccess take one each). No document grows with the number of
 * accounts: role patterns name the program's roles by name with any account, and the only account ids
 * are the access account and the declared external accounts.
 *
 * SCPs and RCPs do not apply to the management account, and SCPs not to service-linked roles
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
 */
import { AccessConfig } from "../config/access";
import { DEPLOY_ROLE_NAMES, DeployIdentity } from "../config/deploy-identity";
import { Organization } from "../config/organization";
import { OrganizationPoliciesConfig, PolicyTarget } from "../config/organization-policies";
import { accountOfArn, roleArn } from "../iam/arns";
import { oneOrMany, policyDocument, PolicyDocument, PolicyStatement } from "../iam/documents";
import { memberRoleArn, teamRoleArn } from "./access-policy";
import { DEPLOY_ACTIONS, MEMBER_ROLE_TYPES } from "./deploy-permissions";

/** One organization policy: what `aws.organizations.Policy` gets. */
export interface OrganizationPolicyModel {
    readonly name: string;
    readonly type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY";
    readonly description: string;
    readonly document: PolicyDocument;
}

export interface OrganizationPoliciesModel {
    readonly settings: OrganizationPoliciesConfig;
    /** The guardrails SCP, when any SCP switch is on. */
    readonly scp?: OrganizationPolicyModel;
    /** The perimeter RCP, when `identityPerimeter` is on. */
    readonly rcp?: OrganizationPolicyModel;
    readonly targets: readonly PolicyTarget[];
    /** Who may change the program's roles (`aws:PrincipalArn` patterns): the deploy identity. */
    readonly deployPrincipals: readonly string[];
    /** Accounts outside the organization the perimeter admits: those of `organization.externalPrincipals`. */
    readonly externalAccounts: readonly string[];
}

/**
 * AWS Organizations quotas the plan checks the policies against
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html, "Maximum size of a
 * policy document" and "Maximum number of policies attached to a root, OU or account"). Sizes count the
 * characters of the JSON as sent (the program sends it without white space).
 */
export const ORGANIZATION_POLICY_QUOTAS = [
    {
        type: "SERVICE_CONTROL_POLICY",
        what: "SCP",
        maxCharacters: 5120,
        perTarget: 5,
        /** AWS attaches it to every root, OU and account; it counts toward the five. */
        awsManaged: "FullAWSAccess",
        source: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html",
    },
    {
        type: "RESOURCE_CONTROL_POLICY",
        what: "RCP",
        maxCharacters: 5120,
        perTarget: 5,
        awsManaged: "RCPFullAWSAccess",
        source: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html",
    },
] as const;

/** The user, login profile and access key calls the users rule denies outside the access account. */
export const IAM_USER_ACTIONS = ["iam:CreateUser", "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:CreateAccessKey"] as const;

/** The role actions that change a role or its policies: the write calls of the deploy table's role rows. */
export function roleWriteActions(): string[] {
    const rows = DEPLOY_ACTIONS.filter((r) => (MEMBER_ROLE_TYPES as readonly string[]).includes(r.type));
    const writes = rows.flatMap((r) => [...r.create, ...r.update, ...r.delete]).filter((a) => !/^iam:(Get|List)/.test(a));
    return [...new Set(writes)].sort();
}

/** The calls the identity perimeter guards on a role: assuming it, and the side actions of an assume request. */
export const PERIMETER_ROLE_ACTIONS = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"] as const;
/** The data services of the optional data perimeter (AWS's identity_perimeter_rcp.json lists the same four). */
export const PERIMETER_DATA_ACTIONS = ["s3:*", "sqs:*", "kms:*", "secretsmanager:*"] as const;

/**
 * The identity-perimeter condition of AWS's data-perimeter examples
 * (https://github.com/aws-samples/data-perimeter-policy-examples, resource_control_policies/identity_perimeter_rcp.json):
 * the caller is not of this organization, not of a declared external account, and not an AWS service.
 */
function outsideCondition(orgId: string, externalAccounts: readonly string[]) {
    return {
        StringNotEqualsIfExists: {
            "aws:PrincipalOrgID": orgId,
            ...(externalAccounts.length > 0 ? { "aws:PrincipalAccount": oneOrMany(externalAccounts) } : {}),
        },
        BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
    };
}

/**
 * The perimeter RCP. `sts:AssumeRoleWithSAML` and `sts:AssumeRoleWithWebIdentity` are left out, as AWS's
 * example leaves them out: such a request has no AWS principal (no `aws:PrincipalOrgID`), and STS takes it
 * only from an identity provider of the role's own account, which its trust must name. `sts:SetSourceIdentity`
 * and `sts:TagSession` are also authorized within a SAML or web-identity request; the `Null` clause keeps the
 * Deny to requests with an AWS principal (`aws:PrincipalAccount` present), so federated sign-in keeps its
 * session tags and source identity (IAM global condition keys, aws:PrincipalAccount, aws:PrincipalOrgID:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 */
function perimeterPolicy(org: Organization, settings: OrganizationPoliciesConfig, externalAccounts: readonly string[]): PolicyDocument {
    const statements: PolicyStatement[] = [
        {
            Sid: "IdentityPerimeterOnRoles",
            Effect: "Deny",
            Principal: "*",
            Action: [...PERIMETER_ROLE_ACTIONS],
            Resource: "*",
            Condition: { ...outsideCondition(org.id, externalAccounts), Null: { "aws:PrincipalAccount": "false" } },
        },
    ];
    if (settings.dataPerimeter) {
        statements.push({
            Sid: "IdentityPerimeterOnData",
            Effect: "Deny",
            Principal: "*",
            Action: [...PERIMETER_DATA_ACTIONS],
            Resource: "*",
            Condition: outsideCondition(org.id, externalAccounts),
        });
    }
    return policyDocument(...statements);
}

/**
 * The role service-managed StackSets run each stack instance's operations as, in every target account:
 * `stacksets-exec-<id>`, made by StackSets with AdministratorAccess
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-custom-execution-role.html) and
 * assumed by the management account's StackSets service-linked role, whose policy allows `sts:AssumeRole` on
 * `role/stacksets-exec-*` (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/CloudFormationStackSetsOrgAdminServiceRolePolicy.html).
 * It is no service-linked role, so SCPs apply to it: the deploy identity's stack set and member roles under
 * `memberRoleDelivery: stacksets` are created by it, and the guardrails must let it change the program's roles.
 */
export const STACKSETS_EXECUTION_ROLE = "stacksets-exec-*";

/**
 * Who may change the program's roles: the roles the providers deploy with. With `org-access:deployIdentity`,
 * `OrgAccessDeploy` (member accounts) and `org-access-deploy` (the access account); without it, the
 * organization's `deployRoleName` in member accounts (config/deploy-identity.ts `providerRoleName`).
 */
export function deployPrincipalPatterns(org: Organization, access: AccessConfig | undefined, deployIdentity: DeployIdentity | undefined) {
    const stackSets = roleArn("*", STACKSETS_EXECUTION_ROLE, "/", org.partition);
    if (deployIdentity && access) {
        return [
            roleArn("*", DEPLOY_ROLE_NAMES.account, "/", org.partition),
            roleArn(access.account.id, DEPLOY_ROLE_NAMES.access, "/", org.partition),
            stackSets,
        ];
    }
    return [roleArn("*", org.deployRoleName, "/", org.partition), stackSets];
}

/** The program's roles in member accounts, as patterns that do not grow with accounts: member roles by name, team and deploy roles, and StackSets' execution role. */
export function protectedRolePatterns(
    org: Organization,
    access: AccessConfig | undefined,
    deployIdentity: DeployIdentity | undefined,
): string[] {
    const any = { id: "*", name: "*" };
    const patterns = [
        ...(access?.roles ?? []).map((spec) => memberRoleArn(any, spec, org.partition)),
        ...(access?.teams ?? []).map((team) => teamRoleArn(access!.account, team, org.partition)),
        ...(deployIdentity && access ? deployPrincipalPatterns(org, access, deployIdentity) : []),
        // Exempt from the Deny as StackSets' own role, so nobody else may make a role of that name.
        roleArn("*", STACKSETS_EXECUTION_ROLE, "/", org.partition),
    ];
    return [...new Set(patterns)];
}

function guardrailsPolicy(
    org: Organization,
    settings: OrganizationPoliciesConfig,
    access: AccessConfig | undefined,
    deployIdentity: DeployIdentity | undefined,
): PolicyDocument | undefined {
    const statements: PolicyStatement[] = [];
    if (settings.iamUsersOnlyInAccessAccount && access) {
        statements.push({
            Sid: "IamUsersOnlyInAccessAccount",
            Effect: "Deny",
            Action: [...IAM_USER_ACTIONS],
            Resource: "*",
            Condition: { StringNotEquals: { "aws:PrincipalAccount": access.account.id } },
        });
    }
    const roles = protectedRolePatterns(org, access, deployIdentity);
    if (settings.protectAccessRoles && roles.length > 0) {
        statements.push({
            Sid: "OnlyDeployIdentityChangesAccessRoles",
            Effect: "Deny",
            Action: roleWriteActions(),
            Resource: oneOrMany(roles),
            Condition: { ArnNotLike: { "aws:PrincipalArn": oneOrMany(deployPrincipalPatterns(org, access, deployIdentity)) } },
        });
    }
    if (settings.denyLeaveOrganization) {
        statements.push({ Sid: "DenyLeaveOrganization", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" });
    }
    return statements.length > 0 ? policyDocument(...statements) : undefined;
}

/** The organization policies of a config. Pure. */
export function organizationPoliciesModel(
    org: Organization,
    settings: OrganizationPoliciesConfig,
    access: AccessConfig | undefined,
    deployIdentity: DeployIdentity | undefined,
): OrganizationPoliciesModel {
    const inOrg = new Set([org.management.id, ...org.members.map((a) => a.id)]);
    const externalAccounts = [...new Set(org.externalPrincipals.flatMap((arn) => accountOfArn(arn) ?? []))]
        .filter((id) => !inOrg.has(id))
        .sort();
    const scp = guardrailsPolicy(org, settings, access, deployIdentity);
    return {
        settings,
        targets: settings.targets,
        deployPrincipals: deployPrincipalPatterns(org, access, deployIdentity),
        externalAccounts,
        ...(scp
            ? {
                  scp: {
                      name: "org-access-guardrails",
                      type: "SERVICE_CONTROL_POLICY" as const,
                      description:
                          "org-access: IAM users only in the access account, the program's roles changed by its deploy identity only, no leaving (managed by org-access)",
                      document: scp,
                  },
              }
            : {}),
        ...(settings.identityPerimeter
            ? {
                  rcp: {
                      name: "org-access-perimeter",
                      type: "RESOURCE_CONTROL_POLICY" as const,
                      description:
                          "org-access: roles (and data) of member accounts only for this organization, AWS services and declared external accounts (managed by org-access)",
                      document: perimeterPolicy(org, settings, externalAccounts),
                  },
              }
            : {}),
    };
}

/** The policies of the model, SCP first. */
export function organizationPolicyList(model: OrganizationPoliciesModel): OrganizationPolicyModel[] {
    return [model.scp, model.rcp].filter((p): p is OrganizationPolicyModel => p !== undefined);
}
