/**
 * The jobs the customer role exists for, as the sequences of API calls AWS evaluates against the
 * role: the calls the caller makes, and the calls a service makes or checks with the caller's
 * permissions while doing the job (trusted access, delegated administrators, service-linked roles,
 * the roles it is handed). Each call carries the AWS page that says it is needed.
 *
 * The same tables drive `tests/customer-access-jobs.test.ts`, which simulates every job end to end
 * against the role's documents (every call Allowed; every forbidden job's every call explicitly
 * Denied, even with AdministratorAccess attached beside them), and
 * `docs/customer-access-permissions.md`, which lists them with their sources.
 */
import { Partition } from "../config/partition";
import { buildArn, roleArn } from "../iam/arns";

/** Where the jobs happen: ids and ARNs the calls name, built from the organization. */
export interface JobScene {
    readonly partition: Partition;
    readonly region: string;
    readonly organizationId: string;
    readonly managementAccountId: string;
    /** The member account a job makes a service's delegated administrator. */
    readonly memberAccountId: string;
    /** The customer role itself. */
    readonly customerRoleArn: string;
    /** The Config aggregator's service role the program creates. */
    readonly aggregatorRoleArn: string;
}

/** One request AWS authorizes against the customer role's policies. */
export interface JobCall {
    readonly action: string;
    /** The resource the request names (`*` for actions without resource-level permissions). */
    readonly resource: (scene: JobScene) => string;
    /** Request context the call carries: the service principal, the service a role is passed to. */
    readonly context?: (scene: JobScene) => Readonly<Record<string, string>>;
    /** Made or checked by the service, with the caller's permissions, rather than called by the caller. */
    readonly onBehalf: boolean;
    /** The AWS documentation that says the job needs this call. */
    readonly source: string;
}

/** A job the role must be able to do: every call Allowed. */
export interface Job {
    readonly name: string;
    readonly calls: readonly JobCall[];
}

// ------------------------------------------------------------------------------------------------
// Sources
// ------------------------------------------------------------------------------------------------

const SOURCES = {
    orgTrail: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-an-organizational-trail-prepare.html",
    cloudTrailRoles: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/using-service-linked-roles.html",
    lake: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-lake-organizations.html",
    configOrganizations: "https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-config.html",
    aggregatorSource: "https://docs.aws.amazon.com/config/latest/APIReference/API_OrganizationAggregationSource.html",
    aggregatorConsole: "https://docs.aws.amazon.com/config/latest/developerguide/setup-aggregator-console.html",
    passRole: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
    orgRule: "https://docs.aws.amazon.com/config/latest/APIReference/API_PutOrganizationConfigRule.html",
    orgPacks: "https://docs.aws.amazon.com/config/latest/developerguide/conformance-pack-organization-apis.html",
    inspector: "https://docs.aws.amazon.com/inspector/latest/user/designating-admin.html",
    guardDuty: "https://docs.aws.amazon.com/guardduty/latest/ug/organizations_permissions.html",
    securityHub: "https://docs.aws.amazon.com/securityhub/latest/userguide/designate-orgs-admin-account.html",
    macie: "https://docs.aws.amazon.com/macie/latest/user/accounts-mgmt-ao-integrate.html",
    detective: "https://docs.aws.amazon.com/detective/latest/APIReference/API_EnableOrganizationAdminAccount.html",
    detectiveAdmin: "https://docs.aws.amazon.com/detective/latest/adminguide/accounts-designate-admin.html",
    accessAnalyzer: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-settings.html",
    accessAnalyzerRole: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-using-service-linked-roles.html",
    costTags: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_UpdateCostAllocationTagsStatus.html",
    scps: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
} as const;

// ------------------------------------------------------------------------------------------------
// ARNs and call builders
// ------------------------------------------------------------------------------------------------

const everything = (): string => "*";

/** `arn:<partition>:<service>:<region>:<management account>:<rest>`, a resource in the management account. */
function managementArn(service: string, rest: string, regional = true): (s: JobScene) => string {
    return (s) =>
        buildArn({ partition: s.partition, service, region: regional ? s.region : "", account: s.managementAccountId, resource: rest });
}

/** An Organizations resource: `arn:<partition>:organizations::<management account>:<kind>/<org id>/<rest>`. */
function organizationsArn(kind: string, rest: (s: JobScene) => string): (s: JobScene) => string {
    return (s) => managementArn("organizations", `${kind}/${s.organizationId}/${rest(s)}`, false)(s);
}

const memberAccountArn = organizationsArn("account", (s) => s.memberAccountId);

/** A service-linked role in the management account, under the path IAM gives them. */
function serviceLinkedRoleArn(service: string, roleName: string): (s: JobScene) => string {
    return (s) => roleArn(s.managementAccountId, roleName, `/aws-service-role/${service}/`, s.partition);
}

function call(action: string, source: string, resource: (s: JobScene) => string = everything, onBehalf = false): JobCall {
    return { action, resource, onBehalf, source };
}

/** The Organizations calls a service makes with the caller's permissions to turn on trusted access. */
function trustedAccess(servicePrincipal: string, source: string): JobCall[] {
    return [
        call("organizations:DescribeOrganization", source, everything, true),
        call("organizations:ListAWSServiceAccessForOrganization", source, everything, true),
        {
            action: "organizations:EnableAWSServiceAccess",
            resource: everything,
            context: () => ({ "organizations:ServicePrincipal": servicePrincipal }),
            onBehalf: true,
            source,
        },
    ];
}

/** Registering a member account as the service's delegated administrator (done by the service when it is asked to). */
function delegatedAdministrator(servicePrincipal: string, source: string): JobCall[] {
    return [
        call("organizations:ListDelegatedAdministrators", source, everything, true),
        {
            action: "organizations:RegisterDelegatedAdministrator",
            resource: memberAccountArn,
            context: () => ({ "organizations:ServicePrincipal": servicePrincipal }),
            onBehalf: true,
            source,
        },
    ];
}

/** The service checks its service-linked role (`iam:GetRole`) and creates it when missing. */
function serviceLinkedRole(service: string, roleName: string, source: string, check = true): JobCall[] {
    const arn = serviceLinkedRoleArn(service, roleName);
    return [
        ...(check ? [call("iam:GetRole", source, arn, true)] : []),
        {
            action: "iam:CreateServiceLinkedRole",
            resource: arn,
            context: () => ({ "iam:AWSServiceName": service }),
            onBehalf: true,
            source,
        },
    ];
}

// ------------------------------------------------------------------------------------------------
// The jobs
// ------------------------------------------------------------------------------------------------

export const CUSTOMER_JOBS: readonly Job[] = [
    {
        name: "Create the organization trail",
        calls: [
            ...trustedAccess("cloudtrail.amazonaws.com", SOURCES.orgTrail),
            call("organizations:ListAccounts", SOURCES.orgTrail, everything, true),
            ...serviceLinkedRole("cloudtrail.amazonaws.com", "AWSServiceRoleForCloudTrail", SOURCES.orgTrail),
            call("cloudtrail:CreateTrail", SOURCES.orgTrail, managementArn("cloudtrail", "trail/organization-trail")),
            call("cloudtrail:PutEventSelectors", SOURCES.orgTrail, managementArn("cloudtrail", "trail/organization-trail")),
            call("cloudtrail:StartLogging", SOURCES.orgTrail, managementArn("cloudtrail", "trail/organization-trail")),
        ],
    },
    {
        name: "Create a CloudTrail Lake organization event data store and query it",
        calls: [
            ...trustedAccess("cloudtrail.amazonaws.com", SOURCES.lake),
            ...serviceLinkedRole("cloudtrail.amazonaws.com", "AWSServiceRoleForCloudTrail", SOURCES.cloudTrailRoles),
            call("cloudtrail:CreateEventDataStore", SOURCES.lake, managementArn("cloudtrail", "eventdatastore/organization-events")),
            call("cloudtrail:StartQuery", SOURCES.lake, managementArn("cloudtrail", "eventdatastore/organization-events")),
        ],
    },
    {
        name: "Create the Config organization aggregator on the program's aggregator role",
        calls: [
            ...trustedAccess("config.amazonaws.com", SOURCES.configOrganizations),
            call("iam:GetRole", SOURCES.aggregatorConsole, (s) => s.aggregatorRoleArn, true),
            {
                action: "iam:PassRole",
                resource: (s) => s.aggregatorRoleArn,
                context: () => ({ "iam:PassedToService": "config.amazonaws.com" }),
                onBehalf: true,
                source: SOURCES.passRole,
            },
            call(
                "config:PutConfigurationAggregator",
                SOURCES.aggregatorSource,
                managementArn("config", "config-aggregator/config-aggregator-0a1b2c3d"),
            ),
            call(
                "config:DescribeConfigurationAggregatorSourcesStatus",
                SOURCES.aggregatorConsole,
                managementArn("config", "config-aggregator/config-aggregator-0a1b2c3d"),
            ),
            call(
                "config:SelectAggregateResourceConfig",
                SOURCES.aggregatorConsole,
                managementArn("config", "config-aggregator/config-aggregator-0a1b2c3d"),
            ),
        ],
    },
    {
        name: "Deploy an organization Config rule",
        calls: [
            ...trustedAccess("config-multiaccountsetup.amazonaws.com", SOURCES.orgRule),
            call("organizations:ListDelegatedAdministrators", SOURCES.orgRule, everything, true),
            ...serviceLinkedRole("config-multiaccountsetup.amazonaws.com", "AWSServiceRoleForConfigMultiAccountSetup", SOURCES.orgRule),
            call(
                "config:PutOrganizationConfigRule",
                SOURCES.orgRule,
                managementArn("config", "organization-config-rule/required-tags-0a1b2c3d"),
            ),
            call(
                "config:GetOrganizationConfigRuleDetailedStatus",
                SOURCES.orgRule,
                managementArn("config", "organization-config-rule/required-tags-0a1b2c3d"),
            ),
        ],
    },
    {
        name: "Review and remove organization conformance packs (deploying them is denied: see the decision)",
        calls: [
            call("config:DescribeOrganizationConformancePacks", SOURCES.orgPacks),
            call("config:DescribeOrganizationConformancePackStatuses", SOURCES.orgPacks),
            call(
                "config:GetOrganizationConformancePackDetailedStatus",
                SOURCES.orgPacks,
                managementArn("config", "organization-conformance-pack/pack-0a1b2c3d"),
            ),
            call(
                "config:DeleteOrganizationConformancePack",
                SOURCES.orgPacks,
                managementArn("config", "organization-conformance-pack/pack-0a1b2c3d"),
            ),
        ],
    },
    {
        name: "Set up Amazon Inspector for the organization and designate its delegated administrator",
        calls: [
            ...trustedAccess("inspector2.amazonaws.com", SOURCES.inspector),
            ...delegatedAdministrator("inspector2.amazonaws.com", SOURCES.inspector),
            call("inspector2:EnableDelegatedAdminAccount", SOURCES.inspector),
        ],
    },
    {
        name: "Set up Amazon GuardDuty for the organization and designate its delegated administrator",
        calls: [
            ...trustedAccess("guardduty.amazonaws.com", SOURCES.guardDuty),
            ...delegatedAdministrator("guardduty.amazonaws.com", SOURCES.guardDuty),
            call("organizations:ListAccounts", SOURCES.guardDuty, everything, true),
            call("organizations:DescribeAccount", SOURCES.guardDuty, memberAccountArn, true),
            call(
                "organizations:DescribeOrganizationalUnit",
                SOURCES.guardDuty,
                organizationsArn("ou", () => "ou-ab12-cd34ef56"),
                true,
            ),
            ...serviceLinkedRole("guardduty.amazonaws.com", "AWSServiceRoleForAmazonGuardDuty", SOURCES.guardDuty, false),
            call("guardduty:EnableOrganizationAdminAccount", SOURCES.guardDuty),
        ],
    },
    {
        name: "Set up AWS Security Hub for the organization and designate its delegated administrator",
        calls: [
            ...trustedAccess("securityhub.amazonaws.com", SOURCES.securityHub),
            ...delegatedAdministrator("securityhub.amazonaws.com", SOURCES.securityHub),
            call("securityhub:EnableOrganizationAdminAccount", SOURCES.securityHub, managementArn("securityhub", "hub/default")),
        ],
    },
    {
        name: "Set up Amazon Macie for the organization and designate its delegated administrator",
        calls: [
            ...trustedAccess("macie.amazonaws.com", SOURCES.macie),
            ...delegatedAdministrator("macie.amazonaws.com", SOURCES.macie),
            call("macie2:EnableOrganizationAdminAccount", SOURCES.macie),
        ],
    },
    {
        name: "Set up Amazon Detective for the organization and designate its delegated administrator",
        calls: [
            ...trustedAccess("detective.amazonaws.com", SOURCES.detectiveAdmin),
            ...delegatedAdministrator("detective.amazonaws.com", SOURCES.detective),
            call("detective:EnableOrganizationAdminAccount", SOURCES.detective),
        ],
    },
    {
        name: "Set up IAM Access Analyzer for the organization: its delegated administrator, an organization analyzer",
        calls: [
            ...trustedAccess("access-analyzer.amazonaws.com", SOURCES.accessAnalyzer),
            ...delegatedAdministrator("access-analyzer.amazonaws.com", SOURCES.accessAnalyzer),
            ...serviceLinkedRole("access-analyzer.amazonaws.com", "AWSServiceRoleForAccessAnalyzer", SOURCES.accessAnalyzerRole, false),
            call("access-analyzer:CreateAnalyzer", SOURCES.accessAnalyzer, managementArn("access-analyzer", "analyzer/organization")),
        ],
    },
    {
        name: "Activate cost allocation tags",
        calls: [call("ce:ListCostAllocationTags", SOURCES.costTags), call("ce:UpdateCostAllocationTagsStatus", SOURCES.costTags)],
    },
    {
        name: "Read the organization and its policies",
        calls: [
            call("organizations:DescribeOrganization", SOURCES.scps),
            call("organizations:ListRoots", SOURCES.scps),
            call(
                "organizations:ListOrganizationalUnitsForParent",
                SOURCES.scps,
                organizationsArn("root", () => "r-ab12"),
            ),
            call("organizations:ListAccounts", SOURCES.scps),
            call("organizations:ListPolicies", SOURCES.scps),
            call(
                "organizations:DescribePolicy",
                SOURCES.scps,
                organizationsArn("policy", () => "service_control_policy/p-ab12cd34"),
            ),
            call(
                "organizations:ListTargetsForPolicy",
                SOURCES.scps,
                organizationsArn("policy", () => "service_control_policy/p-ab12cd34"),
            ),
            call("organizations:DescribeEffectivePolicy", SOURCES.scps, memberAccountArn),
        ],
    },
];

/** The one test that simulates every job in this file and in customer-access-forbidden-jobs.ts. */
export const JOBS_TEST_FILE = "tests/customer-access-jobs.test.ts";

/** The title of the test case that proves a job, shared by the test and the docs so each names the other exactly. */
export function jobTestTitle(job: { readonly name: string }, forbidden = false): string {
    return `${forbidden ? "refuses" : "does"}: ${job.name}`;
}

export { everything, call, managementArn, organizationsArn, memberAccountArn, serviceLinkedRoleArn };
