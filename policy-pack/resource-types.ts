// Pulumi type tokens the policies classify. The pack matches tokens instead of importing
// `@pulumi/aws` classes: the pack stays small and independent of the program's provider version.

/**
 * Resources that run workloads. The management account must not run any (it is the one account
 * SCPs cannot restrict); the follow-up `access-account-holds-access-only` reuses this list.
 */
export const COMPUTE_RESOURCE_TYPES: ReadonlySet<string> = new Set([
    // EC2 and Auto Scaling
    "aws:ec2/instance:Instance",
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    "aws:ec2/spotFleetRequest:SpotFleetRequest",
    "aws:ec2/fleet:Fleet",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:ec2/launchConfiguration:LaunchConfiguration",
    "aws:ec2/dedicatedHost:DedicatedHost",
    "aws:ec2/capacityReservation:CapacityReservation",
    "aws:autoscaling/group:Group",
    // Lambda
    "aws:lambda/function:Function",
    "aws:lambda/functionUrl:FunctionUrl",
    "aws:lambda/capacityProvider:CapacityProvider",
    // Containers
    "aws:ecs/cluster:Cluster",
    "aws:ecs/service:Service",
    "aws:ecs/taskDefinition:TaskDefinition",
    "aws:ecs/capacityProvider:CapacityProvider",
    "aws:eks/cluster:Cluster",
    "aws:eks/nodeGroup:NodeGroup",
    "aws:eks/fargateProfile:FargateProfile",
    "aws:apprunner/service:Service",
    "aws:lightsail/instance:Instance",
    "aws:lightsail/containerService:ContainerService",
    "aws:lightsail/database:Database",
    // Batch and data processing
    "aws:batch/computeEnvironment:ComputeEnvironment",
    "aws:batch/jobDefinition:JobDefinition",
    "aws:batch/jobQueue:JobQueue",
    "aws:emr/cluster:Cluster",
    "aws:emr/instanceFleet:InstanceFleet",
    "aws:emr/instanceGroup:InstanceGroup",
    "aws:emrserverless/application:Application",
    "aws:emrcontainers/virtualCluster:VirtualCluster",
    "aws:glue/job:Job",
    "aws:glue/devEndpoint:DevEndpoint",
    "aws:mwaa/environment:Environment",
    "aws:sfn/stateMachine:StateMachine",
    // Platforms
    "aws:elasticbeanstalk/application:Application",
    "aws:elasticbeanstalk/environment:Environment",
    "aws:amplify/app:App",
    "aws:codebuild/project:Project",
    "aws:cloud9/environmentEC2:EnvironmentEC2",
    "aws:appstream/fleet:Fleet",
    "aws:appstream/imageBuilder:ImageBuilder",
    "aws:workspaces/workspace:Workspace",
    "aws:dms/replicationInstance:ReplicationInstance",
    // Machine learning
    "aws:sagemaker/notebookInstance:NotebookInstance",
    "aws:sagemaker/endpoint:Endpoint",
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    "aws:sagemaker/model:Model",
    "aws:sagemaker/domain:Domain",
    "aws:sagemaker/space:Space",
    "aws:sagemaker/app:App",
    // Games
    "aws:gamelift/fleet:Fleet",
    "aws:gamelift/build:Build",
    "aws:gamelift/gameServerGroup:GameServerGroup",
]);

/** Long-lived human or workload identities; they belong in the access account, never in management. */
export const ACCESS_IDENTITY_RESOURCE_TYPES: ReadonlySet<string> = new Set([
    "aws:iam/user:User",
    "aws:iam/accessKey:AccessKey",
    "aws:iam/userLoginProfile:UserLoginProfile",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/userPoliciesExclusive:UserPoliciesExclusive",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
    "aws:iam/userGroupMembership:UserGroupMembership",
    "aws:iam/groupMembership:GroupMembership",
    "aws:iam/serviceSpecificCredential:ServiceSpecificCredential",
    "aws:iam/signingCertificate:SigningCertificate",
    "aws:iam/sshKey:SshKey",
    "aws:iam/samlProvider:SamlProvider",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
]);

export const ROLE_TYPE = "aws:iam/role:Role";
export const ROLE_POLICY_TYPE = "aws:iam/rolePolicy:RolePolicy";
export const MANAGED_POLICY_TYPE = "aws:iam/policy:Policy";
export const LAMBDA_PERMISSION_TYPE = "aws:lambda/permission:Permission";
export const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

/**
 * Resource policies: documents whose Principal decides who outside the account gets in. The
 * property names are the resource inputs holding the document.
 */
export const RESOURCE_POLICY_PROPERTIES: ReadonlyMap<string, string> = new Map([
    [ROLE_TYPE, "assumeRolePolicy"],
    ["aws:s3/bucketPolicy:BucketPolicy", "policy"],
    ["aws:s3/bucket:Bucket", "policy"],
    ["aws:s3/bucketV2:BucketV2", "policy"],
    ["aws:kms/key:Key", "policy"],
    ["aws:kms/keyPolicy:KeyPolicy", "policy"],
    ["aws:kms/replicaKey:ReplicaKey", "policy"],
    ["aws:kms/externalKey:ExternalKey", "policy"],
    ["aws:kms/replicaExternalKey:ReplicaExternalKey", "policy"],
    ["aws:sqs/queuePolicy:QueuePolicy", "policy"],
    ["aws:sqs/queue:Queue", "policy"],
    ["aws:sns/topicPolicy:TopicPolicy", "policy"],
    ["aws:sns/topic:Topic", "policy"],
    ["aws:ecr/repositoryPolicy:RepositoryPolicy", "policy"],
    ["aws:ecr/registryPolicy:RegistryPolicy", "policy"],
    ["aws:secretsmanager/secretPolicy:SecretPolicy", "policy"],
    ["aws:secretsmanager/secret:Secret", "policy"],
    ["aws:lambda/resourcePolicy:ResourcePolicy", "policy"],
]);

/** Identity policies: documents without a Principal, checked for size and known actions. */
export const IDENTITY_POLICY_PROPERTIES: ReadonlyMap<string, string> = new Map([
    [MANAGED_POLICY_TYPE, "policy"],
    [ROLE_POLICY_TYPE, "policy"],
    ["aws:iam/userPolicy:UserPolicy", "policy"],
    ["aws:iam/groupPolicy:GroupPolicy", "policy"],
]);

// ------------------------------------------------------------------------------------------------
// The access account: what it may hold.
// ------------------------------------------------------------------------------------------------

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

/** Stores of data, by module. Kinesis Firehose is classified as a log sink first. */
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
export type ForbiddenCategory = "compute" | "data store" | "log or metric sink" | "VPC workload";

export type AccessAccountClass =
    | { readonly allowed: true; readonly reason: "access" | "allowedTypes" }
    | { readonly allowed: false; readonly category: ForbiddenCategory | "not an access resource" };

/** `aws:s3/bucket:Bucket` -> `aws:s3`; `aws-native:s3:Bucket` -> `aws-native:s3`. */
export function moduleOfType(type: string): string {
    const [pkg, module = ""] = type.split(":");
    return `${pkg}:${module.split("/")[0]}`;
}

/** The categories the access account refuses whatever the config says, or undefined. */
export function forbiddenInAccessAccount(type: string): ForbiddenCategory | undefined {
    const module = moduleOfType(type);
    if (COMPUTE_RESOURCE_TYPES.has(type)) {
        return "compute";
    }
    if (LOG_SINK_TYPES.has(type) || LOG_SINK_MODULES.has(module)) {
        return "log or metric sink";
    }
    if (DATA_STORE_MODULES.has(module) && !ACCESS_ACCOUNT_DEFAULT_ALLOWED_TYPES.has(type)) {
        return "data store";
    }
    if (VPC_WORKLOAD_TYPES.has(type) || VPC_WORKLOAD_MODULES.has(module)) {
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
    if (ACCESS_ACCOUNT_DEFAULT_ALLOWED_TYPES.has(type) || ACCESS_ACCOUNT_DEFAULT_ALLOWED_MODULES.has(moduleOfType(type))) {
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
