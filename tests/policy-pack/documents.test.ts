import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { resourceAccounts } from "../../policy-pack/accounts";
import { readAllowedTypes, readOrganizationConfig } from "../../policy-pack/config";
import { countNonWhitespaceCharacters, fieldOf, isRecord, parsePolicyDocument, statementsOf, valuesOf } from "../../policy-pack/documents";
import * as programReader from "../../iam/documents";
import { actionMatches } from "../../policy-pack/wildcards";
import { documentsOfResource } from "../../policy-pack/resource-documents";
import {
    ACCESS_ACCOUNT_DEFAULT_ALLOWED_MODULES,
    ACCESS_ACCOUNT_DEFAULT_ALLOWED_TYPES,
    classifyForAccessAccount,
    DATA_STORE_MODULES,
    forbiddenInAccessAccount,
    LOG_SINK_MODULES,
    LOG_SINK_TYPES,
    VPC_WORKLOAD_MODULES,
    VPC_WORKLOAD_TYPES,
} from "../../policy-pack/access-types";
import {
    ACCESS_IDENTITY_RESOURCE_TYPES,
    AWS_PERMISSION_TYPES,
    COMPUTE_MODULES,
    COMPUTE_RESOURCE_TYPES,
    moduleOfType,
    nativeTypeOfCloudFormation,
} from "../../policy-pack/resource-types";
import {
    classifyForManagementAccount,
    MANAGEMENT_ACCOUNT_ALLOWED_MODULES,
    MANAGEMENT_ACCOUNT_ALLOWED_TYPES,
} from "../../policy-pack/management-types";
import { TEMPLATE_CARRIER_TYPES, templateResources } from "../../policy-pack/templates";

describe("policy document parsing", () => {
    const statement = { Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "*" };
    const cases: ReadonlyArray<{ name: string; raw: unknown; statements?: number; error?: RegExp }> = [
        { name: "a JSON string", raw: JSON.stringify({ Statement: [statement] }), statements: 1 },
        { name: "an object", raw: { Statement: [statement, statement] }, statements: 2 },
        { name: "Statement as a single object", raw: { Statement: statement }, statements: 1 },
        { name: "invalid JSON", raw: "{", error: /not valid JSON/ },
        { name: "no Statement", raw: { Version: "2012-10-17" }, error: /no Statement/ },
        { name: "a bad Effect", raw: { Statement: { ...statement, Effect: "allow" } }, error: /Effect/ },
        { name: "a numeric principal", raw: { Statement: { ...statement, Principal: { AWS: 1 } } }, error: /Principal\.AWS/ },
        { name: "a non-object condition", raw: { Statement: { ...statement, Condition: "x" } }, error: /Condition/ },
    ];
    for (const { name, raw, statements, error } of cases) {
        it(name, () => {
            const parsed = parsePolicyDocument(raw);
            if (error !== undefined) {
                expect(parsed.ok).to.equal(false);
                expect(parsed.ok ? "" : parsed.reason).to.match(error);
            } else {
                expect(parsed.ok && parsed.document.statements.length).to.equal(statements);
            }
        });
    }

    it("reports every problem of a document, each with its path, not only the first", () => {
        const parsed = parsePolicyDocument({
            Statement: [
                { ...statement, Effect: "allow", Principal: { AWS: [1, "a", true] } },
                statement,
                { ...statement, Action: ["s3:GetObject", 2], Condition: { StringEquals: "x", Bool: { "aws:SecureTransport": [{}] } } },
            ],
        });
        expect(parsed.ok ? "" : parsed.reason).to.equal(
            [
                'Statement #1 has Effect "allow"; expected "Allow" or "Deny"',
                "Statement #1 Principal.AWS must be a string or a list of strings, got 1",
                "Statement #1 Principal.AWS must be a string or a list of strings, got true",
                "Statement #3 Action must be a string or a list of strings, got 2",
                "Statement #3 Condition.StringEquals must be an object of condition keys",
                "Statement #3 Condition.Bool.aws:SecureTransport values must be strings, numbers or booleans, got {}",
            ].join("; "),
        );
    });

    it("normalises principals and condition values to string lists", () => {
        const parsed = parsePolicyDocument({
            Statement: { ...statement, Principal: { AWS: "a" }, Condition: { Bool: { "aws:SecureTransport": true } } },
        });
        expect(parsed.ok && parsed.document.statements[0].principal).to.deep.equal({ AWS: ["a"] });
        expect(parsed.ok && parsed.document.statements[0].conditions).to.deep.equal([
            { operator: "Bool", key: "aws:SecureTransport", values: ["true"] },
        ]);
    });
});

describe("the pack's readers of untyped documents", () => {
    const documents: unknown[] = [
        { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:GetObject", Resource: "*" } },
        {
            Version: "2012-10-17",
            Statement: [
                { Sid: "A", Effect: "Deny", Action: ["s3:*"], Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"] },
                { Effect: "Allow", Principal: "*", Action: "sqs:*" },
            ],
        },
        { Version: "2012-10-17" },
        { Statement: null },
    ];
    it("is the program's one reader too (iam/documents.ts re-exports it)", () => {
        expect(programReader.statementsOf).to.equal(statementsOf);
        expect(programReader.valuesOf).to.equal(valuesOf);
        expect(programReader.isRecord).to.equal(isRecord);
    });
    it("statementsOf reads one statement or a list; none when absent", () => {
        expect(documents.map((doc) => statementsOf(doc).length)).to.deep.equal([1, 2, 0, 0]);
        expect(statementsOf(documents[0])[0]).to.deep.equal({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" });
        expect(statementsOf(documents[1])[1]).to.deep.equal({ Effect: "Allow", Principal: "*", Action: "sqs:*" });
    });
    it("statementsOf also reads a document's JSON text", () => {
        expect(statementsOf(JSON.stringify(documents[1]))).to.deep.equal(statementsOf(documents[1]));
        expect(statementsOf("{not json")).to.deep.equal([]);
    });
    it("valuesOf reads one value or a list as strings", () => {
        expect([undefined, "a", ["a", "b"], 12, [true, "x"], []].map(valuesOf)).to.deep.equal([
            [],
            ["a"],
            ["a", "b"],
            ["12"],
            ["true", "x"],
            [],
        ]);
    });
    it("isRecord accepts plain objects only", () => {
        expect([{}, { a: 1 }, [], null, "s", 1, undefined].map(isRecord)).to.deep.equal([true, true, false, false, false, false, false]);
    });
    it("fieldOf matches camelCase and PascalCase names", () => {
        expect(fieldOf({ PrincipalOrgID: "o-1" }, "principalOrgId")).to.equal("o-1");
        expect(fieldOf({ principalOrgId: "o-2" }, "principalOrgId")).to.equal("o-2");
        expect(fieldOf({ other: 1 }, "principalOrgId")).to.equal(undefined);
    });
});

describe("finding policy documents of a type the tables do not list (by name or IAM shape)", () => {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "es:*" }] };
    const UNLISTED = "aws:example/thing:Thing";
    const found = (props: Record<string, unknown>) => documentsOfResource(UNLISTED, props);
    it("finds documents as JSON text or objects, at any depth, named by their path", () => {
        const documents = found({
            accessPolicies: JSON.stringify(doc),
            policies: [{ policyName: "a", policyDocument: doc }],
            nested: { deeper: { AssumeRolePolicyDocument: doc } },
            name: "search",
        });
        expect(documents.map((d) => [d.path, d.parsed.ok])).to.deep.equal([
            ["accessPolicies", true],
            ["policies[0].policyDocument", true],
            ["nested.deeper.AssumeRolePolicyDocument", true],
        ]);
    });
    it("reads a CloudFormation stack's template as CloudFormation does, naming the template resource", () => {
        const templateBody = JSON.stringify({ Resources: { Q: { Type: "AWS::SQS::QueuePolicy", Properties: { PolicyDocument: doc } } } });
        expect(documentsOfResource("aws:cloudformation/stack:Stack", { templateBody }).map((d) => d.path)).to.deep.equal([
            "template resource Q (AWS::SQS::QueuePolicy) PolicyDocument",
        ]);
    });
    it("reports text under a policy-like name that claims to be JSON but is not", () => {
        const [document] = found({ policy: "{not json" });
        expect(document.parsed.ok).to.equal(false);
    });
    it("skips text that mentions Statement outside a policy's name (a user-data script)", () => {
        expect(found({ userData: `aws iam put-role-policy --policy-document '{"Statement": [...]}'` })).to.deep.equal([]);
        expect(found({ policyDocument: '{"Statement": [{"Effect": "Allow",' }).map((d) => d.parsed.ok)).to.deep.equal([false]);
    });
    it("ignores JSON that is not a policy (an ECR lifecycle policy) and plain strings that end in Policy", () => {
        expect(found({ policy: JSON.stringify({ rules: [{ rulePriority: 1 }] }), sslPolicy: "ELBSecurityPolicy-2016-08" })).to.deep.equal(
            [],
        );
    });
    it("reports a document under a policy's name that does not parse as a policy (fails closed)", () => {
        const [document] = found({ policy: { Statement: [{ Effect: "Maybe" }] } });
        expect(document.parsed.ok).to.equal(false);
    });
});

describe("policy size counting", () => {
    it("ignores all white space, as AWS does", () => {
        expect(countNonWhitespaceCharacters('{ "a" :\n\t"b c" }')).to.equal(10);
    });
});

describe("action patterns", () => {
    const cases: ReadonlyArray<[string, string, boolean]> = [
        ["sts:AssumeRole", "sts:AssumeRole", true],
        ["sts:*", "sts:AssumeRole", true],
        ["*", "sts:AssumeRole", true],
        ["STS:assumerole", "sts:AssumeRole", true],
        ["sts:Assume?ole", "sts:AssumeRole", true],
        ["sts:AssumeRole", "sts:AssumeRoleWithSAML", false],
        ["sts.*", "sts:AssumeRole", false],
    ];
    for (const [pattern, action, matches] of cases) {
        it(`${pattern} ${matches ? "matches" : "does not match"} ${action}`, () => {
            expect(actionMatches(pattern, action)).to.equal(matches);
        });
    }
});

describe("resource account resolution", () => {
    const cases: ReadonlyArray<{ name: string; props: Record<string, unknown> | undefined; accounts?: string[] }> = [
        {
            name: "allowedAccountIds as the JSON string @pulumi/aws registers",
            props: { allowedAccountIds: '["111111111111"]' },
            accounts: ["111111111111"],
        },
        {
            name: "allowedAccountIds as an array",
            props: { allowedAccountIds: ["111111111111", "222222222222"] },
            accounts: ["111111111111", "222222222222"],
        },
        {
            name: "the last role of assumeRoles (JSON string)",
            props: {
                assumeRoles: JSON.stringify([
                    { roleArn: "arn:aws:iam::333333333333:role/a" },
                    { roleArn: "arn:aws:iam::444444444444:role/b" },
                ]),
            },
            accounts: ["444444444444"],
        },
        {
            name: "allowedAccountIds wins over assumeRoles",
            props: {
                allowedAccountIds: '["111111111111"]',
                assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::444444444444:role/b" }]),
            },
            accounts: ["111111111111"],
        },
        {
            name: "web identity role",
            props: { assumeRoleWithWebIdentity: JSON.stringify({ roleArn: "arn:aws-us-gov:iam::555555555555:role/ci" }) },
            accounts: ["555555555555"],
        },
        // aws-native (pulumi:providers:aws-native): allowedAccountIds, assumeRole {roleArn}, roleArn.
        {
            name: "aws-native assumeRole as an object",
            props: { assumeRole: { roleArn: "arn:aws:iam::666666666666:role/deploy" } },
            accounts: ["666666666666"],
        },
        {
            name: "aws-native assumeRole as JSON",
            props: { assumeRole: JSON.stringify({ roleArn: "arn:aws:iam::666666666666:role/deploy", sessionName: "ci" }) },
            accounts: ["666666666666"],
        },
        { name: "aws-native roleArn", props: { roleArn: "arn:aws:iam::777777777777:role/deploy" }, accounts: ["777777777777"] },
        { name: "a role ARN that is not an IAM ARN", props: { roleArn: "not-an-arn" } },
        { name: "an empty allowedAccountIds", props: { allowedAccountIds: "[]" } },
        { name: "nothing pinned", props: { region: "us-east-1" } },
        { name: "no provider", props: undefined },
    ];
    for (const { name, props, accounts } of cases) {
        it(name, () => {
            const resolved = resourceAccounts(props);
            expect(resolved.known ? resolved.accountIds : undefined).to.deep.equal(accounts);
        });
    }
});

describe("organization config", () => {
    it("defaults to no accounts and no organization", () => {
        expect(readOrganizationConfig({})).to.deep.equal({ managementAccountIds: [], accessAccountIds: [], organizationId: undefined });
    });
    const invalid: ReadonlyArray<[string, unknown]> = [
        ["a short account id", { managementAccountIds: ["1234"] }],
        ["a string instead of a list", { managementAccountIds: "111111111111" }],
        ["a bad organization id", { organizationId: "org-1" }],
        ["an account that is both management and access", { managementAccountIds: ["111111111111"], accessAccountIds: ["111111111111"] }],
    ];
    for (const [name, config] of invalid) {
        it(`rejects ${name}`, () => {
            expect(() => readOrganizationConfig(config)).to.throw(Error);
        });
    }
});

describe("resource type tokens exist in @pulumi/aws", () => {
    const awsRoot = path.dirname(require.resolve("@pulumi/aws/package.json"));
    /** `aws:ec2/instance:Instance` is defined in `@pulumi/aws/ec2/instance.js`. */
    function moduleSource(token: string): string | undefined {
        const match = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):[A-Za-z0-9]+$/.exec(token);
        const file = match === null ? undefined : path.join(awsRoot, match[1], `${match[2]}.js`);
        return file !== undefined && fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    }
    const tokens = [
        ...COMPUTE_RESOURCE_TYPES,
        ...ACCESS_IDENTITY_RESOURCE_TYPES,
        ...AWS_PERMISSION_TYPES,
        ...MANAGEMENT_ACCOUNT_ALLOWED_TYPES,
        ...TEMPLATE_CARRIER_TYPES.filter((type) => type.startsWith("aws:")),
        ...ACCESS_ACCOUNT_DEFAULT_ALLOWED_TYPES,
        ...LOG_SINK_TYPES,
        ...VPC_WORKLOAD_TYPES,
    ];
    for (const token of tokens) {
        it(token, () => {
            expect(moduleSource(token)).to.contain(`__pulumiType = '${token}'`);
        });
    }
    const modules = [
        ...ACCESS_ACCOUNT_DEFAULT_ALLOWED_MODULES,
        ...DATA_STORE_MODULES,
        ...LOG_SINK_MODULES,
        ...VPC_WORKLOAD_MODULES,
        ...COMPUTE_MODULES,
        ...MANAGEMENT_ACCOUNT_ALLOWED_MODULES,
    ];
    for (const module of modules) {
        it(`module ${module}`, () => {
            expect(fs.existsSync(path.join(awsRoot, module.replace(/^aws:/, ""), "index.js"))).to.equal(true);
        });
    }
    const inputs: ReadonlyArray<[string, string]> = [
        ...AWS_PERMISSION_TYPES.map((type): [string, string] => [type, "principal"]),
        ...TEMPLATE_CARRIER_TYPES.filter((type) => type.startsWith("aws:")).map((type): [string, string] => [type, "templateBody"]),
        ["aws:lambda/permission:Permission", "principalOrgId"],
        ["aws:lambda/layerVersionPermission:LayerVersionPermission", "organizationId"],
        ["aws:cloudwatch/eventPermission:EventPermission", "condition"],
        ["aws:iam/role:Role", "inlinePolicies"],
        ["aws:iam/userPolicy:UserPolicy", "user"],
        ["aws:iam/groupPolicy:GroupPolicy", "group"],
    ];
    for (const [token, property] of inputs) {
        it(`${token} takes input ${property}`, () => {
            expect(moduleSource(token)).to.contain(`resourceInputs["${property}"] = args?.${property};`);
        });
    }
});

describe("what the access account may hold", () => {
    const cases: ReadonlyArray<[string, string]> = [
        // Access: allowed by default.
        ["aws:iam/role:Role", "allowed"],
        ["aws:iam/user:User", "allowed"],
        ["aws:iam/group:Group", "allowed"],
        ["aws:iam/policy:Policy", "allowed"],
        ["aws:iam/samlProvider:SamlProvider", "allowed"],
        ["aws:iam/openIdConnectProvider:OpenIdConnectProvider", "allowed"],
        ["aws:ssoadmin/permissionSet:PermissionSet", "allowed"],
        ["aws:identitystore/group:Group", "allowed"],
        ["aws:kms/key:Key", "allowed"],
        ["aws:kms/alias:Alias", "allowed"],
        ["aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "allowed"],
        // IAM that serves workloads, not access.
        ["aws:iam/instanceProfile:InstanceProfile", "not an access resource"],
        ["aws:iam/serverCertificate:ServerCertificate", "not an access resource"],
        // Compute, as in no-compute-in-management-account.
        ["aws:ec2/instance:Instance", "compute"],
        ["aws:lambda/function:Function", "compute"],
        // Data stores.
        ["aws:s3/bucket:Bucket", "data store"],
        ["aws:s3/bucketV2:BucketV2", "data store"],
        ["aws:s3/bucketPolicy:BucketPolicy", "data store"],
        ["aws:dynamodb/table:Table", "data store"],
        ["aws:rds/cluster:Cluster", "data store"],
        ["aws:rds/instance:Instance", "data store"],
        ["aws:elasticache/replicationGroup:ReplicationGroup", "data store"],
        ["aws:opensearch/domain:Domain", "data store"],
        ["aws:efs/fileSystem:FileSystem", "data store"],
        ["aws:redshift/cluster:Cluster", "data store"],
        ["aws:sqs/queue:Queue", "data store"],
        ["aws:sns/topic:Topic", "data store"],
        ["aws:kinesis/stream:Stream", "data store"],
        // Log and metric sinks.
        ["aws:cloudwatch/logGroup:LogGroup", "log or metric sink"],
        ["aws:cloudtrail/trail:Trail", "log or metric sink"],
        ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "log or metric sink"],
        ["aws:s3/bucketLogging:BucketLogging", "log or metric sink"],
        ["aws:cloudwatch/metricStream:MetricStream", "log or metric sink"],
        // VPC workloads.
        ["aws:lb/loadBalancer:LoadBalancer", "VPC workload"],
        ["aws:ec2/vpcEndpointService:VpcEndpointService", "VPC workload"],
        // Neither listed nor forbidden: fails unless allowedTypes lists it (the allow-list).
        ["aws:ec2/vpc:Vpc", "not an access resource"],
        ["aws:ec2clientvpn/endpoint:Endpoint", "not an access resource"],
        ["aws:secretsmanager/secret:Secret", "not an access resource"],
        ["aws:someservicelaunchednextyear/thing:Thing", "not an access resource"],
        // aws-native twins (issue #13: an aws-native IAM role was flagged as a workload).
        ["aws-native:iam:Role", "allowed"],
        ["aws-native:iam:OidcProvider", "allowed"],
        ["aws-native:sso:PermissionSet", "allowed"],
        ["aws-native:ec2:Instance", "compute"],
        ["aws-native:lambda:Function", "compute"],
        ["aws-native:ecs:TaskSet", "compute"],
        ["aws-native:s3:Bucket", "data store"],
        ["aws-native:logs:LogGroup", "log or metric sink"],
        ["aws-native:elasticloadbalancingv2:LoadBalancer", "VPC workload"],
        ["aws-native:ec2:Vpc", "not an access resource"],
    ];
    for (const [type, expected] of cases) {
        it(`${type}: ${expected}`, () => {
            const result = classifyForAccessAccount(type);
            expect(result.allowed ? "allowed" : result.category).to.equal(expected);
        });
    }

    it("allowedTypes admits a listed VPN or SSM type, and only that type", () => {
        const allowed = ["aws:ec2clientvpn/endpoint:Endpoint", "aws:ec2/vpc:Vpc"];
        expect(classifyForAccessAccount("aws:ec2clientvpn/endpoint:Endpoint", allowed)).to.deep.equal({
            allowed: true,
            reason: "allowedTypes",
        });
        expect(classifyForAccessAccount("aws:ec2/subnet:Subnet", allowed)).to.deep.equal({
            allowed: false,
            category: "not an access resource",
        });
    });

    it("allowedTypes cannot re-admit a forbidden category", () => {
        expect(classifyForAccessAccount("aws:s3/bucket:Bucket", ["aws:s3/bucket:Bucket"])).to.deep.equal({
            allowed: false,
            category: "data store",
        });
    });

    it("the default allow-list and the forbidden categories do not overlap", () => {
        expect([...ACCESS_ACCOUNT_DEFAULT_ALLOWED_TYPES].filter((type) => forbiddenInAccessAccount(type) !== undefined)).to.deep.equal([]);
        expect([...COMPUTE_RESOURCE_TYPES].filter((type) => forbiddenInAccessAccount(type) !== "compute")).to.deep.equal([]);
    });

    it("names modules of both type token forms", () => {
        expect(moduleOfType("aws:s3/bucket:Bucket")).to.equal("aws:s3");
        expect(moduleOfType("aws-native:s3:Bucket")).to.equal("aws-native:s3");
    });
});

describe("allowedTypes config", () => {
    const read = (raw: unknown) => readAllowedTypes(raw, forbiddenInAccessAccount);
    it("defaults to none", () => {
        expect(read({})).to.deep.equal([]);
    });
    it("accepts exact type tokens", () => {
        expect(read({ allowedTypes: ["aws:ec2/vpc:Vpc", "aws:ssm/document:Document"] })).to.deep.equal([
            "aws:ec2/vpc:Vpc",
            "aws:ssm/document:Document",
        ]);
    });
    const invalid: ReadonlyArray<[string, unknown, string]> = [
        ["a pattern", { allowedTypes: ["aws:ec2/*"] }, "exact type tokens"],
        ["a module", { allowedTypes: ["aws:ec2"] }, "exact type tokens"],
        ["a string instead of a list", { allowedTypes: "aws:ec2/vpc:Vpc" }, "list of strings"],
        ["compute", { allowedTypes: ["aws:ec2/instance:Instance"] }, "aws:ec2/instance:Instance (compute)"],
        ["a data store", { allowedTypes: ["aws:s3/bucket:Bucket"] }, "aws:s3/bucket:Bucket (data store)"],
        ["a log sink", { allowedTypes: ["aws:cloudwatch/logGroup:LogGroup"] }, "(log or metric sink)"],
        ["a VPC workload", { allowedTypes: ["aws:lb/loadBalancer:LoadBalancer"] }, "(VPC workload)"],
        ["a stack", { allowedTypes: ["aws:cloudformation/stack:Stack"] }, "(deploys other resources)"],
        ["an aws-native compute type", { allowedTypes: ["aws-native:ecs:TaskSet"] }, "(compute)"],
    ];
    for (const [name, config, message] of invalid) {
        it(`rejects ${name}`, () => {
            expect(() => read(config)).to.throw(Error, message);
        });
    }
});

describe("what the management account may hold", () => {
    const cases: ReadonlyArray<[string, string]> = [
        // What the program registers there, and organization-level services.
        ["aws:iam/role:Role", "allowed"],
        ["aws:iam/rolePolicy:RolePolicy", "allowed"],
        ["aws:iam/rolePoliciesExclusive:RolePoliciesExclusive", "allowed"],
        ["aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "allowed"],
        ["aws:organizations/delegatedAdministrator:DelegatedAdministrator", "allowed"],
        ["aws:ssoadmin/permissionSet:PermissionSet", "allowed"],
        ["aws:identitystore/user:User", "allowed"],
        ["aws:cloudtrail/trail:Trail", "allowed"],
        ["aws:cfg/rule:Rule", "allowed"],
        ["aws:costexplorer/costAllocationTag:CostAllocationTag", "allowed"],
        ["aws-native:iam:Role", "allowed"],
        ["aws-native:organizations:Policy", "allowed"],
        ["aws-native:config:ConfigurationAggregator", "allowed"],
        // Compute, by type or by module, of either provider.
        ["aws:ec2/instance:Instance", "compute"],
        ["aws:codebuild/fleet:Fleet", "compute"],
        ["aws:kinesisanalyticsv2/application:Application", "compute"],
        ["aws:imagebuilder/image:Image", "compute"],
        ["aws:ecs/taskSet:TaskSet", "compute"],
        ["aws-native:ec2:Instance", "compute"],
        ["aws-native:lambda:Function", "compute"],
        ["aws-native:codebuild:Fleet", "compute"],
        ["aws-native:kinesisanalyticsv2:Application", "compute"],
        // Access identities.
        ["aws:iam/user:User", "access identity"],
        ["aws-native:iam:User", "access identity"],
        ["aws-native:iam:OidcProvider", "access identity"],
        // Anything else.
        ["aws:s3/bucket:Bucket", "not an organization-level resource"],
        ["aws:cfg/remediationConfiguration:RemediationConfiguration", "not an organization-level resource"],
        ["aws:fms/policy:Policy", "not an organization-level resource"],
        ["aws:someservicelaunchednextyear/thing:Thing", "not an organization-level resource"],
        // Deployers of other resources: judged by what they deploy.
        ["aws:cloudformation/stack:Stack", "deploys other resources"],
        ["aws-native:cloudformation:StackSet", "deploys other resources"],
        ["aws:servicecatalog/provisionedProduct:ProvisionedProduct", "deploys other resources"],
    ];
    for (const [type, expected] of cases) {
        it(`${type}: ${expected}`, () => {
            const result = classifyForManagementAccount(type);
            expect(result.allowed ? "allowed" : result.category).to.equal(expected);
        });
    }

    it("reads CloudFormation types as aws-native ones", () => {
        expect(nativeTypeOfCloudFormation("AWS::Lambda::Function")).to.equal("aws-native:lambda:Function");
        expect(nativeTypeOfCloudFormation("AWS::IAM::OIDCProvider")).to.equal("aws-native:iam:OIDCProvider");
        expect(classifyForManagementAccount("aws-native:iam:OIDCProvider")).to.deep.equal({ allowed: false, category: "access identity" });
        expect(nativeTypeOfCloudFormation("Custom::Thing")).to.equal(undefined);
    });

    it("reads what a template deploys, or why it cannot", () => {
        const deployment = templateResources({
            Resources: { Fn: { Type: "AWS::Lambda::Function", Properties: { Runtime: "python3.12" } } },
        });
        expect(deployment.known && deployment.resources.map((r) => r.nativeType)).to.deep.equal(["aws-native:lambda:Function"]);
        // YAML is read as CloudFormation reads it; text that is neither JSON nor YAML is not.
        expect(templateResources("Resources: {}")).to.deep.equal({ known: true, resources: [] });
        expect(templateResources("Resources: [unclosed").known).to.equal(false);
        expect(templateResources({ Transform: "AWS::Serverless-2016-10-31", Resources: {} }).known).to.equal(false);
    });
});
