import { expect } from "chai";
import { STACK_SET_QUOTAS } from "../config/cloudformation-quotas";
import { roleStackSets } from "../config/member-role-delivery";
import { Account, Organization } from "../config/organization";
import { MemberRoleSpec } from "../config/access";
import { checkOrganization, configuredQuotas } from "../offline/organization-plan";
import { analyzed, checkPlan } from "../offline/pack-check";
import { deployedResources, Plan, PlannedResource } from "../offline/plan";
import { ServedPolicyPack } from "../offline/served-pack";
import { PACK_DIR } from "../offline/pack-check";
import { configFileFor, readStackConfigFile } from "../offline/stack-files";
import { declaredStackSets, T } from "../offline/planned-entities";
import { STACK_SET_LOGICAL_ID, stackSetStackTemplate } from "../model/stack-set-template";
import { plannedStackSets, stackInstanceProblems } from "../offline/stack-set-delivery";
import { operationBatches } from "../roles/member-role-stack-sets";
import { memberAccount, SYNTHETIC_MANAGEMENT, syntheticConfig } from "../bench/synthetic";
import { ACCESS, DEV, LOG_ARCHIVE, MANAGEMENT, ORG_ID, PROD } from "./helpers/config";
import { planError, plannedResource, runPlan } from "./helpers/plan";
import { decide } from "./helpers/simulate";
import { templateSpecProblems } from "./helpers/cloudformation-spec";

/**
 * Member roles through CloudFormation StackSets (`org-access:memberRoleDelivery: stacksets`, issue #20):
 * the pure split of roles into stack sets, the plan of the repository's example under stacksets
 * (registered StackSets, their templates' meaning simulated), the pack and the organization checks over
 * it, a 2,000-account organization, and each bad input's one-line error.
 */

const OUS = [
    { path: "security", id: "ou-ab12-security" },
    { path: "workloads/prod", id: "ou-ab12-prod0001" },
    { path: "workloads/dev", id: "ou-ab12-dev00001" },
];
const example = readStackConfigFile(configFileFor("access"));
const exampleOrg = JSON.parse(example["org-access:organization"]) as Record<string, unknown>;
/** The repository's access example with OU ids, under `delivery` (and any other keys replaced). */
const withDelivery = (delivery: string | undefined, extra: Record<string, unknown> = {}, org: Record<string, unknown> = {}) => {
    const config: Record<string, string> = {
        ...example,
        "org-access:organization": JSON.stringify({ ...exampleOrg, organizationalUnits: OUS, ...org }),
    };
    if (delivery !== undefined) config["org-access:memberRoleDelivery"] = delivery;
    for (const [key, value] of Object.entries(extra)) config[`org-access:${key}`] = JSON.stringify(value);
    return config;
};

const ofType = (resources: readonly PlannedResource[], type: string) => resources.filter((r) => r.custom && r.type === type);
type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
/** The member roles' stacks: one `aws.cloudformation.Stack` per stack set, registered by roles/member-role-stack-sets.ts. */
const memberRoleStacks = (resources: readonly PlannedResource[]) =>
    ofType(resources, T.stack).filter((r) => r.name.startsWith("access-stack-sets"));
/** The stack set a stack holds, as its template declares it. */
const stackSetOf = (stack: PlannedResource) =>
    (JSON.parse(stack.inputs.templateBody as string) as Template).Resources[STACK_SET_LOGICAL_ID];
/** The template the stack set deploys into each account. */
const templateOf = (stack: PlannedResource) => JSON.parse(stackSetOf(stack).Properties.TemplateBody as string) as Template;
/** The stack with its stack set deploying `inner` instead. */
const withInner = (stack: PlannedResource, inner: object): PlannedResource => {
    const outer = JSON.parse(stack.inputs.templateBody as string) as Template;
    const set = outer.Resources[STACK_SET_LOGICAL_ID];
    const body = {
        ...outer,
        Resources: { [STACK_SET_LOGICAL_ID]: { ...set, Properties: { ...set.Properties, TemplateBody: JSON.stringify(inner) } } },
    };
    return { ...stack, inputs: { ...stack.inputs, templateBody: JSON.stringify(body) } };
};

describe("member roles through StackSets: the split (pure)", () => {
    const account = (i: number, ou?: string): Account => ({ name: `a${i}`, id: String(300000000000 + i), ...(ou ? { ou } : {}) });
    const org = (members: Account[], units: { path: string; id: string }[]): Organization => ({
        id: ORG_ID,
        organizationalUnits: units,
        management: { name: "management", id: MANAGEMENT },
        members,
        deployRoleName: "OrganizationAccountAccessRole",
        externalPrincipals: [],
        partition: "aws",
    });
    const role = (grants: { teams: string[]; accounts: Account[]; key?: string }[]): MemberRoleSpec => ({
        name: "Reader",
        grants: grants.map((g, i) => ({ ...g, key: g.key ?? `org-access:roles[0].grants[${i}].accounts` })),
        teams: [...new Set(grants.flatMap((g) => g.teams))],
        accounts: [...new Map(grants.flatMap((g) => g.accounts).map((a) => [a.id, a])).values()],
        requireSourceIdentity: false,
        managedPolicyArns: [],
        maxSessionDuration: 3600,
    });
    const access = account(0, "security");

    it("one stack set per distinct trust, targeting the topmost OUs, leaving the access account out", () => {
        const members = [access, account(1, "security"), account(2, "w/prod"), account(3, "w/prod/eu"), account(4, "w/dev")];
        const units = ["security", "w/prod", "w/prod/eu", "w/dev"].map((path, i) => ({ path, id: `ou-ab12-0000000${i}` }));
        const sets = roleStackSets(
            org(members, units),
            access,
            role([
                { teams: ["admins"], accounts: members.slice(1, 4) },
                { teams: ["devs"], accounts: [members[4]] },
            ]),
        );
        expect(
            sets.map((s) => [s.teams, s.organizationalUnits.map((u) => u.path), s.accounts.map((a) => a.name), s.excludedAccounts]),
        ).to.deep.equal([
            [["admins"], ["security", "w/prod"], ["a1", "a2", "a3"], [access.id]],
            [["devs"], ["w/dev"], ["a4"], []],
        ]);
        expect(sets[0].name).to.equal("org-access-Reader-ou-ab12-00000000");
    });

    it("splits at the stack instances per stack set and OUs per operation, in whole OUs", () => {
        const perOu = 40;
        const ouCount = 60;
        const members = Array.from({ length: perOu * ouCount }, (_, i) =>
            account(i + 1, `w/u${String(Math.floor(i / perOu)).padStart(2, "0")}`),
        );
        const units = Array.from({ length: ouCount }, (_, i) => ({
            path: `w/u${String(i).padStart(2, "0")}`,
            id: `ou-ab12-unit00${String(i).padStart(2, "0")}`,
        }));
        const sets = roleStackSets(org([access, ...members], units), access, role([{ teams: ["admins"], accounts: members }]));
        expect(sets.map((s) => [s.organizationalUnits.length, s.accounts.length])).to.deep.equal([
            [STACK_SET_QUOTAS.instancesPerStackSet.value / perOu, STACK_SET_QUOTAS.instancesPerStackSet.value],
            [10, 400],
        ]);
        expect(sets.every((s) => s.organizationalUnits.length <= STACK_SET_QUOTAS.organizationalUnitsPerOperation.value)).to.equal(true);
        expect(new Set(sets.flatMap((s) => s.accounts.map((a) => a.id))).size, "every account once").to.equal(members.length);

        const wide = Array.from({ length: 60 }, (_, i) => account(i + 1, `w/u${String(i).padStart(2, "0")}`));
        const byOus = roleStackSets(org([access, ...wide], units), access, role([{ teams: ["admins"], accounts: wide }]));
        expect(byOus.map((s) => s.organizationalUnits.length)).to.deep.equal([STACK_SET_QUOTAS.organizationalUnitsPerOperation.value, 10]);
    });

    it("batches instance operations within the concurrent operations quota, in order", () => {
        const set = (n: number) => ({ target: { accounts: Array.from({ length: n }) } });
        const batches = operationBatches([set(2000), set(1500), set(1), set(3500), set(10)]);
        expect(batches.map((b) => b.map((s) => s.target.accounts.length))).to.deep.equal([[2000, 1500], [1], [3500], [10]]);
    });

    it("a stack's stack sets are its template's own, not those a stack set of it deploys into its targets", () => {
        const holding = (name: string, template: string) =>
            plannedResource("aws:cloudformation/stack:Stack", name, MANAGEMENT, {
                name,
                templateBody: stackSetStackTemplate({
                    name,
                    description: "test",
                    template,
                    organizationalUnitIds: ["ou-ab12-prod0001"],
                    excludedAccounts: [],
                    region: "us-east-1",
                }),
            });
        const inner = holding("inner", "{}").inputs.templateBody as string;
        expect(declaredStackSets(holding("outer", inner)).map((s) => s.name)).to.deep.equal(["outer"]);
        expect(declaredStackSets(holding("plain", "{}")).map((s) => s.name)).to.deep.equal(["plain"]);
    });

    it("a stack set reaching more accounts than a stack set's instances quota is a problem naming its key; at the quota, none", () => {
        // The deploy identity's one stack set targets every account of its OUs (the root here), the access account left out.
        const limit = STACK_SET_QUOTAS.instancesPerStackSet.value;
        const access = account(0, "security");
        const reachOf = (n: number) => {
            const members = [access, ...Array.from({ length: n }, (_, i) => account(i + 1, "workloads"))];
            const organization = { ...org(members, [{ path: "workloads", id: "ou-ab12-work0001" }]), rootId: "r-ab12" };
            const stack = {
                ...plannedResource("aws:cloudformation/stack:Stack", "deploy-identity-management-member-role", MANAGEMENT, {
                    name: "org-access-deploy-role",
                    templateBody: stackSetStackTemplate({
                        name: "org-access-deploy-role",
                        description: "test",
                        template: "{}",
                        organizationalUnitIds: ["r-ab12"],
                        excludedAccounts: [access.id],
                        region: "us-east-1",
                    }),
                }),
                region: "us-east-1",
            };
            return stackInstanceProblems("mgmt", plannedStackSets(organization, [stack]));
        };
        expect(reachOf(limit)).to.deep.equal([]);
        const over = reachOf(limit + 1);
        expect(over.map((p) => [p.stack, p.key])).to.deep.equal([["mgmt", "org-access:deployIdentity.organizationalUnitIds"]]);
        expect(over[0].message).to.match(
            new RegExp(
                `^stack set org-access-deploy-role reaches ${limit + 1} accounts, more than CloudFormation's ${limit} stack instances per stack set`,
            ),
        );
    });
});

describe("member roles through StackSets: the example organization", () => {
    let stacksets: Plan;
    let providers: Plan;
    before(async () => {
        stacksets = await runPlan({ stack: "access", config: withDelivery("stacksets") });
        providers = await runPlan({ stack: "access", config: withDelivery(undefined) });
    });

    it("one management-account provider serves every member role: a protected stack per stack set, explicit", () => {
        const stacks = memberRoleStacks(stacksets.resources);
        expect(stacks.length).to.be.greaterThan(0);
        // No Pulumi StackSet resources: their instances' refresh would page through every account.
        expect(ofType(stacksets.resources, T.stackSet)).to.deep.equal([]);
        expect(ofType(stacksets.resources, T.stackSetInstance)).to.deep.equal([]);
        for (const r of stacks) {
            expect([r.accountId, r.explicitProvider, r.protect, r.deleteBeforeReplace, r.inputs.onFailure], r.name).to.deep.equal([
                MANAGEMENT,
                true,
                true,
                true,
                "DELETE",
            ]);
            const set = stackSetOf(r);
            expect(set.Type).to.equal("AWS::CloudFormation::StackSet");
            expect(set.Properties).to.include({ PermissionModel: "SERVICE_MANAGED", CallAs: "SELF", StackSetName: r.inputs.name });
            expect(set.Properties.AutoDeployment).to.deep.equal({ Enabled: true, RetainStacksOnAccountRemoval: false });
            expect(set.Properties.Capabilities).to.deep.equal(["CAPABILITY_NAMED_IAM"]);
        }
        // No member account has a provider of its own, nor a role registered by the program.
        const providerAccounts = stacksets.resources.filter((r) => r.type === "pulumi:providers:aws").map((r) => r.accountId);
        expect(providerAccounts.sort()).to.deep.equal([MANAGEMENT, ACCESS].sort());
        expect(ofType(stacksets.resources, "aws:iam/role:Role").every((r) => r.accountId === ACCESS)).to.equal(true);
    });

    it("every stack's template, and the template its stack set deploys, keep CloudFormation's resource schemas", () => {
        const stacks = ofType(stacksets.resources, T.stack);
        expect(stacks.length).to.be.greaterThan(0);
        for (const stack of stacks) {
            expect(templateSpecProblems(stack.inputs.templateBody), stack.name).to.deep.equal([]);
            expect(templateSpecProblems(stackSetOf(stack).Properties.TemplateBody), stack.name).to.deep.equal([]);
        }
    });

    it("the stack sets deliver the very roles per-account providers would register: names, trust, policies", () => {
        const fingerprint = (resources: readonly PlannedResource[]) =>
            resources
                .filter((r) => r.custom && r.type === "aws:iam/role:Role" && r.accountId !== ACCESS)
                .map((r) =>
                    JSON.stringify([
                        r.accountId,
                        r.inputs.name,
                        JSON.parse(r.inputs.assumeRolePolicy as string),
                        r.inputs.maxSessionDuration,
                    ]),
                )
                .sort();
        expect(fingerprint(stacksets.delivered ?? [])).to.deep.equal(fingerprint(providers.resources));
        const attachments = (resources: readonly PlannedResource[]) =>
            ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((r) => r.accountId !== ACCESS)
                .map((r) => `${r.accountId} ${String(r.inputs.policyArn)}`)
                .sort();
        expect(attachments(stacksets.delivered ?? [])).to.deep.equal(attachments(providers.resources));
    });

    it("a template's trust means what config says: admins reach Administrator in prod, developers do not", async () => {
        const administrator = memberRoleStacks(stacksets.resources).find((s) => s.name.includes("Administrator"));
        const role = Object.values(templateOf(administrator as PlannedResource).Resources)[0];
        expect(role.Type).to.equal("AWS::IAM::Role");
        expect(role.Properties.RoleName).to.equal("Administrator");
        const assume = (team: string, account: string) =>
            decide({
                caller: {
                    arn: `arn:aws:iam::${ACCESS}:role/${team}`,
                    orgId: ORG_ID,
                    identityPolicies: [
                        { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] },
                    ],
                },
                action: "sts:AssumeRole",
                resourceArn: `arn:aws:iam::${account}:role/Administrator`,
                resourceAccount: account,
                resourceOrgId: ORG_ID,
                resourcePolicy: role.Properties.AssumeRolePolicyDocument as object,
            });
        expect(await assume("admins", PROD)).to.equal("Allowed");
        expect(await assume("admins", DEV)).to.equal("Allowed");
        expect(await assume("developers", PROD)).to.equal("ImplicitlyDenied");
    });

    it("reaches exactly the granted accounts: the access account left out of Administrator, in ReadOnly only where granted", () => {
        const where = (name: string) =>
            ofType(stacksets.delivered ?? [], "aws:iam/role:Role")
                .filter((r) => r.inputs.name === name && r.name.startsWith("access-stack-sets"))
                .map((r) => r.accountId)
                .sort();
        expect(where("Administrator")).to.deep.equal([LOG_ARCHIVE, PROD, DEV].sort());
        expect(where("ReadOnly")).to.deep.equal([LOG_ARCHIVE, PROD].sort());
        expect(where("Developer")).to.deep.equal([DEV]);
    });

    it("passes the organization checks with the mgmt stack, and the served pack", async () => {
        const mgmt = await runPlan({
            stack: "mgmt",
            config: {
                ...readStackConfigFile(configFileFor("mgmt")),
                "org-access:organization": withDelivery("stacksets")["org-access:organization"],
            },
        });
        const checked = checkOrganization(["access", "mgmt"], [stacksets, mgmt], configuredQuotas(process.cwd()));
        expect(checked.problems).to.deep.equal([]);
        const pack = await ServedPolicyPack.start(PACK_DIR);
        try {
            const result = await checkPlan(pack, stacksets);
            expect(result.diagnostics.filter((d) => d.enforcementLevel === "mandatory")).to.deep.equal([]);
            // The bad things next to their clean look-alike: a template with an instance, and one trusting anyone.
            const set = memberRoleStacks(stacksets.resources)[0];
            const template = templateOf(set);
            const role = Object.values(template.Resources)[0];
            const variants = {
                instance: {
                    ...template,
                    Resources: { ...template.Resources, Box: { Type: "AWS::EC2::Instance", Properties: { InstanceType: "t3.micro" } } },
                },
                wildcard: {
                    ...template,
                    Resources: {
                        Role: {
                            ...role,
                            Properties: {
                                ...role.Properties,
                                AssumeRolePolicyDocument: {
                                    Version: "2012-10-17",
                                    Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
                                },
                            },
                        },
                    },
                },
            };
            const judged = async (body: object) => {
                const resource = analyzed(withInner(set, body));
                return (await pack.analyze(resource)).filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName);
            };
            expect(await judged(template)).to.deep.equal([]);
            expect(await judged(variants.instance)).to.include("no-compute-in-management-account");
            expect(await judged(variants.wildcard)).to.include("no-wildcard-principals");
        } finally {
            await pack.stop();
        }
    });
});

describe("member roles through StackSets: bad input, one line each, nothing planned", () => {
    it("org-access:memberRoleDelivery must be providers or stacksets", async () => {
        expect(await planError("access", withDelivery("lambda"))).to.equal(
            'org-access:memberRoleDelivery: expected one of providers, stacksets, got "lambda"',
        );
    });

    it("an OU id not in ou-xxxx-xxxxxxxx form", async () => {
        expect(
            await planError("access", withDelivery("stacksets", {}, { organizationalUnits: [{ path: "security", id: "ou-bad" }] })),
        ).to.equal('org-access:organization.organizationalUnits[0].id: "ou-bad" is not an organizational unit id (ou-xxxx-xxxxxxxx)');
    });

    it("an account's ou with no id", async () => {
        expect(await planError("access", withDelivery("stacksets", {}, { organizationalUnits: OUS.slice(0, 2) }))).to.equal(
            'org-access:organization.accounts[3].ou: "workloads/dev" has no id in org-access:organization.organizationalUnits (add { path: workloads/dev, id: ou-… })',
        );
    });

    it("stacksets without any OU id", async () => {
        expect(await planError("access", withDelivery("stacksets", {}, { organizationalUnits: [] }))).to.match(
            /^org-access:memberRoleDelivery: is stacksets, but org-access:organization.organizationalUnits is empty/,
        );
    });

    it("a role selecting by name an account no targeted OU covers says how to select it", async () => {
        const accounts = [...(exampleOrg.accounts as object[]), { name: "sandbox", id: "666666666666" }];
        const roles = [{ name: "Sandbox", teams: ["developers"], accounts: ["sandbox"] }];
        expect(await planError("access", withDelivery("stacksets", { roles }, { accounts }))).to.equal(
            'org-access:roles[0].accounts: selects account "sandbox", which no organizational unit covers under org-access:memberRoleDelivery stacksets (it has no ou in org-access:organization.accounts): give it an ou and select it with { ou: <its OU path> }',
        );
    });

    it("a role selecting one account by name whose OU holds others it does not grant", async () => {
        const accounts = [...(exampleOrg.accounts as object[]), { name: "prod-b", id: "666666666666", ou: "workloads/prod" }];
        const roles = [{ name: "Auditor", teams: ["admins"], accounts: ["prod"] }];
        expect(await planError("access", withDelivery("stacksets", { roles }, { accounts }))).to.equal(
            'org-access:roles[0].accounts: under org-access:memberRoleDelivery stacksets role "Auditor" reaches every account of organizational unit "workloads/prod", and account "prod-b" there is not granted it: grant the whole OU alike ({ ou: workloads/prod }), or move "prod-b" to another OU',
        );
    });

    it("a stack that deploys part of a stack set", async () => {
        const deploy = { identity: true, memberAccounts: ["prod"] };
        expect(await planError("access", withDelivery("stacksets", { deploy }))).to.match(
            /^org-access:deploy\.memberAccounts: selects "prod" but not "(log-archive|dev)", which stack set org-access-\S+ \(role "\w+"\) reaches with it: under org-access:memberRoleDelivery stacksets a stack deploys whole stack sets; select \{ ou: [\w/]+ \}$/,
        );
    });
});

describe("member roles through StackSets: 2,000 accounts in OUs", function () {
    this.timeout(600000);
    const MEMBERS = 2000;
    /** The bench's synthetic organization under stacksets: the access account alone in `security`, the rest in 60 OUs. */
    const config = (): Record<string, string> => syntheticConfig(MEMBERS, "stacksets");
    let plan: Plan;
    before(async () => {
        plan = await runPlan({ stack: "org", config: config() });
    });

    it("plans with one management-account provider for every member role, and few stack sets", () => {
        const providerAccounts = plan.resources.filter((r) => r.type === "pulumi:providers:aws").map((r) => r.accountId);
        expect(providerAccounts.sort()).to.deep.equal([memberAccount(0).id, SYNTHETIC_MANAGEMENT].sort());
        const sets = memberRoleStacks(plan.resources);
        expect(sets.length).to.be.at.most(STACK_SET_QUOTAS.stackSetsPerAdministrator.value);
        expect(sets.length).to.equal(4); // two roles, each over 61 OUs: two chunks within 50 OUs per operation
    });

    it("reaches every account in its OUs, the access account excepted, with every role", () => {
        const roles = ofType(plan.delivered ?? [], "aws:iam/role:Role");
        for (const name of ["Administrator", "ReadOnly"]) {
            const accounts = roles.filter((r) => r.inputs.name === name).map((r) => r.accountId);
            expect(new Set(accounts).size, name).to.equal(accounts.length);
            expect(new Set(accounts)).to.deep.equal(new Set(Array.from({ length: MEMBERS - 1 }, (_, i) => memberAccount(i + 1).id)));
        }
    });

    it("passes the organization checks and the served pack", async () => {
        const checked = checkOrganization(["org"], [plan], configuredQuotas(process.cwd()));
        expect(checked.problems).to.deep.equal([]);
        expect(deployedResources(plan).length).to.be.greaterThan(4 * MEMBERS);
        const pack = await ServedPolicyPack.start(PACK_DIR);
        try {
            const result = await checkPlan(pack, plan);
            expect(result.diagnostics.filter((d) => d.enforcementLevel === "mandatory")).to.deep.equal([]);
        } finally {
            await pack.stop();
        }
    });
});
