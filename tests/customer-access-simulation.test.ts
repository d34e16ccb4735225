import { expect } from "chai";
import { Plan } from "../offline/plan";
import { ACCESS, DEV, flatConfig, MANAGEMENT, ORG_ID, organization, OUTSIDER, OUTSIDER_ORG, PROD } from "./helpers/config";
import { doc, find, ofType, runPlan } from "./helpers/plan";
import { Caller, decide, Decision } from "./helpers/simulate";

/**
 * The customer role's meaning, proven with a real IAM evaluation engine over
 * the documents the program registers: who may assume it, and what it may do.
 */
const ROLE_ARN = `arn:aws:iam::${MANAGEMENT}:role/PumpCustomerAccess`;
/** A caller's own permission to call sts:AssumeRole, which cross-account access also needs. */
const MAY_ASSUME_ANY_ROLE = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] };

/**
 * Issue #13: every way the role could reach compute without a compute API (services that run
 * code, templates or documents under a role of their own), as the requests AWS would evaluate.
 */
const COMPUTE_BY_PROXY: [string, string, Record<string, string>?][] = [
    // Config remediation runs SSM Automation under a service role.
    ["config:PutRemediationConfigurations", `arn:aws:config:us-east-1:${MANAGEMENT}:remediation-configuration/rule/abc`],
    ["config:StartRemediationExecution", "*"],
    ["config:PutConformancePack", `arn:aws:config:us-east-1:${MANAGEMENT}:conformance-pack/pack/conformance-pack-abc`],
    // Firewall Manager policies push security groups and firewalls into every member account.
    ["fms:PutPolicy", `arn:aws:fms:us-east-1:${MANAGEMENT}:policy/p`],
    // StackSets deploy with service-linked roles; Service Catalog with launch roles.
    ["cloudformation:CreateStackSet", "*"],
    ["cloudformation:CreateStackInstances", `arn:aws:cloudformation:us-east-1:${MANAGEMENT}:stackset/s:*`],
    ["servicecatalog:ProvisionProduct", `arn:aws:catalog:us-east-1:${MANAGEMENT}:product/prod-abc`],
    // SSM Automation, Run Command, sessions, associations; CloudShell.
    ["ssm:StartAutomationExecution", `arn:aws:ssm:us-east-1:${MANAGEMENT}:automation-definition/AWS-RunShellScript:$DEFAULT`],
    ["ssm:SendCommand", `arn:aws:ec2:us-east-1:${MANAGEMENT}:instance/i-0123456789abcdef0`],
    ["ssm:StartSession", `arn:aws:ec2:us-east-1:${MANAGEMENT}:instance/i-0123456789abcdef0`],
    ["ssm:CreateAssociation", `arn:aws:ssm:us-east-1:${MANAGEMENT}:document/RunAnything`],
    ["cloudshell:CreateEnvironment", "*"],
    ["cloudshell:CreateSession", `arn:aws:cloudshell:us-east-1:${MANAGEMENT}:environment/e`],
    // iam:PassRole by any route, even dressed up with the one key DenyIam excepts.
    ["iam:PassRole", `arn:aws:iam::${MANAGEMENT}:role/remediation`, { "iam:PassedToService": "ssm.amazonaws.com" }],
    ["iam:PassRole", `arn:aws:iam::${MANAGEMENT}:role/remediation`, { "iam:AWSServiceName": "config.amazonaws.com" }],
];

function trustOf(plan: Plan): object {
    return doc(find(plan, "aws:iam/role:Role", "customer-access").inputs.assumeRolePolicy);
}

function assume(plan: Plan, caller: Caller): Promise<Decision> {
    return decide({ caller, action: "sts:AssumeRole", resourceArn: ROLE_ARN, resourceAccount: MANAGEMENT, resourcePolicy: trustOf(plan) });
}

const member = (account: string, name = "engineer", identityPolicies: object[] = [MAY_ASSUME_ANY_ROLE]): Caller => ({
    arn: `arn:aws:iam::${account}:role/${name}`,
    orgId: ORG_ID,
    identityPolicies,
});

describe("customer role, simulated", () => {
    describe("default trust: every member account", () => {
        let plan: Plan;
        before(async () => {
            plan = await runPlan({ stack: "mgmt", config: flatConfig({ organization: organization(), customerAccess: {} }) });
        });

        it("admits a member-account principal that holds sts:AssumeRole", async () => {
            expect(await assume(plan, member(PROD))).to.equal("Allowed");
            const mfa = { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "60" };
            expect(
                await assume(plan, {
                    arn: `arn:aws:iam::${DEV}:user/bob`,
                    orgId: ORG_ID,
                    identityPolicies: [MAY_ASSUME_ANY_ROLE],
                    context: mfa,
                }),
            ).to.equal("Allowed");
        });

        it("refuses an IAM user without MFA: long-term keys (no MFA key at all) or a session signed in without it", async () => {
            const bob = { arn: `arn:aws:iam::${DEV}:user/bob`, orgId: ORG_ID, identityPolicies: [MAY_ASSUME_ANY_ROLE] };
            expect(await assume(plan, bob)).to.equal("ExplicitlyDenied");
            expect(await assume(plan, { ...bob, context: { "aws:MultiFactorAuthPresent": "false" } })).to.equal("ExplicitlyDenied");
            // Roles are untouched by it.
            expect(await assume(plan, { ...member(PROD), context: { "aws:MultiFactorAuthPresent": "false" } })).to.equal("Allowed");
        });

        it("refuses a member-account principal without sts:AssumeRole of its own", async () => {
            expect(await assume(plan, member(PROD, "engineer", []))).to.equal("ImplicitlyDenied");
        });

        it("refuses an outsider, even one with the same account id shape and full permissions", async () => {
            expect(
                await assume(plan, {
                    arn: `arn:aws:iam::${OUTSIDER}:role/admin`,
                    orgId: OUTSIDER_ORG,
                    identityPolicies: [MAY_ASSUME_ANY_ROLE],
                }),
            ).to.equal("ImplicitlyDenied");
            expect(await assume(plan, { arn: `arn:aws:iam::${OUTSIDER}:role/admin`, identityPolicies: [MAY_ASSUME_ANY_ROLE] })).to.equal(
                "ImplicitlyDenied",
            );
        });

        it("refuses a principal in the management account", async () => {
            expect(await assume(plan, member(MANAGEMENT, "admin"))).to.equal("ImplicitlyDenied");
        });
    });

    describe("restricted trust narrows exactly, as a union", () => {
        const cases: { what: string; trust: object; allowed: Caller[]; refused: Caller[] }[] = [
            {
                what: "accounts",
                trust: { accounts: ["prod"] },
                allowed: [member(PROD), member(PROD, "other")],
                refused: [member(DEV), member(ACCESS), member(MANAGEMENT)],
            },
            {
                what: "principals",
                trust: { principals: [`arn:aws:iam::${ACCESS}:role/platform`] },
                allowed: [member(ACCESS, "platform")],
                refused: [member(ACCESS, "other"), member(PROD, "platform"), member(PROD)],
            },
            {
                what: "groups (their account's principals, with the group policy)",
                trust: { groups: [{ account: "access", name: "cloud-admins" }] },
                allowed: [member(ACCESS, "someone")],
                refused: [member(PROD), member(DEV)],
            },
            {
                what: "accounts ∪ principals ∪ groups",
                trust: {
                    accounts: ["prod"],
                    principals: [`arn:aws:iam::${DEV}:role/ci`],
                    groups: [{ account: "access", name: "cloud-admins" }],
                },
                allowed: [member(PROD), member(DEV, "ci"), member(ACCESS, "x")],
                refused: [
                    member(DEV, "other"),
                    member(MANAGEMENT),
                    { arn: `arn:aws:iam::${OUTSIDER}:role/ci`, orgId: OUTSIDER_ORG, identityPolicies: [MAY_ASSUME_ANY_ROLE] },
                ],
            },
        ];
        for (const c of cases) {
            it(c.what, async () => {
                const plan = await runPlan({
                    stack: "mgmt",
                    config: flatConfig({ organization: organization(), customerAccess: { trust: c.trust } }),
                });
                for (const caller of c.allowed) {
                    expect(await assume(plan, caller), `${caller.arn} may assume`).to.equal("Allowed");
                }
                for (const caller of c.refused) {
                    expect(await assume(plan, caller), `${caller.arn} may not assume`).to.not.equal("Allowed");
                }
            });
        }

        it("the group policy alone lets a group member in (no blanket sts:AssumeRole needed)", async () => {
            const plan = await runPlan({
                stack: "mgmt",
                config: flatConfig({
                    organization: organization(),
                    customerAccess: { trust: { groups: [{ account: "access", name: "cloud-admins" }] } },
                }),
            });
            const groupPolicy = doc(find(plan, "aws:iam/groupPolicy:GroupPolicy", "customer-access-access-cloud-admins").inputs.policy);
            const alice: Caller = {
                arn: `arn:aws:iam::${ACCESS}:user/alice`,
                orgId: ORG_ID,
                identityPolicies: [groupPolicy],
                context: { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "60" },
            };
            expect(await assume(plan, alice)).to.equal("Allowed");
            const elsewhere = await decide({
                caller: alice,
                action: "sts:AssumeRole",
                resourceArn: `arn:aws:iam::${PROD}:role/Anything`,
                resourceAccount: PROD,
                resourcePolicy: {
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCESS}:root` }, Action: "sts:AssumeRole" }],
                },
            });
            expect(elsewhere, "the group policy grants this role only").to.equal("ImplicitlyDenied");
        });
    });

    describe("permissions", () => {
        let plan: Plan;
        let role: Caller;
        before(async () => {
            plan = await runPlan({ stack: "mgmt" });
            role = {
                arn: ROLE_ARN,
                orgId: ORG_ID,
                identityPolicies: ofType(plan, "aws:iam/rolePolicy:RolePolicy")
                    .filter((p) => p.inputs.role === "PumpCustomerAccess")
                    .map((p) => doc(p.inputs.policy)),
            };
        });
        const can = (action: string, resourceArn: string, context: Record<string, string> = {}) =>
            decide({ caller: { ...role, context }, action, resourceArn, resourceAccount: MANAGEMENT });

        const allowed: [string, string, Record<string, string>?][] = [
            ["cloudtrail:CreateTrail", `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-trail`],
            ["config:PutConfigurationAggregator", `arn:aws:config:us-east-1:${MANAGEMENT}:config-aggregator/config-aggregator-1`],
            ["config:PutOrganizationConformancePack", `arn:aws:config:us-east-1:${MANAGEMENT}:organization-conformance-pack/pack`],
            ["inspector2:Enable", "*"],
            ["inspector2:UpdateOrganizationConfiguration", "*"],
            ["ce:UpdateCostAllocationTagsStatus", "*"],
            ["ce:ListCostAllocationTags", "*"],
            ["organizations:ListAccounts", "*"],
            ["organizations:DescribePolicy", `arn:aws:organizations::${MANAGEMENT}:policy/${ORG_ID}/service_control_policy/p-abcdefgh`],
            ["securityhub:EnableOrganizationAdminAccount", "*"],
            ["guardduty:EnableOrganizationAdminAccount", "*"],
            // Organization-wide Config stays read/write (it deploys into member accounts).
            ["config:PutConfigRule", `arn:aws:config:us-east-1:${MANAGEMENT}:config-rule/config-rule-abc123`],
            ["config:PutConfigurationRecorder", "*"],
            ["config:PutDeliveryChannel", "*"],
            ["config:PutOrganizationConfigRule", `arn:aws:config:us-east-1:${MANAGEMENT}:organization-config-rule/r`],
            ["cloudtrail:StartLogging", `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-trail`],
            ["inspector2:UpdateConfiguration", "*"],
            ["ce:UpdateCostAllocationTagsStatus", "*"],
            // Firewall Manager: the administrator association, not its policies.
            ["fms:AssociateAdminAccount", "*"],
            ["fms:GetAdminAccount", "*"],
            ["organizations:EnableAWSServiceAccess", "*", { "organizations:ServicePrincipal": "guardduty.amazonaws.com" }],
            [
                "iam:CreateServiceLinkedRole",
                `arn:aws:iam::${MANAGEMENT}:role/aws-service-role/cloudtrail.amazonaws.com/AWSServiceRoleForCloudTrail`,
                { "iam:AWSServiceName": "cloudtrail.amazonaws.com" },
            ],
        ];
        for (const [action, resource, context] of allowed) {
            it(`may ${action}`, async () => {
                expect(await can(action, resource, context)).to.equal("Allowed");
            });
        }

        const denied: [string, string, Record<string, string>?][] = [
            ["ec2:RunInstances", `arn:aws:ec2:us-east-1:${MANAGEMENT}:instance/*`],
            ["lambda:CreateFunction", `arn:aws:lambda:us-east-1:${MANAGEMENT}:function:f`],
            ["ecs:CreateCluster", "*"],
            ["iam:CreateUser", `arn:aws:iam::${MANAGEMENT}:user/mallory`],
            ["iam:PutRolePolicy", `arn:aws:iam::${MANAGEMENT}:role/PumpCustomerAccess`],
            ["iam:PassRole", `arn:aws:iam::${MANAGEMENT}:role/any`],
            [
                "iam:CreateServiceLinkedRole",
                `arn:aws:iam::${MANAGEMENT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
                { "iam:AWSServiceName": "ecs.amazonaws.com" },
            ],
            ["sso:CreatePermissionSet", "arn:aws:sso:::instance/ssoins-1234567890abcdef"],
            ["identitystore:CreateUser", "arn:aws:identitystore::" + MANAGEMENT + ":identitystore/d-1234567890"],
            ["sts:AssumeRole", `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`],
            ["organizations:DetachPolicy", `arn:aws:organizations::${MANAGEMENT}:policy/${ORG_ID}/service_control_policy/p-abcdefgh`],
            ["organizations:EnableAWSServiceAccess", "*", { "organizations:ServicePrincipal": "sso.amazonaws.com" }],
            ...COMPUTE_BY_PROXY,
        ];
        for (const [action, resource, context] of denied) {
            it(`may not ${action}${context ? ` (${Object.values(context).join()})` : ""}`, async () => {
                expect(await can(action, resource, context)).to.not.equal("Allowed");
            });
        }

        it("denies compute, compute by proxy, IAM and Identity Center explicitly, not just by omission", async () => {
            for (const [action, resource, context] of [
                ["ec2:RunInstances", `arn:aws:ec2:us-east-1:${MANAGEMENT}:instance/*`],
                ["lambda:CreateFunction", `arn:aws:lambda:us-east-1:${MANAGEMENT}:function:f`],
                ["iam:CreateUser", `arn:aws:iam::${MANAGEMENT}:user/mallory`],
                ["sso:CreatePermissionSet", "arn:aws:sso:::instance/ssoins-1234567890abcdef"],
                ["codebuild:CreateFleet", `arn:aws:codebuild:us-east-1:${MANAGEMENT}:fleet/f:1a2b3c4d`],
                ["kinesisanalytics:CreateApplication", "*"],
                ["imagebuilder:CreateImage", `arn:aws:imagebuilder:us-east-1:${MANAGEMENT}:image/i/1.0.0/1`],
                ["ecs:CreateTaskSet", `arn:aws:ecs:us-east-1:${MANAGEMENT}:task-set/c/s/ecs-svc-1234`],
                ...COMPUTE_BY_PROXY,
            ] as [string, string, Record<string, string>?][]) {
                // Even with AdministratorAccess attached beside them, the guardrails hold.
                const broad = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
                const decision = await decide({
                    caller: { ...role, identityPolicies: [...(role.identityPolicies ?? []), broad], context },
                    action,
                    resourceArn: resource,
                    resourceAccount: MANAGEMENT,
                }).catch((e: unknown) => {
                    throw new Error(`${action} on ${resource}: ${String(e)}`);
                });
                expect(decision, action).to.equal("ExplicitlyDenied");
            }
        });
    });

    it("the role's inline policies fit IAM's 10,240-character quota for a role's inline policies together", async () => {
        const plan = await runPlan({ stack: "mgmt" });
        const sizes = ofType(plan, "aws:iam/rolePolicy:RolePolicy")
            .filter((p) => p.inputs.role === "PumpCustomerAccess")
            .map((p) => JSON.stringify(doc(p.inputs.policy)).replace(/\s/g, "").length);
        expect(sizes.length).to.be.greaterThan(0);
        expect(sizes.reduce((a, b) => a + b, 0)).to.be.at.most(10240);
    });
});
