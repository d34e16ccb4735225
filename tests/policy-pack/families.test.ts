// Issue #13, family by family: each violation written from AWS documentation next to a clean
// look-alike, for both AWS providers, each policy called as the policy server calls it.

import { expect } from "chai";
import { accessAccountHoldsAccessOnly } from "../../policy-pack/policies/access-account";
import { knownIamActions } from "../../policy-pack/policies/known-actions";
import { managementAccountNotAccessAccount, noComputeInManagementAccount } from "../../policy-pack/policies/management-account";
import { policySizeQuotas } from "../../policy-pack/policies/policy-size";
import { providersPinAccount } from "../../policy-pack/policies/provider-pinning";
import { federatedTrustConditions, trustedUsersRequireMfa } from "../../policy-pack/policies/trust-policies";
import { noWildcardPrincipals } from "../../policy-pack/policies/wildcard-principals";
import {
    awsNativeProvider,
    awsProvider,
    ResourceCase,
    runResourcePolicy,
    runStackPolicy,
    StackResourceCase,
    UNKNOWN_STRING,
    urnOf,
} from "./harness";

const MANAGEMENT = "111111111111";
const ACCESS = "222222222222";
const WORKLOAD = "333333333333";
const ORG = "o-ourorg12345";
const ORG_CONFIG = { managementAccountIds: [MANAGEMENT], accessAccountIds: [ACCESS], organizationId: ORG };
const NATIVE = "pulumi:providers:aws-native";

const document = (...statements: object[]) => ({ Version: "2012-10-17", Statement: statements });
const json = (...statements: object[]) => JSON.stringify(document(...statements));
const anyone = (action: string, resource = "*") => ({ Effect: "Allow", Principal: { AWS: "*" }, Action: action, Resource: resource });
const inOrg = (statement: object) => ({ ...statement, Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } } });

interface Case extends ResourceCase {
    readonly title: string;
    readonly expected: number;
}

function table(policy: Parameters<typeof runResourcePolicy>[0], cases: readonly Case[], config: Record<string, unknown> = ORG_CONFIG) {
    for (const testCase of cases) {
        it(`${testCase.title}: ${testCase.expected === 0 ? "passes" : `${testCase.expected} violation(s)`}`, async () => {
            const outcome = await runResourcePolicy(policy, { config, ...testCase });
            expect(outcome.unknown, "policy could not run").to.equal(undefined);
            expect(outcome.violations, outcome.violations.join("\n")).to.have.length(testCase.expected);
        });
    }
}

/** A CloudFormation template (JSON) with the given resources. */
const template = (resources: Record<string, { Type: string; Properties?: object }>) => ({
    AWSTemplateFormatVersion: "2010-09-09",
    Resources: resources,
});

describe("issue #13: resource policies on types the pack did not list", () => {
    table(noWildcardPrincipals, [
        // OpenSearch: https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html
        {
            title: "OpenSearch domain open to anyone",
            type: "aws:opensearch/domain:Domain",
            props: { domainName: "logs", accessPolicies: json(anyone("es:ESHttp*", "arn:aws:es:us-east-1:333333333333:domain/logs/*")) },
            expected: 1,
        },
        {
            title: "OpenSearch domain for one account",
            type: "aws:opensearch/domain:Domain",
            props: {
                domainName: "logs",
                accessPolicies: json({ ...anyone("es:ESHttp*"), Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` } }),
            },
            expected: 0,
        },
        {
            title: "OpenSearch domain policy open to anyone",
            type: "aws:opensearch/domainPolicy:DomainPolicy",
            props: { domainName: "logs", accessPolicies: json(anyone("es:*")) },
            expected: 1,
        },
        // Glacier: https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-access-policy.html
        {
            title: "Glacier vault open to anyone",
            type: "aws:glacier/vault:Vault",
            props: { name: "archive", accessPolicy: json(anyone("glacier:InitiateJob")) },
            expected: 1,
        },
        {
            title: "Glacier vault for the organization",
            type: "aws:glacier/vault:Vault",
            props: { name: "archive", accessPolicy: json(inOrg(anyone("glacier:InitiateJob"))) },
            expected: 0,
        },
        // EventBridge: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
        {
            title: "EventBridge bus policy open to anyone",
            type: "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
            props: { policy: json(anyone("events:PutEvents")) },
            expected: 1,
        },
        {
            title: "EventBridge bus policy for the organization",
            type: "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
            props: { policy: json(inOrg(anyone("events:PutEvents"))) },
            expected: 0,
        },
        {
            title: "EventPermission for *",
            type: "aws:cloudwatch/eventPermission:EventPermission",
            props: { principal: "*", statementId: "all" },
            expected: 1,
        },
        {
            title: "EventPermission for * within the organization",
            type: "aws:cloudwatch/eventPermission:EventPermission",
            props: { principal: "*", statementId: "org", condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: ORG } },
            expected: 0,
        },
        {
            title: "EventPermission for * within another organization",
            type: "aws:cloudwatch/eventPermission:EventPermission",
            props: {
                principal: "*",
                statementId: "org",
                condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: "o-outsider9999" },
            },
            expected: 1,
        },
        {
            title: "EventPermission for one account",
            type: "aws:cloudwatch/eventPermission:EventPermission",
            props: { principal: WORKLOAD, statementId: "one" },
            expected: 0,
        },
        // Lambda layers: https://docs.aws.amazon.com/lambda/latest/dg/permissions-layer-cross-account.html
        {
            title: "layer shared with *",
            type: "aws:lambda/layerVersionPermission:LayerVersionPermission",
            props: { layerName: "l", versionNumber: 1, action: "lambda:GetLayerVersion", principal: "*", statementId: "all" },
            expected: 1,
        },
        {
            title: "layer shared with * in the organization",
            type: "aws:lambda/layerVersionPermission:LayerVersionPermission",
            props: {
                layerName: "l",
                versionNumber: 1,
                action: "lambda:GetLayerVersion",
                principal: "*",
                organizationId: ORG,
                statementId: "org",
            },
            expected: 0,
        },
        // A document in a property nobody listed, under any name.
        {
            title: "an SCP-like document in an unlisted property",
            type: "aws:somefuture/thing:Thing",
            props: { accessControl: { document: document(anyone("somefuture:*")) } },
            expected: 1,
        },
        {
            title: "a document in PascalCase properties",
            type: "aws:somefuture/thing:Thing",
            props: { ResourcePolicy: json(inOrg(anyone("somefuture:*"))) },
            expected: 0,
        },
    ]);
});

describe("issue #13: aws-native resources", () => {
    const onNative = { provider: awsNativeProvider(WORKLOAD), providerType: NATIVE };
    table(noWildcardPrincipals, [
        {
            title: "aws-native role trusting anyone",
            type: "aws-native:iam:Role",
            props: { assumeRolePolicyDocument: document({ ...anyone("sts:AssumeRole"), Resource: undefined }) },
            expected: 1,
            ...onNative,
        },
        {
            title: "aws-native role trusting the organization",
            type: "aws-native:iam:Role",
            props: { assumeRolePolicyDocument: document(inOrg({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" })) },
            expected: 0,
            ...onNative,
        },
        {
            title: "aws-native public bucket policy",
            type: "aws-native:s3:BucketPolicy",
            props: {
                bucket: "b",
                policyDocument: document({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }),
            },
            expected: 1,
            ...onNative,
        },
        {
            title: "aws-native bucket policy for the organization",
            type: "aws-native:s3:BucketPolicy",
            props: {
                bucket: "b",
                policyDocument: document(inOrg({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" })),
            },
            expected: 0,
            ...onNative,
        },
        {
            title: "aws-native Lambda permission for *",
            type: "aws-native:lambda:Permission",
            props: { action: "lambda:InvokeFunction", functionName: "f", principal: "*" },
            expected: 1,
            ...onNative,
        },
        {
            title: "aws-native Lambda permission for * from one account",
            type: "aws-native:lambda:Permission",
            props: { action: "lambda:InvokeFunction", functionName: "f", principal: "*", sourceAccount: WORKLOAD },
            expected: 0,
            ...onNative,
        },
        {
            title: "aws-native layer permission for *",
            type: "aws-native:lambda:LayerVersionPermission",
            props: { action: "lambda:GetLayerVersion", layerVersionArn: "arn", principal: "*" },
            expected: 1,
            ...onNative,
        },
        {
            title: "aws-native event bus policy statement for *",
            type: "aws-native:events:EventBusPolicy",
            props: { statementId: "s", statement: { Effect: "Allow", Principal: "*", Action: "events:PutEvents", Resource: "*" } },
            expected: 1,
            ...onNative,
        },
        {
            title: "aws-native event bus policy for * in the organization",
            type: "aws-native:events:EventBusPolicy",
            props: {
                statementId: "s",
                action: "events:PutEvents",
                principal: "*",
                condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: ORG },
            },
            expected: 0,
            ...onNative,
        },
        {
            title: "aws-native OpenSearch domain open to anyone",
            type: "aws-native:opensearchservice:Domain",
            props: { accessPolicies: document(anyone("es:ESHttp*")) },
            expected: 1,
            ...onNative,
        },
    ]);

    describe("no-compute-in-management-account", () => {
        const inManagement = { provider: awsNativeProvider(MANAGEMENT), providerType: NATIVE };
        table(noComputeInManagementAccount, [
            { title: "aws-native EC2 instance in management", type: "aws-native:ec2:Instance", props: {}, expected: 1, ...inManagement },
            {
                title: "aws-native Lambda function in management",
                type: "aws-native:lambda:Function",
                props: {},
                expected: 1,
                ...inManagement,
            },
            {
                title: "aws-native Lambda function on a provider assuming a management role",
                type: "aws-native:lambda:Function",
                props: {},
                provider: { region: "us-east-1", assumeRole: JSON.stringify({ roleArn: `arn:aws:iam::${MANAGEMENT}:role/deploy` }) },
                providerType: NATIVE,
                expected: 1,
            },
            {
                title: "aws-native Lambda function in a workload account",
                type: "aws-native:lambda:Function",
                props: {},
                provider: awsNativeProvider(WORKLOAD),
                providerType: NATIVE,
                expected: 0,
            },
            { title: "aws-native IAM role in management", type: "aws-native:iam:Role", props: {}, expected: 0, ...inManagement },
            {
                title: "aws-native CloudTrail trail in management",
                type: "aws-native:cloudtrail:Trail",
                props: {},
                expected: 0,
                ...inManagement,
            },
            {
                title: "aws-native Lambda function on an unpinned aws-native provider",
                type: "aws-native:lambda:Function",
                props: {},
                provider: { region: "us-east-1" },
                providerType: NATIVE,
                expected: 1,
            },
        ]);
    });

    describe("management-account-not-access-account", () => {
        table(managementAccountNotAccessAccount, [
            {
                title: "aws-native IAM user in management",
                type: "aws-native:iam:User",
                props: {},
                provider: awsNativeProvider(MANAGEMENT),
                providerType: NATIVE,
                expected: 1,
            },
            {
                title: "aws-native OIDC provider in management",
                type: "aws-native:iam:OidcProvider",
                props: {},
                provider: awsNativeProvider(MANAGEMENT),
                providerType: NATIVE,
                expected: 1,
            },
            {
                title: "aws-native IAM user in the access account",
                type: "aws-native:iam:User",
                props: {},
                provider: awsNativeProvider(ACCESS),
                providerType: NATIVE,
                expected: 0,
            },
            {
                title: "aws-native OIDC provider in the access account",
                type: "aws-native:iam:OidcProvider",
                props: {},
                provider: awsNativeProvider(ACCESS),
                providerType: NATIVE,
                expected: 0,
            },
            {
                title: "aws-native IAM user whose account cannot be known",
                type: "aws-native:iam:User",
                props: {},
                provider: { region: "us-east-1" },
                providerType: NATIVE,
                expected: 1,
            },
            { title: "IAM user with no provider information", type: "aws:iam/user:User", props: {}, provider: null, expected: 1 },
        ]);
    });

    describe("access-account-holds-access-only", () => {
        table(accessAccountHoldsAccessOnly, [
            {
                title: "an ordinary aws-native IAM role in the access account",
                type: "aws-native:iam:Role",
                props: {},
                provider: awsNativeProvider(ACCESS),
                providerType: NATIVE,
                expected: 0,
            },
            {
                title: "an aws-native log group in the access account",
                type: "aws-native:logs:LogGroup",
                props: {},
                provider: awsNativeProvider(ACCESS),
                providerType: NATIVE,
                expected: 1,
            },
        ]);
    });

    it("providers-pin-account advises on an unpinned aws-native provider", async () => {
        const outcome = await runResourcePolicy(providersPinAccount, {
            type: "aws-native:s3:Bucket",
            props: {},
            provider: { region: "us-east-1" },
            providerType: NATIVE,
        });
        expect(outcome.violations).to.have.length(1);
    });

    it("known-iam-actions reads aws-native documents", async () => {
        const outcome = await runResourcePolicy(knownIamActions, {
            type: "aws-native:iam:ManagedPolicy",
            props: { policyDocument: document({ Effect: "Allow", Action: "s3:GetObjekt", Resource: "*" }) },
        });
        expect(outcome.violations).to.have.length(1);
    });
});

describe("issue #13: compute in the management account, by allow-list", () => {
    const inManagement = { provider: awsProvider(MANAGEMENT) };
    table(noComputeInManagementAccount, [
        // Types a deny-list did not have.
        { title: "CodeBuild fleet", type: "aws:codebuild/fleet:Fleet", props: {}, expected: 1, ...inManagement },
        {
            title: "Managed Flink application",
            type: "aws:kinesisanalyticsv2/application:Application",
            props: {},
            expected: 1,
            ...inManagement,
        },
        { title: "Image Builder image", type: "aws:imagebuilder/image:Image", props: {}, expected: 1, ...inManagement },
        { title: "ECS task set", type: "aws:ecs/taskSet:TaskSet", props: {}, expected: 1, ...inManagement },
        { title: "a type nobody listed", type: "aws:someservicelaunchednextyear/thing:Thing", props: {}, expected: 1, ...inManagement },
        { title: "an S3 bucket", type: "aws:s3/bucket:Bucket", props: {}, expected: 1, ...inManagement },
        {
            title: "a Config remediation (runs SSM Automation)",
            type: "aws:cfg/remediationConfiguration:RemediationConfiguration",
            props: {},
            expected: 1,
            ...inManagement,
        },
        { title: "an SSM association", type: "aws:ssm/association:Association", props: {}, expected: 1, ...inManagement },
        {
            title: "an SSM Automation document",
            type: "aws:ssm/document:Document",
            props: { documentType: "Automation", content: "{}" },
            expected: 1,
            ...inManagement,
        },
        {
            title: "an aws-native SSM document",
            type: "aws-native:ssm:Document",
            props: { documentType: "Automation" },
            provider: awsNativeProvider(MANAGEMENT),
            providerType: NATIVE,
            expected: 1,
        },
        { title: "a Firewall Manager policy", type: "aws:fms/policy:Policy", props: {}, expected: 1, ...inManagement },
        // What the program (and the organization) registers there.
        ...[
            "aws:iam/role:Role",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
            "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
            "aws:organizations/policy:Policy",
            "aws:ssoadmin/permissionSet:PermissionSet",
            "aws:ssoadmin/accountAssignment:AccountAssignment",
            "aws:identitystore/group:Group",
            "aws:cloudtrail/trail:Trail",
            "aws:cfg/configurationAggregator:ConfigurationAggregator",
            "aws:cfg/organizationConformancePack:OrganizationConformancePack",
            "aws:securityhub/organizationAdminAccount:OrganizationAdminAccount",
            "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount",
            "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount",
            "aws:accessanalyzer/analyzer:Analyzer",
            "aws:costexplorer/costAllocationTag:CostAllocationTag",
            "aws:fms/adminAccount:AdminAccount",
        ].map((type): Case => ({ title: `${type} (organization-level)`, type, props: {}, expected: 0, ...inManagement })),
        { title: "a component", type: "org-access:roles:CustomerAccessRole", props: {}, provider: null, expected: 0 },
        { title: "the provider itself", type: "pulumi:providers:aws", props: {}, provider: null, expected: 0 },
        {
            title: "an S3 bucket in a workload account",
            type: "aws:s3/bucket:Bucket",
            props: {},
            provider: awsProvider(WORKLOAD),
            expected: 0,
        },
        {
            title: "an S3 bucket listed in allowedTypes",
            type: "aws:s3/bucket:Bucket",
            props: {},
            config: { ...ORG_CONFIG, allowedTypes: ["aws:s3/bucket:Bucket"] },
            expected: 0,
            ...inManagement,
        },
    ]);

    it("refuses an allowedTypes entry that re-admits compute into the management account", async () => {
        let error: unknown;
        try {
            await runResourcePolicy(noComputeInManagementAccount, {
                type: "aws:iam/role:Role",
                props: {},
                provider: awsProvider(MANAGEMENT),
                config: { ...ORG_CONFIG, allowedTypes: ["aws:codebuild/fleet:Fleet"] },
            });
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.contain("cannot admit aws:codebuild/fleet:Fleet (compute) into the management account");
    });

    it("refuses an allowedTypes entry for a stack (a stack counts as what it deploys)", async () => {
        let error: unknown;
        try {
            await runResourcePolicy(noComputeInManagementAccount, {
                type: "aws:iam/role:Role",
                props: {},
                provider: awsProvider(MANAGEMENT),
                config: { ...ORG_CONFIG, allowedTypes: ["aws:cloudformation/stack:Stack"] },
            });
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.contain("aws:cloudformation/stack:Stack (deploys other resources)");
    });
});

describe("issue #13: nested templates in the management account count as what they deploy", () => {
    const inManagement = { provider: awsProvider(MANAGEMENT) };
    const lambda = template({
        Fn: {
            Type: "AWS::Lambda::Function",
            Properties: { Runtime: "python3.12", Handler: "index.handler", Code: { ZipFile: "x" }, Role: "arn" },
        },
    });
    const aggregator = template({
        Agg: { Type: "AWS::Config::ConfigurationAggregator", Properties: { ConfigurationAggregatorName: "org" } },
    });
    /** A template holding one service-managed stack set (as the program's member-role stacks do), with `deploys` added. */
    const holdingStackSet = (deploys: Record<string, unknown>) =>
        template({
            Set: {
                Type: "AWS::CloudFormation::StackSet",
                Properties: {
                    StackSetName: "s",
                    PermissionModel: "SERVICE_MANAGED",
                    AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
                    StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ["ou-ab12-34cd56ef"] }, Regions: ["us-east-1"] }],
                    ...deploys,
                },
            },
        });
    table(noComputeInManagementAccount, [
        {
            title: "a stack whose template creates a Lambda function",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: JSON.stringify(lambda) },
            expected: 1,
            ...inManagement,
        },
        {
            title: "a stack whose template creates a Config aggregator",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: JSON.stringify(aggregator) },
            expected: 0,
            ...inManagement,
        },
        {
            title: "a stack from a template URL",
            type: "aws:cloudformation/stack:Stack",
            props: { templateUrl: "https://s3.amazonaws.com/b/t.json" },
            expected: 1,
            ...inManagement,
        },
        {
            title: "a stack with a YAML template deploying an aggregator (read as CloudFormation reads it)",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: "Resources:\n  Agg:\n    Type: AWS::Config::ConfigurationAggregator\n" },
            expected: 0,
            ...inManagement,
        },
        {
            title: "a stack with a YAML template deploying a Lambda function",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt Role.Arn\n" },
            expected: 1,
            ...inManagement,
        },
        {
            title: "a stack whose template is neither JSON nor YAML",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: "Resources: [unclosed" },
            expected: 1,
            ...inManagement,
        },
        {
            title: "a stack with a SAM transform",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: JSON.stringify({ ...aggregator, Transform: "AWS::Serverless-2016-10-31" }) },
            expected: 1,
            ...inManagement,
        },
        {
            title: "a stack with a nested stack",
            type: "aws:cloudformation/stack:Stack",
            props: {
                templateBody: JSON.stringify(
                    template({ Inner: { Type: "AWS::CloudFormation::Stack", Properties: { TemplateURL: "https://x" } } }),
                ),
            },
            expected: 1,
            ...inManagement,
        },
        {
            title: "a stack with a custom resource",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: JSON.stringify(template({ C: { Type: "Custom::Thing", Properties: { ServiceToken: "arn" } } })) },
            expected: 1,
            ...inManagement,
        },
        {
            title: "a StackSet deploying a Lambda function",
            type: "aws:cloudformation/stackSet:StackSet",
            props: { templateBody: JSON.stringify(lambda) },
            expected: 1,
            ...inManagement,
        },
        {
            title: "a stack holding a stack set whose inline template creates a Lambda function (judged as if here)",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: JSON.stringify(holdingStackSet({ TemplateBody: JSON.stringify(lambda) })) },
            expected: 1,
            ...inManagement,
        },
        {
            title: "a stack holding a stack set whose inline template creates a Config aggregator",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: JSON.stringify(holdingStackSet({ TemplateBody: JSON.stringify(aggregator) })) },
            expected: 0,
            ...inManagement,
        },
        {
            title: "a stack holding a stack set deploying a template by URL",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: JSON.stringify(holdingStackSet({ TemplateURL: "https://s3.amazonaws.com/b/t.json" })) },
            expected: 1,
            ...inManagement,
        },
        {
            title: "a StackSet whose template holds a stack set creating a Lambda function",
            type: "aws:cloudformation/stackSet:StackSet",
            props: { templateBody: JSON.stringify(holdingStackSet({ TemplateBody: JSON.stringify(lambda) })) },
            expected: 1,
            ...inManagement,
        },
        {
            title: "an aws-native stack holding a stack set creating a Config aggregator",
            type: "aws-native:cloudformation:Stack",
            props: { templateBody: holdingStackSet({ TemplateBody: JSON.stringify(aggregator) }) },
            provider: awsNativeProvider(MANAGEMENT),
            providerType: NATIVE,
            expected: 0,
        },
        {
            title: "a stack holding a stack set creating a Lambda function, on an unpinned provider",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: JSON.stringify(holdingStackSet({ TemplateBody: JSON.stringify(lambda) })) },
            provider: awsProvider(undefined),
            expected: 1,
        },
        {
            title: "a stack holding a stack set creating a Config aggregator, on an unpinned provider",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: JSON.stringify(holdingStackSet({ TemplateBody: JSON.stringify(aggregator) })) },
            provider: awsProvider(undefined),
            expected: 0,
        },
        {
            title: "a service-managed stack set instance targeting OUs (nothing lands in the management account)",
            type: "aws:cloudformation/stackSetInstance:StackSetInstance",
            props: { stackSetName: "s", deploymentTargets: { organizationalUnitIds: ["r-a1b2"] } },
            expected: 0,
            ...inManagement,
        },
        {
            title: "a stack set instance for one account (accountId): the pack cannot see what it deploys there",
            type: "aws:cloudformation/stackSetInstance:StackSetInstance",
            props: { stackSetName: "s", accountId: MANAGEMENT, deploymentTargets: { organizationalUnitIds: ["r-a1b2"] } },
            expected: 1,
            ...inManagement,
        },
        {
            title: "a stack set instance without targets",
            type: "aws:cloudformation/stackSetInstance:StackSetInstance",
            props: { stackSetName: "s" },
            expected: 1,
            ...inManagement,
        },
        {
            title: "an aws-native stack (template as an object) deploying a Lambda function",
            type: "aws-native:cloudformation:Stack",
            props: { templateBody: lambda },
            provider: awsNativeProvider(MANAGEMENT),
            providerType: NATIVE,
            expected: 1,
        },
        {
            title: "an aws-native stack deploying a Config aggregator",
            type: "aws-native:cloudformation:Stack",
            props: { templateBody: aggregator },
            provider: awsNativeProvider(MANAGEMENT),
            providerType: NATIVE,
            expected: 0,
        },
        {
            title: "a Service Catalog provisioned product",
            type: "aws:servicecatalog/provisionedProduct:ProvisionedProduct",
            props: { productName: "p" },
            expected: 1,
            ...inManagement,
        },
        {
            title: "a stack deploying a Lambda function in a workload account",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: JSON.stringify(lambda) },
            provider: awsProvider(WORKLOAD),
            expected: 0,
        },
        {
            title: "a stack deploying a Lambda function on an unpinned provider",
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: JSON.stringify(lambda) },
            provider: awsProvider(undefined),
            expected: 1,
        },
    ]);

    it("names the template resource that does not belong", async () => {
        const { violations } = await runResourcePolicy(noComputeInManagementAccount, {
            type: "aws:cloudformation/stack:Stack",
            name: "s",
            props: { templateBody: JSON.stringify(lambda) },
            config: ORG_CONFIG,
            ...inManagement,
        });
        expect(violations[0]).to.contain("Fn (AWS::Lambda::Function) is compute");
    });

    it("names the stack set's template resource through the stack set, and not the stack set itself", async () => {
        const { violations } = await runResourcePolicy(noComputeInManagementAccount, {
            type: "aws:cloudformation/stack:Stack",
            name: "s",
            props: { templateBody: JSON.stringify(holdingStackSet({ TemplateBody: JSON.stringify(lambda) })) },
            config: ORG_CONFIG,
            ...inManagement,
        });
        expect(violations).to.have.length(1);
        expect(violations[0]).to.contain("its template deploys Set/Fn (AWS::Lambda::Function) is compute;");
    });

    it("checks policies and permissions inside templates for wildcard principals", async () => {
        const open = template({
            P: { Type: "AWS::Lambda::Permission", Properties: { Action: "lambda:InvokeFunction", FunctionName: "f", Principal: "*" } },
            B: {
                Type: "AWS::S3::BucketPolicy",
                Properties: {
                    Bucket: "b",
                    PolicyDocument: document({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }),
                },
            },
        });
        const { violations } = await runResourcePolicy(noWildcardPrincipals, {
            type: "aws:cloudformation/stack:Stack",
            props: { templateBody: JSON.stringify(open) },
            config: ORG_CONFIG,
            provider: awsProvider(WORKLOAD),
        });
        expect(violations).to.have.length(2);
    });
});

describe("issue #13: conditions read strictly", () => {
    const permission = (props: object): Case => ({
        title: "",
        type: "aws:lambda/permission:Permission",
        props: { action: "lambda:InvokeFunction", function: "f", ...props },
        expected: 0,
    });
    table(noWildcardPrincipals, [
        // https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
        { ...permission({ principal: "*", sourceArn: "arn:aws:s3:::*" }), title: "anyone, from any bucket", expected: 1 },
        { ...permission({ principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::*" }), title: "S3, from any bucket", expected: 1 },
        {
            ...permission({ principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::my-bucket", sourceAccount: WORKLOAD }),
            title: "S3, from our bucket in our account",
            expected: 0,
        },
        {
            ...permission({ principal: "apigateway.amazonaws.com", sourceArn: "arn:aws:execute-api:us-east-1:*:*" }),
            title: "API Gateway, any account's API",
            expected: 1,
        },
        {
            ...permission({
                principal: "apigateway.amazonaws.com",
                sourceArn: `arn:aws:execute-api:us-east-1:${WORKLOAD}:a1b2c3d4/*/GET/items`,
            }),
            title: "API Gateway, our API",
            expected: 0,
        },
    ]);
});

describe("issue #13: trusts", () => {
    const github = `arn:aws:iam::${ACCESS}:oidc-provider/token.actions.githubusercontent.com`;
    const aud = { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" };
    const gh = (action: string, condition: object) => ({
        Effect: "Allow",
        Principal: { Federated: github },
        Action: action,
        Condition: condition,
    });
    table(federatedTrustConditions, [
        {
            title: "GitHub trust via sts:AssumeRoleWith* without sub",
            type: "aws:iam/role:Role",
            props: { assumeRolePolicy: json(gh("sts:AssumeRoleWith*", { StringEquals: aud })) },
            expected: 1,
        },
        {
            title: "GitHub trust via sts:* without sub",
            type: "aws:iam/role:Role",
            props: { assumeRolePolicy: json(gh("sts:*", { StringEquals: aud })) },
            expected: 1,
        },
        {
            title: "GitHub trust via * without aud or sub",
            type: "aws:iam/role:Role",
            props: { assumeRolePolicy: json(gh("*", {})) },
            expected: 2,
        },
        {
            title: "GitHub trust via sts:AssumeRoleWith* pinned to a repository",
            type: "aws:iam/role:Role",
            props: {
                assumeRolePolicy: json(
                    gh("sts:AssumeRoleWith*", {
                        StringEquals: { ...aud, "token.actions.githubusercontent.com:sub": "repo:my-org/app:ref:refs/heads/main" },
                    }),
                ),
            },
            expected: 0,
        },
        // https://docs.github.com/en/actions/reference/security/oidc
        {
            title: "GitHub immutable subject",
            type: "aws:iam/role:Role",
            props: {
                assumeRolePolicy: json(
                    gh("sts:AssumeRoleWithWebIdentity", {
                        StringEquals: aud,
                        StringLike: { "token.actions.githubusercontent.com:sub": "repo:my-org@1234567/app@7654321:*" },
                    }),
                ),
            },
            expected: 0,
        },
        {
            title: "GitHub immutable subject with a wildcard owner ID",
            type: "aws:iam/role:Role",
            props: {
                assumeRolePolicy: json(
                    gh("sts:AssumeRoleWithWebIdentity", {
                        StringEquals: aud,
                        StringLike: { "token.actions.githubusercontent.com:sub": "repo:my-org@*/app@7654321:*" },
                    }),
                ),
            },
            expected: 1,
        },
        {
            title: "aws-native role trusting GitHub via sts:* without sub",
            type: "aws-native:iam:Role",
            props: { assumeRolePolicyDocument: document(gh("sts:*", { StringEquals: aud })) },
            provider: awsNativeProvider(ACCESS),
            providerType: NATIVE,
            expected: 1,
        },
    ]);

    const users = (condition?: object) => ({
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCESS}:root` },
        Action: "sts:AssumeRole",
        Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCESS}:user/*` }, ...condition },
    });
    table(trustedUsersRequireMfa, [
        {
            title: "the access account's IAM users without MFA",
            type: "aws:iam/role:Role",
            props: { assumeRolePolicy: json(users()) },
            expected: 1,
        },
        {
            title: "the access account's IAM users with MFA",
            type: "aws:iam/role:Role",
            props: { assumeRolePolicy: json(users({ Bool: { "aws:MultiFactorAuthPresent": "true" } })) },
            expected: 0,
        },
        {
            title: "an account root without conditions",
            type: "aws:iam/role:Role",
            props: { assumeRolePolicy: json({ Effect: "Allow", Principal: { AWS: ACCESS }, Action: "sts:AssumeRole" }) },
            expected: 1,
        },
        {
            title: "the access account's Identity Center roles (no users)",
            type: "aws:iam/role:Role",
            props: {
                assumeRolePolicy: json({
                    ...users(),
                    Condition: {
                        ArnLike: {
                            "aws:PrincipalArn": `arn:aws:iam::${ACCESS}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Admin_*`,
                        },
                    },
                }),
            },
            expected: 0,
        },
        {
            title: "aws-native role trusting users without MFA",
            type: "aws-native:iam:Role",
            props: { assumeRolePolicyDocument: document(users()) },
            provider: awsNativeProvider(ACCESS),
            providerType: NATIVE,
            expected: 1,
        },
    ]);
});

describe("issue #13: user and group inline policy quotas", () => {
    /** A document of exactly `characters` non-whitespace characters. */
    const sized = (characters: number): string => {
        const skeleton = (sid: string) =>
            JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: sid, Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
        return skeleton("A".repeat(characters - skeleton("").length));
    };
    const cases: ReadonlyArray<{ title: string; resources: StackResourceCase[]; violating: string[] }> = [
        {
            title: "a user's UserPolicies at 2,048",
            resources: [
                { type: "aws:iam/user:User", name: "alice", props: { name: "alice" } },
                { type: "aws:iam/userPolicy:UserPolicy", name: "a", props: { user: "alice", policy: sized(1024) } },
                { type: "aws:iam/userPolicy:UserPolicy", name: "b", props: { user: "alice", policy: sized(1024) } },
            ],
            violating: [],
        },
        {
            title: "a user's UserPolicies at 2,049",
            resources: [
                { type: "aws:iam/user:User", name: "alice", props: { name: "alice" } },
                { type: "aws:iam/userPolicy:UserPolicy", name: "a", props: { user: "alice", policy: sized(1024) } },
                { type: "aws:iam/userPolicy:UserPolicy", name: "b", props: { user: "alice", policy: sized(1025) } },
            ],
            violating: ["alice"],
        },
        {
            title: "a group's GroupPolicies at 5,121",
            resources: [
                { type: "aws:iam/group:Group", name: "admins", props: { name: "admins" } },
                { type: "aws:iam/groupPolicy:GroupPolicy", name: "a", props: { group: "admins", policy: sized(3000) } },
                { type: "aws:iam/groupPolicy:GroupPolicy", name: "b", props: { group: "admins", policy: sized(2121) } },
            ],
            violating: ["admins"],
        },
        {
            title: "a group's GroupPolicies at 5,120",
            resources: [
                { type: "aws:iam/group:Group", name: "admins", props: { name: "admins" } },
                { type: "aws:iam/groupPolicy:GroupPolicy", name: "a", props: { group: "admins", policy: sized(3000) } },
                { type: "aws:iam/groupPolicy:GroupPolicy", name: "b", props: { group: "admins", policy: sized(2120) } },
            ],
            violating: [],
        },
        {
            title: "an aws-native user's policies over 2,048",
            resources: [
                {
                    type: "aws-native:iam:User",
                    name: "bob",
                    props: { userName: "bob", policies: [{ policyName: "p", policyDocument: JSON.parse(sized(2049)) }] },
                },
            ],
            violating: ["bob"],
        },
        {
            title: "an aws-native group's policies plus a GroupPolicy over 5,120",
            resources: [
                {
                    type: "aws-native:iam:Group",
                    name: "ops",
                    props: { groupName: "ops", policies: [{ policyName: "p", policyDocument: JSON.parse(sized(3000)) }] },
                },
                {
                    type: "aws-native:iam:GroupPolicy",
                    name: "extra",
                    props: { groupName: "ops", policyName: "x", policyDocument: JSON.parse(sized(2200)) },
                },
            ],
            violating: ["ops"],
        },
        {
            title: "an aws-native role's trust over 2,048 and its policies over 10,240",
            resources: [
                {
                    type: "aws-native:iam:Role",
                    name: "r",
                    props: {
                        roleName: "r",
                        assumeRolePolicyDocument: JSON.parse(sized(2049)),
                        policies: [
                            { policyName: "a", policyDocument: JSON.parse(sized(6000)) },
                            { policyName: "b", policyDocument: JSON.parse(sized(4241)) },
                        ],
                    },
                },
            ],
            violating: ["r", "r"],
        },
        {
            title: "an aws-native managed policy over 6,144",
            resources: [{ type: "aws-native:iam:ManagedPolicy", name: "big", props: { policyDocument: JSON.parse(sized(6145)) } }],
            violating: ["big"],
        },
        {
            title: "AWS::IAM::Policy embedded in a user counts against the user",
            resources: [
                { type: "aws-native:iam:User", name: "carol", props: { userName: "carol" } },
                {
                    type: "aws-native:iam:Policy",
                    name: "shared",
                    props: { policyName: "shared", users: ["carol"], policyDocument: JSON.parse(sized(2100)) },
                },
            ],
            violating: ["carol"],
        },
    ];
    for (const { title, resources, violating } of cases) {
        it(`${title}: ${violating.length === 0 ? "passes" : `flags ${violating.join(", ")}`}`, async () => {
            const violations = await runStackPolicy(policySizeQuotas, resources);
            const flagged = violations.map((v) => resources.find((r) => urnOf(r) === v.urn)?.name);
            expect(flagged, violations.map((v) => v.message).join("\n")).to.deep.equal(violating);
        });
    }

    it("says which quota, for a user", async () => {
        const [violation] = await runStackPolicy(policySizeQuotas, cases[1].resources);
        expect(violation.message).to.contain("inline policies of user 'alice' total 2,049").and.contain("2,048");
    });
});

describe("documents unknown during preview", () => {
    it("an unknown value under a policy-like property stops the policy (it cannot run yet)", async () => {
        const outcome = await runResourcePolicy(noWildcardPrincipals, {
            type: "aws:glacier/vault:Vault",
            props: { accessPolicy: UNKNOWN_STRING },
            config: ORG_CONFIG,
        });
        expect(outcome.unknown).to.contain("accessPolicy");
    });

    it("an unknown ARN elsewhere does not stop it", async () => {
        const outcome = await runResourcePolicy(noWildcardPrincipals, {
            type: "aws:glacier/vault:Vault",
            props: { kmsKeyArn: UNKNOWN_STRING, accessPolicy: json(anyone("glacier:*")) },
            config: ORG_CONFIG,
        });
        expect(outcome.unknown).to.equal(undefined);
        expect(outcome.violations).to.have.length(1);
    });
});
