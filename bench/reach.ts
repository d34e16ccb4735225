import { runPlan } from "../offline/plan";
import { toPlanJson } from "../offline/report";
import { organizationReach } from "../analysis/reach";
import { memberAccount, SYNTHETIC_MANAGEMENT, syntheticConfig } from "./synthetic";

/**
 * `npx ts-node --transpile-only bench/reach.ts [members]` (default 1000):
 * plans the synthetic organization, then computes its reach, in this one
 * process, and prints one JSON line: plan time, reach time, their ratio, peak
 * RSS. Run it in a fresh process per size, as bench/child.ts does, so the
 * peak means something. `npm run bench` measures reach in its program child
 * (docs/benchmarks.md, section Reach); this standalone splits JSON from reach.
 */
export interface ReachMeasurement {
    readonly members: number;
    readonly planMs: number;
    /** The plan's JSON (`toPlanJson`), which the organization plan writes anyway. */
    readonly jsonMs: number;
    /** `organizationReach` over that JSON. */
    readonly reachMs: number;
    /** reachMs / planMs; with the JSON counted as reach's too: ratioWithJson. */
    readonly ratio: number;
    readonly ratioWithJson: number;
    readonly reachPaths: number;
    readonly alerts: number;
    readonly peakRssBytes: number;
}

export async function measureReach(members: number): Promise<ReachMeasurement> {
    const started = process.hrtime.bigint();
    const plan = await runPlan({ stack: "bench", config: syntheticConfig(members) });
    const planned = process.hrtime.bigint();
    const names = new Map([
        [SYNTHETIC_MANAGEMENT, "management"],
        ...Array.from({ length: members }, (_, i): [string, string] => [memberAccount(i).id, memberAccount(i).name]),
    ]);
    const json = toPlanJson(plan);
    const converted = process.hrtime.bigint();
    const result = organizationReach([json], (id) => names.get(id) ?? id, SYNTHETIC_MANAGEMENT);
    const done = process.hrtime.bigint();
    const planMs = Number(planned - started) / 1e6;
    const jsonMs = Number(converted - planned) / 1e6;
    const reachMs = Number(done - converted) / 1e6;
    return {
        members,
        planMs: Math.round(planMs),
        jsonMs: Math.round(jsonMs),
        reachMs: Math.round(reachMs),
        ratio: reachMs / planMs,
        ratioWithJson: (jsonMs + reachMs) / planMs,
        reachPaths: result.reach.length,
        alerts: result.alerts.length,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
}

if (require.main === module) {
    measureReach(Number(process.argv[2] ?? 1000))
        .then((m) => console.log(JSON.stringify(m)))
        .catch((err: unknown) => {
            console.error(err);
            process.exit(1);
        });
}
