import { expect } from "chai";
import { stackSetStackTemplate } from "../model/stack-set-template";
import * as path from "path";
import { deployDependencies, deployOrder } from "../offline/deploy-dependencies";
import { doubleOwnership, exclusiveConflicts, quotaProblems } from "../offline/organization-checks";
import { StackResources } from "../offline/planned-entities";
import { OrganizationPlan, planOrganization, toOrganizationPlanJson, unusableTrustPrincipals } from "../offline/organization-plan";
import { checkPlan, PACK_DIR } from "../offline/pack-check";
import { PlannedResource } from "../offline/plan";
import { iamView } from "../offline/report";
import { IamRole, IamUser } from "../iam/entities";
import { ServedPolicyPack } from "../offline/served-pack";
import { decide } from "./helpers/simulate";
import { plannedResource as resource } from "./helpers/plan";
import { ACCESS, MANAGEMENT, PROD } from "./helpers/config";

const EXAMPLE = path.resolve(__dirname, "..", "examples", "organization");

const role = (name: string, accountId: string, trust: object, resourceName = `access-role-${name}-${accountId}`) =>
    resource("aws:iam/role:Role", resourceName, accountId, { name, assumeRolePolicy: JSON.stringify(trust) });
const trustNaming = (principal: string) => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }],
});
const trustByCondition = (arn: string) => ({
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCESS}:root` },
            Action: "sts:AssumeRole",
            Condition: { ArnEquals: { "aws:PrincipalArn": arn } },
        },
    ],
});
const stack = (name: string, resources: PlannedResource[], externalPrincipals: string[] = []): StackResources => ({
    stack: name,
    resources,
    externalPrincipals,
});

describe("organization plan: checks across stacks", () => {
    const teamArn = `arn:aws:iam::${ACCESS}:role/platform`;

    describe("principals named by ARN", () => {
        it("a trust naming a principal no stack creates is a problem, naming stack, key and ARN", () => {
            const { problems } = deployDependencies([stack("roles", [role("Admin", PROD, trustByCondition(teamArn))])]);
            expect(problems).to.have.length(1);
            expect(problems[0]).to.include({ stack: "roles", key: "org-access:roles" });
            expect(problems[0].message).to.include(teamArn);
        });

        it("is fine when some stack creates it, or when externalPrincipals declares it", () => {
            const access = stack("access", [role("platform", ACCESS, trustNaming(`arn:aws:iam::${ACCESS}:root`), "access-team-platform")]);
            expect(deployDependencies([access, stack("roles", [role("Admin", PROD, trustByCondition(teamArn))])]).problems).to.deep.equal(
                [],
            );
            expect(
                deployDependencies([stack("roles", [role("Admin", PROD, trustByCondition(teamArn))], [teamArn])]).problems,
            ).to.deep.equal([]);
        });

        it("a Principal ARN orders its creator first; an aws:PrincipalArn condition imposes no order", () => {
            const access = stack("zz-access", [
                role("platform", ACCESS, trustNaming(`arn:aws:iam::${ACCESS}:root`), "access-team-platform"),
            ]);
            const byName = deployDependencies([access, stack("aa-roles", [role("Admin", PROD, trustNaming(teamArn))])]);
            expect(byName.dependencies.map((d) => [d.stack, d.after])).to.deep.equal([["aa-roles", "zz-access"]]);
            expect(deployOrder(["aa-roles", "zz-access"], byName.dependencies).order).to.deep.equal(["zz-access", "aa-roles"]);
            const byCondition = deployDependencies([access, stack("aa-roles", [role("Admin", PROD, trustByCondition(teamArn))])]);
            expect(byCondition.dependencies).to.deep.equal([]);
        });

        it("a group policy on a group no stack creates is a problem", () => {
            const policy = resource("aws:iam/groupPolicy:GroupPolicy", "customer-access-prod-ops", PROD, {
                group: "ops",
                name: "assume",
                policy: "{}",
            });
            const { problems } = deployDependencies([stack("mgmt", [policy])]);
            expect(problems.map((p) => [p.stack, p.key])).to.deep.equal([["mgmt", "org-access:customerAccess"]]);
            expect(problems[0].message).to.include(`arn:aws:iam::${PROD}:group/ops`);
        });
    });

    it("a cycle of stacks is a problem for each stack in it", () => {
        const { order, problems } = deployOrder(
            ["a", "b", "c"],
            [
                { stack: "a", after: "b", why: "x" },
                { stack: "b", after: "a", why: "y" },
            ],
        );
        expect(order).to.have.members(["a", "b", "c"]);
        expect(problems.map((p) => p.stack)).to.deep.equal(["a", "b"]);
        expect(problems[0].message).to.include("cycle");
        expect(deployOrder(["a", "b"], [{ stack: "a", after: "b", why: "x" }]).problems).to.deep.equal([]);
    });

    it("two stacks creating one IAM entity is a problem; names differing only in case are the same entity", () => {
        const trust = trustNaming(`arn:aws:iam::${ACCESS}:root`);
        const problems = doubleOwnership([stack("a", [role("Admin", PROD, trust)]), stack("b", [role("admin", PROD, trust)])]);
        expect(problems.map((p) => p.stack)).to.deep.equal(["b"]);
        expect(doubleOwnership([stack("a", [role("Admin", PROD, trust)]), stack("b", [role("Admin", ACCESS, trust)])])).to.deep.equal([]);
    });

    it("an *Exclusive resource that would remove another stack's policy is a problem; a listed policy is not", () => {
        const exclusive = resource(
            "aws:iam/groupPoliciesExclusive:GroupPoliciesExclusive",
            "access-identity-group-admins-inline-only",
            ACCESS,
            {
                groupName: "admins",
                policyNames: ["require-mfa"],
            },
        );
        const foreign = resource("aws:iam/groupPolicy:GroupPolicy", "customer-access-access-admins", ACCESS, {
            group: "admins",
            name: "assume-PumpCustomerAccess",
            policy: "{}",
        });
        const own = resource("aws:iam/groupPolicy:GroupPolicy", "access-identity-group-admins-require-mfa", ACCESS, {
            group: "admins",
            name: "require-mfa",
            policy: "{}",
        });
        const problems = exclusiveConflicts([stack("access", [exclusive, own]), stack("mgmt", [foreign])]);
        expect(problems.map((p) => [p.stack, p.key])).to.deep.equal([["mgmt", "org-access:customerAccess"]]);
        expect(problems[0].message).to.include("assume-PumpCustomerAccess");
    });

    describe("quotas", () => {
        const big = (characters: number) => ({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${"b".repeat(characters)}` }],
        });
        const padding = JSON.stringify(big(0)).length;
        const cases: [string, string, Record<string, unknown>, number][] = [
            ["role inline", "aws:iam/rolePolicy:RolePolicy", { role: "r", name: "p" }, 10240],
            ["group inline", "aws:iam/groupPolicy:GroupPolicy", { group: "g", name: "p" }, 5120],
            ["user inline", "aws:iam/userPolicy:UserPolicy", { user: "u", name: "p" }, 2048],
            ["managed policy", "aws:iam/policy:Policy", { name: "m" }, 6144],
        ];
        for (const [what, type, inputs, limit] of cases) {
            it(`${what}: ${limit} characters pass, one more does not`, () => {
                const at = (n: number) => [
                    stack("s", [resource(type, "access-x", ACCESS, { ...inputs, policy: JSON.stringify(big(n - padding)) })]),
                ];
                expect(quotaProblems(at(limit))).to.deep.equal([]);
                expect(quotaProblems(at(limit + 1))).to.have.length(1);
            });
        }
        it("role trust: 2,048 by default, or the configured quota", () => {
            const trust = (n: number) => ({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCESS}:root` }, Action: "sts:AssumeRole", Sid: "x".repeat(n) },
                ],
            });
            const base = JSON.stringify(trust(0)).length;
            expect(quotaProblems([stack("s", [role("r", PROD, trust(2048 - base))])])).to.deep.equal([]);
            expect(quotaProblems([stack("s", [role("r", PROD, trust(2049 - base))])])).to.have.length(1);
        });
        it("inline policies of one role add up across stacks, and managed attachments count to 10", () => {
            const half = resource("aws:iam/rolePolicy:RolePolicy", "access-a", PROD, {
                role: "r",
                name: "a",
                policy: JSON.stringify(big(6000)),
            });
            const other = resource("aws:iam/rolePolicy:RolePolicy", "access-b", PROD, {
                role: "r",
                name: "b",
                policy: JSON.stringify(big(6000)),
            });
            expect(quotaProblems([stack("a", [half]), stack("b", [other])])).to.have.length(1);
            const attach = (i: number) =>
                resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `access-r-${i}`, PROD, {
                    role: "r",
                    policyArn: `arn:aws:iam::aws:policy/P${i}`,
                });
            expect(
                quotaProblems([
                    stack(
                        "s",
                        Array.from({ length: 10 }, (_, i) => attach(i)),
                    ),
                ]),
            ).to.deep.equal([]);
            expect(
                quotaProblems([
                    stack(
                        "s",
                        Array.from({ length: 11 }, (_, i) => attach(i)),
                    ),
                ]),
            ).to.have.length(1);
        });
        it("stack sets: 100 per administrator account across stacks, 200 stacks an account, and template bodies within 51,200 bytes", () => {
            // Each stack set is declared in a management-account stack's template (model/stack-set-template.ts).
            const stackOf = (name: string, templateBody: string) => ({
                ...resource("aws:cloudformation/stack:Stack", `access-stack-sets-${name}`, MANAGEMENT, { name, templateBody }),
                region: "us-east-1",
            });
            const holding = (i: number, inner = "{}") =>
                stackOf(
                    `s${i}`,
                    stackSetStackTemplate({
                        name: `s${i}`,
                        description: "test",
                        template: inner,
                        organizationalUnitIds: ["ou-ab12-prod0001"],
                        excludedAccounts: [],
                        region: "us-east-1",
                    }),
                );
            const sets = (n: number, from = 0) => Array.from({ length: n }, (_, i) => holding(from + i));
            expect(quotaProblems([stack("a", sets(60)), stack("b", sets(40, 60))])).to.deep.equal([]);
            const over = quotaProblems([stack("a", sets(60)), stack("b", sets(41, 60))]);
            expect(over.map((p) => p.message)).to.deep.equal([
                `stack sets of administrator account ${MANAGEMENT}: 101, over AWS's quota of 100`,
            ]);
            // Stacks that hold no stack set count against the stacks of their account only.
            const plain = (n: number) => Array.from({ length: n }, (_, i) => stackOf(`p${i}`, "{}"));
            expect(quotaProblems([stack("a", plain(200))])).to.deep.equal([]);
            expect(quotaProblems([stack("a", plain(201))]).map((p) => p.message)).to.deep.equal([
                `stacks of account ${MANAGEMENT} in us-east-1: 201, over AWS's quota of 200`,
            ]);
            // The stack's own template body, then the stack set's inside it (escaped, so the stack's is the larger).
            expect(quotaProblems([stack("a", [stackOf("s0", "x".repeat(51200))])])).to.deep.equal([]);
            expect(quotaProblems([stack("a", [stackOf("s0", "x".repeat(51201))])]).map((p) => p.message)).to.deep.equal([
                "template body bytes of stack s0: 51201, over AWS's quota of 51200",
            ]);
            const inner = JSON.stringify({ Description: "x".repeat(51201 - 18) });
            expect(Buffer.byteLength(inner)).to.equal(51201);
            const messages = quotaProblems([stack("a", [holding(0, inner)])]).map((p) => p.message);
            expect(messages).to.include("template body bytes of stack set s0: 51201, over AWS's quota of 51200");
            expect(messages.some((m) => m.startsWith("template body bytes of stack s0:"))).to.equal(true);
            expect(quotaProblems([stack("a", [holding(0, JSON.stringify({ Description: "x".repeat(20000) }))])])).to.deep.equal([]);
        });
        it("Identity Center: 250 permission sets provisioned to one account (each set once, whatever its groups), 2,000 in an instance", () => {
            const instanceArn = "arn:aws:sso:::instance/ssoins-72230000abcd1234";
            const permissionSet = (i: number) =>
                resource("aws:ssoadmin/permissionSet:PermissionSet", `access-identity-center-P${i}`, ACCESS, {
                    name: `P${i}`,
                    instanceArn,
                });
            const assignment = (i: number, group: string) =>
                resource("aws:ssoadmin/accountAssignment:AccountAssignment", `access-identity-center-P${i}-${group}-prod`, ACCESS, {
                    instanceArn,
                    targetId: PROD,
                    principalId: group,
                });
            const assigned = (n: number) => [
                ...Array.from({ length: n }, (_, i) => permissionSet(i)),
                ...Array.from({ length: n }, (_, i) => assignment(i, "g1")),
                ...Array.from({ length: n }, (_, i) => assignment(i, "g2")),
            ];
            expect(quotaProblems([stack("s", assigned(250))])).to.deep.equal([]);
            expect(quotaProblems([stack("s", assigned(251))]).map((p) => p.message)).to.deep.equal([
                `provisioned permission sets of account ${PROD} in Identity Center instance ${instanceArn}: 251, over AWS's quota of 250`,
            ]);
            const sets = (n: number) => Array.from({ length: n }, (_, i) => permissionSet(i));
            expect(quotaProblems([stack("s", sets(2000))])).to.deep.equal([]);
            expect(quotaProblems([stack("s", sets(2001))]).map((p) => p.message)).to.deep.equal([
                `permission sets of Identity Center instance ${instanceArn}: 2001, over AWS's quota of 2000`,
            ]);
        });
    });
});

describe("organization plan: the example projects", () => {
    it("plans the multi-stack example (shared project config, a member-role shard) with no problems, in a valid order", async () => {
        const plan = await planOrganization(EXAMPLE);
        expect(plan.problems).to.deep.equal([]);
        expect([...plan.plans.keys()].sort()).to.deep.equal(["access", "mgmt", "roles-prod"]);
        // mgmt registers the access account as Identity Center's delegated administrator, which the access stack's
        // permission sets need (offline/deploy-dependencies.ts); trusts name principals by aws:PrincipalArn, so nothing else waits.
        expect(plan.deployOrder).to.deep.equal(["mgmt", "access", "roles-prod"]);
        const json = toOrganizationPlanJson(plan);
        const mgmtTypes = json.stacks.mgmt.resources.map((r) => r.type);
        expect(mgmtTypes).to.not.include("aws:iam/user:User");
        // Identity Center through its delegated administrator: registered by mgmt, administered in the access account.
        const delegation = json.stacks.mgmt.resources.find(
            (r) => r.type === "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
        );
        expect(delegation?.inputs).to.deep.include({ accountId: ACCESS, servicePrincipal: "sso.amazonaws.com" });
        expect(delegation?.accountId).to.equal("111111111111");
        const ssoAdmin = Object.values(json.stacks).flatMap((s) => s.resources.filter((r) => r.type.startsWith("aws:ssoadmin/")));
        expect(ssoAdmin.length).to.be.greaterThan(0);
        expect([...new Set(ssoAdmin.map((r) => r.accountId))]).to.deep.equal([ACCESS]);
        expect(json.stacks.access.resources.filter((r) => r.accountId === "111111111111")).to.deep.equal([]);
        expect(json.stacks["roles-prod"].resources.every((r) => r.type.startsWith("pulumi:providers:") || r.accountId !== ACCESS)).to.equal(
            true,
        );
        // Each stack deploys only what its org-access:deploy names: one owner per IAM entity.
        const roleOwners = Object.entries(json.stacks).flatMap(([name, s]) => s.iam.roles.map((r) => `${r.arn} ${name}`));
        expect(new Set(roleOwners.map((o) => o.split(" ")[0])).size).to.equal(roleOwners.length);
    });

    it("plans the repository's own stacks as one organization with no problems", async () => {
        const plan = await planOrganization(path.resolve(__dirname, ".."));
        expect(plan.problems).to.deep.equal([]);
        expect(plan.deployOrder).to.deep.equal(["mgmt", "access"]);
    });

    it("finds what a single-stack plan cannot: the example with a principal nobody creates", async () => {
        const plan = await planOrganization(EXAMPLE);
        const mgmt = plan.plans.get("mgmt");
        expect(mgmt).to.not.equal(undefined);
        // The same check over the planned resources, with the member-role shard left out.
        const without = deployDependencies([{ stack: "mgmt", resources: mgmt?.resources ?? [], externalPrincipals: [] }]);
        expect(without.problems.map((p) => p.message).join("\n")).to.include("arn:aws:iam::444444444444:role/Administrator");
    });

    it("a trusted principal whose own policies do not allow the hop is a problem naming the config key; the simulator refuses it too", async () => {
        const plan = await planOrganization(EXAMPLE);
        const org = plan.reachOrganization;
        expect(org).to.not.equal(undefined);
        const customer = `arn:aws:iam::111111111111:role/PumpCustomerAccess`;
        const platform = "arn:aws:iam::222222222222:role/platform";
        // The team role trusted by arn: its policy lets it into its member roles only.
        const mgmt = plan.plans.get("mgmt");
        const model = mgmt?.model;
        expect(model?.customerAccess).to.not.equal(undefined);
        const settings = model!.customerAccess!.settings;
        const trusted = {
            ...mgmt!,
            model: {
                ...model!,
                customerAccess: {
                    ...model!.customerAccess!,
                    settings: { ...settings, trust: { ...settings.trust!, principals: [platform] } },
                },
            },
        };
        expect(unusableTrustPrincipals([trusted], org!)).to.deep.equal([
            {
                stack: "mgmt",
                key: "org-access:customerAccess.trust.principals[0]",
                message: `"${platform}" is trusted by ${customer}, but its own policies do not allow sts:AssumeRole on it, and across accounts IAM needs both: grant it in that principal's policies, or remove it from the trust`,
            },
        ]);
        // The example's own principal, prod-a's Administrator, is usable.
        expect(unusableTrustPrincipals([mgmt!], org!)).to.deep.equal([]);
        const json = toOrganizationPlanJson(plan);
        const teamRole = json.stacks.access.iam.roles.find((r) => r.arn === platform);
        expect(teamRole).to.not.equal(undefined);
        const decision = await decide({
            caller: {
                arn: "arn:aws:sts::222222222222:assumed-role/platform/s",
                orgId: "o-a1b2c3d4e5",
                identityPolicies: teamRole!.policies as object[],
                context: { "aws:PrincipalArn": platform },
            },
            action: "sts:AssumeRole",
            resourceArn: customer,
            resourceAccount: "111111111111",
            resourcePolicy: {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { AWS: "arn:aws:iam::222222222222:root" },
                        Action: "sts:AssumeRole",
                        Condition: { ArnEquals: { "aws:PrincipalArn": platform } },
                    },
                ],
            },
        });
        expect(decision).to.not.equal("Allowed");
    });
});

describe("organization plan: the multi-stack example, simulated and guarded", function () {
    this.timeout(180_000);
    let plan: OrganizationPlan;
    before(async () => {
        plan = await planOrganization(EXAMPLE);
    });

    /** IAM entities of one stack of the example, with their documents. */
    const iamOf = (stack: string) => {
        const stackPlan = plan.plans.get(stack);
        if (!stackPlan) throw new Error(`no plan for stack ${stack}`);
        return iamView(stackPlan.resources);
    };
    const MFA = { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "60" };
    const EXAMPLE_ORG = "o-a1b2c3d4e5";
    const PROD_A = "444444444444";

    it("across stacks: alice reaches Administrator in a shard's account through the access stack's team role; bob does not", async () => {
        const access = iamOf("access");
        const shard = iamOf("roles-prod");
        const user = (name: string) => access.users.find((u) => u.name === name) as IamUser;
        const groupPolicies = (u: IamUser) => access.groups.filter((g) => u.groups.includes(g.name)).flatMap((g) => g.policies);
        const teamRole = (name: string) => access.roles.find((r) => r.name === name) as IamRole;
        const administrator = shard.roles.find((r) => r.name === "Administrator" && r.accountId === PROD_A) as IamRole;
        expect(administrator, "the shard plans Administrator in prod-a").to.not.equal(undefined);

        const enter = (name: string, team: string) =>
            decide({
                caller: { arn: user(name).arn, orgId: EXAMPLE_ORG, identityPolicies: groupPolicies(user(name)), context: MFA },
                action: "sts:AssumeRole",
                resourceArn: teamRole(team).arn,
                resourceAccount: ACCESS,
                resourceOrgId: EXAMPLE_ORG,
                resourcePolicy: teamRole(team).trustPolicy,
            });
        const chain = (team: string) =>
            decide({
                caller: { arn: teamRole(team).arn, orgId: EXAMPLE_ORG, identityPolicies: teamRole(team).policies, context: MFA },
                action: "sts:AssumeRole",
                resourceArn: administrator.arn,
                resourceAccount: PROD_A,
                resourceOrgId: EXAMPLE_ORG,
                resourcePolicy: administrator.trustPolicy,
            });
        expect(await enter("alice", "platform")).to.equal("Allowed");
        expect(await chain("platform")).to.equal("Allowed");
        expect(await enter("bob", "auditors")).to.equal("Allowed");
        expect(await enter("bob", "platform")).to.not.equal("Allowed");
        expect(await chain("auditors")).to.not.equal("Allowed");
    });

    it("every stack of the example passes the policy pack, served as the engine serves it", async () => {
        const pack = await ServedPolicyPack.start(PACK_DIR);
        try {
            for (const [stack, stackPlan] of plan.plans) {
                const result = await checkPlan(pack, stackPlan);
                expect(result.resources.length, `${stack}: resources analyzed`).to.be.greaterThan(0);
                expect(
                    result.diagnostics
                        .filter((d) => d.enforcementLevel === "mandatory")
                        .map((d) => `${stack} ${d.policyName}: ${d.message}`),
                ).to.deep.equal([]);
            }
        } finally {
            await pack.stop();
        }
    });
});
