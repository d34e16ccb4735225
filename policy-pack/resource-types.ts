// Pulumi type tokens the policies classify, for both AWS providers: `@pulumi/aws` tokens
// (`aws:ec2/instance:Instance`) and `@pulumi/aws-native` tokens (`aws-native:ec2:Instance`, one per
// CloudFormation type `AWS::EC2::Instance`). The pack matches tokens instead of importing provider
// classes: it stays small and independent of the program's provider versions.
//
// aws-native (and CloudFormation) types are compared by a lower-case key, `aws-native:ec2:instance`:
// aws-native spells acronyms its own way (`AWS::IAM::OIDCProvider` is `aws-native:iam:OidcProvider`).

/**
 * Resources that run workloads, by exact `@pulumi/aws` token (see also COMPUTE_MODULES and
 * NATIVE_COMPUTE). The management account holds none (it is the one account SCPs cannot
 * restrict), and the access account none either; `allowedTypes` cannot re-admit them.
 */
import { StringMemo } from "./memo";
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
    // Found missing by issue #13: build fleets, Managed Flink, Image Builder, ECS task sets.
    "aws:codebuild/fleet:Fleet",
    "aws:kinesisanalyticsv2/application:Application",
    "aws:imagebuilder/image:Image",
    "aws:imagebuilder/imagePipeline:ImagePipeline",
    "aws:ecs/taskSet:TaskSet",
]);

/** `@pulumi/aws` modules every resource of which runs or schedules workloads. */
export const COMPUTE_MODULES: ReadonlySet<string> = new Set([
    "aws:autoscaling",
    "aws:ecs",
    "aws:eks",
    "aws:batch",
    "aws:apprunner",
    "aws:elasticbeanstalk",
    "aws:emr",
    "aws:emrserverless",
    "aws:emrcontainers",
    "aws:gamelift",
    "aws:imagebuilder",
    "aws:kinesisanalyticsv2",
    "aws:lightsail",
    "aws:mwaa",
    "aws:sfn",
]);

/**
 * aws-native compute, by lower-case key: whole modules (`aws-native:ecs`) or single types
 * (`aws-native:ec2:instance`). The same keys classify CloudFormation types in nested templates.
 */
export const NATIVE_COMPUTE: ReadonlySet<string> = new Set([
    "aws-native:ec2:instance",
    "aws-native:ec2:spotfleet",
    "aws-native:ec2:ec2fleet",
    "aws-native:ec2:launchtemplate",
    "aws-native:ec2:host",
    "aws-native:ec2:capacityreservation",
    "aws-native:autoscaling",
    "aws-native:lambda:function",
    "aws-native:lambda:url",
    "aws-native:lambda:version",
    "aws-native:lambda:alias",
    "aws-native:lambda:eventsourcemapping",
    "aws-native:ecs",
    "aws-native:eks",
    "aws-native:batch",
    "aws-native:apprunner",
    "aws-native:lightsail",
    "aws-native:elasticbeanstalk",
    "aws-native:emr",
    "aws-native:emrserverless",
    "aws-native:emrcontainers",
    "aws-native:glue:job",
    "aws-native:mwaa",
    "aws-native:stepfunctions",
    "aws-native:amplify",
    "aws-native:codebuild",
    "aws-native:cloud9",
    "aws-native:appstream",
    "aws-native:workspaces",
    "aws-native:dms:replicationinstance",
    "aws-native:sagemaker",
    "aws-native:gamelift",
    "aws-native:imagebuilder",
    "aws-native:kinesisanalytics",
    "aws-native:kinesisanalyticsv2",
    "aws-native:deadline",
    "aws-native:pcs",
    "aws-native:ssm:association",
]);

/** Modules by type token: every classification asks for the module of the same few types. */
const MODULES = new StringMemo<string>(4096);

/** `aws:s3/bucket:Bucket` -> `aws:s3`; `aws-native:s3:Bucket` -> `aws-native:s3`. */
export function moduleOfType(type: string): string {
    return MODULES.get(type, () => {
        const [pkg, module = ""] = type.split(":");
        return `${pkg}:${module.split("/")[0]}`;
    });
}

/** `aws-native:iam:OidcProvider` -> `aws-native:iam:oidcprovider`; other tokens unchanged. */
export function nativeKey(type: string): string {
    return type.startsWith("aws-native:") ? type.toLowerCase() : type;
}

/** `AWS::Lambda::Function` (a CloudFormation type) -> `aws-native:lambda:Function`. */
export function nativeTypeOfCloudFormation(cfnType: string): string | undefined {
    const match = /^AWS::([A-Za-z0-9]+)::([A-Za-z0-9]+)$/.exec(cfnType);
    return match === null ? undefined : `aws-native:${match[1].toLowerCase()}:${match[2]}`;
}

/** Is a key (or its module) in a set of aws-native keys? */
export function nativeIn(set: ReadonlySet<string>, type: string): boolean {
    const key = nativeKey(type);
    return set.has(key) || set.has(moduleOfType(key));
}

/** Compute, of either provider (CloudFormation types: convert with nativeTypeOfCloudFormation first). */
export function isCompute(type: string): boolean {
    return COMPUTE_RESOURCE_TYPES.has(type) || COMPUTE_MODULES.has(moduleOfType(type)) || nativeIn(NATIVE_COMPUTE, type);
}

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

/** aws-native access identities (lower-case keys): IAM users and what hangs on them, identity providers. */
export const NATIVE_ACCESS_IDENTITY: ReadonlySet<string> = new Set([
    "aws-native:iam:user",
    "aws-native:iam:userpolicy",
    "aws-native:iam:usertogroupaddition",
    "aws-native:iam:accesskey",
    "aws-native:iam:samlprovider",
    "aws-native:iam:oidcprovider",
]);

/** An access identity, of either provider. */
export function isAccessIdentity(type: string): boolean {
    return ACCESS_IDENTITY_RESOURCE_TYPES.has(type) || nativeIn(NATIVE_ACCESS_IDENTITY, type);
}

export const ROLE_TYPE = "aws:iam/role:Role";

/** Role trusts, the one document whose name the trust rules need: `Role.assumeRolePolicy` and its aws-native twin. */
export const TRUST_POLICY_PROPERTIES: ReadonlyMap<string, string> = new Map([
    [ROLE_TYPE, "assumeRolePolicy"],
    ["aws-native:iam:role", "assumeRolePolicyDocument"],
]);

/** The trust document property of a role type of either provider, or undefined. */
export function trustPolicyProperty(type: string): string | undefined {
    return TRUST_POLICY_PROPERTIES.get(nativeKey(type));
}

// ------------------------------------------------------------------------------------------------
// Permission-style resources: the few whose policy is not a document.
// ------------------------------------------------------------------------------------------------

/**
 * How a permission-style resource names who gets in. Every other resource policy is a document,
 * found where CloudFormation and both providers put it (`resource-documents.ts`).
 *
 * - `lambda`: `principal`, `sourceAccount`, `sourceArn`, `principalOrgId` (aws.lambda.Permission,
 *   AWS::Lambda::Permission).
 * - `layer`: `principal` ("*" or an account), `organizationId` (LayerVersionPermission).
 * - `event`: `principal` ("*" or an account), `condition` `{key: "aws:PrincipalOrgID", type:
 *   "StringEquals", value}` (aws.cloudwatch.EventPermission, AWS::Events::EventBusPolicy, whose
 *   `statement` form is one statement without the document around it).
 */
export type PermissionKind = "lambda" | "layer" | "event";

const PERMISSION_KINDS: ReadonlyMap<string, PermissionKind> = new Map([
    ["aws:lambda/permission:Permission", "lambda"],
    ["aws-native:lambda:permission", "lambda"],
    ["aws:lambda/layerVersionPermission:LayerVersionPermission", "layer"],
    ["aws-native:lambda:layerversionpermission", "layer"],
    ["aws:cloudwatch/eventPermission:EventPermission", "event"],
    ["aws-native:events:eventbuspolicy", "event"],
]);

export function permissionKindOf(type: string): PermissionKind | undefined {
    return PERMISSION_KINDS.get(nativeKey(type));
}

/** The permission-style tokens of `@pulumi/aws`, for tests that check they exist. */
export const AWS_PERMISSION_TYPES: readonly string[] = [...PERMISSION_KINDS.keys()].filter((type) => type.startsWith("aws:"));
