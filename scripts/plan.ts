import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { runPlan } from "../offline/plan";
import { renderPlan, toPlanJson } from "../offline/report";
import { stackNames } from "../offline/stack-files";

/**
 * `npm run plan -- [--stack NAME] [--config-file FILE] [--json FILE]`
 * Runs the program offline under Pulumi's mock runtime and prints what it
 * would create. Without --stack, plans every Pulumi.<stack>.yaml.
 */
interface Args {
    stacks: string[];
    configFile?: string;
    json?: string;
}

function parseArgs(argv: string[]): Args {
    const args: Args = { stacks: [] };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
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
    for (const stack of args.stacks) {
        const plan = await runPlan({ stack, configFile: args.configFile });
        console.log(renderPlan(plan));
        console.log("");
        if (args.json) {
            fs.writeFileSync(args.json, JSON.stringify(toPlanJson(plan), null, 2) + "\n");
            console.log(`wrote ${args.json}`);
        }
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
