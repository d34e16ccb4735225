import * as fs from "fs";
import * as path from "path";
import { planFunction, planProgram, Plan } from "../offline/plan";
import { ManifestEntry, manifestOf, registerStraightLine } from "./floor";
import { limitStackCapture } from "../config/runtime";
import { memberAccount, SYNTHETIC_MANAGEMENT, syntheticConfig } from "./synthetic";
import { toPlanJson } from "../offline/report";
import { organizationReach } from "../analysis/reach";
import { Deployability, deployability } from "./deployable";
import { countNonWhitespaceCharacters } from "../iam/documents";
import { Delivery, EngineCost, engineCost } from "./engine-cost";

/**
 * One measurement in a fresh process, so each gets its own heap and its peak
 * RSS means something:
 *   child.ts program <members> <manifest-out.json>
 *   child.ts floor   <members> <manifest-in.json>
 *   child.ts floor-tuned <members> <manifest-in.json>   (the floor, with the program's stack-capture setting)
 *   child.ts deployable <members>   (the organization plan's checks and the policy pack over the plan; not timed)
 *   child.ts engine <members> - <delivery>   (the engine's modelled cost of the plan, bench/engine-cost.ts; not timed)
 * Every mode takes the delivery of member roles as its fourth argument (default providers).
 * Prints one JSON line: wall time of the plan, peak RSS, and plan facts. The
 * program child then computes reach over the plan's JSON, as the organization
 * plan does, and reports its time and the peak RSS with it.
 */
export interface ChildResult {
    readonly wallMs: number;
    readonly peakRssBytes: number;
    readonly resources: number;
    readonly largestTrustPolicyChars?: number;
    /** Program only: `toPlanJson` plus `organizationReach` over it, after the plan, in the same process. */
    readonly reach?: ReachTiming;
}

export interface ReachTiming {
    readonly ms: number;
    readonly paths: number;
    readonly alerts: number;
    /** Peak RSS of the process once reach is done (the plan's and reach's together). */
    readonly peakRssBytes: number;
}

/** The deployable child's line. */
export type DeployableResult = Deployability;

function reachOfPlan(plan: Plan, members: number): ReachTiming {
    const names = new Map([
        [SYNTHETIC_MANAGEMENT, "management"],
        ...Array.from({ length: members }, (_, i): [string, string] => [memberAccount(i).id, memberAccount(i).name]),
    ]);
    const started = process.hrtime.bigint();
    const result = organizationReach([toPlanJson(plan)], (id) => names.get(id) ?? id, SYNTHETIC_MANAGEMENT);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { ms, paths: result.reach.length, alerts: result.alerts.length, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

function trustPolicySizes(plan: Plan): number[] {
    return plan.resources
        .filter((r) => r.type === "aws:iam/role:Role" && typeof r.inputs.assumeRolePolicy === "string")
        .map((r) => countNonWhitespaceCharacters(r.inputs.assumeRolePolicy as string));
}

async function main(): Promise<void> {
    const [mode, membersText, manifestFile, delivery = "providers"] = process.argv.slice(2);
    const members = Number(membersText);
    const config = syntheticConfig(members, delivery as Delivery);
    const started = process.hrtime.bigint();
    let result: ChildResult | DeployableResult | EngineCost;
    if (mode === "engine") {
        const outcome = await planProgram({ stack: "bench", config });
        if (!outcome.ok) throw outcome.error;
        result = engineCost(outcome.plan, delivery as Delivery);
    } else if (mode === "deployable") {
        const outcome = await planProgram({ stack: "bench", config });
        if (!outcome.ok) throw outcome.error;
        result = await deployability(outcome.plan, path.resolve(__dirname, ".."));
    } else if (mode === "program") {
        const outcome = await planProgram({ stack: "bench", config });
        if (!outcome.ok) throw outcome.error;
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
        const peakRssBytes = process.resourceUsage().maxRSS * 1024;
        const custom = outcome.plan.resources.filter((r) => r.custom);
        fs.writeFileSync(manifestFile, JSON.stringify(manifestOf(outcome.plan.resources)));
        result = {
            wallMs,
            peakRssBytes,
            resources: custom.length,
            largestTrustPolicyChars: Math.max(...trustPolicySizes(outcome.plan)),
            reach: reachOfPlan(outcome.plan, members),
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
