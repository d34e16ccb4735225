import { show } from "./errors";
import { ConfigValue } from "./reader";

/**
 * What the Pulumi engine may start for one stack: a budget of provider processes
 * (`org-access:providerBudget`) and the memory one AWS provider process is taken
 * to hold (`org-access:providerProcessMemoryMiB`).
 *
 * The engine runs every distinct provider configuration as an OS process of its
 * own ("In the current model it is assumed that every distinct configuration of a
 * provider will receive a separate OS process", https://github.com/pulumi/pulumi/issues/19534),
 * and the program makes one `aws.Provider` per account (accounts/providers.ts).
 * An AWS provider process has been measured at about 170 MB resident
 * (https://github.com/pulumi/pulumi-aws/issues/5226) and at 317–430 MB resident
 * with pulumi-aws 7.3.1 (https://github.com/pulumi/pulumi-aws/issues/5860), so the
 * default takes the highest figure seen.
 */
export interface ProviderBudget {
    /** The most provider processes one stack may start. */
    readonly processes: number;
    /** Resident memory per provider process, in MiB, for the estimate. */
    readonly processMemoryMiB: number;
}

/** The highest resident set measured for one AWS provider process (pulumi/pulumi-aws#5860: 430m RES). */
export const PROVIDER_PROCESS_MEMORY_MIB = 430;

/**
 * The CI runner the default budget is sized for: 16 GB, GitHub's standard Linux
 * runner for public repositories (4 vCPU, 16 GB RAM,
 * https://docs.github.com/en/actions/reference/runners/github-hosted-runners).
 */
export const RUNNER_MEMORY_MIB = 16 * 1024;

/**
 * Kept out of the budget for everything that is not a provider process: the Pulumi
 * CLI and engine (1.3 GB resident in pulumi/pulumi-aws#5860), the Node program (at
 * most 1 GiB at 1,000 accounts, docs/benchmarks.md), the policy pack's Node
 * process, the OS and the runner's agent.
 */
export const RUNNER_HEADROOM_MIB = 4 * 1024;

/** The default budget for a per-process figure: what fits in the runner once the headroom is kept (28 at 430 MiB). */
export function defaultProviderProcesses(processMemoryMiB: number): number {
    return Math.max(1, Math.floor((RUNNER_MEMORY_MIB - RUNNER_HEADROOM_MIB) / processMemoryMiB));
}

/** Accepts a number, or a string of digits (a sign included) as YAML and the CLI may give it. */
function wholeNumber(value: ConfigValue): number {
    const n = typeof value.raw === "string" && /^[+-]?\d+$/.test(value.raw.trim()) ? Number(value.raw) : value.raw;
    if (typeof n !== "number" || !Number.isInteger(n)) {
        value.fail(`expected a whole number, got ${show(value.raw)}`);
    }
    return n;
}

/**
 * `org-access:providerBudget` and `org-access:providerProcessMemoryMiB`, both optional.
 * Without a budget, the default is what a 16 GiB runner holds at the per-process figure.
 */
export function parseProviderBudget(budget: ConfigValue, memory: ConfigValue): ProviderBudget {
    let processMemoryMiB = PROVIDER_PROCESS_MEMORY_MIB;
    if (memory.present) {
        processMemoryMiB = wholeNumber(memory);
        if (processMemoryMiB < 1 || processMemoryMiB > RUNNER_MEMORY_MIB * 64) {
            memory.fail(`${show(memory.raw)} is not a resident size in MiB (1-${RUNNER_MEMORY_MIB * 64})`);
        }
    }
    if (!budget.present) {
        return { processes: defaultProviderProcesses(processMemoryMiB), processMemoryMiB };
    }
    const processes = wholeNumber(budget);
    if (processes < 1) {
        budget.fail(`${show(budget.raw)} is below 1: every stack starts at least one provider process`);
    }
    return { processes, processMemoryMiB };
}
