import * as fs from "fs";
import * as path from "path";
import { planOrganization, renderProblems, toOrganizationPlanJson } from "../offline/organization-plan";
import { modelOf, runPlan } from "../offline/plan";
import { iamView, renderPlan, toPlanJson } from "../offline/report";
import { PROJECT_DIR, readProject } from "../offline/stack-files";
import { buildOrganization } from "../analysis/organization";
import { reachOf, ReachResult } from "../analysis/reach";
import { renderAudience, renderGrid, renderPaths } from "../analysis/grid";
import { Flags, runCommand, UsageError } from "../offline/cli";

/**
 * `npm run plan -- [--project DIR] [--json FILE]`: every stack of the project
 * (this repository by default) planned as one organization, with the order in
 * which `pulumi up` succeeds and the problems across stacks; exits 1 on any.
 * `npm run plan -- --stack NAME... [--config-file FILE] [--json FILE]`: stacks one by one.
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
            help: "plan every stack of the Pulumi project in DIR as one organization (default: this repository)",
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
            help: "read the stack's config from FILE (like pulumi preview --config-file); needs one --stack",
        },
        json: {
            type: "string",
            value: "FILE",
            help: "also write the plan as JSON to FILE: one stack's, or the organization's {deployOrder, stacks, problems, reach, alerts}",
        },
        paths: { type: "boolean", help: "also print every path: one shortest path per entry identity and role it reaches" },
    },
} as const;

/** The command's work, after its flags are parsed. Resolves to the exit code. */
export async function planMain(flags: Flags<typeof PLAN_COMMAND.flags>): Promise<number> {
    if (flags["config-file"] !== undefined && flags.stack.length !== 1) {
        throw new UsageError(
            `--config-file: ${JSON.stringify(flags["config-file"])} is one stack's config; give exactly one --stack (got ${flags.stack.length})`,
        );
    }
    if (flags.project !== undefined && flags.stack.length > 0) {
        throw new UsageError(`--project: ${JSON.stringify(flags.project)} plans every stack of a project; leave out --stack`);
    }
    if (flags.json !== undefined) {
        if (flags.stack.length > 1) {
            throw new UsageError(`--json: ${JSON.stringify(flags.json)} holds one stack's plan; give exactly one --stack`);
        }
        checkWritable(flags.json);
    }
    const paths = flags.paths === true;
    return flags.stack.length > 0
        ? planStacks(flags.stack, flags["config-file"], flags.json, paths)
        : planProject(flags.project, flags.json, paths);
}

async function planStacks(
    stacks: readonly string[],
    configFile: string | undefined,
    json: string | undefined,
    paths: boolean,
): Promise<number> {
    for (const stack of stacks) {
        const plan = await runPlan({ stack, configFile });
        const iam = iamView(plan.resources);
        console.log(renderPlan(plan, iam, { paths }));
        console.log("");
        if (json !== undefined) {
            fs.writeFileSync(json, JSON.stringify(toPlanJson(plan, iam), null, 2) + "\n");
            console.log(`wrote ${json}`);
        }
    }
    return 0;
}

async function planProject(project: string | undefined, json: string | undefined, paths: boolean): Promise<number> {
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
    const first = [...organization.plans.values()][0];
    const model = first && modelOf(first);
    const name = (id: string) => (model ? model.accountName(id) : id);
    const managementId = model?.organization.management.id;
    if (model) {
        // Reach across every stack: paths that cross stacks, and into the management account.
        const org = organization.reachOrganization ?? buildOrganization(Object.values(planJson.stacks), name, managementId);
        const reach = reachOf(org);
        reachJson = { reach: reach.reach, alerts: reach.alerts };
        console.log(`Organization ${where}: reach across stacks (${Object.keys(planJson.stacks).join(" + ")})`);
        for (const line of renderGrid(reach, name)) console.log(`  ${line}`);
        for (const problem of reach.problems) console.log(`  reach: ${problem}`);
        for (const role of [...org.roles.values()].filter((r) => r.accountId === org.managementAccountId)) {
            console.log("");
            for (const line of renderAudience(org, reach, role.arn, name)) console.log(`  ${line}`);
        }
        if (paths) {
            console.log("", "  Paths:");
            for (const line of renderPaths(reach, name)) console.log(`    ${line}`);
        }
        console.log("");
    }
    console.log(`Organization ${where}: deploy order ${organization.deployOrder.join(" -> ")}`);
    const problems = renderProblems(organization.problems);
    console.log(problems.length === 0 ? "  no problems across stacks" : problems.map((p) => `  ${p}`).join("\n"));
    if (json !== undefined) {
        fs.writeFileSync(json, JSON.stringify({ ...planJson, ...reachJson }, null, 2) + "\n");
        console.log(`wrote ${json}`);
    }
    return organization.problems.length === 0 ? 0 : 1;
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
