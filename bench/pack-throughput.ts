import * as path from "path";
import { AnalyzedResource, ServedPolicyPack } from "../offline/served-pack";
import { analyzed, PACK_DIR, packConfigFor } from "../offline/pack-check";
import { runPlan } from "../offline/plan";
import { syntheticConfig } from "./synthetic";

/**
 * The policy pack's cost over its real gRPC protocol: every resource of a
 * synthetic plan is sent with Analyze, one call at a time, to the real pack and
 * to a no-op pack served the same way. Each resource goes to both packs in turn,
 * alternating which goes first, so the two are timed at the same moments: load
 * from other processes, which moves a shared machine's times by tens of percent
 * within seconds, falls on both alike.
 */
export interface PackThroughput {
    /** The day this measurement ran (absent: the day of the whole bench run it belongs to). */
    readonly date?: string;
    readonly members: number;
    readonly resources: number;
    readonly rounds: number;
    readonly packMsPerResource: number;
    readonly noopMsPerResource: number;
    readonly ratio: number;
}

const NOOP_PACK_DIR = path.join(__dirname, "noop-pack");

async function analyzeAll(pack: ServedPolicyPack, resources: readonly AnalyzedResource[]): Promise<void> {
    for (const resource of resources) {
        await pack.analyze(resource);
    }
}

async function timed(pack: ServedPolicyPack, resource: AnalyzedResource): Promise<number> {
    const started = process.hrtime.bigint();
    await pack.analyze(resource);
    return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function measurePackThroughput(members: number, rounds: number): Promise<PackThroughput> {
    const plan = await runPlan({ stack: "bench", config: syntheticConfig(members) });
    const resources = plan.resources.filter((r) => r.custom).map(analyzed);
    const [real, noop] = await Promise.all([ServedPolicyPack.start(PACK_DIR), ServedPolicyPack.start(NOOP_PACK_DIR)]);
    try {
        await real.configure(packConfigFor(plan));
        await noop.configure({ noop: "advisory" });
        // Warm both servers (module loading, JIT) before timing.
        await analyzeAll(real, resources.slice(0, 50));
        await analyzeAll(noop, resources.slice(0, 50));
        let realMs = 0;
        let noopMs = 0;
        for (let round = 0; round < rounds; round++) {
            for (const [index, resource] of resources.entries()) {
                if ((round + index) % 2 === 0) {
                    realMs += await timed(real, resource);
                    noopMs += await timed(noop, resource);
                } else {
                    noopMs += await timed(noop, resource);
                    realMs += await timed(real, resource);
                }
            }
        }
        const calls = resources.length * rounds;
        return {
            date: new Date().toISOString().slice(0, 10),
            members,
            resources: resources.length,
            rounds,
            packMsPerResource: realMs / calls,
            noopMsPerResource: noopMs / calls,
            ratio: realMs / noopMs,
        };
    } finally {
        await Promise.all([real.stop(), noop.stop()]);
    }
}
