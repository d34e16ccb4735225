import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { ChildResult, DeployableResult } from "./child";
import { measurePackThroughput, PackThroughput } from "./pack-throughput";
import { Flags, runCommand, UsageError } from "../offline/cli";
import { BenchResults, renderBenchmarksMarkdown, renderBenchmarksSvg, SizeResult, TimedPlan } from "./report";
import { DELIVERIES, Delivery, EngineCost } from "./engine-cost";

/**
 * `npm run bench -- [--sizes 10,100,1000] [--full] [--pack-rounds N] [--only pack|plan] [--delivery MODE,MODE] [--engine-only] [--json FILE] [--no-docs]`
 * Measures the program against the floor for each organization size, each in
 * fresh processes, and the policy pack against a no-op pack over gRPC. Writes
 * docs/benchmarks.json, .md and .svg unless --no-docs. --full adds 5,000 accounts.
 * --only pack measures the pack alone and replaces only the pack's figures in
 * docs/benchmarks.json (dated with their own run), then re-renders the docs. --only plan times the
 * program's plan alone under each --delivery at each size (and checks it deployable), and replaces only
 * those timed plans in docs/benchmarks.json, dated.
 */
const ROOT = path.resolve(__dirname, "..");
const DOCS = path.join(ROOT, "docs");

interface Options {
    sizes: number[];
    deliveries: Delivery[];
    engineOnly: boolean;
    packRounds: number;
    programRuns: number;
    /** Only the policy pack's measurement: the sizes' figures are kept from docs/benchmarks.json. */
    packOnly: boolean;
    /** Only the plan's time and memory per size and delivery, merged into docs/benchmarks.json. */
    planOnly: boolean;
    json?: string;
    docs: boolean;
}

export const BENCH_COMMAND = {
    usage: "npm run bench --",
    description:
        "Measures plan time and memory of the program against the SDK floor per organization size, and the policy pack against a no-op pack; writes docs/benchmarks.* unless --no-docs.",
    flags: {
        sizes: { type: "string", value: "N,N,...", help: "organization sizes in member accounts (default 10,100,1000)" },
        full: { type: "boolean", help: "add 5,000 accounts to the default sizes" },
        "pack-rounds": { type: "string", value: "N", help: "rounds of the policy pack measurement (default 3; 0 skips it)" },
        "program-runs": { type: "string", value: "N", help: "fresh program processes per size; the median time is reported (default 3)" },
        only: {
            type: "string",
            value: "pack|plan",
            help: "pack: measure only the policy pack against the no-op pack; plan: time only the program's plan per size and --delivery (checked deployable); the docs keep every other figure of its last run",
        },
        json: { type: "string", value: "FILE", help: "also write the results to FILE" },
        "no-docs": { type: "boolean", help: "do not write docs/benchmarks.*" },
        delivery: {
            type: "string",
            value: "MODE,MODE",
            help: "member-role deliveries to plan, time (full run, --only plan) and model the engine's cost of (default providers,stacksets)",
        },
        "engine-only": {
            type: "boolean",
            help: "model only the engine's cost (provider processes, API calls, wall time) from one untimed plan per size and delivery, and merge it into docs/benchmarks.json beside the plan timings measured before",
        },
    },
} as const;

export function parseOptions(flags: Flags<typeof BENCH_COMMAND.flags>): Options {
    if (flags.full && flags.sizes !== undefined) {
        throw new UsageError("--full: conflicts with --sizes; give one of them");
    }
    const sizes = flags.sizes !== undefined ? flags.sizes.split(",").map(Number) : flags.full ? [10, 100, 1000, 5000] : [10, 100, 1000];
    if (sizes.some((n) => !Number.isInteger(n) || n < 2)) {
        throw new UsageError(`--sizes: ${JSON.stringify(flags.sizes)} is not whole numbers of at least 2, comma-separated`);
    }
    const packRounds = flags["pack-rounds"] !== undefined ? Number(flags["pack-rounds"]) : 3;
    if (!Number.isInteger(packRounds) || packRounds < 0) {
        throw new UsageError(`--pack-rounds: ${JSON.stringify(flags["pack-rounds"])} is not a whole number`);
    }
    const programRuns = flags["program-runs"] !== undefined ? Number(flags["program-runs"]) : 3;
    if (!Number.isInteger(programRuns) || programRuns < 1) {
        throw new UsageError(`--program-runs: ${JSON.stringify(flags["program-runs"])} is not a whole number of at least 1`);
    }
    if (flags.only !== undefined && flags.only !== "pack" && flags.only !== "plan") {
        throw new UsageError(`--only: ${JSON.stringify(flags.only)} is not a part of the bench; the parts are "pack" and "plan"`);
    }
    if (flags.only === "plan" && flags["engine-only"]) {
        throw new UsageError("--only plan: conflicts with --engine-only; give one of them");
    }
    const packOnly = flags.only === "pack";
    if (packOnly && (flags.sizes !== undefined || flags.full || flags["program-runs"] !== undefined || flags["engine-only"])) {
        throw new UsageError("--only pack: measures no organization size; drop --sizes, --full, --program-runs and --engine-only");
    }
    if (packOnly && packRounds === 0) {
        throw new UsageError("--only pack: needs at least one --pack-rounds");
    }
    const deliveries = (flags.delivery ?? DELIVERIES.join(",")).split(",") as Delivery[];
    const unknown = deliveries.filter((d) => !DELIVERIES.includes(d));
    if (unknown.length > 0 || deliveries.length === 0) {
        throw new UsageError(`--delivery: ${JSON.stringify(flags.delivery)} is not a comma-separated list of ${DELIVERIES.join(", ")}`);
    }
    return {
        sizes,
        packRounds,
        programRuns,
        packOnly,
        planOnly: flags.only === "plan",
        json: flags.json,
        docs: !flags["no-docs"],
        deliveries,
        engineOnly: flags["engine-only"] === true,
    };
}

/**
 * The Node arguments `pulumi preview` and `pulumi up` run the program with: the
 * project's `runtime.options.nodeargs` (Pulumi.yaml), split on white space.
 * Every child runs with them, so the measurement is of the program as Pulumi runs it.
 */
export function projectNodeArgs(projectFile = path.join(ROOT, "Pulumi.yaml")): string[] {
    const project = yaml.load(fs.readFileSync(projectFile, "utf8")) as { runtime?: unknown };
    const runtime = project.runtime;
    const nodeargs =
        typeof runtime === "object" && runtime !== null ? (runtime as { options?: { nodeargs?: unknown } }).options?.nodeargs : undefined;
    if (nodeargs === undefined) {
        return [];
    }
    if (typeof nodeargs !== "string") {
        throw new Error(`${projectFile}: runtime.options.nodeargs is not a string`);
    }
    return nodeargs.split(/\s+/).filter((a) => a !== "");
}

/** A child's result, or why it could not finish (the naive floor registers everything at once, which 5,000 accounts outgrow). */
type ChildOutcome = ChildResult | { readonly failed: string };

/**
 * How long a floor child may run: five times the program's time at that size,
 * and at least two minutes. The floors register every resource at once, so at
 * 5,000 accounts they collect garbage at Node's heap ceiling for as long as one
 * lets them; the floor targets are taken at 1,000 accounts, where they finish.
 */
export function floorTimeLimitMs(programMs: number): number {
    return Math.round(Math.max(120_000, 5 * programMs));
}

function spawnChild(
    mode: string,
    members: number,
    manifest: string,
    nodeArgs: readonly string[],
    timeLimitMs?: number,
    delivery: Delivery = "providers",
): string {
    const run = spawnSync(
        process.execPath,
        [...nodeArgs, "-r", "ts-node/register/transpile-only", path.join(__dirname, "child.ts"), mode, String(members), manifest, delivery],
        {
            cwd: ROOT,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
            timeout: timeLimitMs,
            killSignal: "SIGKILL",
        },
    );
    if (timeLimitMs !== undefined && run.signal === "SIGKILL") {
        throw new Stopped(timeLimitMs);
    }
    if (run.status !== 0) {
        if (/heap out of memory/.test(run.stderr)) {
            throw new OutOfMemory();
        }
        throw new Error(`${mode} at ${members} accounts failed:\n${run.stderr}`);
    }
    return run.stdout.trim().split("\n").pop() ?? "";
}

class OutOfMemory extends Error {}

class Stopped extends Error {
    constructor(readonly afterMs: number) {
        super(`stopped after ${Math.round(afterMs / 1000)} s`);
    }
}

function child(
    mode: "program" | "floor" | "floor-tuned",
    members: number,
    manifest: string,
    nodeArgs: readonly string[],
    timeLimitMs?: number,
): ChildOutcome {
    try {
        return JSON.parse(spawnChild(mode, members, manifest, nodeArgs, timeLimitMs)) as ChildResult;
    } catch (e) {
        if (e instanceof OutOfMemory) {
            return { failed: `out of memory (${nodeArgs.length > 0 ? nodeArgs.join(" ") : "Node's default heap"})` };
        }
        if (e instanceof Stopped) {
            return { failed: `> ${Math.round(e.afterMs / 1000)} s (stopped)` };
        }
        throw e;
    }
}

/** The organization plan's checks and the policy pack over the synthetic plan, in a child of their own (not timed). */
function deployableChild(members: number, nodeArgs: readonly string[], delivery: Delivery = "providers"): DeployableResult {
    return JSON.parse(spawnChild("deployable", members, "-", nodeArgs, undefined, delivery)) as DeployableResult;
}

/** The engine's modelled cost of each delivery at this size, each from its own untimed plan in a fresh child. */
function engineChildren(members: number, deliveries: readonly Delivery[], nodeArgs: readonly string[]): EngineCost[] {
    return deliveries.map((d) => JSON.parse(spawnChild("engine", members, "-", nodeArgs, undefined, d)) as EngineCost);
}

/**
 * The program's plan under one delivery, timed in `runs` fresh children as the size's program row is (median
 * time, highest peak RSS), and the organization plan's checks and the served pack over it in a child of its own.
 */
function timedPlan(members: number, delivery: Delivery, nodeArgs: readonly string[], runs: number): TimedPlan {
    const manifest = path.join(os.tmpdir(), `org-access-bench-${process.pid}-${members}-${delivery}.json`);
    try {
        const results = Array.from(
            { length: runs },
            () => JSON.parse(spawnChild("program", members, manifest, nodeArgs, undefined, delivery)) as ChildResult,
        );
        const program = medianRun(results);
        const deployable = deployableChild(members, nodeArgs, delivery);
        return {
            members,
            delivery,
            date: new Date().toISOString().slice(0, 10),
            runs,
            resources: program.resources,
            programMs: Math.round(program.wallMs),
            programPeakRssBytes: program.peakRssBytes,
            problems: deployable.problems,
            mandatoryViolations: deployable.mandatoryViolations,
        };
    } finally {
        fs.rmSync(manifest, { force: true });
    }
}

/** The size's providers row as a timed plan: the same program children, the same deployable check. */
function timedPlanOf(size: SizeResult, date: string, runs: number): TimedPlan {
    return {
        members: size.members,
        delivery: "providers",
        date,
        runs,
        resources: size.resources,
        programMs: size.programMs,
        programPeakRssBytes: size.programPeakRssBytes,
        problems: size.deployable.problems,
        mandatoryViolations: size.deployable.mandatoryViolations,
    };
}

const planLine = (p: TimedPlan) =>
    `${p.members} accounts, ${p.delivery}: ${p.resources} resources, plan ${(p.programMs / 1000).toFixed(1)} s (median of ${p.runs}), peak RSS ${(p.programPeakRssBytes / 2 ** 30).toFixed(2)} GiB; ${p.problems.length} problems, ${p.mandatoryViolations.length} mandatory violations`;

/** Why a timed plan's organization could not be deployed, as `undeployable` says it of a size. */
const undeployablePlan = (p: TimedPlan) => whyUndeployable(p);

function refuse(what: string, why: readonly string[]): number {
    // An undeployable organization measures nothing: no docs are written from it.
    console.error(
        `the synthetic organization of ${what} is not deployable, so its benchmark measures nothing:\n${why.slice(0, 20).join("\n")}${why.length > 20 ? `\n... and ${why.length - 20} more` : ""}`,
    );
    return 1;
}

/** `plans` with every (size, delivery) of `measured` replaced by its new measurement. */
function mergePlans(before: readonly TimedPlan[], measured: readonly TimedPlan[]): TimedPlan[] {
    const same = (a: TimedPlan, b: TimedPlan) => a.members === b.members && a.delivery === b.delivery;
    return [...before.filter((p) => !measured.some((m) => same(m, p))), ...measured].sort(
        (a, b) => a.members - b.members || a.delivery.localeCompare(b.delivery),
    );
}

/** `--only plan`: the plan timed per size and delivery, merged into docs/benchmarks.json; nothing else re-measured. */
function planOnly(options: Options, nodeArgs: readonly string[]): number {
    const before = JSON.parse(fs.readFileSync(path.join(DOCS, "benchmarks.json"), "utf8")) as BenchResults;
    const measured: TimedPlan[] = [];
    for (const members of options.sizes) {
        for (const delivery of options.deliveries) {
            const p = timedPlan(members, delivery, nodeArgs, options.programRuns);
            console.log(planLine(p));
            const why = undeployablePlan(p);
            if (why.length > 0) return refuse(`${members} accounts under ${delivery}`, why);
            measured.push(p);
        }
    }
    writeResults(options, { ...before, plans: mergePlans(before.plans ?? [], measured) });
    return 0;
}

function completed(outcome: ChildOutcome, what: string, expectedResources?: number): ChildResult | undefined {
    if ("failed" in outcome) {
        return undefined;
    }
    if (expectedResources !== undefined && outcome.resources !== expectedResources) {
        throw new Error(`${what} registered ${outcome.resources} resources, the program ${expectedResources}`);
    }
    return outcome;
}

/**
 * The program's run of median time among `runs` fresh processes, with the
 * highest peak RSS any of them reached: times on a shared machine move by
 * 10-20% between runs, and one slow run should not decide a ratio either way.
 */
export function medianRun(runs: readonly ChildResult[]): ChildResult {
    if (runs.length === 0) {
        throw new Error("no program run to take the median of");
    }
    const median = [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((runs.length - 1) / 2)];
    const peak = (pick: (r: ChildResult) => number | undefined) => Math.max(...runs.map((r) => pick(r) ?? 0));
    return {
        ...median,
        peakRssBytes: peak((r) => r.peakRssBytes),
        reach: median.reach && { ...median.reach, peakRssBytes: peak((r) => r.reach?.peakRssBytes) },
    };
}

function measureSize(members: number, nodeArgs: readonly string[], programRuns: number, deliveries: readonly Delivery[]): SizeResult {
    const manifest = path.join(os.tmpdir(), `org-access-bench-${process.pid}-${members}.json`);
    try {
        const runs = Array.from({ length: programRuns }, () => completed(child("program", members, manifest, nodeArgs), "program"));
        if (runs.some((r) => r === undefined)) {
            throw new Error(`the program ran out of memory at ${members} accounts`);
        }
        const program = medianRun(runs as ChildResult[]);
        const limit = floorTimeLimitMs(program.wallMs);
        const floorOutcome = child("floor", members, manifest, nodeArgs, limit);
        const floor = completed(floorOutcome, "floor", program.resources);
        const tunedOutcome = child("floor-tuned", members, manifest, nodeArgs, limit);
        const tuned = completed(tunedOutcome, "tuned floor", program.resources);
        const deployable = deployableChild(members, nodeArgs);
        if (deployable.resourcesAnalyzed < program.resources) {
            throw new Error(
                `the policy pack analyzed ${deployable.resourcesAnalyzed} resources, the program registered ${program.resources}`,
            );
        }
        const reach = program.reach;
        return {
            members,
            engine: engineChildren(members, deliveries, nodeArgs),
            resources: program.resources,
            resourcesPerMember: program.resources / members,
            largestTrustPolicyChars: program.largestTrustPolicyChars ?? 0,
            programMs: Math.round(program.wallMs),
            programPeakRssBytes: program.peakRssBytes,
            floorMs: floor ? Math.round(floor.wallMs) : null,
            floorPeakRssBytes: floor ? floor.peakRssBytes : null,
            floorFailure: "failed" in floorOutcome ? floorOutcome.failed : undefined,
            ratio: floor ? program.wallMs / floor.wallMs : null,
            tunedFloorMs: tuned ? Math.round(tuned.wallMs) : null,
            tunedFloorPeakRssBytes: tuned ? tuned.peakRssBytes : null,
            tunedFloorFailure: "failed" in tunedOutcome ? tunedOutcome.failed : undefined,
            tunedRatio: tuned ? program.wallMs / tuned.wallMs : null,
            reachMs: reach ? Math.round(reach.ms) : null,
            reachRatio: reach ? reach.ms / program.wallMs : null,
            reachPaths: reach ? reach.paths : null,
            reachPeakRssBytes: reach ? reach.peakRssBytes : null,
            deployable: {
                problems: deployable.problems,
                mandatoryViolations: deployable.mandatoryViolations,
                advisoryViolations: deployable.advisoryViolations,
                resourcesAnalyzed: deployable.resourcesAnalyzed,
                largestTrustPolicyChars: deployable.largestTrustPolicyChars,
                largestRoleInlineChars: deployable.largestRoleInlineChars,
                largestRoleInlineRole: deployable.largestRoleInlineRole,
                inlineCharsByRole: deployable.inlineCharsByRole,
                mostManagedPoliciesPerRole: deployable.mostManagedPoliciesPerRole,
                quotas: deployable.quotas,
            },
        };
    } finally {
        fs.rmSync(manifest, { force: true });
    }
}

const fixed = (n: number | null, digits = 2) => (n === null ? "n/a" : n.toFixed(digits));

/** Why the size's organization could not be deployed: the organization plan's problems and the pack's mandatory violations. */
export function undeployable(size: SizeResult): string[] {
    return whyUndeployable(size.deployable);
}

function whyUndeployable(found: { readonly problems: readonly string[]; readonly mandatoryViolations: readonly string[] }): string[] {
    return [...found.problems.map((p) => `problem: ${p}`), ...found.mandatoryViolations.map((v) => `mandatory violation: ${v}`)];
}

const engineLine = (members: number, e: EngineCost) =>
    `${members} accounts, ${e.delivery}: one stack ${e.oneStack.processes} provider processes (budget ${e.oneStack.budget}); deployed as ${e.stacks} stack${e.stacks === 1 ? "" : "s"} of at most ${e.maxProcessesPerStack}; first deploy ${e.firstDeploy.sts} STS + ${e.firstDeploy.iam} IAM + ${e.firstDeploy.cloudformation} CloudFormation calls, no-change up ${e.noChangeUp.sts} + ${e.noChangeUp.iam} + ${e.noChangeUp.cloudformation}`;

/**
 * `--engine-only`: the engine's modelled cost for every size, from untimed plans, merged into the
 * results measured before (docs/benchmarks.json): their timings stay as measured, and the doc says
 * which figures are measured and which modelled.
 */
function engineOnly(options: Options, nodeArgs: readonly string[]): number {
    const file = path.join(DOCS, "benchmarks.json");
    const before = JSON.parse(fs.readFileSync(file, "utf8")) as BenchResults;
    const engine = new Map(options.sizes.map((members) => [members, engineChildren(members, options.deliveries, nodeArgs)]));
    for (const [members, costs] of engine) costs.forEach((e) => console.log(engineLine(members, e)));
    const results: BenchResults = {
        ...before,
        engineModelled: new Date().toISOString().slice(0, 10),
        engineOnlySizes: options.sizes.filter((n) => !before.sizes.some((s) => s.members === n)),
        sizes: before.sizes.map((s) => ({ ...s, engine: engine.get(s.members) ?? s.engine })),
        engineSizes: [...engine].map(([members, costs]) => ({ members, engine: costs })),
    };
    writeResults(options, results);
    return 0;
}

function writeResults(options: Options, results: BenchResults): void {
    if (options.json) {
        fs.writeFileSync(options.json, JSON.stringify(results, null, 2) + "\n");
    }
    if (options.docs) {
        fs.writeFileSync(path.join(DOCS, "benchmarks.json"), JSON.stringify(results, null, 2) + "\n");
        fs.writeFileSync(path.join(DOCS, "benchmarks.md"), renderBenchmarksMarkdown(results));
        fs.writeFileSync(path.join(DOCS, "benchmarks.svg"), renderBenchmarksSvg(results));
        console.log("wrote docs/benchmarks.json, docs/benchmarks.md, docs/benchmarks.svg");
    }
}

async function measurePack(rounds: number): Promise<PackThroughput> {
    const pack = await measurePackThroughput(100, rounds);
    console.log(
        `policy pack: ${pack.packMsPerResource.toFixed(3)} ms/resource vs no-op ${pack.noopMsPerResource.toFixed(3)} (${pack.ratio.toFixed(2)}x)`,
    );
    return pack;
}

/** `--only pack`: the pack's figures, dated, in place of the last run's; everything else as that run measured it. */
async function packOnly(options: Options): Promise<number> {
    const last = JSON.parse(fs.readFileSync(path.join(DOCS, "benchmarks.json"), "utf8")) as BenchResults;
    writeResults(options, { ...last, pack: await measurePack(options.packRounds) });
    return 0;
}

async function main(options: Options): Promise<number> {
    if (options.packOnly) {
        return packOnly(options);
    }
    const nodeArgs = projectNodeArgs();
    if (options.engineOnly) {
        return engineOnly(options, nodeArgs);
    }
    if (options.planOnly) {
        return planOnly(options, nodeArgs);
    }
    console.log(`children run with Pulumi.yaml's runtime.options.nodeargs: ${nodeArgs.length > 0 ? nodeArgs.join(" ") : "(none)"}`);
    const sizes: SizeResult[] = [];
    const plans: TimedPlan[] = [];
    const date = new Date().toISOString().slice(0, 10);
    for (const members of options.sizes) {
        const result = measureSize(members, nodeArgs, options.programRuns, options.deliveries);
        console.log(
            `${members} accounts: ${result.resources} resources, plan ${(result.programMs / 1000).toFixed(1)} s, floor ${result.floorMs === null ? result.floorFailure : `${(result.floorMs / 1000).toFixed(1)} s`}, ratio ${fixed(result.ratio)} (tuned floor ${fixed(result.tunedRatio)}), peak RSS ${(result.programPeakRssBytes / 2 ** 30).toFixed(2)} GiB; reach ${result.reachMs === null ? "n/a" : `${(result.reachMs / 1000).toFixed(1)} s`} (${fixed(result.reachRatio)} of the plan); ${result.deployable.problems.length} problems, ${result.deployable.mandatoryViolations.length} mandatory violations over ${result.deployable.resourcesAnalyzed} resources`,
        );
        for (const e of result.engine ?? []) console.log(engineLine(members, e));
        const why = undeployable(result);
        if (why.length > 0) return refuse(`${members} accounts`, why);
        sizes.push(result);
        for (const delivery of options.deliveries) {
            const p =
                delivery === "providers"
                    ? timedPlanOf(result, date, options.programRuns)
                    : timedPlan(members, delivery, nodeArgs, options.programRuns);
            console.log(planLine(p));
            const whyNot = undeployablePlan(p);
            if (whyNot.length > 0) return refuse(`${members} accounts under ${delivery}`, whyNot);
            plans.push(p);
        }
    }
    const pack = options.packRounds > 0 ? await measurePack(options.packRounds) : undefined;
    const results: BenchResults = {
        date,
        programRuns: options.programRuns,
        machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
        node: process.version,
        runtime: "ts-node (transpile-only), Pulumi mock runtime",
        nodeArgs,
        sizes,
        pack,
        engineModelled: date,
        plans,
        engineSizes: sizes.map((s) => ({ members: s.members, engine: s.engine ?? [] })),
    };
    writeResults(options, results);
    return 0;
}

if (require.main === module) {
    runCommand(BENCH_COMMAND, (flags) => main(parseOptions(flags)));
}
