import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { organizationProblems, packDiagnostics, roleSizes } from "../bench/deployable";
import { checkOrganization, configuredQuotas } from "../offline/organization-plan";
import { floorTimeLimitMs, medianRun, projectNodeArgs, undeployable } from "../bench/run";
import { engineCost } from "../bench/engine-cost";
import { SizeResult } from "../bench/report";
import { memberAccount, SYNTHETIC_UNITS, syntheticConfig } from "../bench/synthetic";
import { planProgram, runPlan } from "../offline/plan";

const ROOT = path.resolve(__dirname, "..");

/** The synthetic config with its customer role trusting `principals` instead. */
function withCustomerTrust(members: number, principals: string[]): Record<string, string> {
    const config = syntheticConfig(members);
    return { ...config, "org-access:customerAccess": JSON.stringify({ trust: { principals } }) };
}

describe("bench: synthetic organizations are deployable", () => {
    it("has no organization-plan problem and no mandatory pack violation", async () => {
        const plan = await runPlan({ stack: "bench", config: syntheticConfig(4) });
        expect(organizationProblems(plan, configuredQuotas(ROOT))).to.deep.equal([]);
        const { diagnostics, analyzed } = await packDiagnostics(plan);
        expect(analyzed).to.equal(plan.resources.length);
        expect(diagnostics.filter((d) => d.enforcementLevel === "mandatory")).to.deep.equal([]);
    });

    it("counts a trusted principal IAM would refuse (its own policies do not allow the hop) as a problem", async () => {
        // The access account's admins team role: its policy lets it into the member roles only.
        const admins = `arn:aws:iam::${memberAccount(0).id}:role/admins`;
        const plan = await runPlan({ stack: "bench", config: withCustomerTrust(4, [admins]) });
        const problems = organizationProblems(plan, configuredQuotas(ROOT));
        expect(problems).to.have.length(1);
        expect(problems[0]).to.contain("org-access:customerAccess.trust.principals[0]").and.to.contain(admins);
    });

    it("refuses a principal named by ARN that no stack creates, before planning", async () => {
        const ghost = `arn:aws:iam::${memberAccount(1).id}:role/nobody`;
        const outcome = await planProgram({ stack: "bench", config: withCustomerTrust(3, [ghost]) });
        if (outcome.ok) throw new Error("expected the config to be refused");
        expect(String(outcome.error)).to.contain(ghost).and.to.contain("is no role or user this project creates");
        expect(outcome.registered.filter((r) => r.custom)).to.deep.equal([]);
    });

    it("keeps every role's trust and the team roles' inline policies constant in account count", async () => {
        // One plan at a time: the Pulumi runtime is the process's.
        const small = roleSizes((await runPlan({ stack: "bench", config: syntheticConfig(3) })).resources);
        const large = roleSizes((await runPlan({ stack: "bench", config: syntheticConfig(12) })).resources);
        expect(large.largestTrustPolicyChars).to.equal(small.largestTrustPolicyChars);
        expect(large.inlineCharsByRole.admins).to.be.a("number").and.to.equal(small.inlineCharsByRole.admins);
        expect(large.inlineCharsByRole.readers).to.be.a("number").and.to.equal(small.inlineCharsByRole.readers);
        expect(large.mostManagedPoliciesPerRole).to.equal(1);
    });
});

describe("bench: node arguments and verdicts", () => {
    const projectFile = (text: string) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-project-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), text);
        return path.join(dir, "Pulumi.yaml");
    };

    it("reads runtime.options.nodeargs, as Pulumi runs the program with them", () => {
        expect(projectNodeArgs(projectFile('name: p\nruntime:\n  name: nodejs\n  options:\n    nodeargs: "--a=1  --b"\n'))).to.deep.equal([
            "--a=1",
            "--b",
        ]);
        expect(projectNodeArgs(projectFile("name: p\nruntime: nodejs\n"))).to.deep.equal([]);
        expect(() => projectNodeArgs(projectFile("name: p\nruntime:\n  name: nodejs\n  options:\n    nodeargs: [--a]\n"))).to.throw(
            "runtime.options.nodeargs is not a string",
        );
    });

    it("gives a floor five times the program's time, at least two minutes, in whole milliseconds (as spawnSync requires)", () => {
        expect(floorTimeLimitMs(1_000.4)).to.equal(120_000);
        expect(floorTimeLimitMs(33_407.2416)).to.equal(167_036);
        expect(Number.isInteger(floorTimeLimitMs(45_123.456))).to.equal(true);
    });

    it("takes the program's run of median time, with the highest peak RSS of all runs", () => {
        const run = (wallMs: number, peakRssBytes: number, reachPeak: number) => ({
            wallMs,
            peakRssBytes,
            resources: 9,
            reach: { ms: wallMs / 10, paths: 1, alerts: 0, peakRssBytes: reachPeak },
        });
        const median = medianRun([run(30, 100, 110), run(10, 300, 310), run(20, 200, 205)]);
        expect(median.wallMs).to.equal(20);
        expect(median.reach?.ms).to.equal(2);
        expect(median.peakRssBytes).to.equal(300);
        expect(median.reach?.peakRssBytes).to.equal(310);
        // With an even count, the lower middle: a slow outlier never decides.
        expect(medianRun([run(10, 1, 1), run(99, 1, 1)]).wallMs).to.equal(10);
        expect(() => medianRun([])).to.throw("no program run");
    });

    it("calls a size undeployable on a problem or a mandatory violation", () => {
        const size = (problems: string[], mandatoryViolations: string[]) =>
            ({ deployable: { problems, mandatoryViolations } }) as unknown as SizeResult;
        expect(undeployable(size([], []))).to.deep.equal([]);
        expect(undeployable(size(["stack bench: k: m"], ["p: urn: msg"]))).to.deep.equal([
            "problem: stack bench: k: m",
            "mandatory violation: p: urn: msg",
        ]);
    });
});

describe("bench: what a real pulumi up costs (modelled)", () => {
    it("models every resource type the program registers, and reads less than it creates", async () => {
        const plan = await runPlan({ stack: "bench", config: syntheticConfig(4) });
        const cost = engineCost(plan, "providers");
        expect(cost.unmodelled).to.deep.equal([]);
        expect(cost.firstDeploy.sts).to.equal(2 * cost.oneStack.processes);
        expect(cost.noChangeUp.iam).to.be.greaterThan(0).and.to.be.lessThan(cost.firstDeploy.iam);
    });

    it("grows the calls linearly with the accounts, and the provider processes by one per account", async () => {
        const at = async (n: number) => engineCost(await runPlan({ stack: "bench", config: syntheticConfig(n) }), "providers");
        const [four, five, six] = [await at(4), await at(5), await at(6)];
        expect(five.noChangeUp.iam - four.noChangeUp.iam)
            .to.equal(six.noChangeUp.iam - five.noChangeUp.iam)
            .and.to.be.greaterThan(0);
        expect(six.oneStack.processes - five.oneStack.processes).to.equal(1);
    });

    it("judges a one-stack organization over the budget by the shards the organization plan proposes", async () => {
        const plan = await runPlan({ stack: "bench", config: { ...syntheticConfig(12), "org-access:providerBudget": "5" } });
        // The organization plan refuses the one stack...
        const problems = checkOrganization([plan.stack], [plan], configuredQuotas(ROOT)).problems.map((p) => p.key);
        expect(problems).to.deep.equal(["org-access:providerBudget"]);
        // ...and the bench counts it deployable because every proposed stack fits.
        expect(organizationProblems(plan, configuredQuotas(ROOT))).to.deep.equal([]);
        const cost = engineCost(plan, "providers");
        expect(cost.stacks).to.be.greaterThan(1);
        expect(cost.maxProcessesPerStack).to.be.at.most(5);
        // Splitting moves calls between stacks; it adds none but each stack's own provider configure calls.
        const one = engineCost(await runPlan({ stack: "bench", config: syntheticConfig(12) }), "providers");
        expect(cost.noChangeUp.iam).to.equal(one.noChangeUp.iam);
    });

    it("under stacksets, one provider process serves every member role, where providers starts one per account", async () => {
        const members = 12;
        const providers = engineCost(await runPlan({ stack: "bench", config: syntheticConfig(members, "providers") }), "providers");
        const stackSets = engineCost(await runPlan({ stack: "bench", config: syntheticConfig(members, "stacksets") }), "stacksets");
        // One per member account but the access account, which holds teams, not member roles.
        expect(providers.memberRoleProcesses).to.equal(members - 1);
        expect(providers.stackSets).to.equal(0);
        expect(stackSets.memberRoleProcesses).to.be.at.least(1).and.at.most(3);
        expect(stackSets.stackSets).to.be.greaterThan(0);
        expect(stackSets.oneStack.processes).to.be.lessThan(providers.oneStack.processes);
    });

    it("under stacksets, a no-change up reads the same at two sizes with the same OUs: the reads follow the stack sets, not the accounts", async () => {
        // 61 and 200 accounts fill the same 60 workload OUs (bench/synthetic.ts), within one stack set's instance limit.
        const at = async (n: number) => engineCost(await runPlan({ stack: "bench", config: syntheticConfig(n, "stacksets") }), "stacksets");
        const [small, large] = [await at(SYNTHETIC_UNITS + 1), await at(200)];
        expect(large.stackSets).to.equal(small.stackSets);
        expect(large.noChangeUp).to.deep.equal(small.noChangeUp);
        // A stack set's stack is read with DescribeStacks and GetTemplate, however many accounts it reaches.
        expect(small.noChangeUp.cloudformation).to.equal(2 * small.stackSets);
        // Under providers the same two sizes read more IAM with every account.
        const providers = async (n: number) => engineCost(await runPlan({ stack: "bench", config: syntheticConfig(n) }), "providers");
        const [pSmall, pLarge] = [await providers(SYNTHETIC_UNITS + 1), await providers(200)];
        expect(pLarge.noChangeUp.iam - pSmall.noChangeUp.iam).to.be.at.least(200 - SYNTHETIC_UNITS - 1);
    });

    it("the synthetic stacksets organization puts every account in an OU with an id, and passes the organization checks and the pack", async () => {
        const config = syntheticConfig(SYNTHETIC_UNITS + 5, "stacksets");
        const org = JSON.parse(config["org-access:organization"]) as {
            accounts: { ou?: string }[];
            organizationalUnits: { path: string; id: string }[];
        };
        const ids = new Map(org.organizationalUnits.map((u) => [u.path, u.id]));
        expect(org.accounts.every((a) => a.ou !== undefined && ids.has(a.ou))).to.equal(true);
        expect(new Set(org.accounts.map((a) => a.ou)).size).to.equal(ids.size);
        const plan = await runPlan({ stack: "bench", config });
        expect(organizationProblems(plan, configuredQuotas(ROOT))).to.deep.equal([]);
        const { diagnostics } = await packDiagnostics(plan);
        expect(diagnostics.filter((d) => d.enforcementLevel === "mandatory")).to.deep.equal([]);
    });
});
