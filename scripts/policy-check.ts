import * as path from "path";
import { parseStackConfig } from "../config/stack";
import { AnalyzedResource, Diagnostic, PackConfig, ServedPolicyPack } from "./served-pack";
import { Plan, PlannedResource, runPlan } from "./plan-lib";

/**
 * `npm run policy-check -- --stack NAME [--config-file FILE]`
 * Plans the stack offline (scripts/plan-lib.ts), serves the real policy pack with
 * run-policy-pack as `pulumi preview --policy-pack policy-pack` would, configures it with the
 * stack's organization, management and access account, analyzes every resource (with its
 * provider's inputs) and the whole stack, prints the violations, and exits 1 on mandatory ones.
 */

export const PACK_DIR = path.resolve(__dirname, "..", "policy-pack");

export interface PolicyCheckResult {
    readonly stack: string;
    readonly packConfig: PackConfig;
    /** Every resource of the plan, as analyzed (providers included). */
    readonly resources: readonly AnalyzedResource[];
    readonly diagnostics: readonly Diagnostic[];
}

/** The pack config for a stack, from its validated program config. */
export function packConfigFor(plan: Plan): PackConfig {
    const config = parseStackConfig(plan.config);
    const organization = {
        managementAccountIds: [config.organization.management.id],
        accessAccountIds: config.access === undefined ? [] : [config.access.account.id],
        organizationId: config.organization.id,
    };
    return {
        "no-wildcard-principals": { organizationId: organization.organizationId },
        "no-compute-in-management-account": { managementAccountIds: organization.managementAccountIds },
        "management-account-not-access-account": {
            managementAccountIds: organization.managementAccountIds,
            accessAccountIds: organization.accessAccountIds,
        },
        "access-account-holds-access-only": { accessAccountIds: organization.accessAccountIds },
    };
}

export function analyzed(resource: PlannedResource): AnalyzedResource {
    return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        properties: resource.inputs,
        provider:
            resource.provider === undefined
                ? undefined
                : { type: resource.provider.type, name: resource.provider.name, urn: resource.provider.urn, properties: resource.provider.inputs },
    };
}

/** Plans `stack` and runs the pack over it; `pack` may be shared across stacks. */
export async function checkStack(pack: ServedPolicyPack, stack: string, configFile?: string): Promise<PolicyCheckResult> {
    const plan = await runPlan({ stack, configFile });
    const packConfig = packConfigFor(plan);
    await pack.configure(packConfig);
    const resources = plan.resources.map(analyzed);
    const diagnostics: Diagnostic[] = [];
    for (const resource of resources) {
        for (const diagnostic of await pack.analyze(resource)) {
            diagnostics.push({ ...diagnostic, urn: diagnostic.urn ?? resource.urn });
        }
    }
    // The engine hands AnalyzeStack the resources' outputs; offline, inputs are the closest we have.
    diagnostics.push(...(await pack.analyzeStack(resources)));
    return { stack, packConfig, resources, diagnostics };
}

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
