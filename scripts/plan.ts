import * as fs from "fs";
import * as path from "path";
import { runPlan } from "../offline/plan";
import { renderPlan, toPlanJson } from "../offline/report";
import { stackNames } from "../offline/stack-files";
import { Flags, runCommand, UsageError } from "./cli";

/**
 * `npm run plan -- [--stack NAME]... [--config-file FILE] [--json FILE]`
 * Runs the program offline under Pulumi's mock runtime and prints what it
 * would create. Without --stack, plans every Pulumi.<stack>.yaml.
 */
export const PLAN_COMMAND = {
    usage: "npm run plan --",
    description:
        "Runs the program offline under Pulumi's mock runtime (no Pulumi CLI, no AWS) and prints, per stack, the resources per account and who may assume each role. Without --stack, plans every Pulumi.<stack>.yaml.",
    flags: {
        stack: { type: "string", multiple: true, value: "NAME", help: "plan this stack (default: every stack of the project)" },
        "config-file": { type: "string", value: "FILE", help: "read the stack's config from FILE (like pulumi preview --config-file); needs one --stack" },
        json: { type: "string", value: "FILE", help: "also write resources, IAM entities and outputs as JSON to FILE; needs one stack" },
    },
} as const;

/** The command's work, after its flags are parsed. */
export async function planMain(flags: Flags<typeof PLAN_COMMAND.flags>): Promise<void> {
    if (flags["config-file"] !== undefined && flags.stack.length !== 1) {
        throw new UsageError(`--config-file: ${JSON.stringify(flags["config-file"])} is one stack's config; give exactly one --stack (got ${flags.stack.length})`);
    }
    const stacks = flags.stack.length > 0 ? flags.stack : stackNames();
    if (flags.json !== undefined) {
        if (stacks.length !== 1) {
            throw new UsageError(`--json: ${JSON.stringify(flags.json)} holds one stack's plan; give exactly one --stack`);
        }
        checkWritable(flags.json);
    }
    for (const stack of stacks) {
        const plan = await runPlan({ stack, configFile: flags["config-file"] });
        console.log(renderPlan(plan));
        console.log("");
        if (flags.json !== undefined) {
            fs.writeFileSync(flags.json, JSON.stringify(toPlanJson(plan), null, 2) + "\n");
            console.log(`wrote ${flags.json}`);
        }
    }
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
