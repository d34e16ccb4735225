import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { runPlan } from "../offline/plan";
import { PlanJson, renderPlan, toPlanJson } from "../offline/report";
import { parseStackConfig } from "../config/stack";
import { buildOrganization } from "../analysis/organization";
import { reachOf } from "../analysis/reach";
import { renderAudience, renderGrid, renderPaths } from "../analysis/grid";
import { stackNames } from "../offline/stack-files";

/**
 * `npm run plan -- [--stack NAME] [--config-file FILE] [--json FILE] [--paths]`
 * Runs the program offline under Pulumi's mock runtime and prints what it
 * would create. Without --stack, plans every Pulumi.<stack>.yaml, and then
 * prints the reach of all of them together, as one organization. --paths adds
 * every path (one shortest path per entry identity and role).
 */
interface Args {
    stacks: string[];
    configFile?: string;
    json?: string;
    paths: boolean;
}

function parseArgs(argv: string[]): Args {
    const args: Args = { stacks: [], paths: false };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        if (flag === "--paths") {
            args.paths = true;
            continue;
        }
        const value = argv[i + 1];
        if (!["--stack", "--config-file", "--json"].includes(flag)) {
            throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
        }
        if (value === undefined || value.startsWith("--")) {
            throw new UsageError(`${flag} needs a value`);
        }
        i++;
        if (flag === "--stack") args.stacks.push(value);
        if (flag === "--config-file") args.configFile = value;
        if (flag === "--json") args.json = value;
    }
    if (args.stacks.length === 0) {
        if (args.configFile) {
            throw new UsageError("--config-file needs --stack");
        }
        args.stacks = stackNames();
    }
    if (args.json && args.stacks.length > 1) {
        throw new UsageError("--json needs a single --stack");
    }
    return args;
}

class UsageError extends Error {}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    const planned: { json: PlanJson; names: Map<string, string> }[] = [];
    for (const stack of args.stacks) {
        const plan = await runPlan({ stack, configFile: args.configFile });
        const org = parseStackConfig(plan.config).organization;
        planned.push({ json: toPlanJson(plan), names: new Map([org.management, ...org.members].map((a) => [a.id, a.name])) });
        console.log(renderPlan(plan, { paths: args.paths }));
        console.log("");
        if (args.json) {
            fs.writeFileSync(args.json, JSON.stringify(toPlanJson(plan), null, 2) + "\n");
            console.log(`wrote ${args.json}`);
        }
    }
    // Stacks of one organization, planned together: reach across all of them.
    const organizations = new Set(planned.map((p) => p.json.organizationId));
    if (planned.length > 1 && organizations.size === 1) {
        const name = (id: string) => planned.map((p) => p.names.get(id)).find((n) => n !== undefined) ?? id;
        const org = buildOrganization(
            planned.map((p) => p.json),
            name,
        );
        const reach = reachOf(org);
        console.log(`Organization ${[...organizations][0]} (stacks ${planned.map((p) => p.json.stack).join(" + ")}): reach across stacks`);
        for (const line of renderGrid(reach, name)) console.log(`  ${line}`);
        for (const problem of reach.problems) console.log(`  reach: ${problem}`);
        for (const role of [...org.roles.values()].filter((r) => r.accountId === org.managementAccountId)) {
            console.log("");
            for (const line of renderAudience(org, reach, role.arn, name)) console.log(`  ${line}`);
        }
        if (args.paths) {
            console.log("");
            console.log("  Paths:");
            for (const line of renderPaths(reach, name)) console.log(`    ${line}`);
        }
        console.log("");
    }
}

main().catch((err: unknown) => {
    // Config and usage errors are the user's to fix: one line, no stack trace.
    if (pulumi.RunError.isInstance(err) || err instanceof UsageError) {
        console.error(`error: ${(err as Error).message}`);
    } else {
        console.error(err);
    }
    process.exit(1);
});
