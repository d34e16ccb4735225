import { ServedPolicyPack } from "../offline/served-pack";
import { checkStack, PACK_DIR, PolicyCheckResult } from "../offline/pack-check";

/**
 * `npm run policy-check -- --stack NAME [--config-file FILE]`
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

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): { stack: string; configFile?: string } {
    let stack: string | undefined;
    let configFile: string | undefined;
    for (let i = 0; i < argv.length; i += 2) {
        const [flag, value] = [argv[i], argv[i + 1]];
        if (value === undefined || value.startsWith("--")) {
            throw new UsageError(`${flag} needs a value`);
        }
        if (flag === "--stack") {
            stack = value;
        } else if (flag === "--config-file") {
            configFile = value;
        } else {
            throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
        }
    }
    if (stack === undefined) {
        throw new UsageError("--stack is required");
    }
    return { stack, configFile };
}

async function main(): Promise<number> {
    let args: { stack: string; configFile?: string };
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (e) {
        if (e instanceof UsageError) {
            console.error(`policy-check: ${e.message}\nusage: npm run policy-check -- --stack NAME [--config-file FILE]`);
            return 2;
        }
        throw e;
    }
    const pack = await ServedPolicyPack.start(PACK_DIR);
    try {
        const result = await checkStack(pack, args.stack, args.configFile);
        console.log(render(result));
        return result.diagnostics.some(d => d.enforcementLevel === "mandatory") ? 1 : 0;
    } finally {
        await pack.stop();
    }
}

if (require.main === module) {
    main().then(
        code => process.exit(code),
        (error: unknown) => {
            console.error(`policy-check: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
        },
    );
}
