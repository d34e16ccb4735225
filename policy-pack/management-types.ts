// What the management account may hold: an allow-list, not a deny-list. Service control policies
// do not restrict the management account
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html), so
// anything that runs there escapes the organization's guardrails; a deny-list of compute types is
// always one service behind (CodeBuild fleets, Managed Flink, Image Builder, ECS task sets were
// missing from ours). The management account holds what organization-level services and this
// program need, and the types a stack's policy config lists in `allowedTypes`.

import { isAccessIdentity, isCompute, moduleOfType, nativeKey } from "./resource-types";
import { isNestedDeployer } from "./templates";

/**
 * `@pulumi/aws` modules of organization-level services, whose every resource configures the
 * organization or a service across it: Organizations itself (policies, delegated administrators,
 * trusted access), CloudTrail (organization trails), Security Hub, GuardDuty, Inspector, Access
 * Analyzer, Detective and Macie (organization configuration and delegated admins), IAM Identity
 * Center and its identity store (when the management account administers it), cost explorer (cost
 * allocation tags and categories, payer-only), account settings (alternate contacts, regions).
 */
export const MANAGEMENT_ACCOUNT_ALLOWED_MODULES: ReadonlySet<string> = new Set([
    "aws:organizations",
    "aws:cloudtrail",
    "aws:securityhub",
    "aws:guardduty",
    "aws:inspector2",
    "aws:accessanalyzer",
    "aws:detective",
    "aws:macie2",
    "aws:ssoadmin",
    "aws:identitystore",
    "aws:costexplorer",
    "aws:account",
]);

/**
 * Single `@pulumi/aws` types: AWS Config except remediation (a remediation runs an SSM Automation
 * document under a service role, i.e. compute by proxy), the Firewall Manager administrator
 * association (not its policies, which deploy into member accounts), and the IAM this program
 * registers for the customer role and the preview reader.
 */
export const MANAGEMENT_ACCOUNT_ALLOWED_TYPES: ReadonlySet<string> = new Set([
    "aws:cfg/aggregateAuthorization:AggregateAuthorization",
    "aws:cfg/configurationAggregator:ConfigurationAggregator",
    "aws:cfg/recorder:Recorder",
    "aws:cfg/recorderStatus:RecorderStatus",
    "aws:cfg/deliveryChannel:DeliveryChannel",
    "aws:cfg/organizationConformancePack:OrganizationConformancePack",
    "aws:cfg/organizationCustomPolicyRule:OrganizationCustomPolicyRule",
    "aws:cfg/organizationManagedRule:OrganizationManagedRule",
    "aws:cfg/retentionConfiguration:RetentionConfiguration",
    "aws:cfg/rule:Rule",
    "aws:fms/adminAccount:AdminAccount",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    "aws:iam/policy:Policy",
    "aws:iam/serviceLinkedRole:ServiceLinkedRole",
    "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    "aws:iam/accountAlias:AccountAlias",
    "aws:iam/organizationsFeatures:OrganizationsFeatures",
]);

/** The same for aws-native and CloudFormation (lower-case keys: whole modules or single types). */
export const NATIVE_MANAGEMENT_ACCOUNT_ALLOWED: ReadonlySet<string> = new Set([
    "aws-native:organizations",
    "aws-native:cloudtrail",
    "aws-native:securityhub",
    "aws-native:guardduty",
    "aws-native:inspectorv2",
    "aws-native:accessanalyzer",
    "aws-native:detective",
    "aws-native:macie",
    "aws-native:sso",
    "aws-native:identitystore",
    "aws-native:ce",
    "aws-native:config:aggregationauthorization",
    "aws-native:config:configurationaggregator",
    "aws-native:config:configurationrecorder",
    "aws-native:config:deliverychannel",
    "aws-native:config:organizationconformancepack",
    "aws-native:config:configrule",
    "aws-native:iam:role",
    "aws-native:iam:rolepolicy",
    "aws-native:iam:managedpolicy",
    "aws-native:iam:servicelinkedrole",
]);

/** What `allowedTypes` cannot admit into the management account. */
export type ManagementForbiddenCategory = "compute" | "access identity" | "deploys other resources";

export type ManagementAccountClass =
    | { readonly allowed: true; readonly reason: "organization" | "allowedTypes" }
    | { readonly allowed: false; readonly category: ManagementForbiddenCategory | "not an organization-level resource" };

/**
 * Compute and access identities, which `allowedTypes` cannot re-admit into the management account;
 * nor resources that deploy others (stacks, StackSets, Service Catalog), which count as what they
 * deploy instead.
 */
export function forbiddenInManagementAccount(type: string): ManagementForbiddenCategory | undefined {
    if (isCompute(type)) {
        return "compute";
    }
    if (isAccessIdentity(type)) {
        return "access identity";
    }
    return isNestedDeployer(type) ? "deploys other resources" : undefined;
}

/** May a resource of this type (`aws:`, `aws-native:` or converted CloudFormation) live in the management account? */
export function classifyForManagementAccount(type: string, allowedTypes: readonly string[] = []): ManagementAccountClass {
    const key = nativeKey(type);
    if (
        MANAGEMENT_ACCOUNT_ALLOWED_TYPES.has(type) ||
        MANAGEMENT_ACCOUNT_ALLOWED_MODULES.has(moduleOfType(type)) ||
        NATIVE_MANAGEMENT_ACCOUNT_ALLOWED.has(key) ||
        NATIVE_MANAGEMENT_ACCOUNT_ALLOWED.has(moduleOfType(key))
    ) {
        return { allowed: true, reason: "organization" };
    }
    const forbidden = forbiddenInManagementAccount(type);
    if (forbidden !== undefined) {
        return { allowed: false, category: forbidden };
    }
    if (allowedTypes.includes(type)) {
        return { allowed: true, reason: "allowedTypes" };
    }
    return { allowed: false, category: "not an organization-level resource" };
}
