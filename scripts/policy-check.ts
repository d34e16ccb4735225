import { ServedPolicyPack } from "../offline/served-pack";
import { checkPlan, PACK_DIR, PolicyCheckResult } from "../offline/pack-check";
import { planStack, projectOf } from "../offline/config-sources";
import { Flags, runCommand, UsageError } from "../offline/cli";

/**
 * `npm run policy-check -- --stack NAME [--project DIR] [--config-file FILE]`
 * Plans the stack offline (offline/plan.ts), serves the real policy pack with
 * run-policy-pack as `pulumi preview --policy-pack policy-pack` would, configures it with the
 * stack's organization, management and access account, analyzes every resource (with its
 * provider's inputs) and the whole stack, prints the violations, and exits 1 on mandatory ones.
 */

function render(result: PolicyCheckResult): string {
    const verdict = result.diagnostics.length === 0 ? "no policy violations" : `${result.diagnostics.length} policy violation(s)`;
    const lines = [`stack ${result.stack}: ${result.resources.length} resources analyzed, ${verdict}`];
    for (const d of result.diagnostics) {
        lines.push(`  [${d.enforcementLevel}] ${d.policyName}: ${d.urn ?? "(stack)"}`);
        for (const line of d.message.split("\n")) {
            lines.push(`      ${line}`);
        }
    }
    return lines.join("\n");
}

export const POLICY_CHECK_COMMAND = {
    usage: "npm run policy-check --",
    description:
        "Plans one stack offline, serves the real policy pack as the engine does, analyzes every resource and the whole stack, prints the violations, and exits 1 on a mandatory one.",
    flags: {
        stack: { type: "string", value: "NAME", help: "the stack to check (required)" },
        project: {
            type: "string",
            value: "DIR",
            help: "the Pulumi project the stack belongs to (default: this repository; with --config-file, the project beside that file when it has a Pulumi.yaml)",
        },
        "config-file": {
            type: "string",
            value: "FILE",
            help: "read the stack's config from FILE instead of Pulumi.<stack>.yaml, under the project config of --project only",
        },
    },
} as const;

/** The command's work, after its flags are parsed: the exit code. */
export async function policyCheckMain(flags: Flags<typeof POLICY_CHECK_COMMAND.flags>): Promise<number> {
    if (flags.stack === undefined) {
        throw new UsageError("--stack: is required (see --help)");
    }
    const source = { stack: flags.stack, projectDir: projectOf(flags.project, flags["config-file"]), configFile: flags["config-file"] };
    // Stack, file and config problems first (planStack validates before it plans), in one line
    // naming the file and line, before the pack's server starts.
    const plan = await planStack(source);
    const pack = await ServedPolicyPack.start(PACK_DIR);
    try {
        const result = await checkPlan(pack, plan);
        console.log(render(result));
        return result.diagnostics.some((d) => d.enforcementLevel === "mandatory") ? 1 : 0;
    } finally {
        await pack.stop();
    }
}

if (require.main === module) {
    runCommand(POLICY_CHECK_COMMAND, policyCheckMain);
}
