import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/errors";
import { parseStackConfig, StackConfig } from "../config/stack";
import { readStackConfig } from "../offline/stack-files";
import { buildOrganizationModel, OrganizationModel } from "../model/organization";
import { organizationPoliciesModel } from "../model/organization-policies";
import { policyDocument } from "../iam/documents";
import { buildOrganization, OrganizationPolicies, readOrganizationPolicies } from "../analysis/organization";
import { judgeHop, reachOf } from "../analysis/reach";
import { known, readStatements, RequestContext, guardrailsAllow, statementsAllow } from "../iam/evaluator";
import { planOrganization } from "../offline/organization-plan";
import { modelOf, Plan } from "../offline/plan";
import { iamView, toPlanJson } from "../offline/report";
import {
    closedByPerimeter,
    deniedDeployCalls,
    FULL_AWS_ACCESS,
    lostIntendedPaths,
    policyQuotaProblems,
    reachPolicies,
} from "../offline/organization-policies";
import { organizationPoliciesKeepDeployers, ORGANIZATION_POLICY_TYPE } from "../policy-pack/policies/organization-policies";
import { runResourcePolicy } from "./policy-pack/harness";
import { ACCESS, flatConfig, MANAGEMENT, ORG_ID, organization, OUTSIDER, OUTSIDER_ORG, PROD } from "./helpers/config";
import { decide, serviceAssumes } from "./helpers/simulate";
import { stackSetOfStack } from "./helpers/plan";

const ROOT = path.resolve(__dirname, "..");
const EXAMPLE = path.join(ROOT, "examples", "organization");
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const allowAll = doc({ Effect: "Allow", Action: "*", Resource: "*" });
const trusting = (principal: object) => doc({ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" });

function errorOf(values: Record<string, unknown>): string {
    try {
        parseStackConfig(flatConfig(values));
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as Error).message;
    }
    throw new Error("expected a ConfigError, but the config was accepted");
}

/** This repository's own config (root target, deploy identity, access account): the stack that deploys the policies. */
const config: StackConfig = parseStackConfig(readStackConfig("mgmt"));
const model: OrganizationModel = buildOrganizationModel(config);
const policies = model.organizationPolicies!;
const levels = reachPolicies(model)!;

describe("organization policies (#23): config", () => {
    const withOus = organization({
        rootId: "r-a1b2",
        organizationalUnits: [{ path: "workloads", id: "ou-a1b2-workload1" }],
        accounts: [
            { name: "access", id: ACCESS, ou: "workloads" },
            { name: "prod", id: PROD, ou: "workloads" },
        ],
    });
    const cases: [string, Record<string, unknown>, RegExp][] = [
        [
            "root without rootId",
            { organization: organization(), organizationPolicies: { identityPerimeter: true, targets: ["root"] } },
            /^org-access:organizationPolicies\.targets\[0\]: "root" needs org-access:organization\.rootId/,
        ],
        [
            "an OU path without an id",
            { organization: withOus, organizationPolicies: { identityPerimeter: true, targets: ["security"] } },
            /^org-access:organizationPolicies\.targets\[0\]: unknown organizational unit "security" \(not in org-access:organization\.organizationalUnits: workloads; or root\)/,
        ],
        [
            "a target twice",
            { organization: withOus, organizationPolicies: { identityPerimeter: true, targets: ["root", "root"] } },
            /^org-access:organizationPolicies\.targets\[1\]: duplicate target "root"/,
        ],
        [
            "no policy switched on",
            { organization: withOus, organizationPolicies: { targets: ["root"] } },
            /^org-access:organizationPolicies: switches on no policy/,
        ],
        [
            "a data perimeter without the identity perimeter",
            { organization: withOus, organizationPolicies: { dataPerimeter: true, targets: ["root"] } },
            /^org-access:organizationPolicies\.dataPerimeter: needs identityPerimeter: true/,
        ],
        [
            "the users rule without an access account",
            { organization: withOus, organizationPolicies: { iamUsersOnlyInAccessAccount: true, targets: ["root"] } },
            /^org-access:organizationPolicies\.iamUsersOnlyInAccessAccount: needs org-access:accessAccount/,
        ],
        [
            "a misspelt switch",
            { organization: withOus, organizationPolicies: { identityPerimiter: true, targets: ["root"] } },
            /^org-access:organizationPolicies\.identityPerimiter: unknown key/,
        ],
        [
            "a switch that is not a boolean",
            { organization: withOus, organizationPolicies: { identityPerimeter: "yes", targets: ["root"] } },
            /^org-access:organizationPolicies\.identityPerimeter: expected true or false, got "yes"/,
        ],
    ];
    for (const [what, values, message] of cases) {
        it(`rejects ${what} in one line naming the key`, () => {
            const error = errorOf(values);
            expect(error).to.match(message);
            expect(error).to.not.include("\n");
        });
    }

    it("accepts OU targets with ids, and the repository's own config targets the root", () => {
        const parsed = parseStackConfig(
            flatConfig({ organization: withOus, organizationPolicies: { identityPerimeter: true, targets: ["workloads"] } }),
        );
        expect(parsed.organizationPolicies?.targets).to.deep.equal([{ key: "workloads", id: "ou-a1b2-workload1" }]);
        expect(policies.targets).to.deep.equal([{ key: "root", id: config.organization.rootId }]);
    });
});

describe("organization policies (#23): documents", () => {
    it("do not grow with the number of accounts", () => {
        const many = {
            ...config.organization,
            members: Array.from({ length: 300 }, (_, i) => ({ name: `a${i}`, id: String(100000000000 + i) })).concat(
                config.organization.members,
            ),
        };
        const grown = organizationPoliciesModel(many, config.organizationPolicies!, config.access, config.deployIdentity);
        expect(JSON.stringify(grown.scp?.document)).to.equal(JSON.stringify(policies.scp?.document));
        expect(JSON.stringify(grown.rcp?.document)).to.equal(JSON.stringify(policies.rcp?.document));
    });

    it("stay under AWS's size quota, and a policy over it is a problem naming the key", () => {
        expect(policyQuotaProblems("mgmt", policies)).to.deep.equal([]);
        const statements = Array.from({ length: 60 }, () => policies.scp!.document.Statement[0]);
        const padded = { ...policies, scp: { ...policies.scp!, document: policyDocument(...statements) } };
        const [problem] = policyQuotaProblems("mgmt", padded);
        expect(problem.key).to.equal("org-access:organizationPolicies");
        expect(problem.message).to.match(/^SCP org-access-guardrails is \d+ characters, over AWS's quota of 5120/);
    });
});

/** The context of an IAM principal's request as the evaluator takes it. */
function context(caller: string, orgId: string | undefined, resourceAccount: string): RequestContext {
    return new RequestContext({
        "aws:PrincipalArn": known(caller),
        "aws:PrincipalAccount": known(caller.split(":")[4]),
        ...(orgId ? { "aws:PrincipalOrgID": known(orgId) } : {}),
        "aws:PrincipalIsAWSService": known("false"),
        "aws:ResourceAccount": known(resourceAccount),
    });
}

/** One non-STS request judged by the engine (identity policy, then the SCPs over the caller) and by iam-simulate. */
async function bothWays(caller: string, action: string, resource: string): Promise<{ engine: boolean; simulator: boolean }> {
    const account = caller.split(":")[4];
    const scp = levels.serviceControlPolicies![account];
    const read = readOrganizationPolicies({ serviceControlPolicies: { [account]: scp } }, []).scp.get(account);
    const ctx = context(caller, ORG_ID, account).forAction(action);
    const engine =
        statementsAllow(readStatements(allowAll), action, resource, ctx).allowed && guardrailsAllow({ scp: read }, action, resource, ctx);
    const decision = await decide({
        caller: { arn: caller, orgId: ORG_ID, identityPolicies: [allowAll] },
        action,
        resourceArn: resource,
        resourceAccount: account,
        resourceOrgId: ORG_ID,
        serviceControlPolicies: scp,
    });
    return { engine, simulator: decision === "Allowed" };
}

/** One assume hop judged by reach's judgeHop and by iam-simulate, with or without the organization policies. */
async function hopBothWays(
    caller: string,
    callerOrg: string | undefined,
    target: string,
    trust: object,
    given: OrganizationPolicies | undefined,
    identity: object[] = [allowAll],
): Promise<{ engine: boolean; simulator: boolean }> {
    const orgOf = (id: string) => (id === OUTSIDER || !/^\d{12}$/.test(id) || id === "777777777777" ? undefined : ORG_ID);
    const callerAccount = caller.split(":")[4];
    const targetAccount = target.split(":")[4];
    const engine = judgeHop(
        { arn: caller, organizationId: callerOrg },
        identity,
        undefined,
        target,
        trust,
        given && {
            managementAccountId: MANAGEMENT,
            policies: given,
            organizationIdOf: orgOf,
        },
    ).allowed;
    const decision = await decide({
        caller: { arn: caller, orgId: callerOrg, identityPolicies: identity },
        action: "sts:AssumeRole",
        resourceArn: target,
        resourceAccount: targetAccount,
        resourceOrgId: orgOf(targetAccount),
        resourcePolicy: trust,
        serviceControlPolicies: callerAccount === MANAGEMENT ? undefined : given?.serviceControlPolicies?.[callerAccount],
        resourceControlPolicies: targetAccount === MANAGEMENT ? undefined : given?.resourceControlPolicies?.[targetAccount],
    });
    return { engine, simulator: decision === "Allowed" };
}

describe("organization policies (#23): in simulation (the engine and iam-simulate)", () => {
    const handMade = role(PROD, "HandMade");
    const partner = role(OUTSIDER, "Partner");

    it("a principal of an account outside the organization is denied into a member role whose trust admits it", async () => {
        const trust = trusting({ AWS: partner });
        expect(await hopBothWays(partner, OUTSIDER_ORG, handMade, trust, undefined)).to.deep.equal({ engine: true, simulator: true });
        expect(await hopBothWays(partner, OUTSIDER_ORG, handMade, trust, levels)).to.deep.equal({ engine: false, simulator: false });
        expect(await hopBothWays(partner, undefined, handMade, trust, levels)).to.deep.equal({ engine: false, simulator: false });
    });

    it("the organization's own chain passes: team admins @ access -> Administrator @ prod", async () => {
        const admins = model.access!.teams.find((t) => t.team.name === "admins")!.role;
        const administrator = model
            .access!.memberRoles.find((m) => m.spec.name === "Administrator")!
            .copies.find((c) => c.account.id === PROD)!;
        const identity = Object.values(admins.inline);
        expect(await hopBothWays(admins.arn, ORG_ID, administrator.arn, administrator.trust, levels, identity)).to.deep.equal({
            engine: true,
            simulator: true,
        });
    });

    it("an AWS service passes into a member role that trusts it", async () => {
        const trust = trusting({ Service: "ec2.amazonaws.com" });
        expect(await serviceAssumes("ec2.amazonaws.com", handMade, PROD, trust, levels.resourceControlPolicies![PROD])).to.equal("Allowed");
    });

    it("a declared external account passes (organization.externalPrincipals); an undeclared one does not", async () => {
        const pump = "arn:aws:iam::777777777777:role/PumpSupport";
        const org = { ...config.organization, externalPrincipals: [...config.organization.externalPrincipals, pump] };
        const withPump = organizationPoliciesModel(org, config.organizationPolicies!, config.access, config.deployIdentity);
        expect(withPump.externalAccounts).to.deep.equal(["777777777777"]);
        const rcp = { [PROD]: [[withPump.rcp!.document]] };
        const given = { resourceControlPolicies: rcp };
        expect(await hopBothWays(pump, OUTSIDER_ORG, handMade, trusting({ AWS: pump }), given)).to.deep.equal({
            engine: true,
            simulator: true,
        });
        expect(await hopBothWays(partner, OUTSIDER_ORG, handMade, trusting({ AWS: partner }), given)).to.deep.equal({
            engine: false,
            simulator: false,
        });
    });

    it("iam:CreateUser is denied in a workload account and allowed in the access account", async () => {
        expect(await bothWays(role(PROD, "Administrator"), "iam:CreateUser", `arn:aws:iam::${PROD}:user/mallory`)).to.deep.equal({
            engine: false,
            simulator: false,
        });
        expect(await bothWays(role(ACCESS, "org-access-deploy"), "iam:CreateUser", `arn:aws:iam::${ACCESS}:user/alice`)).to.deep.equal({
            engine: true,
            simulator: true,
        });
    });

    it("only the deploy identity changes the program's roles: Administrator cannot rewrite its own trust, OrgAccessDeploy can", async () => {
        const administrator = role(PROD, "Administrator");
        expect(await bothWays(administrator, "iam:UpdateAssumeRolePolicy", administrator)).to.deep.equal({
            engine: false,
            simulator: false,
        });
        expect(await bothWays(role(PROD, "OrgAccessDeploy"), "iam:UpdateAssumeRolePolicy", administrator)).to.deep.equal({
            engine: true,
            simulator: true,
        });
        // A role the program does not make is the account's own business.
        expect(await bothWays(administrator, "iam:UpdateAssumeRolePolicy", role(PROD, "AppRole"))).to.deep.equal({
            engine: true,
            simulator: true,
        });
    });

    it("StackSets' execution role may change the program's roles (it creates stack-set-delivered ones); nobody else may make a role of its name", async () => {
        const administrator = role(PROD, "Administrator");
        expect(await bothWays(role(PROD, "stacksets-exec-0123abcd"), "iam:CreateRole", administrator)).to.deep.equal({
            engine: true,
            simulator: true,
        });
        // The look-alike: an account's own admin making a role that would pass for StackSets' own.
        expect(await bothWays(administrator, "iam:CreateRole", role(PROD, "stacksets-exec-mine"))).to.deep.equal({
            engine: false,
            simulator: false,
        });
    });

    it("the member OrgAccessDeploy, as the management account's stack delivers it: StackSets' execution role may make it; an account's admin may not", async () => {
        // The role as CloudFormation gets it: the stack's one AWS::CloudFormation::StackSet, and the role in that stack set's template.
        const { stackSet, roles } = stackSetOfStack(model.deployIdentity!.stackSet.stackTemplate);
        expect(stackSet.PermissionModel).to.equal("SERVICE_MANAGED");
        expect(roles.map((r) => r.RoleName)).to.deep.equal(["OrgAccessDeploy"]);
        const delivered = role(PROD, String(roles[0].RoleName));
        for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole"]) {
            expect(await bothWays(role(PROD, "stacksets-exec-0123abcd"), action, delivered), action).to.deep.equal({
                engine: true,
                simulator: true,
            });
            expect(await bothWays(role(PROD, "Administrator"), action, delivered), action).to.deep.equal({
                engine: false,
                simulator: false,
            });
        }
    });

    it("no account leaves the organization", async () => {
        expect(await bothWays(role(PROD, "Administrator"), "organizations:LeaveOrganization", "*")).to.deep.equal({
            engine: false,
            simulator: false,
        });
    });
});

describe("organization policies (#23): proven before deploy", () => {
    let plans: Plan[];
    let exampleModel: OrganizationModel;
    before(async function () {
        this.timeout(120000);
        const planned = await planOrganization(EXAMPLE);
        expect(planned.problems).to.deep.equal([]);
        plans = [...planned.plans.values()];
        exampleModel = modelOf(plans.find((p) => p.stack === "mgmt")!);
        expect(planned.policyReport.join("\n")).to.match(
            /closed: a principal of an account outside the organization -> any role .* in 3 of 3 member accounts/,
        );
        expect(planned.policyReport.join("\n")).to.match(/intended paths kept: (\d+) of \1 /);
        expect(planned.policyReport.join("\n")).to.match(/not covered: the management account 111111111111 .* service-linked roles/);
    });
    const organizationOf = (given?: OrganizationPolicies) =>
        buildOrganization(
            plans.map((p) => toPlanJson(p, iamView(p.resources))),
            (id) => exampleModel.accountName(id),
            MANAGEMENT,
            given,
        );
    /** An SCP at every member account's own level, beside FullAWSAccess. */
    const everyMember = (scp: object): OrganizationPolicies => ({
        serviceControlPolicies: Object.fromEntries(
            exampleModel.organization.members.map((a) => [a.id, [[FULL_AWS_ACCESS], [FULL_AWS_ACCESS, scp]]]),
        ),
    });

    it("the mgmt stack registers them with the management account's provider, protected, attached to each target; no other stack does", () => {
        const mgmt = plans.find((p) => p.stack === "mgmt")!;
        const of = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);
        const created = of(mgmt, "aws:organizations/policy:Policy");
        expect(created.map((r) => [r.inputs.type, r.accountId, r.protect])).to.deep.equal([
            ["SERVICE_CONTROL_POLICY", MANAGEMENT, true],
            ["RESOURCE_CONTROL_POLICY", MANAGEMENT, true],
        ]);
        expect(created.map((r) => JSON.parse(r.inputs.content as string))).to.deep.equal([
            exampleModel.organizationPolicies!.scp!.document,
            exampleModel.organizationPolicies!.rcp!.document,
        ]);
        const attached = of(mgmt, "aws:organizations/policyAttachment:PolicyAttachment");
        expect(attached.map((r) => [r.inputs.targetId, r.accountId, r.protect]).sort()).to.deep.equal(
            [
                ["ou-a1b2-security1", MANAGEMENT, true],
                ["ou-a1b2-security1", MANAGEMENT, true],
                ["ou-a1b2-workload1", MANAGEMENT, true],
                ["ou-a1b2-workload1", MANAGEMENT, true],
            ].sort(),
        );
        for (const other of plans.filter((p) => p.stack !== "mgmt")) {
            expect(of(other, "aws:organizations/policy:Policy"), other.stack).to.deep.equal([]);
        }
    });

    it("an intended path the policies would deny is a problem; the generated policies deny none", () => {
        const without = reachOf(organizationOf());
        expect(lostIntendedPaths("mgmt", without, reachOf(organizationOf(reachPolicies(exampleModel))), (a) => a)).to.deep.equal([]);
        const noChaining = everyMember(doc({ Effect: "Deny", Action: "sts:AssumeRole", Resource: "*" }));
        const lost = lostIntendedPaths("mgmt", without, reachOf(organizationOf(noChaining)), (a) => a);
        expect(lost.length).to.be.greaterThan(0);
        expect(lost[0].key).to.equal("org-access:organizationPolicies");
        expect(lost.map((p) => p.message).join("\n")).to.match(
            /user:alice -> arn:aws:iam::444444444444:role\/Administrator is granted by config/,
        );
    });

    it("a deploy-identity call the policies would deny is a problem; its look-alike that exempts the deploy role is not", () => {
        const read = (given: OrganizationPolicies) => readOrganizationPolicies(given, []);
        const lockout = doc({
            Effect: "Deny",
            Action: "iam:*",
            Resource: "*",
            Condition: { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/Administrator" } },
        });
        const exempt = doc({
            Effect: "Deny",
            Action: "iam:*",
            Resource: "*",
            Condition: {
                ArnNotLike: {
                    "aws:PrincipalArn": ["arn:aws:iam::*:role/Administrator", ...exampleModel.organizationPolicies!.deployPrincipals],
                },
            },
        });
        expect(deniedDeployCalls("mgmt", exampleModel, plans, read(reachPolicies(exampleModel)!))).to.deep.equal([]);
        const denied = deniedDeployCalls("mgmt", exampleModel, plans, read(everyMember(lockout)));
        expect(denied.map((p) => p.message)).to.have.length(3);
        expect(denied[0].message).to.match(
            /^the deploy identity arn:aws:iam::222222222222:role\/OrganizationAccountAccessRole is denied iam:/,
        );
        expect(deniedDeployCalls("mgmt", exampleModel, plans, read(everyMember(exempt)))).to.deep.equal([]);
    });

    it("roles a stack set delivers are created by StackSets' execution role: a guard that forgets it locks them out", () => {
        const read = (given: OrganizationPolicies) => readOrganizationPolicies(given, []);
        // The shard's member roles as memberRoleDelivery: stacksets delivers them: in the plan's delivered resources.
        const delivered = plans.map((p) =>
            p.stack === "roles-prod"
                ? { ...p, resources: p.resources.filter((r) => !r.type.startsWith("aws:iam/")), delivered: p.resources }
                : p,
        );
        const guard = (exempt: readonly string[]) =>
            everyMember(
                doc({ Effect: "Deny", Action: "iam:*", Resource: "*", Condition: { ArnNotLike: { "aws:PrincipalArn": [...exempt] } } }),
            );
        const principals = exampleModel.organizationPolicies!.deployPrincipals;
        expect(deniedDeployCalls("mgmt", exampleModel, delivered, read(reachPolicies(exampleModel)!))).to.deep.equal([]);
        expect(deniedDeployCalls("mgmt", exampleModel, delivered, read(guard(principals)))).to.deep.equal([]);
        const forgot = deniedDeployCalls(
            "mgmt",
            exampleModel,
            delivered,
            read(guard(principals.filter((p) => !p.includes("stacksets-exec")))),
        );
        expect(forgot.map((p) => p.message).join("\n")).to.match(
            /iam:\w+ on arn:aws:iam::\d{12}:role\/\w+ by arn:aws:iam::\d{12}:role\/stacksets-exec-/,
        );
    });

    it("shows what the perimeter closes, and closes nothing without an RCP", () => {
        const closed = closedByPerimeter(exampleModel, plans, reachPolicies(exampleModel)!);
        expect(closed.join("\n")).to.match(/closed: a principal of an account outside the organization/);
        // A planned role of prod-a whose trust admits a foreign account: named with the account it admits.
        const shard = plans.find((p) => p.stack === "roles-prod")!;
        const administrator = shard.resources.find((r) => r.type === "aws:iam/role:Role" && r.accountId === PROD)!;
        const vendorTrust = trusting({ AWS: `arn:aws:iam::${OUTSIDER}:root` });
        const vendor = {
            ...administrator,
            name: "vendor",
            inputs: { ...administrator.inputs, name: "Vendor", assumeRolePolicy: JSON.stringify(vendorTrust) },
        };
        const withVendor = { ...shard, resources: [...shard.resources, vendor] };
        expect(closedByPerimeter(exampleModel, [withVendor], reachPolicies(exampleModel)!)).to.include(
            `closed: arn:aws:iam::${OUTSIDER}:root -> ${role(PROD, "Vendor")} (its trust admits it; the perimeter denies it)`,
        );
        const scpOnly = { serviceControlPolicies: reachPolicies(exampleModel)!.serviceControlPolicies };
        expect(closedByPerimeter(exampleModel, plans, scpOnly)).to.deep.equal([]);
    });
});

describe("organization policies (#23): the pack (organization-policies-keep-deployers)", () => {
    const packConfig = JSON.parse(fs.readFileSync(path.join(ROOT, "policy-pack", "config.example.json"), "utf8"))[
        "organization-policies-keep-deployers"
    ] as Record<string, unknown>;
    const check = (type: string, document: object) =>
        runResourcePolicy(organizationPoliciesKeepDeployers, {
            type: ORGANIZATION_POLICY_TYPE,
            props: { type, name: "p", content: JSON.stringify(document) },
            provider: undefined,
            config: packConfig,
        }).then((o) => o.violations);
    const scp = (document: object) => check("SERVICE_CONTROL_POLICY", document);

    it("passes the program's own SCP and RCP", async () => {
        expect(await scp(policies.scp!.document)).to.deep.equal([]);
        expect(await check("RESOURCE_CONTROL_POLICY", policies.rcp!.document)).to.deep.equal([]);
    });

    it("flags a role guard that forgets to exempt the deploy identity; the one that exempts it passes", async () => {
        const guard = policies.scp!.document.Statement.find((s) => s.Sid === "OnlyDeployIdentityChangesAccessRoles")!;
        const forgetful = doc({ ...guard, Condition: { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/Administrator" } } });
        const violations = await scp(forgetful);
        expect(violations.join("\n")).to.match(
            /statement OnlyDeployIdentityChangesAccessRoles denies arn:aws:iam::\*:role\/OrgAccessDeploy iam:/,
        );
        expect(await scp(doc(guard))).to.deep.equal([]);
    });

    it("flags a users rule without the access account's exemption; the one with it passes", async () => {
        const bare = doc({ Sid: "NoUsers", Effect: "Deny", Action: "iam:CreateUser", Resource: "*" });
        expect((await scp(bare)).join("\n")).to.match(/NoUsers denies arn:aws:iam::222222222222:role\/org-access-deploy iam:CreateUser/);
        const exempt = doc({
            Sid: "NoUsers",
            Effect: "Deny",
            Action: "iam:CreateUser",
            Resource: "*",
            Condition: { StringNotEquals: { "aws:PrincipalAccount": ACCESS } },
        });
        expect(await scp(exempt)).to.deep.equal([]);
    });

    it("flags an RCP whose perimeter names another organization; the program's own passes", async () => {
        const rcp = policies.rcp!.document;
        const other = JSON.parse(JSON.stringify(rcp).replace(ORG_ID, "o-zzzzzzzzzz")) as object;
        expect((await check("RESOURCE_CONTROL_POLICY", other)).join("\n")).to.match(
            /IdentityPerimeterOnRoles denies arn:aws:iam::222222222222:role\/org-access-deploy sts:AssumeRole/,
        );
    });

    it("flags an allow-list SCP that drops what the customer role's jobs need; the allow-list that keeps them passes", async () => {
        const actions = packConfig.customerActions as string[];
        const services = [...new Set(actions.map((a) => a.split(":")[0]))];
        const narrow = doc({ Effect: "Allow", Action: ["s3:*", "ec2:*", "iam:*", "sts:*"], Resource: "*" });
        const [violation] = await scp(narrow);
        expect(violation).to.match(/is an allow-list that does not allow .*, which the customer role's jobs need in member accounts/);
        const wide = doc({ Effect: "Allow", Action: [...services.map((s) => `${s}:*`), "s3:*"], Resource: "*" });
        expect(await scp(wide)).to.deep.equal([]);
    });
});
