import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { planOrganization, renderProblems, toOrganizationPlanJson } from "../offline/organization-plan";
import { runPlan } from "../offline/plan";
import { iamView, renderPlan, toPlanJson } from "../offline/report";
import { PROJECT_DIR } from "../offline/stack-files";

/**
 * `npm run plan -- [--project DIR] [--json FILE]`: plans every stack of the
 * project (the repository by default) as one organization: each stack, the
 * order in which `pulumi up` succeeds, and the problems across stacks; exits 1
 * when there are any.
 * `npm run plan -- --stack NAME [--config-file FILE] [--json FILE]`: one stack.
 * Runs the program offline under Pulumi's mock runtime.
 */
interface Args {
    stacks: string[];
    configFile?: string;
    json?: string;
    project?: string;
}

function parseArgs(argv: string[]): Args {
    const args: Args = { stacks: [] };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        if (!["--stack", "--config-file", "--json", "--project"].includes(flag)) {
            throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
        }
        if (value === undefined || value.startsWith("--")) {
            throw new UsageError(`${flag} needs a value`);
        }
        i++;
        if (flag === "--stack") args.stacks.push(value);
        if (flag === "--config-file") args.configFile = value;
        if (flag === "--json") args.json = value;
        if (flag === "--project") args.project = value;
    }
    if (args.stacks.length === 0 && args.configFile) {
        throw new UsageError("--config-file needs --stack");
    }
    if (args.stacks.length > 0 && args.project) {
        throw new UsageError("--project plans every stack of a project; leave out --stack");
    }
    if (args.json && args.stacks.length > 1) {
        throw new UsageError("--json needs a single --stack");
    }
    return args;
}

class UsageError extends Error {}

async function planStacks(args: Args): Promise<number> {
    for (const stack of args.stacks) {
        const plan = await runPlan({ stack, configFile: args.configFile });
        const iam = iamView(plan.resources);
        console.log(renderPlan(plan, iam));
        console.log("");
        if (args.json) {
            fs.writeFileSync(args.json, JSON.stringify(toPlanJson(plan, iam), null, 2) + "\n");
            console.log(`wrote ${args.json}`);
        }
    }
    return 0;
}

async function planProject(args: Args): Promise<number> {
    const projectDir = path.resolve(args.project ?? PROJECT_DIR);
    const organization = await planOrganization(projectDir);
    for (const plan of organization.plans.values()) {
        console.log(renderPlan(plan));
        console.log("");
    }
    console.log(`Organization (${path.relative(process.cwd(), projectDir) || "."}): deploy order ${organization.deployOrder.join(" -> ")}`);
    const problems = renderProblems(organization.problems);
    console.log(problems.length === 0 ? "  no problems across stacks" : problems.map((p) => `  ${p}`).join("\n"));
    if (args.json) {
        fs.writeFileSync(args.json, JSON.stringify(toOrganizationPlanJson(organization), null, 2) + "\n");
        console.log(`wrote ${args.json}`);
    }
    return organization.problems.length === 0 ? 0 : 1;
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    return args.stacks.length > 0 ? planStacks(args) : planProject(args);
}

main().then(
    (code) => process.exit(code),
    (err: unknown) => {
        // Config and usage errors are the user's to fix: one line, no stack trace.
        if (pulumi.RunError.isInstance(err) || err instanceof UsageError) {
            console.error(`error: ${(err as Error).message}`);
        } else {
            console.error(err);
        }
        process.exit(1);
    },
);
