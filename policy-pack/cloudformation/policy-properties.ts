// Where IAM policy documents sit in a resource's properties, by CloudFormation type (the same
// table reads aws-native resources, whose inputs are the CloudFormation properties in camelCase).
// A WAF rule's `Statement` or a stack policy is not an IAM policy document, so documents are looked
// up here, not found by their shape. Each row cites the CloudFormation resource reference.
//
// Types not listed are read by property name (`POLICY_PROPERTY_NAME` in resource-documents.ts):
// CloudFormation and both providers name document properties `...Policy`, `...PolicyDocument`,
// `...Policies`, `...PolicyText`, so a type missing here is still read.

/** `Policies[].PolicyDocument`: a property path; `[]` steps into every item of a list. */
export type PropertyPath = string;

export interface DocumentLocation {
    /** CloudFormation type, e.g. `AWS::IAM::Role`. */
    readonly cfnType: string;
    readonly paths: readonly PropertyPath[];
    /** The trust policy, read by the trust rules too. */
    readonly trust?: PropertyPath;
    readonly source: string;
}

const REFERENCE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference";

export const POLICY_DOCUMENT_LOCATIONS: readonly DocumentLocation[] = [
    {
        cfnType: "AWS::IAM::Role",
        paths: ["AssumeRolePolicyDocument", "Policies[].PolicyDocument"],
        trust: "AssumeRolePolicyDocument",
        source: `${REFERENCE}/aws-resource-iam-role.html`,
    },
    { cfnType: "AWS::IAM::Policy", paths: ["PolicyDocument"], source: `${REFERENCE}/aws-resource-iam-policy.html` },
    { cfnType: "AWS::IAM::ManagedPolicy", paths: ["PolicyDocument"], source: `${REFERENCE}/aws-resource-iam-managedpolicy.html` },
    { cfnType: "AWS::IAM::RolePolicy", paths: ["PolicyDocument"], source: `${REFERENCE}/aws-resource-iam-rolepolicy.html` },
    { cfnType: "AWS::IAM::UserPolicy", paths: ["PolicyDocument"], source: `${REFERENCE}/aws-resource-iam-userpolicy.html` },
    { cfnType: "AWS::IAM::GroupPolicy", paths: ["PolicyDocument"], source: `${REFERENCE}/aws-resource-iam-grouppolicy.html` },
    { cfnType: "AWS::IAM::User", paths: ["Policies[].PolicyDocument"], source: `${REFERENCE}/aws-resource-iam-user.html` },
    { cfnType: "AWS::IAM::Group", paths: ["Policies[].PolicyDocument"], source: `${REFERENCE}/aws-resource-iam-group.html` },
    { cfnType: "AWS::S3::BucketPolicy", paths: ["PolicyDocument"], source: `${REFERENCE}/aws-resource-s3-bucketpolicy.html` },
    { cfnType: "AWS::S3::AccessPoint", paths: ["Policy"], source: `${REFERENCE}/aws-resource-s3-accesspoint.html` },
    { cfnType: "AWS::SQS::QueuePolicy", paths: ["PolicyDocument"], source: `${REFERENCE}/aws-resource-sqs-queuepolicy.html` },
    { cfnType: "AWS::SQS::QueueInlinePolicy", paths: ["PolicyDocument"], source: `${REFERENCE}/aws-resource-sqs-queueinlinepolicy.html` },
    { cfnType: "AWS::SNS::TopicPolicy", paths: ["PolicyDocument"], source: `${REFERENCE}/aws-resource-sns-topicpolicy.html` },
    { cfnType: "AWS::SNS::TopicInlinePolicy", paths: ["PolicyDocument"], source: `${REFERENCE}/aws-resource-sns-topicinlinepolicy.html` },
    { cfnType: "AWS::KMS::Key", paths: ["KeyPolicy"], source: `${REFERENCE}/aws-resource-kms-key.html` },
    { cfnType: "AWS::KMS::ReplicaKey", paths: ["KeyPolicy"], source: `${REFERENCE}/aws-resource-kms-replicakey.html` },
    {
        cfnType: "AWS::SecretsManager::ResourcePolicy",
        paths: ["ResourcePolicy"],
        source: `${REFERENCE}/aws-resource-secretsmanager-resourcepolicy.html`,
    },
    { cfnType: "AWS::ECR::Repository", paths: ["RepositoryPolicyText"], source: `${REFERENCE}/aws-resource-ecr-repository.html` },
    { cfnType: "AWS::Logs::ResourcePolicy", paths: ["PolicyDocument"], source: `${REFERENCE}/aws-resource-logs-resourcepolicy.html` },
    { cfnType: "AWS::Events::EventBus", paths: ["Policy"], source: `${REFERENCE}/aws-resource-events-eventbus.html` },
    { cfnType: "AWS::ApiGateway::RestApi", paths: ["Policy"], source: `${REFERENCE}/aws-resource-apigateway-restapi.html` },
    { cfnType: "AWS::EFS::FileSystem", paths: ["FileSystemPolicy"], source: `${REFERENCE}/aws-resource-efs-filesystem.html` },
    { cfnType: "AWS::Backup::BackupVault", paths: ["AccessPolicy"], source: `${REFERENCE}/aws-resource-backup-backupvault.html` },
    {
        cfnType: "AWS::OpenSearchService::Domain",
        paths: ["AccessPolicies"],
        source: `${REFERENCE}/aws-resource-opensearchservice-domain.html`,
    },
    { cfnType: "AWS::Elasticsearch::Domain", paths: ["AccessPolicies"], source: `${REFERENCE}/aws-resource-elasticsearch-domain.html` },
    { cfnType: "AWS::EC2::VPCEndpoint", paths: ["PolicyDocument"], source: `${REFERENCE}/aws-resource-ec2-vpcendpoint.html` },
    {
        cfnType: "AWS::DynamoDB::Table",
        paths: ["ResourcePolicy.PolicyDocument", "StreamSpecification.ResourcePolicy.PolicyDocument"],
        source: `${REFERENCE}/aws-resource-dynamodb-table.html`,
    },
    { cfnType: "AWS::Glacier::Vault", paths: ["AccessPolicy"], source: `${REFERENCE}/aws-resource-glacier-vault.html` },
    { cfnType: "AWS::SSO::PermissionSet", paths: ["InlinePolicy"], source: `${REFERENCE}/aws-resource-sso-permissionset.html` },
    {
        cfnType: "AWS::CodeArtifact::Domain",
        paths: ["PermissionsPolicyDocument"],
        source: `${REFERENCE}/aws-resource-codeartifact-domain.html`,
    },
    {
        cfnType: "AWS::CodeArtifact::Repository",
        paths: ["PermissionsPolicyDocument"],
        source: `${REFERENCE}/aws-resource-codeartifact-repository.html`,
    },
    // An SCP or RCP is a document under `Content`, a name no other rule would read.
    { cfnType: "AWS::Organizations::Policy", paths: ["Content"], source: `${REFERENCE}/aws-resource-organizations-policy.html` },
    {
        cfnType: "AWS::Organizations::ResourcePolicy",
        paths: ["Content"],
        source: `${REFERENCE}/aws-resource-organizations-resourcepolicy.html`,
    },
    // Not IAM policies, though they have a `Statement`: read nothing. WAF rules
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-wafv2-webacl.html)
    // and rule groups hold match statements.
    { cfnType: "AWS::WAFv2::WebACL", paths: [], source: `${REFERENCE}/aws-resource-wafv2-webacl.html` },
    { cfnType: "AWS::WAFv2::RuleGroup", paths: [], source: `${REFERENCE}/aws-resource-wafv2-rulegroup.html` },
];

/** The same table for `@pulumi/aws` types whose documents sit under names the name rule would not read. */
export const AWS_PROVIDER_DOCUMENT_LOCATIONS: ReadonlyMap<string, readonly PropertyPath[]> = new Map([
    // https://www.pulumi.com/registry/packages/aws/api-docs/organizations/policy/
    ["aws:organizations/policy:Policy", ["content"]],
    // https://www.pulumi.com/registry/packages/aws/api-docs/organizations/resourcepolicy/
    ["aws:organizations/resourcePolicy:ResourcePolicy", ["content"]],
    // Rules and rule JSON are match statements, not IAM policies.
    ["aws:wafv2/webAcl:WebAcl", []],
    ["aws:wafv2/ruleGroup:RuleGroup", []],
]);

const BY_CFN_TYPE: ReadonlyMap<string, DocumentLocation> = new Map(
    POLICY_DOCUMENT_LOCATIONS.map((location) => [location.cfnType.toLowerCase(), location]),
);

/** The row for a CloudFormation type (any case), or undefined. */
export function documentLocationOf(cfnType: string): DocumentLocation | undefined {
    return BY_CFN_TYPE.get(cfnType.toLowerCase());
}

/** `aws-native:iam:Role` -> `AWS::IAM::Role`'s row (aws-native spells acronyms its own way, so compare lower-case). */
export function documentLocationOfNative(nativeType: string): DocumentLocation | undefined {
    const match = /^aws-native:([^:]+):([^:]+)$/.exec(nativeType);
    return match === null ? undefined : BY_CFN_TYPE.get(`aws::${match[1]}::${match[2]}`.toLowerCase());
}
