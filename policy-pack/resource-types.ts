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
