import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { GITHUB_OIDC } from "../config/deploy-identity";
import { OrganizationPlan, planOrganization, toOrganizationPlanJson } from "../offline/organization-plan";
import { modelOf, runPlan } from "../offline/plan";
import { iamView } from "../offline/report";
import { IamRole } from "../iam/entities";
import { PROJECT_DIR, readProject, readStackConfig } from "../offline/stack-files";
import { decideWebIdentity } from "./access/chain-helpers";
import { ORG_ID } from "./helpers/config";
import { Caller, decide } from "./helpers/simulate";
import { stackSetOfStack } from "./helpers/plan";

/**
 * The workflows as written, run against the generated deploy identity: the plan job's own shell
 * script (with jq) over the organization plan's JSON gives the role and the stages; each job's
 * credential step is simulated as aws-actions/configure-aws-credentials makes it, with the action's
 * defaults (action.yml: `audience: sts.amazonaws.com`; one hour for OIDC; src/assumeRole.ts: no session
 * tags on AssumeRoleWithWebIdentity, tags on AssumeRole unless `role-skip-session-tagging`); then every
 * provider of every stack the job runs assumes its role from that session, as the program plans it in
 * the job's mode (`org-access:providerRoles`, read from the job's `pulumi config set`).
 */
const WORKFLOWS = path.join(PROJECT_DIR, ".github", "workflows");
const ACTION = "aws-actions/configure-aws-credentials";
/** The action's defaults (its action.yml and README). */
const ACTION_DEFAULTS = { audience: "sts.amazonaws.com", durationSeconds: 3600 };

interface Step {
    readonly id?: string;
    readonly run?: string;
    readonly uses?: string;
    readonly with?: Record<string, string | boolean | number>;
}
interface Job {
    readonly needs?: string | string[];
    readonly if?: string;
    readonly uses?: string;
    readonly with?: Record<string, string>;
    readonly environment?: string;
    readonly outputs?: Record<string, string>;
    readonly strategy?: { "max-parallel"?: number; "fail-fast"?: boolean; matrix?: Record<string, unknown> };
    readonly steps?: Step[];
}
interface Workflow {
    readonly on: Record<string, unknown>;
    readonly jobs: Record<string, Job>;
}
const load = (file: string) => yaml.load(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;

/** Runs a step's shell script as the runner would (bash, in a directory holding plan.json); its $GITHUB_OUTPUT. */
function runStep(script: string, planJson: object): Record<string, string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "org-access-workflow-"));
    fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(planJson));
    const output = path.join(dir, "output");
    fs.writeFileSync(output, "");
    execFileSync("bash", ["-eo", "pipefail", "-c", script], { cwd: dir, env: { ...process.env, GITHUB_OUTPUT: output }, stdio: "pipe" });
    const values = Object.fromEntries(
        fs
            .readFileSync(output, "utf8")
            .split("\n")
            .filter((l) => l.includes("="))
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    fs.rmSync(dir, { recursive: true, force: true });
    return values;
}

/** Substitutes `${{ a.b.c }}` references from `context`; fails on one it does not know. */
function expand(text: string, context: Record<string, string>): string {
    return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, ref: string) => {
        expect(context, `unknown reference ${ref}`).to.have.property(ref);
        return context[ref];
    });
}

/** The one credential step of a job, checked for what the workflow must never do. */
function credentialStep(job: Job, where: string): Step {
    const steps = (job.steps ?? []).filter((s) => s.uses?.startsWith(`${ACTION}@`));
    expect(steps, `${where}: one credential step per job`).to.have.length(1);
    const step = steps[0];
    // A chained session lasts at most an hour and the action never renews it: each job signs in from its own OIDC token.
    expect(step.with?.["role-chaining"], `${where}: role-chaining`).to.equal(undefined);
    expect(step.with?.["aws-access-key-id"], `${where}: long-lived keys`).to.equal(undefined);
    return step;
}

/** The `pulumi config set` keys a job's scripts write: each a key of its own, never `--path` into a project object. */
function configSets(job: Job): Record<string, string> {
    const sets: Record<string, string> = {};
    for (const line of (job.steps ?? []).flatMap((s) => (s.run ?? "").split("\n"))) {
        const m = /^\s*pulumi config set (.*)$/.exec(line);
        if (m) {
            const words = m[1].trim().split(/\s+/);
            expect(words, line).to.not.include("--path");
            expect(words, line).to.have.length(2);
            sets[words[0]] = words[1];
        }
    }
    return sets;
}

describe("GitHub workflows: credentials simulated against the generated deploy identity", function () {
    this.timeout(600_000);
    let organization: OrganizationPlan;
    let planJson: ReturnType<typeof toOrganizationPlanJson>;
    let roles: IamRole[];
    let repository: string;
    before(async () => {
        organization = await planOrganization(PROJECT_DIR);
        expect(organization.problems).to.deep.equal([]);
        planJson = toOrganizationPlanJson(organization);
        const plans = [...organization.plans.values()];
        roles = plans.flatMap((p) => iamView(p.resources).roles);
        // The member deploy role, as the management account's stack around its stack set gives it to every member
        // account the stack set targets but the one it leaves out (the access account): read from the planned stack.
        const model = modelOf(plans[0]);
        const identity = model.deployIdentity;
        expect(identity, "the example configures a deploy identity").to.not.equal(undefined);
        const stack = plans
            .flatMap((p) => p.resources)
            .find((r) => r.type === "aws:cloudformation/stack:Stack" && r.name === "deploy-identity-management-member-role");
        expect(stack, "the deploy identity's stack set stack").to.not.equal(undefined);
        const { stackSet, roles: delivered } = stackSetOfStack(stack!.inputs.templateBody);
        const [targets] = stackSet.StackInstancesGroup as { DeploymentTargets: { AccountFilterType: string; Accounts: string[] } }[];
        expect(targets.DeploymentTargets.AccountFilterType).to.equal("DIFFERENCE");
        expect(delivered).to.have.length(1);
        const member = delivered[0] as { RoleName: string; AssumeRolePolicyDocument: object; Policies: { PolicyDocument: object }[] };
        for (const account of model.organization.members.filter((a) => !targets.DeploymentTargets.Accounts.includes(a.id))) {
            roles.push({
                accountId: account.id,
                name: member.RoleName,
                arn: `arn:aws:iam::${account.id}:role/${member.RoleName}`,
                trustPolicy: member.AssumeRolePolicyDocument as never,
                policies: member.Policies.map((p) => p.PolicyDocument) as never[],
                managedPolicyArns: [],
            });
        }
        repository = identity!.settings.github.name;
    });

    const role = (arn: string): IamRole => {
        const found = roles.find((r) => r.arn === arn);
        expect(found, arn).to.not.equal(undefined);
        return found as IamRole;
    };
    const oidcArn = (roleArn: string) => `arn:aws:iam::${roleArn.split(":")[4]}:oidc-provider/${GITHUB_OIDC.host}`;
    /** The role's planned MaxSessionDuration (IAM's default, one hour, when unset). */
    const maxSession = (arn: string) => {
        const r = [...organization.plans.values()]
            .flatMap((p) => p.resources)
            .find((x) => x.type === "aws:iam/role:Role" && x.inputs.name === arn.split("/").pop() && x.accountId === arn.split(":")[4]);
        return Number(r?.inputs.maxSessionDuration ?? 3600);
    };

    /** Signs in as the credential step does, then every provider of `stack` assumes its role; returns what was denied. */
    async function simulateJob(step: Step, context: Record<string, string>, sub: string, stack: string, mode: string): Promise<string[]> {
        const denied: string[] = [];
        const roleArn = expand(String(step.with?.["role-to-assume"]), context);
        const entry = role(roleArn);
        const audience = String(step.with?.audience ?? ACTION_DEFAULTS.audience);
        const claims = { [`${GITHUB_OIDC.host}:sub`]: sub, [`${GITHUB_OIDC.host}:aud`]: audience };
        if (decideWebIdentity(oidcArn(roleArn), claims, entry) !== "Allowed") {
            denied.push(`sts:AssumeRoleWithWebIdentity ${roleArn} as ${sub}`);
        }
        const duration = Number(step.with?.["role-duration-seconds"] ?? ACTION_DEFAULTS.durationSeconds);
        if (duration > maxSession(roleArn)) {
            denied.push(`a ${duration}-second session of ${roleArn}`);
        }
        const caller: Caller = { arn: roleArn, orgId: ORG_ID, identityPolicies: entry.policies };
        const plan = await runPlan({ stack, config: { ...readStackConfig(stack), "org-access:providerRoles": mode } });
        for (const provider of plan.resources.filter((r) => r.type === "pulumi:providers:aws")) {
            const text = provider.inputs.assumeRoles;
            if (typeof text !== "string") {
                // Ambient: the job's own session must be in the provider's account.
                if (provider.accountId !== roleArn.split(":")[4]) {
                    denied.push(`${stack}/${provider.name}: ambient credentials of ${roleArn} in account ${provider.accountId}`);
                }
                continue;
            }
            const assumed = JSON.parse(text) as { roleArn: string; tags?: unknown; transitiveTagKeys?: unknown }[];
            expect(assumed, `${stack}/${provider.name}: one hop`).to.have.length(1);
            // The provider sends no session tags unless told to; the program tells it none.
            expect(assumed[0].tags, `${stack}/${provider.name}: tags`).to.equal(undefined);
            const target = role(assumed[0].roleArn);
            const decision = await decide({
                caller,
                action: "sts:AssumeRole",
                resourceArn: target.arn,
                resourceAccount: target.accountId as string,
                resourceOrgId: ORG_ID,
                resourcePolicy: target.trustPolicy,
            });
            if (decision !== "Allowed") {
                denied.push(`${stack}/${provider.name}: sts:AssumeRole ${target.arn} from ${roleArn}: ${decision}`);
            }
        }
        return denied;
    }

    describe("deploy.yml", () => {
        const deploy = () => load("deploy.yml");
        const stages = () => load("deploy-stacks.yml");
        const planOutputs = () => {
            const step = deploy().jobs.plan.steps?.find((s) => s.id === "plan");
            return runStep(String(step?.run), planJson);
        };

        it("the plan job's script reads the stages, the deploy role and the region from the organization plan", () => {
            const out = planOutputs();
            expect(JSON.parse(out.levels)).to.deep.equal(organization.deployLevels);
            expect(organization.deployLevels.flat()).to.have.members(organization.deployOrder);
            expect(out.role).to.equal(modelOf([...organization.plans.values()][0]).deployIdentity?.access.arn);
            expect(out.region).to.equal("us-east-1");
            expect(Number(out.stages)).to.equal(organization.deployLevels.length);
        });

        it("runs each stage after the one before, only when it exists, with as many stage jobs as the script allows", () => {
            const jobs = deploy().jobs;
            const stageJobs = Object.keys(jobs).filter((k) => k.startsWith("stage-"));
            const limit = Number(/-gt (\d+) \]/.exec(String(jobs.plan.steps?.find((s) => s.id === "plan")?.run))?.[1]);
            expect(stageJobs).to.have.length(limit);
            stageJobs.forEach((name, i) => {
                const job = jobs[name];
                expect(job.uses).to.equal("./.github/workflows/deploy-stacks.yml");
                expect([job.needs].flat()).to.include.members(i === 0 ? ["plan"] : ["plan", `stage-${i}`]);
                expect(job.if).to.equal(`fromJSON(needs.plan.outputs.stages) >= ${i + 1}`);
                expect(job.with?.stacks).to.equal(`\${{ toJSON(fromJSON(needs.plan.outputs.levels)[${i}]) }}`);
            });
        });

        it("deploys a stage's stacks in parallel, bounded, one job per stack, in the protected environment", () => {
            const up = stages().jobs.up;
            expect(up.strategy?.matrix?.stack).to.equal("${{ fromJSON(inputs.stacks) }}");
            expect(up.strategy?.["max-parallel"]).to.equal(4);
            expect(up.strategy?.["fail-fast"]).to.equal(false);
            expect(up.environment).to.equal("production");
            const runs = (up.steps ?? []).map((s) => s.run ?? "").join("\n");
            expect(runs).to.include("npm run pack-config -- --out pack-config.json");
            expect(runs).to.include("--policy-pack-config pack-config.json");
            expect(runs).to.not.include("config.example.json");
            expect(configSets(up)).to.deep.equal({});
        });

        it("each stack's job signs in from its own OIDC token and every provider reaches its role; nothing is denied", async () => {
            const out = planOutputs();
            const up = stages().jobs.up;
            const step = credentialStep(up, "deploy-stacks.yml up");
            const sub = `repo:${repository}:environment:${up.environment}`;
            const denied: string[] = [];
            for (const level of JSON.parse(out.levels) as string[][]) {
                for (const stack of level) {
                    const context = { "inputs.role": out.role, "inputs.region": out.region, "github.run_id": "1", "matrix.stack": stack };
                    denied.push(...(await simulateJob(step, context, sub, stack, configSets(up)["org-access:providerRoles"] ?? "deploy")));
                }
            }
            expect(denied).to.deep.equal([]);
        });

        it("the simulation can fail: a job outside the environment, or chaining with the action, is refused", async () => {
            const out = planOutputs();
            const step = credentialStep(stages().jobs.up, "deploy-stacks.yml up");
            const context = { "inputs.role": out.role, "inputs.region": out.region, "github.run_id": "1", "matrix.stack": "mgmt" };
            const denied = await simulateJob(step, context, `repo:${repository}:ref:refs/heads/main`, "mgmt", "deploy");
            expect(denied.join("\n")).to.match(/sts:AssumeRoleWithWebIdentity/);
            expect(() => credentialStep({ steps: [{ uses: `${ACTION}@v4`, with: { "role-chaining": true } }] }, "x")).to.throw(
                /role-chaining/,
            );
        });
    });

    describe("preview.yml", () => {
        const preview = () => load("preview.yml");
        const planOutputs = () => runStep(String(preview().jobs.plan.steps?.find((s) => s.id === "plan")?.run), planJson);

        it("sets no config that replaces the project's: only org-access:providerRoles, a key no project config holds", () => {
            const sets = configSets(preview().jobs.preview);
            expect(sets).to.deep.equal({ "org-access:providerRoles": "preview" });
            expect(Object.keys(readProject(PROJECT_DIR).projectConfig)).to.not.include("org-access:providerRoles");
            const runs = (preview().jobs.preview.steps ?? []).map((s) => s.run ?? "").join("\n");
            expect(runs).to.include("--policy-pack-config pack-config.json");
            expect(runs).to.not.include("config.example.json");
        });

        it("previews every stack in parallel, bounded; each job signs in as the pull-request preview role and every provider reaches OrgAccessPreview", async () => {
            const out = planOutputs();
            expect(JSON.parse(out.stacks)).to.deep.equal(organization.deployOrder);
            const job = preview().jobs.preview;
            expect(job.strategy?.["max-parallel"]).to.equal(4);
            expect(job.environment).to.equal(undefined);
            expect(Object.keys(preview().on)).to.deep.equal(["pull_request"]);
            const step = credentialStep(job, "preview.yml preview");
            const denied: string[] = [];
            for (const stack of JSON.parse(out.stacks) as string[]) {
                const context = { "needs.plan.outputs.role": out.role, "needs.plan.outputs.region": out.region, "github.run_id": "1" };
                denied.push(
                    ...(await simulateJob(
                        step,
                        context,
                        `repo:${repository}:pull_request`,
                        stack,
                        configSets(job)["org-access:providerRoles"],
                    )),
                );
            }
            expect(denied).to.deep.equal([]);
        });
    });
});
