// What the access account may hold, for both AWS providers. It exists to let people and CI into
// the other accounts, so it holds IAM, IAM Identity Center, identity providers and the KMS keys
// that protect them: an allow-list. The categories it refuses whatever the config says (compute,
// data stores, log and metric sinks, VPC workloads) are named to explain failures and to refuse
// an `allowedTypes` entry that would re-admit them.

import { isCompute, moduleOfType, nativeIn } from "./resource-types";
import { isNestedDeployer } from "./templates";

/**
 * What the access account holds by default. This is an allow-list: anything else fails, because
 * the access account is the one account that can reach all others, and every resource added there
 * widens that blast radius. Modules are listed only where every resource in them is identity
 * configuration; elsewhere, single types.
 */
export const ACCESS_ACCOUNT_DEFAULT_ALLOWED_MODULES: ReadonlySet<string> = new Set([
    // IAM Identity Center (the access account may be its delegated administrator) and its directory.
    "aws:ssoadmin",
    "aws:identitystore",
    // IAM Access Analyzer: findings about who can reach the account's roles and keys.
    "aws:accessanalyzer",
]);

export const ACCESS_ACCOUNT_DEFAULT_ALLOWED_TYPES: ReadonlySet<string> = new Set([
    // IAM identities, their credentials and policies, and the account's IAM settings. Left out:
    // instance profiles (only EC2 uses them), server certificates (TLS for load balancers),
    // OrganizationsFeatures (management account only) and outbound web identity federation
    // (tokens for the account's own workloads).
    "aws:iam/accessKey:AccessKey",
    "aws:iam/accountAlias:AccountAlias",
    "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    "aws:iam/group:Group",
    "aws:iam/groupMembership:GroupMembership",
    "aws:iam/groupPoliciesExclusive:GroupPoliciesExclusive",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
    "aws:iam/policy:Policy",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/role:Role",
    "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    "aws:iam/securityTokenServicePreferences:SecurityTokenServicePreferences",
    "aws:iam/serviceLinkedRole:ServiceLinkedRole",
    "aws:iam/serviceSpecificCredential:ServiceSpecificCredential",
    "aws:iam/signingCertificate:SigningCertificate",
    "aws:iam/sshKey:SshKey",
    "aws:iam/user:User",
    "aws:iam/userGroupMembership:UserGroupMembership",
    "aws:iam/userLoginProfile:UserLoginProfile",
    "aws:iam/userPoliciesExclusive:UserPoliciesExclusive",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
    "aws:iam/virtualMfaDevice:VirtualMfaDevice",
    // SAML and OIDC identity providers.
    "aws:iam/samlProvider:SamlProvider",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    // KMS keys that protect the above (e.g. Identity Center, or an SSM session's encryption);
    // `no-wildcard-principals` still checks their key policies.
    "aws:kms/key:Key",
    "aws:kms/alias:Alias",
    "aws:kms/keyPolicy:KeyPolicy",
    "aws:kms/grant:Grant",
    // An account-level guardrail that stores nothing and only narrows access.
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
]);

/** The same allow-list for aws-native (lower-case keys: whole modules or single types). */
export const NATIVE_ACCESS_ACCOUNT_DEFAULT_ALLOWED: ReadonlySet<string> = new Set([
    "aws-native:sso",
    "aws-native:identitystore",
    "aws-native:accessanalyzer",
    "aws-native:iam:group",
    "aws-native:iam:grouppolicy",
    "aws-native:iam:managedpolicy",
    "aws-native:iam:role",
    "aws-native:iam:rolepolicy",
    "aws-native:iam:servicelinkedrole",
    "aws-native:iam:user",
    "aws-native:iam:userpolicy",
    "aws-native:iam:usertogroupaddition",
    "aws-native:iam:virtualmfadevice",
    "aws-native:iam:samlprovider",
    "aws-native:iam:oidcprovider",
    "aws-native:kms:key",
    "aws-native:kms:alias",
]);

/** Stores of data, by module (both providers). Kinesis Firehose is classified as a log sink first. */
export const DATA_STORE_MODULES: ReadonlySet<string> = new Set([
    "aws:s3",
    "aws:s3control",
    "aws:s3tables",
    "aws:glacier",
    "aws:dynamodb",
    "aws:dax",
    "aws:rds",
    "aws:docdb",
    "aws:neptune",
    "aws:elasticache",
    "aws:memorydb",
    "aws:opensearch",
    "aws:elasticsearch",
    "aws:efs",
    "aws:fsx",
    "aws:redshift",
    "aws:redshiftserverless",
    "aws:keyspaces",
    "aws:timestreamwrite",
    "aws:sqs",
    "aws:sns",
    "aws:kinesis",
    "aws:backup",
    "aws:ebs",
]);
const NATIVE_DATA_STORE_MODULES: ReadonlySet<string> = new Set(
    [
        "s3",
        "s3express",
        "s3tables",
        "s3objectlambda",
        "dynamodb",
        "dax",
        "rds",
        "docdb",
        "docdbelastic",
        "neptune",
        "neptunegraph",
        "elasticache",
        "memorydb",
        "opensearchservice",
        "opensearchserverless",
        "elasticsearch",
        "efs",
        "fsx",
        "redshift",
        "redshiftserverless",
        "cassandra",
        "timestream",
        "sqs",
        "sns",
        "kinesis",
        "backup",
        "glacier",
    ].map((module) => `aws-native:${module}`),
);
const NATIVE_LOG_SINKS: ReadonlySet<string> = new Set([
    "aws-native:logs",
    "aws-native:cloudtrail",
    "aws-native:kinesisfirehose",
    "aws-native:oam",
    "aws-native:cloudwatch:metricstream",
    "aws-native:ec2:flowlog",
]);
const NATIVE_VPC_WORKLOADS: ReadonlySet<string> = new Set([
    "aws-native:elasticloadbalancing",
    "aws-native:elasticloadbalancingv2",
    "aws-native:apigateway",
    "aws-native:apigatewayv2",
    "aws-native:ec2:vpcendpointservice",
    "aws-native:ec2:natgateway",
    "aws-native:ec2:eip",
    "aws-native:ec2:networkinterface",
]);

/** Where logs and metrics are written: putting one here makes service accounts write into it. */
export const LOG_SINK_TYPES: ReadonlySet<string> = new Set([
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:cloudwatch/logStream:LogStream",
    "aws:cloudwatch/logDestination:LogDestination",
    "aws:cloudwatch/logDestinationPolicy:LogDestinationPolicy",
    "aws:cloudwatch/logDelivery:LogDelivery",
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    "aws:cloudwatch/logDeliveryDestinationPolicy:LogDeliveryDestinationPolicy",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
    "aws:cloudwatch/metricStream:MetricStream",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    // S3 server access logging: the target bucket receives the logs.
    "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketLoggingV2:BucketLoggingV2",
    "aws:ec2/flowLog:FlowLog",
    "aws:oam/sink:Sink",
    "aws:oam/sinkPolicy:SinkPolicy",
]);
export const LOG_SINK_MODULES: ReadonlySet<string> = new Set(["aws:cloudtrail"]);

/** Workloads served from a VPC: load balancers, API front doors, PrivateLink services. */
export const VPC_WORKLOAD_MODULES: ReadonlySet<string> = new Set(["aws:lb", "aws:alb", "aws:elb", "aws:apigateway", "aws:apigatewayv2"]);
export const VPC_WORKLOAD_TYPES: ReadonlySet<string> = new Set([
    "aws:ec2/vpcEndpointService:VpcEndpointService",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/eip:Eip",
    "aws:ec2/networkInterface:NetworkInterface",
]);

/** Compute, data stores, log sinks and VPC workloads: `allowedTypes` cannot re-admit them. */
export type ForbiddenCategory = "compute" | "data store" | "log or metric sink" | "VPC workload" | "deploys other resources";

export type AccessAccountClass =
    | { readonly allowed: true; readonly reason: "access" | "allowedTypes" }
    | { readonly allowed: false; readonly category: ForbiddenCategory | "not an access resource" };

/** The categories the access account refuses whatever the config says, or undefined. */
export function forbiddenInAccessAccount(type: string): ForbiddenCategory | undefined {
    const module = moduleOfType(type);
    if (isCompute(type)) {
        return "compute";
    }
    // A stack, StackSet or Service Catalog product listed in allowedTypes would admit whatever its template holds.
    if (isNestedDeployer(type)) {
        return "deploys other resources";
    }
    if (LOG_SINK_TYPES.has(type) || LOG_SINK_MODULES.has(module) || nativeIn(NATIVE_LOG_SINKS, type)) {
        return "log or metric sink";
    }
    if ((DATA_STORE_MODULES.has(module) && !ACCESS_ACCOUNT_DEFAULT_ALLOWED_TYPES.has(type)) || nativeIn(NATIVE_DATA_STORE_MODULES, type)) {
        return "data store";
    }
    if (VPC_WORKLOAD_TYPES.has(type) || VPC_WORKLOAD_MODULES.has(module) || nativeIn(NATIVE_VPC_WORKLOADS, type)) {
        return "VPC workload";
    }
    return undefined;
}

/**
 * May a resource of this type live in the access account? `allowedTypes` (exact tokens, set in
 * the policy config on purpose) adds what a VPN or SSM-based access path needs, e.g. a VPC,
 * subnets, a security group, a Client VPN endpoint or SSM VPC endpoints; it cannot add compute,
 * data stores, log sinks or VPC workloads (`readAllowedTypes` refuses such a config).
 */
export function classifyForAccessAccount(type: string, allowedTypes: readonly string[] = []): AccessAccountClass {
    if (
        ACCESS_ACCOUNT_DEFAULT_ALLOWED_TYPES.has(type) ||
        ACCESS_ACCOUNT_DEFAULT_ALLOWED_MODULES.has(moduleOfType(type)) ||
        nativeIn(NATIVE_ACCESS_ACCOUNT_DEFAULT_ALLOWED, type)
    ) {
        return { allowed: true, reason: "access" };
    }
    const forbidden = forbiddenInAccessAccount(type);
    if (forbidden !== undefined) {
        return { allowed: false, category: forbidden };
    }
    if (allowedTypes.includes(type)) {
        return { allowed: true, reason: "allowedTypes" };
    }
    return { allowed: false, category: "not an access resource" };
}
