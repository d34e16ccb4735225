/**
 * Jobs the customer role must never do, as the calls that would do them. Every call of every job
 * here must be explicitly Denied by the role's own guardrails, so that even AdministratorAccess
 * attached beside the role's policies cannot reopen it (`tests/customer-access-jobs.test.ts`).
 */
import {
    call,
    everything,
    JobCall,
    JobScene,
    managementArn,
    memberAccountArn,
    organizationsArn,
    serviceLinkedRoleArn,
} from "./customer-access-jobs";
import { accountRootArn, buildArn, roleArn, userArn } from "../iam/arns";

/** The kinds of forbidden work, as issue #21 lists them. */
export type ForbiddenCategory =
    | "compute in the management account"
    | "IAM users, roles and policies other than the service roles"
    | "IAM Identity Center"
    | "changing SCPs, RCPs or the organization's shape"
    | "assuming roles anywhere"
    | "pushing automation or remediation that runs code into member accounts"
    | "passing any role except the aggregator role, to Config";

export interface ForbiddenJob {
    readonly name: string;
    readonly category: ForbiddenCategory;
    /** Why it is forbidden. */
    readonly why: string;
    /** The AWS documentation the reason rests on. */
    readonly source: string;
    /** Every one of them must be explicitly Denied. */
    readonly calls: readonly JobCall[];
}

const SOURCES = {
    scps: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
    passRole: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
    assumeRole: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
    orgPack: "https://docs.aws.amazon.com/config/latest/APIReference/API_PutOrganizationConformancePack.html",
    delegatedAdmin: "https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin.html",
} as const;

/** The same calls, each with the job's source. */
function calls(
    source: string,
    ...list: [action: string, resource?: (s: JobScene) => string, context?: Record<string, string>][]
): JobCall[] {
    return list.map(([action, resource, context]) => ({
        ...call(action, source, resource ?? everything),
        ...(context ? { context: () => context } : {}),
    }));
}

const role = (name: string) => (s: JobScene) => roleArn(s.managementAccountId, name, "/", s.partition);
const aggregator = (s: JobScene) => s.aggregatorRoleArn;
/** The organization's Identity Center instance (its ARNs name no account). */
const ssoInstance = (s: JobScene) =>
    buildArn({ partition: s.partition, service: "sso", region: "", account: "", resource: "instance/ssoins-1234567890abcdef" });
const customerRole = (s: JobScene) => s.customerRoleArn;
const scp = organizationsArn("policy", () => "service_control_policy/p-ab12cd34");
const rcp = organizationsArn("policy", () => "resource_control_policy/p-ef56ab78");
const root = organizationsArn("root", () => "r-ab12");

export const FORBIDDEN_JOBS: readonly ForbiddenJob[] = [
    // Compute in the management account, where no SCP applies.
    {
        name: "Run an EC2 instance, a Lambda function or an ECS task",
        category: "compute in the management account",
        why: "SCPs do not restrict the management account: compute there escapes every guardrail of the organization.",
        source: SOURCES.scps,
        calls: calls(
            SOURCES.scps,
            ["ec2:RunInstances", managementArn("ec2", "instance/*")],
            ["lambda:CreateFunction", managementArn("lambda", "function:f")],
            ["ecs:RunTask", managementArn("ecs", "task-definition/t:1")],
        ),
    },
    {
        name: "Open a CloudShell environment",
        category: "compute in the management account",
        why: "A CloudShell environment is compute in the management account, running with the role's own credentials.",
        source: SOURCES.scps,
        calls: calls(
            SOURCES.scps,
            ["cloudshell:CreateEnvironment"],
            ["cloudshell:CreateSession", managementArn("cloudshell", "environment/e")],
        ),
    },
    // IAM: nothing but the service roles.
    {
        name: "Create an IAM user with access keys",
        category: "IAM users, roles and policies other than the service roles",
        why: "Long-term credentials in the management account, outside the organization's SCPs.",
        source: SOURCES.scps,
        calls: calls(
            SOURCES.scps,
            ["iam:CreateUser", (s) => userArn(s.managementAccountId, "mallory", "/", s.partition)],
            ["iam:CreateAccessKey", (s) => userArn(s.managementAccountId, "mallory", "/", s.partition)],
        ),
    },
    {
        name: "Create a role or a managed policy",
        category: "IAM users, roles and policies other than the service roles",
        why: "A new role with a trust of its choosing would be a way around every guardrail here.",
        source: SOURCES.scps,
        calls: calls(SOURCES.scps, ["iam:CreateRole", role("escape")], ["iam:CreatePolicy", managementArn("iam", "policy/escape", false)]),
    },
    {
        name: "Widen the customer role itself",
        category: "IAM users, roles and policies other than the service roles",
        why: "The role's permissions are the program's to write; a role that rewrites itself has no limits.",
        source: SOURCES.scps,
        calls: calls(
            SOURCES.scps,
            ["iam:PutRolePolicy", customerRole],
            ["iam:AttachRolePolicy", customerRole],
            ["iam:UpdateAssumeRolePolicy", customerRole],
        ),
    },
    {
        name: "Change, re-trust or delete the aggregator role",
        category: "IAM users, roles and policies other than the service roles",
        why: "It is passable to Config because its trust and policy are the program's; changed, it would be a role to pass anywhere Config reaches.",
        source: SOURCES.passRole,
        calls: calls(
            SOURCES.passRole,
            ["iam:UpdateAssumeRolePolicy", aggregator],
            ["iam:AttachRolePolicy", aggregator],
            ["iam:PutRolePolicy", aggregator],
            ["iam:DeleteRole", aggregator],
        ),
    },
    {
        name: "Read roles other than the service roles",
        category: "IAM users, roles and policies other than the service roles",
        why: "iam:GetRole is allowed for what services check on the caller's behalf: service-linked roles and the aggregator role.",
        source: SOURCES.scps,
        calls: calls(SOURCES.scps, ["iam:GetRole", role("OrganizationAccountAccessRole")], ["iam:GetRole", customerRole]),
    },
    {
        name: "Create a service-linked role for an unlisted service, or delete one",
        category: "IAM users, roles and policies other than the service roles",
        why: "Only the listed organization services' service-linked roles are created, and none is removed.",
        source: SOURCES.scps,
        calls: calls(
            SOURCES.scps,
            [
                "iam:CreateServiceLinkedRole",
                serviceLinkedRoleArn("ecs.amazonaws.com", "AWSServiceRoleForECS"),
                { "iam:AWSServiceName": "ecs.amazonaws.com" },
            ],
            ["iam:DeleteServiceLinkedRole", serviceLinkedRoleArn("cloudtrail.amazonaws.com", "AWSServiceRoleForCloudTrail")],
        ),
    },
    // IAM Identity Center.
    {
        name: "Create a permission set, assign it, or create a user",
        category: "IAM Identity Center",
        why: "Identity is administered from the access account, never by this role.",
        source: SOURCES.delegatedAdmin,
        calls: calls(
            SOURCES.delegatedAdmin,
            ["sso:CreatePermissionSet", ssoInstance],
            ["sso:CreateAccountAssignment", ssoInstance],
            ["identitystore:CreateUser", managementArn("identitystore", "identitystore/d-1234567890", false)],
        ),
    },
    {
        name: "Make an account Identity Center's delegated administrator",
        category: "IAM Identity Center",
        why: "Trusted access and delegated administrators are allowed for the listed services only.",
        source: SOURCES.delegatedAdmin,
        calls: calls(
            SOURCES.delegatedAdmin,
            ["organizations:EnableAWSServiceAccess", everything, { "organizations:ServicePrincipal": "sso.amazonaws.com" }],
            ["organizations:RegisterDelegatedAdministrator", memberAccountArn, { "organizations:ServicePrincipal": "sso.amazonaws.com" }],
        ),
    },
    // SCPs, RCPs, the organization's shape.
    {
        name: "Create, change, attach, detach or delete an SCP",
        category: "changing SCPs, RCPs or the organization's shape",
        why: "SCPs bound every member account; changing them widens this role's reach, or anyone's.",
        source: SOURCES.scps,
        calls: calls(
            SOURCES.scps,
            ["organizations:CreatePolicy"],
            ["organizations:UpdatePolicy", scp],
            ["organizations:AttachPolicy", scp],
            ["organizations:DetachPolicy", scp],
            ["organizations:DeletePolicy", scp],
        ),
    },
    {
        name: "Attach or detach an RCP, or switch a policy type",
        category: "changing SCPs, RCPs or the organization's shape",
        why: "Resource control policies bound every member account's resources, as SCPs bound its principals.",
        source: SOURCES.scps,
        calls: calls(
            SOURCES.scps,
            ["organizations:AttachPolicy", rcp],
            ["organizations:DetachPolicy", rcp],
            ["organizations:EnablePolicyType", root],
            ["organizations:DisablePolicyType", root],
        ),
    },
    {
        name: "Create, move, remove or close accounts and OUs",
        category: "changing SCPs, RCPs or the organization's shape",
        why: "Moving an account moves it out from under its SCPs; the organization's shape is the provider's.",
        source: SOURCES.scps,
        calls: calls(
            SOURCES.scps,
            ["organizations:CreateAccount"],
            ["organizations:MoveAccount", memberAccountArn],
            ["organizations:RemoveAccountFromOrganization", memberAccountArn],
            ["organizations:CloseAccount", memberAccountArn],
            ["organizations:CreateOrganizationalUnit", root],
            ["organizations:InviteAccountToOrganization"],
        ),
    },
    {
        name: "Switch off trusted access or a delegated administrator, or set up Control Tower",
        category: "changing SCPs, RCPs or the organization's shape",
        why: "Each switches protections off across the organization, or takes over its accounts, OUs and controls.",
        source: SOURCES.scps,
        calls: calls(
            SOURCES.scps,
            ["organizations:DisableAWSServiceAccess"],
            ["organizations:DeregisterDelegatedAdministrator", memberAccountArn],
            ["controltower:CreateLandingZone"],
            ["controltower:EnableControl", managementArn("controltower", "enabledcontrol/0A1B2C3D4E5F6G7H")],
        ),
    },
    // Assuming roles.
    {
        name: "Assume a role in a member account, or in the management account",
        category: "assuming roles anywhere",
        why: "Every member account's OrganizationAccountAccessRole trusts the management account: a role here that assumes roles reaches every account.",
        source: SOURCES.assumeRole,
        calls: calls(
            SOURCES.assumeRole,
            ["sts:AssumeRole", (s) => roleArn(s.memberAccountId, "OrganizationAccountAccessRole", "/", s.partition)],
            ["sts:AssumeRole", role("OrgAccessPreview")],
            ["sts:AssumeRole", aggregator],
        ),
    },
    {
        name: "Take a root session in a member account, or federate a session",
        category: "assuming roles anywhere",
        why: "Root sessions and federated sessions are other ways to act as someone else.",
        source: SOURCES.assumeRole,
        calls: calls(
            SOURCES.assumeRole,
            ["sts:AssumeRoot", (s) => accountRootArn(s.memberAccountId, s.partition)],
            ["sts:GetFederationToken", managementArn("sts", "federated-user/x", false)],
        ),
    },
    // Code pushed into member accounts.
    {
        name: "Push remediation through an organization conformance pack",
        category: "pushing automation or remediation that runs code into member accounts",
        why: "The decision below: the pack's rules and remediations are created by a service-linked role in each member account, which SCPs do not restrict.",
        source: SOURCES.orgPack,
        calls: calls(SOURCES.orgPack, [
            "config:PutOrganizationConformancePack",
            managementArn("config", "organization-conformance-pack/pack-0a1b2c3d"),
        ]),
    },
    {
        name: "Configure or run Config remediation, or a conformance pack",
        category: "pushing automation or remediation that runs code into member accounts",
        why: "A remediation runs an SSM Automation document under the role it names.",
        source: SOURCES.orgPack,
        calls: calls(
            SOURCES.orgPack,
            ["config:PutRemediationConfigurations", managementArn("config", "remediation-configuration/rule/abc")],
            ["config:StartRemediationExecution"],
            ["config:PutConformancePack", managementArn("config", "conformance-pack/pack/conformance-pack-abc")],
        ),
    },
    {
        name: "Deploy StackSets, Service Catalog products or portfolio shares",
        category: "pushing automation or remediation that runs code into member accounts",
        why: "Service-managed StackSets deploy with service-linked roles in each member account; Service Catalog launches under its launch role.",
        source: SOURCES.scps,
        calls: calls(
            SOURCES.scps,
            ["cloudformation:CreateStackSet"],
            ["cloudformation:CreateStackInstances", managementArn("cloudformation", "stackset/s:*")],
            ["servicecatalog:ProvisionProduct", managementArn("catalog", "product/prod-abc")],
            ["servicecatalog:CreatePortfolioShare", managementArn("catalog", "portfolio/port-abc")],
        ),
    },
    {
        name: "Run Systems Manager Automation, commands, associations or Quick Setup",
        category: "pushing automation or remediation that runs code into member accounts",
        why: "Automation runs documents across accounts under an assume role; Run Command and associations run code on instances; Quick Setup deploys both.",
        source: SOURCES.scps,
        calls: calls(
            SOURCES.scps,
            ["ssm:StartAutomationExecution", managementArn("ssm", "automation-definition/AWS-RunShellScript:$DEFAULT")],
            ["ssm:SendCommand", managementArn("ec2", "instance/i-0123456789abcdef0")],
            ["ssm:CreateAssociation", managementArn("ssm", "document/RunAnything")],
            ["ssm-quicksetup:CreateConfigurationManager", managementArn("ssm-quicksetup", "configuration-manager/0a1b2c3d")],
        ),
    },
    {
        name: "Write Firewall Manager policies",
        category: "pushing automation or remediation that runs code into member accounts",
        why: "A Firewall Manager policy pushes security groups, WAF rules and firewalls into every member account in scope.",
        source: SOURCES.scps,
        calls: calls(SOURCES.scps, ["fms:PutPolicy", managementArn("fms", "policy/p")]),
    },
    // Passing roles.
    {
        name: "Pass the aggregator role to any service but Config",
        category: "passing any role except the aggregator role, to Config",
        why: "iam:PassedToService keeps the aggregator role to the one service it is for.",
        source: SOURCES.passRole,
        calls: calls(
            SOURCES.passRole,
            ["iam:PassRole", aggregator, { "iam:PassedToService": "lambda.amazonaws.com" }],
            ["iam:PassRole", aggregator, { "iam:PassedToService": "ssm.amazonaws.com" }],
        ),
    },
    {
        name: "Pass any other role, even to Config",
        category: "passing any role except the aggregator role, to Config",
        why: "Every service that runs on a role the caller chooses needs iam:PassRole; only the program's aggregator role is passable.",
        source: SOURCES.passRole,
        calls: calls(
            SOURCES.passRole,
            ["iam:PassRole", role("remediation"), { "iam:PassedToService": "config.amazonaws.com" }],
            ["iam:PassRole", role("remediation"), { "iam:PassedToService": "ssm.amazonaws.com" }],
            [
                "iam:PassRole",
                serviceLinkedRoleArn("config.amazonaws.com", "AWSServiceRoleForConfig"),
                { "iam:PassedToService": "config.amazonaws.com" },
            ],
        ),
    },
];
