// End to end, as the engine runs it: the real pack served by run-policy-pack (ts-node, type
// checked), driven over the gRPC Analyzer protocol.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { AnalyzedProvider, AnalyzedResource, Diagnostic, EnforcementLevel, ServedPolicyPack } from "../../offline/served-pack";
import { UNKNOWN_STRING } from "./harness";

const PACK_DIR = path.join(__dirname, "..", "..", "policy-pack");
const MANAGEMENT = "111111111111";
const ACCESS = "222222222222";
const ORG = "o-ourorg12345";
const ORG_PROPERTIES = { managementAccountIds: [MANAGEMENT], accessAccountIds: [ACCESS], organizationId: ORG };
const PACK_CONFIG = {
    "no-wildcard-principals": { organizationId: ORG },
    "no-compute-in-management-account": ORG_PROPERTIES,
    "management-account-not-access-account": ORG_PROPERTIES,
    "access-account-holds-access-only": { accessAccountIds: [ACCESS], allowedTypes: ["aws:ec2clientvpn/endpoint:Endpoint"] },
    "template-principals-resolved": ORG_PROPERTIES,
    "template-principals-resolved-elsewhere": ORG_PROPERTIES,
    "organization-policies-keep-deployers": {
        organizationId: ORG,
        deployPrincipals: [{ arn: "arn:aws:iam::*:role/OrgAccessDeploy", actions: ["iam:UpdateAssumeRolePolicy"] }],
        customerActions: ["guardduty:EnableOrganizationAdminAccount"],
    },
};

/** An SCP that denies changing the Administrator roles unless the caller is one of `exempt`. */
function roleGuardScp(...exempt: string[]): Record<string, unknown> {
    return {
        name: "guard",
        type: "SERVICE_CONTROL_POLICY",
        content: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "Guard",
                    Effect: "Deny",
                    Action: "iam:UpdateAssumeRolePolicy",
                    Resource: "arn:aws:iam::*:role/Administrator",
                    Condition: { ArnNotLike: { "aws:PrincipalArn": exempt } },
                },
            ],
        }),
    };
}

/** A provider as @pulumi/aws registers it: list inputs JSON-encoded. */
function provider(name: string, accountId?: string): AnalyzedProvider {
    return {
        type: "pulumi:providers:aws",
        name,
        urn: `urn:pulumi:e2e::org-access::pulumi:providers:aws::${name}`,
        properties: { region: "us-east-1", ...(accountId === undefined ? {} : { allowedAccountIds: JSON.stringify([accountId]) }) },
    };
}
const inManagement = provider("management", MANAGEMENT);
const inAccess = provider("access", ACCESS);
const inWorkload = provider("workload", "333333333333");

/** An aws-native provider (`pulumi:providers:aws-native`), pinned by allowedAccountIds or by the role it assumes. */
function nativeProvider(name: string, pin: { accountId: string } | { roleArn: string }): AnalyzedProvider {
    return {
        type: "pulumi:providers:aws-native",
        name,
        urn: `urn:pulumi:e2e::org-access::pulumi:providers:aws-native::${name}`,
        properties: {
            region: "us-east-1",
            ...("accountId" in pin
                ? { allowedAccountIds: JSON.stringify([pin.accountId]) }
                : { assumeRole: JSON.stringify({ roleArn: pin.roleArn }) }),
        },
    };
}
const nativeInManagement = nativeProvider("native-management", { roleArn: `arn:aws:iam::${MANAGEMENT}:role/deploy` });
const nativeInAccess = nativeProvider("native-access", { accountId: ACCESS });

function resource(
    type: string,
    name: string,
    properties: Record<string, unknown>,
    on: AnalyzedProvider | undefined = inAccess,
): AnalyzedResource {
    return { type, name, urn: `urn:pulumi:e2e::org-access::${type}::${name}`, properties, provider: on };
}

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const trust = (statement: object) => ({ assumeRolePolicy: doc({ Action: "sts:AssumeRole", ...statement }) });

const summary = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => `${d.policyName}:${d.enforcementLevel}`).sort();

const CASES: ReadonlyArray<{ title: string; resource: AnalyzedResource; expected: string[] }> = [
    {
        title: "a role trusting anyone",
        resource: resource("aws:iam/role:Role", "open", trust({ Sid: "Open", Effect: "Allow", Principal: { AWS: "*" } })),
        expected: ["no-wildcard-principals:mandatory", "trusted-users-require-mfa:mandatory"],
    },
    {
        // Every IAM user of the organization gets in with long-term keys, without MFA.
        title: "a role trusting the organization",
        resource: resource(
            "aws:iam/role:Role",
            "org",
            trust({ Effect: "Allow", Principal: { AWS: "*" }, Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } } }),
        ),
        expected: ["trusted-users-require-mfa:mandatory"],
    },
    {
        title: "a role trusting the organization's roles, not its users",
        resource: resource(
            "aws:iam/role:Role",
            "org-roles",
            trust({
                Effect: "Allow",
                Principal: { AWS: "*" },
                Condition: { StringEquals: { "aws:PrincipalOrgID": ORG }, ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" } },
            }),
        ),
        expected: [],
    },
    {
        title: "an instance in management",
        resource: resource("aws:ec2/instance:Instance", "box", { instanceType: "t3.micro" }, inManagement),
        expected: ["no-compute-in-management-account:mandatory"],
    },
    {
        title: "an instance in the access account",
        resource: resource("aws:ec2/instance:Instance", "box", { instanceType: "t3.micro" }),
        expected: ["access-account-holds-access-only:mandatory"],
    },
    {
        title: "an instance in a workload account",
        resource: resource("aws:ec2/instance:Instance", "box", { instanceType: "t3.micro" }, provider("prod", "333333333333")),
        expected: [],
    },
    {
        title: "a log group in the access account",
        resource: resource("aws:cloudwatch/logGroup:LogGroup", "audit", { retentionInDays: 365 }),
        expected: ["access-account-holds-access-only:mandatory"],
    },
    {
        title: "a DynamoDB table in the access account",
        resource: resource("aws:dynamodb/table:Table", "sessions", { hashKey: "id" }),
        expected: ["access-account-holds-access-only:mandatory"],
    },
    {
        title: "a Client VPN endpoint listed in allowedTypes",
        resource: resource("aws:ec2clientvpn/endpoint:Endpoint", "vpn", {
            serverCertificateArn: "arn:aws:acm:us-east-1:222222222222:certificate/x",
        }),
        expected: [],
    },
    {
        title: "a SAML provider in the access account",
        resource: resource("aws:iam/samlProvider:SamlProvider", "okta", { name: "okta", samlMetadataDocument: "<xml/>" }),
        expected: [],
    },
    {
        title: "an IAM user in management",
        resource: resource("aws:iam/user:User", "alice", { name: "alice" }, inManagement),
        expected: ["management-account-not-access-account:mandatory"],
    },
    {
        title: "GitHub OIDC trust without sub",
        resource: resource(
            "aws:iam/role:Role",
            "ci",
            trust({
                Effect: "Allow",
                Action: "sts:AssumeRoleWithWebIdentity",
                Principal: { Federated: `arn:aws:iam::${ACCESS}:oidc-provider/token.actions.githubusercontent.com` },
                Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
            }),
        ),
        expected: ["federated-trust-conditions:mandatory"],
    },
    {
        title: "IAM user trust without MFA",
        resource: resource(
            "aws:iam/role:Role",
            "break-glass",
            trust({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCESS}:user/alice` } }),
        ),
        expected: ["trusted-users-require-mfa:mandatory"],
    },
    {
        title: "a policy naming a misspelt action",
        resource: resource("aws:iam/policy:Policy", "typo", { policy: doc({ Effect: "Allow", Action: "s3:GetObjekt", Resource: "*" }) }),
        expected: ["known-iam-actions:advisory"],
    },
    {
        title: "a bucket on an unpinned provider",
        resource: resource("aws:s3/bucket:Bucket", "logs", {}, provider("default")),
        expected: ["providers-pin-account:advisory"],
    },
    {
        title: "a bucket in the access account",
        resource: resource("aws:s3/bucket:Bucket", "exports", {}),
        expected: ["access-account-holds-access-only:mandatory"],
    },
    // Issue #13, end to end.
    {
        title: "an aws-native role trusting anyone",
        resource: resource(
            "aws-native:iam:Role",
            "open-native",
            {
                assumeRolePolicyDocument: {
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
                },
            },
            nativeInAccess,
        ),
        expected: ["no-wildcard-principals:mandatory", "trusted-users-require-mfa:mandatory"],
    },
    {
        title: "an ordinary aws-native role in the access account",
        resource: resource(
            "aws-native:iam:Role",
            "ci-native",
            {
                assumeRolePolicyDocument: {
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCESS}:role/ci` }, Action: "sts:AssumeRole" }],
                },
            },
            nativeInAccess,
        ),
        expected: [],
    },
    {
        title: "an aws-native Lambda function in management",
        resource: resource("aws-native:lambda:Function", "fn", { runtime: "python3.12" }, nativeInManagement),
        expected: ["no-compute-in-management-account:mandatory", "providers-pin-account:advisory"],
    },
    {
        title: "an aws-native IAM user in management",
        resource: resource("aws-native:iam:User", "mallory", { userName: "mallory" }, nativeInManagement),
        expected: ["management-account-not-access-account:mandatory", "providers-pin-account:advisory"],
    },
    {
        title: "a CodeBuild fleet in management",
        resource: resource("aws:codebuild/fleet:Fleet", "fleet", { baseCapacity: 1 }, inManagement),
        expected: ["no-compute-in-management-account:mandatory"],
    },
    {
        title: "a bucket in management (not organization-level)",
        resource: resource("aws:s3/bucket:Bucket", "stray", {}, inManagement),
        expected: ["no-compute-in-management-account:mandatory"],
    },
    {
        title: "an SCP in management that locks the deploy role out of the roles it manages",
        resource: resource("aws:organizations/policy:Policy", "guard", roleGuardScp("arn:aws:iam::*:role/Admin"), inManagement),
        expected: ["organization-policies-keep-deployers:mandatory"],
    },
    {
        title: "its look-alike that exempts the deploy role",
        resource: resource(
            "aws:organizations/policy:Policy",
            "guard",
            roleGuardScp("arn:aws:iam::*:role/Admin", "arn:aws:iam::*:role/OrgAccessDeploy"),
            inManagement,
        ),
        expected: [],
    },
    {
        title: "a delegated administrator in management",
        resource: resource(
            "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
            "guardduty",
            { accountId: ACCESS, servicePrincipal: "guardduty.amazonaws.com" },
            inManagement,
        ),
        expected: [],
    },
    {
        title: "a stack in management whose template creates a Lambda function",
        resource: resource(
            "aws:cloudformation/stack:Stack",
            "sneaky",
            {
                templateBody: JSON.stringify({
                    Resources: { Fn: { Type: "AWS::Lambda::Function", Properties: { Runtime: "python3.12" } } },
                }),
            },
            inManagement,
        ),
        expected: ["no-compute-in-management-account:mandatory"],
    },
    {
        title: "an instance on an unpinned provider",
        resource: resource("aws:ec2/instance:Instance", "anywhere", {}, provider("default")),
        expected: ["no-compute-in-management-account:mandatory", "providers-pin-account:advisory"],
    },
    {
        title: "an OpenSearch domain open to anyone",
        resource: resource(
            "aws:opensearch/domain:Domain",
            "search",
            { accessPolicies: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttpGet", Resource: "*" }) },
            inWorkload,
        ),
        expected: ["no-wildcard-principals:mandatory"],
    },
    {
        title: "an EventBridge permission for *",
        resource: resource("aws:cloudwatch/eventPermission:EventPermission", "bus", { principal: "*", statementId: "all" }, inWorkload),
        expected: ["no-wildcard-principals:mandatory"],
    },
    {
        title: "a Lambda permission for S3 from any bucket",
        resource: resource(
            "aws:lambda/permission:Permission",
            "s3",
            { action: "lambda:InvokeFunction", function: "f", principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::*" },
            inWorkload,
        ),
        expected: ["no-wildcard-principals:mandatory"],
    },
    {
        title: "a GitHub trust through sts:AssumeRoleWith* without sub",
        resource: resource(
            "aws:iam/role:Role",
            "ci-wild",
            trust({
                Effect: "Allow",
                Action: "sts:AssumeRoleWith*",
                Principal: { Federated: `arn:aws:iam::${ACCESS}:oidc-provider/token.actions.githubusercontent.com` },
                Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
            }),
        ),
        expected: ["federated-trust-conditions:mandatory"],
    },
    {
        title: "a trust admitting the access account's IAM users without MFA",
        resource: resource(
            "aws:iam/role:Role",
            "users",
            trust({
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${ACCESS}:root` },
                Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCESS}:user/*` } },
            }),
        ),
        expected: ["trusted-users-require-mfa:mandatory"],
    },
    {
        title: "a trust policy unknown during preview",
        resource: resource("aws:iam/role:Role", "pending", { assumeRolePolicy: UNKNOWN_STRING }),
        // The server downgrades "can't run during preview" to advisory for every policy that read it.
        expected: [
            "federated-trust-conditions:advisory",
            "known-iam-actions:advisory",
            "no-wildcard-principals:advisory",
            "trusted-users-require-mfa:advisory",
        ],
    },
];

describe("policy pack served by run-policy-pack (end to end)", function () {
    // Starting run-policy-pack (ts-node type-checks the pack) and planning take seconds; set here so
    // the suite does not depend on .mocharc (e.g. `mocha --no-config`).
    this.timeout(120_000);
    let pack: ServedPolicyPack | undefined;
    const served = (): ServedPolicyPack => {
        if (pack === undefined) {
            throw new Error("policy pack is not running");
        }
        return pack;
    };

    before(async () => {
        pack = await ServedPolicyPack.start(PACK_DIR);
        await pack.configure(PACK_CONFIG);
    });

    after(async () => {
        await pack?.stop();
    });

    it("describes the pack, its policies, levels and config schemas", async () => {
        const info = await served().getInfo();
        expect(info.name).to.equal("org-access-guardrails");
        const levels: Record<string, [EnforcementLevel, string]> = {};
        for (const policy of info.policies) {
            levels[policy.name] = [policy.enforcementLevel, policy.type];
        }
        expect(levels).to.deep.equal({
            "no-wildcard-principals": ["mandatory", "resource"],
            "no-compute-in-management-account": ["mandatory", "resource"],
            "management-account-not-access-account": ["mandatory", "resource"],
            "access-account-holds-access-only": ["mandatory", "resource"],
            "federated-trust-conditions": ["mandatory", "resource"],
            "trusted-users-require-mfa": ["mandatory", "resource"],
            "policy-size-quotas": ["mandatory", "stack"],
            "known-iam-actions": ["advisory", "resource"],
            "providers-pin-account": ["advisory", "resource"],
            "template-principals-resolved": ["mandatory", "resource"],
            "template-principals-resolved-elsewhere": ["advisory", "resource"],
            "organization-policies-keep-deployers": ["mandatory", "resource"],
        });
        const compute = info.policies.find((p) => p.name === "no-compute-in-management-account");
        expect(compute?.configSchema?.required).to.deep.equal(["managementAccountIds"]);
        expect(compute?.configSchema?.properties.allowedTypes).to.include({ type: "array", uniqueItems: true });
        const access = info.policies.find((p) => p.name === "access-account-holds-access-only");
        expect(access?.configSchema?.required).to.deep.equal(["accessAccountIds"]);
        expect(access?.configSchema?.properties.allowedTypes).to.include({ type: "array", uniqueItems: true });
        const sizes = info.policies.find((p) => p.name === "policy-size-quotas");
        expect(sizes?.configSchema?.properties.maxTrustPolicyCharacters).to.include({ default: 2048, maximum: 4096 });
    });

    for (const { title, resource: subject, expected } of CASES) {
        it(`Analyze: ${title}`, async () => {
            const diagnostics = await served().analyze(subject);
            expect(summary(diagnostics), diagnostics.map((d) => d.message).join("\n")).to.deep.equal(expected);
        });
    }

    const instanceInManagement = CASES.find((c) => c.title === "an instance in management")!.resource;

    it("Analyze reports the precise message for a wildcard trust", async () => {
        const diagnostics = await served().analyze(CASES[0].resource);
        const diagnostic = diagnostics.find((d) => d.policyName === "no-wildcard-principals");
        expect(diagnostic?.message).to.contain(
            'Allow statement \'Open\' in assumeRolePolicy admits any principal (Principal {"AWS":"*"}) without an organization-scoping condition',
        );
    });

    it("AnalyzeStack flags an oversized managed policy on its URN", async () => {
        const big = resource("aws:iam/policy:Policy", "big", {
            policy: doc({ Sid: "A".repeat(6200), Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
        });
        const small = resource("aws:iam/policy:Policy", "small", {
            policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
        });
        const diagnostics = await served().analyzeStack([inAccess, big, small]);
        expect(diagnostics.map((d) => [d.policyName, d.enforcementLevel, d.urn])).to.deep.equal([
            ["policy-size-quotas", "mandatory", big.urn],
        ]);
    });

    it("AnalyzeStack flags a user's inline policies over 2,048 characters together", async () => {
        const policy = (sid: string) => doc({ Sid: sid, Effect: "Allow", Action: "s3:GetObject", Resource: "*" });
        const alice = resource("aws:iam/user:User", "alice", { name: "alice" });
        const first = resource("aws:iam/userPolicy:UserPolicy", "a", { user: "alice", policy: policy("A".repeat(1000)) });
        const second = resource("aws:iam/userPolicy:UserPolicy", "b", { user: "alice", policy: policy("B".repeat(1000)) });
        const diagnostics = await served().analyzeStack([inAccess, alice, first, second]);
        expect(diagnostics.map((d) => [d.policyName, d.urn])).to.deep.equal([["policy-size-quotas", alice.urn]]);
        expect(diagnostics[0].message).to.contain("user 'alice'").and.contain("2,048");
    });

    it("honours an enforcement level set in config", async () => {
        await served().configure({
            ...PACK_CONFIG,
            "no-compute-in-management-account": { ...ORG_PROPERTIES, enforcementLevel: "advisory" },
        });
        try {
            const diagnostics = await served().analyze(instanceInManagement);
            expect(summary(diagnostics)).to.deep.equal(["no-compute-in-management-account:advisory"]);
        } finally {
            await served().configure(PACK_CONFIG);
        }
    });

    it("accepts policy-pack/config.example.json and enforces it", async () => {
        const example: unknown = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config.example.json"), "utf8"));
        if (typeof example !== "object" || example === null || Array.isArray(example)) {
            throw new Error("config.example.json is not an object");
        }
        const info = await served().getInfo();
        expect(
            Object.keys(example).filter((name) => !info.policies.some((p) => p.name === name)),
            "unknown policy names",
        ).to.deep.equal([]);
        await served().configure(Object.fromEntries(Object.entries(example)));
        try {
            const diagnostics = await served().analyze(
                resource("aws:ec2/instance:Instance", "box", {}, provider("management", "111111111111")),
            );
            expect(summary(diagnostics)).to.deep.equal(["no-compute-in-management-account:mandatory"]);
        } finally {
            await served().configure(PACK_CONFIG);
        }
    });

    it("fails the analysis, rather than passing, when allowedTypes re-admits a data store", async () => {
        await served().configure({
            ...PACK_CONFIG,
            "access-account-holds-access-only": { accessAccountIds: [ACCESS], allowedTypes: ["aws:s3/bucket:Bucket"] },
        });
        try {
            let error: unknown;
            await served()
                .analyze(resource("aws:s3/bucket:Bucket", "exports", {}))
                .catch((e: unknown) => {
                    error = e;
                });
            expect(String(error)).to.contain("cannot admit aws:s3/bucket:Bucket (data store)");
        } finally {
            await served().configure(PACK_CONFIG);
        }
    });

    it("fails the analysis, rather than passing, on contradictory config", async () => {
        await served().configure({
            ...PACK_CONFIG,
            "no-compute-in-management-account": { managementAccountIds: [MANAGEMENT], accessAccountIds: [MANAGEMENT] },
        });
        try {
            let error: unknown;
            await served()
                .analyze(instanceInManagement)
                .catch((e: unknown) => {
                    error = e;
                });
            expect(String(error)).to.contain("both a management and an access account");
        } finally {
            await served().configure(PACK_CONFIG);
        }
    });
});
