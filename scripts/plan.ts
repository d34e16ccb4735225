import * as fs from "fs";
import * as path from "path";
import { planOrganization, renderDependencies, renderProblems, toOrganizationPlanJson } from "../offline/organization-plan";
import { grantsOutsideStack } from "../offline/grants";
import { modelOf, Plan } from "../offline/plan";
import { planStack, projectOf, readsExampleFor, sourceFiles, validatedStackConfig } from "../offline/config-sources";
import { displayPath } from "../offline/yaml-errors";
import { acceptedAlertsOf, iamView, renderPlan, reportPlan, toPlanJson } from "../offline/report";
import { signInMaterial, writeSignIn } from "../offline/sign-in";
import { PROJECT_DIR, readProject } from "../offline/stack-files";
import { buildOrganization } from "../analysis/organization";
import { reachOf, ReachResult } from "../analysis/reach";
import { acceptAlerts, renderAudience, renderGrid, renderPaths } from "../analysis/grid";
import { Flags, runCommand, UsageError } from "../offline/cli";
import { describeProviderProcesses, providerBudgetProblems, providerProcessesOf, shardsCommand } from "../offline/provider-processes";
import { renderAssignment, renderProposal } from "../offline/shards";

/**
 * `npm run plan -- [--project DIR] [--json FILE]`: every stack of the project
 * (this repository by default) planned as one organization, with the order in
 * which `pulumi up` succeeds and the problems across stacks; exits 1 on any.
 * `npm run plan -- [--project DIR] --stack NAME... [--config-file FILE] [--json FILE]`: stacks one by one.
 * Both run the program offline under Pulumi's mock runtime.
 */
export const PLAN_COMMAND = {
    usage: "npm run plan --",
    description:
        "Runs the program offline under Pulumi's mock runtime (no Pulumi CLI, no AWS). Without --stack, plans every stack of the project as one organization: each stack's resources per account and who may assume each role, the deploy order, and the problems across stacks (exit 1 when any). With --stack, plans those stacks on their own.",
    flags: {
        project: {
            type: "string",
            value: "DIR",
            help: "the Pulumi project to read: every stack of DIR as one organization, or its --stack (default: this repository; with --config-file, the project beside that file when it has a Pulumi.yaml)",
        },
        stack: {
            type: "string",
            multiple: true,
            value: "NAME",
            help: "plan this stack on its own (default: every stack, as one organization)",
        },
        "config-file": {
            type: "string",
            value: "FILE",
            help: "read the stack's config from FILE (like pulumi preview --config-file), under the project config of --project only; needs one --stack",
        },
        json: {
            type: "string",
            value: "FILE",
            help: "also write the plan as JSON to FILE: one stack's, or the organization's {deployOrder, deployLevels, stacks, providerProcesses, shardProposals, accountAssignment, problems, reach, alerts}",
        },
        paths: { type: "boolean", help: "also print every path: one shortest path per entry identity and role it reaches" },
        strict: { type: "boolean", help: "exit 1 on any alert that org-access:acceptedAlerts does not accept (for CI)" },
        "sign-in": {
            type: "string",
            value: "DIR",
            help: "write each person's ~/.aws/config fragment into DIR (default: out/sign-in of this repository, out/sign-in/<name> for --project)",
        },
    },
} as const;

/** The command's work, after its flags are parsed. Resolves to the exit code. */
export async function planMain(flags: Flags<typeof PLAN_COMMAND.flags>): Promise<number> {
    if (flags["config-file"] !== undefined && flags.stack.length !== 1) {
        throw new UsageError(
            `--config-file: ${JSON.stringify(flags["config-file"])} is one stack's config; give exactly one --stack (got ${flags.stack.length})`,
        );
    }
    if (flags.json !== undefined) {
        if (flags.stack.length > 1) {
            throw new UsageError(`--json: ${JSON.stringify(flags.json)} holds one stack's plan; give exactly one --stack`);
        }
        checkWritable(flags.json);
    }
    const paths = flags.paths === true;
    const signIn = path.resolve(
        flags["sign-in"] ??
            path.join(PROJECT_DIR, "out", "sign-in", flags.project === undefined ? "" : path.basename(path.resolve(flags.project))),
    );
    const { code, plans, alerts } =
        flags.stack.length > 0
            ? await planStacks(projectOf(flags.project, flags["config-file"]), flags.stack, flags["config-file"], flags.json, paths)
            : await planProject(flags.project, flags.json, paths);
    // Where each person goes, last, so it is what a newcomer sees when the plan ends.
    console.log("");
    for (const line of writeSignIn(signInMaterial(plans), signIn)) console.log(line);
    if (flags.strict === true && alerts > 0) {
        console.log(`--strict: ${alerts} alert${alerts === 1 ? "" : "s"} not accepted in org-access:acceptedAlerts`);
        return Math.max(code, 1);
    }
    return code;
}

/** What planning came to: the exit code before --strict, the plans, and the alerts no entry of org-access:acceptedAlerts accepts. */
interface Planned {
    readonly code: number;
    readonly plans: readonly Plan[];
    readonly alerts: number;
}

async function planStacks(
    projectDir: string,
    stacks: readonly string[],
    configFile: string | undefined,
    json: string | undefined,
    paths: boolean,
): Promise<Planned> {
    const plans: Plan[] = [];
    let problems = 0;
    let alerts = 0;
    // Every stack's config first: an error stops the command before any plan prints.
    for (const stack of stacks) {
        validatedStackConfig({ stack, projectDir, configFile });
    }
    for (const stack of stacks) {
        const plan = await planStack({ stack, projectDir, configFile });
        plans.push(plan);
        const files = sourceFiles({ stack, projectDir, configFile });
        const example = readsExampleFor(configFile, projectDir) ? " (this repository's example; --project DIR reads your own)" : "";
        console.log(`Config: ${displayPath(files.stackFile)} over the project config of ${displayPath(files.projectFile)}${example}`);
        const iam = iamView(plan.resources);
        const report = reportPlan(plan, iam, { paths });
        alerts += report.alerts;
        console.log(report.text);
        // What this stack needs from another stack of the project, judged from their config (offline/grants.ts).
        const lost = [
            ...grantsOutsideStack({ stack, model: modelOf(plan), resources: plan.resources }, projectDir),
            ...providerBudgetProblems([providerProcessesOf(plan)], path.relative(process.cwd(), projectDir) || "."),
        ];
        for (const line of renderProblems(lost)) console.log(`  ${line}`);
        problems += lost.length;
        console.log("");
        if (json !== undefined) {
            fs.writeFileSync(json, JSON.stringify(toPlanJson(plan, iam), null, 2) + "\n");
            console.log(`wrote ${json}`);
        }
    }
    return { code: problems === 0 ? 0 : 1, plans, alerts };
}

async function planProject(project: string | undefined, json: string | undefined, paths: boolean): Promise<Planned> {
    const projectDir = path.resolve(project ?? PROJECT_DIR);
    if (project !== undefined) {
        readProject(projectDir); // names the directory or its Pulumi.yaml in one line when either is wrong
    }
    const organization = await planOrganization(projectDir);
    const planJson = toOrganizationPlanJson(organization);
    for (const plan of organization.plans.values()) {
        console.log(renderPlan(plan, planJson.stacks[plan.stack].iam, { paths }));
        console.log("");
    }
    const where = path.relative(process.cwd(), projectDir) || ".";
    let reachJson: Pick<ReachResult, "reach" | "alerts"> | undefined;
    let alerts = 0;
    const first = [...organization.plans.values()][0];
    const model = first && modelOf(first);
    const name = (id: string) => (model ? model.accountName(id) : id);
    const managementId = model?.organization.management.id;
    if (model) {
        // Reach across every stack: paths that cross stacks, and into the management account.
        const org = organization.reachOrganization ?? buildOrganization(Object.values(planJson.stacks), name, managementId);
        const reach = acceptAlerts(reachOf(org), acceptedAlertsOf(first));
        alerts = reach.alerts.length;
        reachJson = { reach: reach.reach, alerts: reach.alerts };
        console.log(`Organization ${where}: reach across stacks (${Object.keys(planJson.stacks).join(" + ")})`);
        for (const line of renderGrid(reach, name)) console.log(`  ${line}`);
        for (const problem of reach.problems) console.log(`  reach: ${problem}`);
        for (const role of [...org.roles.values()].filter((r) => r.accountId === org.managementAccountId)) {
            console.log("");
            for (const line of renderAudience(org, reach, role.arn, name)) console.log(`  ${line}`);
        }
        if (organization.policyReport.length > 0) {
            console.log("", "  Organization policies (org-access:organizationPolicies), applied along every hop above:");
            for (const line of organization.policyReport) console.log(`    ${line}`);
        }
        if (paths) {
            console.log("", "  Paths:");
            for (const line of renderPaths(reach, name)) console.log(`    ${line}`);
        }
        console.log("");
    }
    console.log(`Organization ${where}: deploy order ${organization.deployOrder.join(" -> ")}`);
    for (const line of renderDependencies(organization.dependencies)) console.log(`  ${line}`);
    console.log(
        `  in stages (CI deploys a stage's stacks in parallel): ${organization.deployLevels.map((l) => `[${l.join(", ")}]`).join(" -> ")}`,
    );
    console.log("  provider processes per stack (pulumi up starts one per provider configuration):");
    for (const p of organization.providerProcesses) console.log(`    ${p.stack}: ${describeProviderProcesses(p)}`);
    const problems = renderProblems(organization.problems);
    console.log(problems.length === 0 ? "  no problems across stacks" : problems.map((p) => `  ${p}`).join("\n"));
    for (const proposal of organization.shardProposals) {
        console.log(`  proposed shards (${shardsCommand(where)} writes them):`);
        for (const line of renderProposal(proposal)) console.log(`    ${line}`);
    }
    if (organization.accountAssignment) {
        console.log(`  proposed assignment (${shardsCommand(where)} writes it):`);
        for (const line of renderAssignment(organization.accountAssignment)) console.log(`    ${line}`);
    }
    if (json !== undefined) {
        fs.writeFileSync(json, JSON.stringify({ ...planJson, ...reachJson }, null, 2) + "\n");
        console.log(`wrote ${json}`);
    }
    return { code: organization.problems.length === 0 ? 0 : 1, plans: [...organization.plans.values()], alerts };
}

if (require.main === module) {
    runCommand(PLAN_COMMAND, planMain);
}

/** Checked before planning, so a bad path fails first, in one line, instead of after the plan. */
function checkWritable(file: string): void {
    const dir = path.dirname(path.resolve(file));
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new UsageError(`--json: ${JSON.stringify(file)}: directory ${JSON.stringify(path.dirname(file))} does not exist`);
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
        throw new UsageError(`--json: ${JSON.stringify(file)} is a directory; name a file`);
    }
}
