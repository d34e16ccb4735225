import * as fs from "fs";
import { planFunction, planProgram, Plan } from "../offline/plan";
import { ManifestEntry, manifestOf, registerStraightLine } from "./floor";
import { limitStackCapture } from "../config/runtime";
import { syntheticConfig } from "./synthetic";

/**
 * One measurement in a fresh process, so each gets its own heap and its peak
 * RSS means something:
 *   child.ts program <members> <manifest-out.json>
 *   child.ts floor   <members> <manifest-in.json>
 *   child.ts floor-tuned <members> <manifest-in.json>   (the floor, with the program's stack-capture setting)
 * Prints one JSON line: wall time of the plan, peak RSS, and plan facts.
 */
export interface ChildResult {
    readonly wallMs: number;
    readonly peakRssBytes: number;
    readonly resources: number;
    readonly largestTrustPolicyChars?: number;
}

function trustPolicySizes(plan: Plan): number[] {
    return plan.resources
        .filter((r) => r.type === "aws:iam/role:Role" && typeof r.inputs.assumeRolePolicy === "string")
        .map((r) => (r.inputs.assumeRolePolicy as string).replace(/\s/g, "").length);
}

async function main(): Promise<void> {
    const [mode, membersText, manifestFile] = process.argv.slice(2);
    const members = Number(membersText);
    const config = syntheticConfig(members);
    const started = process.hrtime.bigint();
    let result: ChildResult;
    if (mode === "program") {
        const outcome = await planProgram({ stack: "bench", config });
        if (!outcome.ok) throw outcome.error;
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
        const custom = outcome.plan.resources.filter((r) => r.custom);
        fs.writeFileSync(manifestFile, JSON.stringify(manifestOf(outcome.plan.resources)));
        result = {
            wallMs,
            peakRssBytes: process.resourceUsage().maxRSS * 1024,
            resources: custom.length,
            largestTrustPolicyChars: Math.max(...trustPolicySizes(outcome.plan)),
        };
    } else if (mode === "floor" || mode === "floor-tuned") {
        const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as ManifestEntry[];
        const loaded = process.hrtime.bigint();
        const outcome = await planFunction({ stack: "bench", config }, () => {
            if (mode === "floor-tuned") {
                limitStackCapture();
            }
            registerStraightLine(manifest);
        });
        if (!outcome.ok) throw outcome.error;
        result = {
            wallMs: Number(process.hrtime.bigint() - loaded) / 1e6,
            peakRssBytes: process.resourceUsage().maxRSS * 1024,
            resources: outcome.plan.resources.filter((r) => r.custom).length,
        };
    } else {
        throw new Error(`unknown mode ${mode}`);
    }
    console.log(JSON.stringify(result));
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
