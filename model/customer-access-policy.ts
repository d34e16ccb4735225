import { CustomerTrust } from "../config/customer-access";
import { Organization } from "../config/organization";
import { exactPrincipalsStatement } from "./access-policy";
import { assumeRolesPolicy, oneOrMany, policyDocument, PolicyDocument, PolicyStatement } from "../iam/documents";

/**
 * An organization-level service the customer role may read and write, with the
 * reason it belongs in the management account. This table is the single source
 * for the role's Allow statements and for docs/customer-access-permissions.md.
 */
export interface OrgService {
    readonly name: string;
    readonly actions: readonly string[];
    /** Service principals for trusted access / delegated admin (`organizations:ServicePrincipal`). */
    readonly servicePrincipals: readonly string[];
    /** Services that create their own service-linked role in the management account (`iam:AWSServiceName`). */
    readonly serviceLinkedRoles: readonly string[];
    readonly why: string;
}

export const ORG_SERVICES: readonly OrgService[] = [
    {
        name: "CloudTrail",
        actions: ["cloudtrail:*"],
        servicePrincipals: ["cloudtrail.amazonaws.com"],
        serviceLinkedRoles: ["cloudtrail.amazonaws.com"],
        why: "Organization trails and CloudTrail Lake can only be created from the management account or a delegated admin.",
    },
    {
        name: "AWS Config",
        actions: ["config:*"],
        servicePrincipals: ["config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"],
        serviceLinkedRoles: ["config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"],
        why: "Aggregators, conformance packs and organization rules span every account.",
    },
    {
        name: "Amazon Inspector",
        actions: ["inspector2:*"],
        servicePrincipals: ["inspector2.amazonaws.com"],
        serviceLinkedRoles: ["inspector2.amazonaws.com"],
        why: "The organization configuration and delegated admin are set from the management account.",
    },
    {
        name: "Cost allocation tags",
        actions: ["ce:*CostAllocationTag*"],
        servicePrincipals: [],
        serviceLinkedRoles: [],
        why: "Cost allocation tags are activated only in the payer (management) account.",
    },
    {
        name: "AWS Security Hub",
        actions: ["securityhub:*"],
        servicePrincipals: ["securityhub.amazonaws.com"],
        serviceLinkedRoles: ["securityhub.amazonaws.com"],
        why: "Organization-wide findings and central configuration start in the management account.",
    },
    {
        name: "Amazon GuardDuty",
        actions: ["guardduty:*"],
        servicePrincipals: ["guardduty.amazonaws.com", "malware-protection.guardduty.amazonaws.com"],
        serviceLinkedRoles: ["guardduty.amazonaws.com", "malware-protection.guardduty.amazonaws.com"],
        why: "The delegated administrator for threat detection is designated here.",
    },
    {
        name: "IAM Access Analyzer",
        actions: ["access-analyzer:*"],
        servicePrincipals: ["access-analyzer.amazonaws.com"],
        serviceLinkedRoles: ["access-analyzer.amazonaws.com"],
        why: "Organization analyzers report external and unused access across accounts. It reads IAM; it cannot change it.",
    },
    {
        name: "Amazon Detective",
        actions: ["detective:*"],
        servicePrincipals: ["detective.amazonaws.com"],
        serviceLinkedRoles: ["detective.amazonaws.com"],
        why: "Investigation graphs are enabled organization-wide from here.",
    },
    {
        name: "Amazon Macie",
        actions: ["macie2:*"],
        servicePrincipals: ["macie.amazonaws.com"],
        serviceLinkedRoles: ["macie.amazonaws.com"],
        why: "Sensitive-data discovery is enabled organization-wide from here.",
    },
    {
        name: "AWS Firewall Manager (administrator only)",
        // Not fms:*: Firewall Manager policies deploy security groups, WAF and network firewalls
        // into every member account; that is the administrator account's job, not this role's.
        actions: ["fms:AssociateAdminAccount", "fms:PutAdminAccount", "fms:Get*", "fms:List*"],
        servicePrincipals: ["fms.amazonaws.com"],
        serviceLinkedRoles: ["fms.amazonaws.com"],
        why: "The Firewall Manager administrator account is associated from the management account. Its policies, which deploy into every member account, are left to that administrator.",
    },
    {
        name: "AWS Health (organizational view)",
        actions: ["health:Describe*", "health:EnableHealthServiceAccessForOrganization"],
        servicePrincipals: ["health.amazonaws.com"],
        serviceLinkedRoles: ["health.amazonaws.com"],
        why: "Health events for every account are visible only through the organizational view.",
    },
];

/**
 * Actions that would put compute in the management account. Denied outright:
 * the Allow list already omits them, and the explicit Deny keeps it that way
 * if someone later attaches a broader policy to the role.
 */
export const COMPUTE_ACTIONS: readonly string[] = [
    "ec2:RunInstances",
    "ec2:StartInstances",
    "ec2:RequestSpotInstances",
    "ec2:RequestSpotFleet",
    "ec2:CreateFleet",
    "ec2:CreateLaunchTemplate",
    "ec2:CreateLaunchTemplateVersion",
    "ec2:AllocateHosts",
    "autoscaling:*",
    "lambda:*",
    "ecs:*",
    "eks:*",
    "batch:*",
    "lightsail:*",
    "apprunner:*",
    "elasticbeanstalk:*",
    "elasticmapreduce:*",
    "emr-serverless:*",
    "emr-containers:*",
    "sagemaker:*",
    "glue:*",
    "codebuild:*",
    "gamelift:*",
    "kinesisanalytics:*",
    "imagebuilder:*",
];

/**
 * A way to run compute without calling a compute service: a service that runs code, templates or
 * documents on the caller's behalf, under a role of its own. Each is closed by an explicit Deny;
 * the table feeds the role's `DenyComputeByProxy` statement and the documentation.
 */
export interface ComputePath {
    readonly name: string;
    readonly actions: readonly string[];
    readonly why: string;
}

export const COMPUTE_PATHS: readonly ComputePath[] = [
    {
        name: "AWS Config remediation",
        actions: ["config:PutRemediationConfigurations", "config:StartRemediationExecution", "config:PutConformancePack"],
        why:
            "A remediation runs an SSM Automation document under the service role it names, in the management account; a conformance pack " +
            "in this account can carry remediations too. Organization conformance packs and rules stay allowed: they deploy into member accounts, " +
            "where service control policies apply.",
    },
    {
        name: "AWS Firewall Manager policies",
        actions: ["fms:PutPolicy", "fms:PutResourceSet", "fms:BatchAssociateResource", "fms:AssociateThirdPartyFirewall"],
        why: "A Firewall Manager policy pushes security groups, WAF rules and firewalls into every member account in scope.",
    },
    {
        name: "CloudFormation StackSets",
        actions: ["cloudformation:*StackSet*", "cloudformation:*StackInstances"],
        why:
            "Service-managed StackSets deploy templates into accounts with service-linked roles, not with the caller's permissions. " +
            "Plain stacks run with the caller's own permissions (or a service role, which needs iam:PassRole), so they grant nothing new.",
    },
    {
        name: "Service Catalog",
        actions: ["servicecatalog:*"],
        why: "Provisioning a product launches its template under the product's launch role, not under the caller's permissions.",
    },
    {
        name: "SSM Automation, Run Command, associations and sessions",
        actions: ["ssm:Start*", "ssm:SendCommand", "ssm:CreateAssociation*"],
        why: "Automation runs documents (which can create anything) under an assume role; Run Command, associations and sessions run code on instances.",
    },
    {
        name: "AWS CloudShell",
        actions: ["cloudshell:*"],
        why: "A CloudShell environment is compute in the management account, running with the role's own credentials.",
    },
    {
        name: "Passing a role to a service",
        actions: ["iam:PassRole"],
        why:
            "Every service that runs on a role the caller chooses (Lambda, ECS, CodeBuild, Step Functions, Automation, stacks with a service role) " +
            "needs iam:PassRole. Denied here without a condition, so the iam:AWSServiceName exception of DenyIam can never become a way through.",
    },
];

/** IAM Identity Center and its directory: identity is administered elsewhere, never by this role. */
export const IDENTITY_CENTER_ACTIONS: readonly string[] = ["sso:*", "sso-directory:*", "identitystore:*", "identitystore-auth:*"];

/**
 * Actions through which the role could reach further than itself: assume other
 * roles (OrganizationAccountAccessRole in every member trusts this account),
 * take root sessions in member accounts, or loosen the organization's policies.
 */
export const REACH_WIDENING_ACTIONS: readonly string[] = [
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoot",
    "sts:GetFederationToken",
    "organizations:AttachPolicy",
    "organizations:DetachPolicy",
    "organizations:CreatePolicy",
    "organizations:UpdatePolicy",
    "organizations:DeletePolicy",
    "organizations:EnablePolicyType",
    "organizations:DisablePolicyType",
    "organizations:CreateAccount",
    "organizations:CreateGovCloudAccount",
    "organizations:InviteAccountToOrganization",
    "organizations:RemoveAccountFromOrganization",
    "organizations:MoveAccount",
    "organizations:CloseAccount",
    "organizations:LeaveOrganization",
    "organizations:DeleteOrganization",
    "organizations:CreateOrganizationalUnit",
    "organizations:UpdateOrganizationalUnit",
    "organizations:DeleteOrganizationalUnit",
    "organizations:DisableAWSServiceAccess",
    "organizations:DeregisterDelegatedAdministrator",
    "organizations:TagResource",
    "organizations:UntagResource",
    "organizations:PutResourcePolicy",
    "organizations:DeleteResourcePolicy",
];

const allServicePrincipals = () => ORG_SERVICES.flatMap((s) => s.servicePrincipals);
const allServiceLinkedRoles = () => ORG_SERVICES.flatMap((s) => s.serviceLinkedRoles);

/**
 * The trust policy. By default any principal of the organization outside the
 * management account may assume the role (it still needs `sts:AssumeRole` in its
 * own identity policy). The statement does not grow with the number of accounts.
 * With `trust`, only the chosen accounts, principals and groups' accounts may,
 * as a union.
 */
export function customerTrustPolicy(org: Organization, trust: CustomerTrust | undefined): PolicyDocument {
    if (!trust) {
        return policyDocument(
            {
                Sid: "MemberAccountPrincipals",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:PrincipalOrgID": org.id },
                    StringNotEquals: { "aws:PrincipalAccount": org.management.id },
                },
            },
            usersNeedMfa(org),
        );
    }
    const statements: PolicyStatement[] = [];
    const accountIds = [...new Set([...trust.accounts, ...trust.groups.map((g) => g.account)].map((a) => a.id))];
    if (accountIds.length > 0) {
        statements.push({
            Sid: "ChosenAccounts",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:PrincipalOrgID": org.id, "aws:PrincipalAccount": oneOrMany(accountIds) } },
        });
    }
    if (trust.principals.length > 0) {
        statements.push(
            exactPrincipalsStatement("ChosenPrincipals", trust.principals, ["sts:AssumeRole"], {
                StringEquals: { "aws:PrincipalOrgID": org.id },
            }),
        );
    }
    return policyDocument(...statements, usersNeedMfa(org));
}

/**
 * The statements above admit every principal of an account, IAM users included,
 * and a user's long-term access keys carry no `aws:MultiFactorAuthPresent` at all
 * (IAM global condition keys). This Deny keeps out any IAM user whose request is
 * not signed with MFA (`BoolIfExists ... false`: absent or false), and leaves
 * roles alone.
 */
function usersNeedMfa(org: Organization): PolicyStatement {
    return {
        Sid: "IamUsersNeedMfa",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "sts:AssumeRole",
        Condition: {
            ArnLike: { "aws:PrincipalArn": `arn:${org.partition}:iam::*:user/*` },
            BoolIfExists: { "aws:MultiFactorAuthPresent": "false" },
        },
    };
}

/** The role's inline policies, keyed by their stable IAM policy names. */
export function customerPermissionPolicies(): Record<string, PolicyDocument> {
    return {
        "organization-read": policyDocument(
            {
                Sid: "ReadOrganizationAndPolicies",
                Effect: "Allow",
                Action: ["organizations:Describe*", "organizations:List*"],
                Resource: "*",
            },
            {
                // Enabling an org-wide service calls these on the caller's behalf;
                // the condition keeps them to the services listed above.
                Sid: "EnableListedOrgServices",
                Effect: "Allow",
                Action: ["organizations:EnableAWSServiceAccess", "organizations:RegisterDelegatedAdministrator"],
                Resource: "*",
                Condition: { StringEquals: { "organizations:ServicePrincipal": allServicePrincipals() } },
            },
        ),
        "org-services": policyDocument(
            ...ORG_SERVICES.map((service): PolicyStatement => ({
                Sid: sidOf(service.name),
                Effect: "Allow",
                Action: oneOrMany(service.actions),
                Resource: "*",
            })),
            {
                Sid: "ServiceLinkedRolesOfListedServices",
                Effect: "Allow",
                Action: "iam:CreateServiceLinkedRole",
                Resource: "*",
                Condition: { StringEquals: { "iam:AWSServiceName": allServiceLinkedRoles() } },
            },
        ),
        guardrails: policyDocument(
            { Sid: "DenyCompute", Effect: "Deny", Action: COMPUTE_ACTIONS, Resource: "*" },
            { Sid: "DenyComputeByProxy", Effect: "Deny", Action: COMPUTE_PATHS.flatMap((path) => path.actions), Resource: "*" },
            {
                // Every IAM action is denied, the only exception being the creation of
                // service-linked roles for the listed services: that request is the
                // only one that carries iam:AWSServiceName. iam:PassRole is denied too.
                Sid: "DenyIam",
                Effect: "Deny",
                Action: "iam:*",
                Resource: "*",
                Condition: { StringNotEqualsIfExists: { "iam:AWSServiceName": allServiceLinkedRoles() } },
            },
            { Sid: "DenyIdentityCenter", Effect: "Deny", Action: IDENTITY_CENTER_ACTIONS, Resource: "*" },
            { Sid: "DenyWideningReach", Effect: "Deny", Action: REACH_WIDENING_ACTIONS, Resource: "*" },
        ),
    };
}

/** Identity policy for a trusted IAM group: may assume exactly the customer role. */
export function customerGroupPolicy(customerRoleArn: string): PolicyDocument {
    return assumeRolesPolicy("AssumeCustomerAccessRole", [customerRoleArn]);
}

/** A statement id from a service name: letters and digits only. */
function sidOf(name: string): string {
    return name.replace(/[^A-Za-z0-9]/g, "");
}
