// Each policy, called as the policy server calls it, fed the bad thing and the good thing.

import { expect } from "chai";
import { accessAccountHoldsAccessOnly } from "../../policy-pack/policies/access-account";
import { knownIamActions } from "../../policy-pack/policies/known-actions";
import { managementAccountNotAccessAccount, noComputeInManagementAccount } from "../../policy-pack/policies/management-account";
import { policySizeQuotas } from "../../policy-pack/policies/policy-size";
import { providersPinAccount } from "../../policy-pack/policies/provider-pinning";
import { federatedTrustConditions, trustedUsersRequireMfa } from "../../policy-pack/policies/trust-policies";
import { noWildcardPrincipals } from "../../policy-pack/policies/wildcard-principals";
import { COMPUTE_RESOURCE_TYPES, ACCESS_IDENTITY_RESOURCE_TYPES } from "../../policy-pack/resource-types";
import { awsProvider, ResourceCase, runResourcePolicy, runStackPolicy, StackResourceCase, UNKNOWN_STRING, urnOf } from "./harness";

const MANAGEMENT = "111111111111";
const ACCESS = "222222222222";
const ORG = "o-ourorg12345";
const ORG_CONFIG = { managementAccountIds: [MANAGEMENT], accessAccountIds: [ACCESS], organizationId: ORG };

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const anyoneAllowed = { Effect: "Allow", Principal: { AWS: "*" }, Action: "sqs:SendMessage", Resource: "*" };
const orgScoped = { ...anyoneAllowed, Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } } };

interface PolicyCase extends ResourceCase {
    readonly title: string;
    /** How many violations the policy must report. */
    readonly expected: number;
}

function table(run: (testCase: PolicyCase) => Promise<{ violations: readonly string[]; unknown?: string }>, cases: readonly PolicyCase[]) {
    for (const testCase of cases) {
        it(`${testCase.title}: ${testCase.expected === 0 ? "passes" : `${testCase.expected} violation(s)`}`, async () => {
            const outcome = await run(testCase);
            expect(outcome.unknown, "policy could not run").to.equal(undefined);
            expect(outcome.violations, outcome.violations.join("\n")).to.have.length(testCase.expected);
        });
    }
}

describe("policy no-wildcard-principals", () => {
    const run = (c: PolicyCase) => runResourcePolicy(noWildcardPrincipals, { config: ORG_CONFIG, ...c });
    const documentTypes: ReadonlyArray<[string, string]> = [
        ["aws:iam/role:Role", "assumeRolePolicy"],
        ["aws:s3/bucketPolicy:BucketPolicy", "policy"],
        ["aws:s3/bucket:Bucket", "policy"],
        ["aws:kms/key:Key", "policy"],
        ["aws:kms/keyPolicy:KeyPolicy", "policy"],
        ["aws:sqs/queuePolicy:QueuePolicy", "policy"],
        ["aws:sqs/queue:Queue", "policy"],
        ["aws:sns/topicPolicy:TopicPolicy", "policy"],
        ["aws:sns/topic:Topic", "policy"],
        ["aws:ecr/repositoryPolicy:RepositoryPolicy", "policy"],
        ["aws:secretsmanager/secretPolicy:SecretPolicy", "policy"],
    ];
    table(
        run,
        documentTypes.flatMap(([type, property]): PolicyCase[] => [
            { title: `${type} admitting anyone`, type, props: { [property]: doc(anyoneAllowed) }, expected: 1 },
            { title: `${type} scoped to the organization`, type, props: { [property]: doc(orgScoped) }, expected: 0 },
        ]),
    );
    table(run, [
        {
            title: "document given as an object",
            type: "aws:sqs/queuePolicy:QueuePolicy",
            props: { policy: { Version: "2012-10-17", Statement: anyoneAllowed } },
            expected: 1,
        },
        {
            title: "two open statements in one document",
            type: "aws:sqs/queuePolicy:QueuePolicy",
            props: { policy: doc(anyoneAllowed, { ...anyoneAllowed, Principal: "*" }, orgScoped) },
            expected: 2,
        },
        {
            title: "a Deny with *",
            type: "aws:sqs/queuePolicy:QueuePolicy",
            props: { policy: doc({ ...anyoneAllowed, Effect: "Deny" }) },
            expected: 0,
        },
        {
            title: "an unreadable document (fails closed)",
            type: "aws:sqs/queuePolicy:QueuePolicy",
            props: { policy: "{not json" },
            expected: 1,
        },
        { title: "a bucket without a policy", type: "aws:s3/bucket:Bucket", props: { bucket: "logs" }, expected: 0 },
        {
            title: "another organization's ID",
            type: "aws:sqs/queuePolicy:QueuePolicy",
            props: { policy: doc({ ...orgScoped, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-outsider9999" } } }) },
            expected: 1,
        },
        {
            title: "a type without documents",
            type: "aws:ec2/vpc:Vpc",
            props: { cidrBlock: "10.0.0.0/16", tags: { policy: "none" } },
            expected: 0,
        },
        {
            title: "Lambda permission for anyone",
            type: "aws:lambda/permission:Permission",
            props: { action: "lambda:InvokeFunction", function: "f", principal: "*" },
            expected: 1,
        },
        {
            title: "Lambda permission for anyone in one account",
            type: "aws:lambda/permission:Permission",
            props: { action: "lambda:InvokeFunction", function: "f", principal: "*", sourceAccount: ACCESS },
            expected: 0,
        },
        {
            title: "Lambda permission for the organization",
            type: "aws:lambda/permission:Permission",
            props: { action: "lambda:InvokeFunction", function: "f", principal: "*", principalOrgId: ORG },
            expected: 0,
        },
        {
            title: "Lambda permission for S3 with a bucket ARN and the source account",
            type: "aws:lambda/permission:Permission",
            props: {
                action: "lambda:InvokeFunction",
                function: "f",
                principal: "s3.amazonaws.com",
                sourceArn: "arn:aws:s3:::b",
                sourceAccount: ACCESS,
            },
            expected: 0,
        },
    ]);

    it("reports the statement, the document and the principal in its message", async () => {
        const { violations } = await run({
            title: "",
            expected: 1,
            type: "aws:iam/role:Role",
            props: { assumeRolePolicy: doc({ Sid: "TrustOrg", ...anyoneAllowed, Action: "sts:AssumeRole" }) },
        });
        expect(violations[0]).to.match(/^Allow statement 'TrustOrg' in assumeRolePolicy admits any principal \(Principal \{"AWS":"\*"\}\)/);
    });

    it("cannot run, rather than passing, when the document is unknown during preview", async () => {
        const outcome = await runResourcePolicy(noWildcardPrincipals, {
            type: "aws:sqs/queuePolicy:QueuePolicy",
            props: { policy: UNKNOWN_STRING },
            config: ORG_CONFIG,
        });
        expect(outcome.unknown).to.contain(".policy");
    });
});

describe("policy no-compute-in-management-account", () => {
    const run = (c: PolicyCase) => runResourcePolicy(noComputeInManagementAccount, { config: ORG_CONFIG, ...c });
    const inManagement = awsProvider(MANAGEMENT);
    table(run, [
        ...[...COMPUTE_RESOURCE_TYPES].map((type): PolicyCase => ({
            title: `${type} in management`,
            type,
            props: {},
            provider: inManagement,
            expected: 1,
        })),
        {
            title: "an instance in the access account",
            type: "aws:ec2/instance:Instance",
            props: {},
            provider: awsProvider(ACCESS),
            expected: 0,
        },
        { title: "CloudTrail in management", type: "aws:cloudtrail/trail:Trail", props: {}, provider: inManagement, expected: 0 },
        { title: "an IAM role in management", type: "aws:iam/role:Role", props: {}, provider: inManagement, expected: 0 },
        {
            title: "allowedAccountIds as an array",
            type: "aws:lambda/function:Function",
            props: {},
            provider: { allowedAccountIds: [MANAGEMENT] },
            expected: 1,
        },
        {
            title: "account from the last assumed role",
            type: "aws:lambda/function:Function",
            props: {},
            provider: {
                assumeRoles: JSON.stringify([
                    { roleArn: `arn:aws:iam::${ACCESS}:role/hop` },
                    { roleArn: `arn:aws:iam::${MANAGEMENT}:role/deploy` },
                ]),
            },
            expected: 1,
        },
        {
            title: "several allowed accounts including management",
            type: "aws:ecs/cluster:Cluster",
            props: {},
            provider: { allowedAccountIds: JSON.stringify([ACCESS, MANAGEMENT]) },
            expected: 1,
        },
        // Fail closed where the account cannot be known (issue #13).
        {
            title: "an unpinned provider (account unknown)",
            type: "aws:ec2/instance:Instance",
            props: {},
            provider: awsProvider(undefined),
            expected: 1,
        },
        { title: "no provider at all", type: "aws:ec2/instance:Instance", props: {}, provider: null, expected: 1 },
        {
            title: "a bucket on an unpinned provider (not compute)",
            type: "aws:s3/bucket:Bucket",
            props: {},
            provider: awsProvider(undefined),
            expected: 0,
        },
    ]);

    it("cannot run, rather than passing, when allowedAccountIds is unknown during preview", async () => {
        const outcome = await run({
            title: "",
            expected: 0,
            type: "aws:ec2/instance:Instance",
            props: {},
            provider: { allowedAccountIds: UNKNOWN_STRING },
        });
        expect(outcome.unknown).to.contain("allowedAccountIds");
    });

    it("says how to pin the provider when the account cannot be known", async () => {
        const { violations } = await run({
            title: "",
            expected: 1,
            type: "aws:lambda/function:Function",
            name: "f",
            props: {},
            provider: awsProvider(undefined),
        });
        expect(violations[0]).to.contain("allowedAccountIds").and.contain("assumeRole");
    });

    it("says which account and where the account came from", async () => {
        const { violations } = await run({
            title: "",
            expected: 1,
            type: "aws:ec2/instance:Instance",
            name: "bastion",
            props: {},
            provider: inManagement,
        });
        expect(violations[0]).to.contain("'bastion'").and.contain(MANAGEMENT).and.contain("allowedAccountIds");
    });
});

describe("policy management-account-not-access-account", () => {
    const run = (c: PolicyCase) => runResourcePolicy(managementAccountNotAccessAccount, { config: ORG_CONFIG, ...c });
    table(run, [
        ...[...ACCESS_IDENTITY_RESOURCE_TYPES].map((type): PolicyCase => ({
            title: `${type} in management`,
            type,
            props: {},
            provider: awsProvider(MANAGEMENT),
            expected: 1,
        })),
        ...[...ACCESS_IDENTITY_RESOURCE_TYPES].map((type): PolicyCase => ({
            title: `${type} in the access account`,
            type,
            props: {},
            provider: awsProvider(ACCESS),
            expected: 0,
        })),
        { title: "an IAM role in management", type: "aws:iam/role:Role", props: {}, provider: awsProvider(MANAGEMENT), expected: 0 },
    ]);

    it("refuses a config naming one account as both management and access account", async () => {
        const overlapping = { managementAccountIds: [MANAGEMENT], accessAccountIds: [MANAGEMENT] };
        let error: unknown;
        try {
            await runResourcePolicy(managementAccountNotAccessAccount, {
                type: "aws:iam/user:User",
                props: {},
                provider: awsProvider(MANAGEMENT),
                config: overlapping,
            });
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(Error);
    });
});

describe("policy access-account-holds-access-only", () => {
    const config = { accessAccountIds: [ACCESS] };
    const run = (c: PolicyCase) => runResourcePolicy(accessAccountHoldsAccessOnly, { config, ...c });
    const inAccess = awsProvider(ACCESS);
    const vpnPath = {
        ...config,
        allowedTypes: ["aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2clientvpn/endpoint:Endpoint", "aws:ec2/vpcEndpoint:VpcEndpoint"],
    };
    table(run, [
        // What the access stack's plan puts there.
        ...[
            "aws:iam/user:User",
            "aws:iam/group:Group",
            "aws:iam/role:Role",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:iam/policy:Policy",
            "aws:iam/userLoginProfile:UserLoginProfile",
            "aws:iam/samlProvider:SamlProvider",
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
            "aws:ssoadmin/permissionSet:PermissionSet",
            "aws:kms/key:Key",
        ].map((type): PolicyCase => ({ title: `${type} in the access account`, type, props: {}, provider: inAccess, expected: 0 })),
        ...[...COMPUTE_RESOURCE_TYPES].map((type): PolicyCase => ({
            title: `${type} in the access account`,
            type,
            props: {},
            provider: inAccess,
            expected: 1,
        })),
        ...[
            "aws:s3/bucket:Bucket",
            "aws:dynamodb/table:Table",
            "aws:rds/cluster:Cluster",
            "aws:elasticache/cluster:Cluster",
            "aws:opensearch/domain:Domain",
            "aws:efs/fileSystem:FileSystem",
            "aws:redshift/cluster:Cluster",
            "aws:sqs/queue:Queue",
            "aws:sns/topic:Topic",
            "aws:kinesis/stream:Stream",
            "aws:cloudwatch/logGroup:LogGroup",
            "aws:cloudtrail/trail:Trail",
            "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
            "aws:s3/bucketLogging:BucketLogging",
            "aws:lb/loadBalancer:LoadBalancer",
            "aws:ec2/vpc:Vpc",
            "aws:secretsmanager/secret:Secret",
        ].map((type): PolicyCase => ({ title: `${type} in the access account`, type, props: {}, provider: inAccess, expected: 1 })),
        { title: "a bucket in another account", type: "aws:s3/bucket:Bucket", props: {}, provider: awsProvider(MANAGEMENT), expected: 0 },
        {
            title: "a bucket on an unpinned provider (account unknown)",
            type: "aws:s3/bucket:Bucket",
            props: {},
            provider: awsProvider(undefined),
            expected: 0,
        },
        { title: "a bucket with no provider", type: "aws:s3/bucket:Bucket", props: {}, provider: null, expected: 0 },
        {
            title: "a bucket whose provider assumes a role in the access account",
            type: "aws:s3/bucket:Bucket",
            props: {},
            provider: { assumeRoles: JSON.stringify([{ roleArn: `arn:aws:iam::${ACCESS}:role/deploy` }]) },
            expected: 1,
        },
        {
            title: "a bucket with several allowed accounts including access",
            type: "aws:s3/bucket:Bucket",
            props: {},
            provider: { allowedAccountIds: JSON.stringify([MANAGEMENT, ACCESS]) },
            expected: 1,
        },
        {
            title: "a bucket without accessAccountIds configured",
            type: "aws:s3/bucket:Bucket",
            props: {},
            provider: inAccess,
            config: {},
            expected: 0,
        },
        { title: "an aws-native bucket", type: "aws-native:s3:Bucket", props: {}, provider: inAccess, expected: 1 },
        { title: "an aws-native IAM role", type: "aws-native:iam:Role", props: {}, provider: inAccess, expected: 0 },
        {
            title: "an aws-native IAM role on an aws-native provider",
            type: "aws-native:iam:Role",
            props: {},
            provider: { region: "us-east-1", allowedAccountIds: [ACCESS] },
            expected: 0,
        },
        {
            title: "an aws-native Lambda function on an aws-native provider assuming an access-account role",
            type: "aws-native:lambda:Function",
            props: {},
            provider: { assumeRole: { roleArn: `arn:aws:iam::${ACCESS}:role/deploy` } },
            expected: 1,
        },
        { title: "a component", type: "org-access:accounts:AccessIdentity", props: {}, provider: inAccess, expected: 0 },
        { title: "a random resource", type: "random:index/randomId:RandomId", props: {}, provider: inAccess, expected: 0 },
        { title: "the provider itself", type: "pulumi:providers:aws", props: {}, provider: null, expected: 0 },
        // A VPN access path, under config set on purpose.
        {
            title: "a Client VPN endpoint listed in allowedTypes",
            type: "aws:ec2clientvpn/endpoint:Endpoint",
            props: {},
            provider: inAccess,
            config: vpnPath,
            expected: 0,
        },
        { title: "a VPC listed in allowedTypes", type: "aws:ec2/vpc:Vpc", props: {}, provider: inAccess, config: vpnPath, expected: 0 },
        {
            title: "a security group not listed in allowedTypes",
            type: "aws:ec2/securityGroup:SecurityGroup",
            props: {},
            provider: inAccess,
            config: vpnPath,
            expected: 1,
        },
        {
            title: "an instance, whatever allowedTypes lists",
            type: "aws:ec2/instance:Instance",
            props: {},
            provider: inAccess,
            config: vpnPath,
            expected: 1,
        },
    ]);

    it("says what the resource is, which account, and what to do", async () => {
        const bucket = await run({ title: "", expected: 1, type: "aws:s3/bucket:Bucket", name: "exports", props: {}, provider: inAccess });
        expect(bucket.violations).to.deep.equal([
            `aws:s3/bucket:Bucket 'exports' stores data and is deployed into access account ${ACCESS} (provider allowedAccountIds); deploy it into a workload account`,
        ]);
        const logs = await run({
            title: "",
            expected: 1,
            type: "aws:cloudwatch/logGroup:LogGroup",
            name: "app",
            props: {},
            provider: inAccess,
        });
        expect(logs.violations[0]).to.contain("is a log or metric sink").and.contain("service accounts would have to write");
        const vpc = await run({ title: "", expected: 1, type: "aws:ec2/vpc:Vpc", name: "vpn", props: {}, provider: inAccess });
        expect(vpc.violations[0]).to.contain("is not IAM, IAM Identity Center").and.contain("allowedTypes");
    });

    it("refuses, rather than ignores, an allowedTypes entry that re-admits a forbidden category", async () => {
        let error: unknown;
        try {
            await run({
                title: "",
                expected: 0,
                type: "aws:iam/role:Role",
                props: {},
                provider: inAccess,
                config: { ...config, allowedTypes: ["aws:dynamodb/table:Table"] },
            });
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.contain("cannot admit aws:dynamodb/table:Table (data store)");
    });
});

describe("policy federated-trust-conditions", () => {
    const run = (c: PolicyCase) => runResourcePolicy(federatedTrustConditions, c);
    const role = (statement: object): Pick<PolicyCase, "type" | "props"> => ({
        type: "aws:iam/role:Role",
        props: { assumeRolePolicy: doc(statement) },
    });
    const github = `arn:aws:iam::${ACCESS}:oidc-provider/token.actions.githubusercontent.com`;
    const gh = (condition?: object) => ({
        Effect: "Allow",
        Principal: { Federated: github },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: condition,
    });
    const ghAud = { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" };
    const saml = (condition?: object) => ({
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${ACCESS}:saml-provider/Okta` },
        Action: "sts:AssumeRoleWithSAML",
        Condition: condition,
    });
    const eks = (condition?: object) => ({
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${ACCESS}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: condition,
    });
    table(run, [
        { title: "SAML without SAML:aud", ...role(saml()), expected: 1 },
        { title: "SAML with SAML:aud", ...role(saml({ StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } })), expected: 0 },
        {
            title: "SAML with SAML:aud under IfExists",
            ...role(saml({ StringEqualsIfExists: { "SAML:aud": "https://signin.aws.amazon.com/saml" } })),
            expected: 1,
        },
        { title: "GitHub with neither aud nor sub", ...role(gh()), expected: 2 },
        { title: "GitHub with aud only", ...role(gh({ StringEquals: ghAud })), expected: 1 },
        {
            title: "GitHub with aud and repo:*",
            ...role(gh({ StringEquals: ghAud, StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } })),
            expected: 1,
        },
        {
            title: "GitHub with aud and one bare entry in the sub list",
            ...role(gh({ StringEquals: ghAud, StringLike: { "token.actions.githubusercontent.com:sub": ["repo:my-org/app:*", "*"] } })),
            expected: 1,
        },
        {
            title: "GitHub with aud and sub negated",
            ...role(gh({ StringEquals: ghAud, StringNotLike: { "token.actions.githubusercontent.com:sub": "repo:evil/*" } })),
            expected: 1,
        },
        {
            title: "GitHub with aud and sub pinned to the org",
            ...role(gh({ StringEquals: ghAud, StringLike: { "token.actions.githubusercontent.com:sub": "repo:my-org/*" } })),
            expected: 0,
        },
        {
            title: "GitHub keys in another case",
            ...role(
                gh({
                    StringEquals: {
                        "TOKEN.actions.githubusercontent.com:AUD": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:Sub": "repo:my-org/app:ref:refs/heads/main",
                    },
                }),
            ),
            expected: 0,
        },
        {
            title: "EKS with aud (sub not required)",
            ...role(eks({ StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com" } })),
            expected: 0,
        },
        {
            title: "EKS without aud",
            ...role(eks({ StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:ns:sa" } })),
            expected: 1,
        },
        {
            title: "an AWS account trust",
            ...role({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCESS}:root` }, Action: "sts:AssumeRole" }),
            expected: 0,
        },
        { title: "a non-role resource", type: "aws:sqs/queuePolicy:QueuePolicy", props: { policy: doc(saml()) }, expected: 0 },
    ]);

    it("requires sub for issuers added in config", async () => {
        const custom = { ...eks({ StringEquals: { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com" } }) };
        const outcome = await runResourcePolicy(federatedTrustConditions, {
            ...role(custom),
            config: { subjectRequiredIssuers: ["oidc.eks.eu-west-1.amazonaws.com"] },
        });
        expect(outcome.violations).to.have.length(1);
        expect(outcome.violations[0]).to.contain("oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub");
    });
});

describe("policy trusted-users-require-mfa", () => {
    const run = (c: PolicyCase) => runResourcePolicy(trustedUsersRequireMfa, c);
    const userTrust = (condition?: object) => ({
        type: "aws:iam/role:Role",
        props: {
            assumeRolePolicy: doc({
                Effect: "Allow",
                Principal: { AWS: [`arn:aws:iam::${ACCESS}:user/alice`] },
                Action: "sts:AssumeRole",
                Condition: condition,
            }),
        },
    });
    table(run, [
        { title: "users without MFA", ...userTrust(), expected: 1 },
        { title: "users with BoolIfExists MFA", ...userTrust({ BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } }), expected: 1 },
        { title: "users with Bool MFA", ...userTrust({ Bool: { "aws:MultiFactorAuthPresent": "true" } }), expected: 0 },
        {
            title: "a role trust",
            type: "aws:iam/role:Role",
            props: {
                assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCESS}:role/ci` }, Action: "sts:AssumeRole" }),
            },
            expected: 0,
        },
    ]);
});

describe("policy policy-size-quotas", () => {
    /** A one-statement document padded to exactly `characters` non-whitespace characters. */
    function documentOfSize(characters: number, pretty = false): string {
        const skeleton = (sid: string) =>
            JSON.stringify(
                { Version: "2012-10-17", Statement: [{ Sid: sid, Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] },
                null,
                pretty ? 2 : undefined,
            );
        const padding = characters - skeleton("").replace(/\s/g, "").length;
        if (padding < 0) {
            throw new Error(`cannot build a ${characters}-character document`);
        }
        return skeleton("A".repeat(padding));
    }
    const trust = (characters: number) => documentOfSize(characters, true);
    const role = (name: string, props: Record<string, unknown>): StackResourceCase => ({
        type: "aws:iam/role:Role",
        name,
        props: { name, assumeRolePolicy: trust(500), ...props },
    });
    const cases: ReadonlyArray<{ title: string; resources: StackResourceCase[]; config?: Record<string, unknown>; violating: string[] }> = [
        { title: "trust policy at the quota", resources: [role("at", { assumeRolePolicy: trust(2048) })], violating: [] },
        { title: "trust policy one over the quota", resources: [role("over", { assumeRolePolicy: trust(2049) })], violating: ["over"] },
        {
            title: "trust policy within a raised quota",
            resources: [role("raised", { assumeRolePolicy: trust(4000) })],
            config: { maxTrustPolicyCharacters: 4096 },
            violating: [],
        },
        {
            title: "managed policy at the quota",
            resources: [{ type: "aws:iam/policy:Policy", name: "at", props: { policy: documentOfSize(6144) } }],
            violating: [],
        },
        {
            title: "managed policy over the quota",
            resources: [{ type: "aws:iam/policy:Policy", name: "big", props: { policy: documentOfSize(6145) } }],
            violating: ["big"],
        },
        {
            title: "inline policies together at the quota",
            resources: [
                role("r", {
                    inlinePolicies: [
                        { name: "a", policy: documentOfSize(5120) },
                        { name: "b", policy: documentOfSize(5120) },
                    ],
                }),
            ],
            violating: [],
        },
        {
            title: "inlinePolicies plus a RolePolicy over the quota",
            resources: [
                role("r", { inlinePolicies: [{ name: "a", policy: documentOfSize(5120) }] }),
                { type: "aws:iam/rolePolicy:RolePolicy", name: "extra", props: { role: "r", policy: documentOfSize(5121) } },
            ],
            violating: ["r"],
        },
        {
            title: "RolePolicies of two different roles",
            resources: [
                role("r1", {}),
                role("r2", {}),
                { type: "aws:iam/rolePolicy:RolePolicy", name: "p1", props: { role: "r1", policy: documentOfSize(6000) } },
                { type: "aws:iam/rolePolicy:RolePolicy", name: "p2", props: { role: "r2", policy: documentOfSize(6000) } },
            ],
            violating: [],
        },
        {
            title: "a role whose trust policy is unknown during preview is skipped, others still checked",
            resources: [
                role("pending", { assumeRolePolicy: UNKNOWN_STRING }),
                { type: "aws:iam/policy:Policy", name: "big", props: { policy: documentOfSize(7000) } },
            ],
            violating: ["big"],
        },
    ];
    for (const { title, resources, config, violating } of cases) {
        it(`${title}: ${violating.length === 0 ? "passes" : `flags ${violating.join(", ")}`}`, async () => {
            const violations = await runStackPolicy(policySizeQuotas, resources, config);
            const flagged = violations.map((v) => resources.find((r) => urnOf(r) === v.urn)?.name);
            expect(flagged, violations.map((v) => v.message).join("\n")).to.deep.equal(violating);
        });
    }

    it("counts non-whitespace characters, so pretty printing does not matter", async () => {
        const pretty = await runStackPolicy(policySizeQuotas, [role("p", { assumeRolePolicy: documentOfSize(2049, true) })]);
        const compact = await runStackPolicy(policySizeQuotas, [role("p", { assumeRolePolicy: documentOfSize(2049) })]);
        expect(pretty).to.have.length(1);
        expect(pretty).to.deep.equal(compact);
        expect(pretty[0].message).to.contain("2,049").and.contain("2,048");
    });
});

describe("policy known-iam-actions", () => {
    const run = (c: PolicyCase) => runResourcePolicy(knownIamActions, c);
    const identity = (...actions: string[]) => ({
        type: "aws:iam/policy:Policy",
        props: { policy: doc({ Effect: "Allow", Action: actions, Resource: "*" }) },
    });
    table(run, [
        { title: "real actions", ...identity("s3:GetObject", "sts:AssumeRole", "iam:PassRole"), expected: 0 },
        { title: "action names in another case", ...identity("S3:getobject"), expected: 0 },
        { title: "matching wildcards", ...identity("s3:Get*", "ec2:Describe*", "*", "s3:*"), expected: 0 },
        { title: "a misspelt action", ...identity("s3:GetObjekt"), expected: 1 },
        { title: "an unknown service", ...identity("s4:GetObject"), expected: 1 },
        { title: "a wildcard matching nothing", ...identity("s3:Fly*"), expected: 1 },
        { title: "not service:action", ...identity("GetObject"), expected: 1 },
        {
            title: "NotAction and role inline policies are checked",
            type: "aws:iam/role:Role",
            props: {
                assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
                inlinePolicies: [{ name: "deny", policy: doc({ Effect: "Deny", NotAction: ["iam:GetUserz"], Resource: "*" }) }],
            },
            expected: 1,
        },
    ]);
});

describe("policy providers-pin-account", () => {
    const run = (c: PolicyCase) => runResourcePolicy(providersPinAccount, c);
    table(run, [
        { title: "a pinned provider", type: "aws:s3/bucket:Bucket", props: {}, provider: awsProvider(ACCESS), expected: 0 },
        { title: "an unpinned provider", type: "aws:s3/bucket:Bucket", props: {}, provider: awsProvider(undefined), expected: 1 },
        {
            title: "an empty allowedAccountIds",
            type: "aws:s3/bucket:Bucket",
            props: {},
            provider: { allowedAccountIds: "[]" },
            expected: 1,
        },
        {
            title: "allowedAccountIds unknown during preview",
            type: "aws:s3/bucket:Bucket",
            props: {},
            provider: { allowedAccountIds: UNKNOWN_STRING },
            expected: 0,
        },
        { title: "no provider information", type: "aws:s3/bucket:Bucket", props: {}, provider: null, expected: 1 },
        { title: "the provider itself", type: "pulumi:providers:aws", props: {}, provider: null, expected: 0 },
        { title: "a component", type: "org-access:index:CustomerAccess", props: {}, provider: null, expected: 0 },
    ]);
});
