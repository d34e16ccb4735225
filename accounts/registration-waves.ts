import * as pulumi from "@pulumi/pulumi";

/**
 * Resources a stack has in flight at once, at most (plus the last job's few).
 *
 * The Node SDK keeps a registration's whole state (its Outputs, their promises,
 * its serialised inputs) until the engine answers it, about 65-125 KB per
 * resource (docs/benchmarks.md). A program that constructs every resource up
 * front holds all of it at once: 9,000 resources at 1,000 member accounts,
 * 45,000 at 5,000, which is where Node's heap ceiling turns plan time into
 * garbage collection. Waves of this size keep that state bounded whatever the
 * organization's size (one wave's state fits the young generation Pulumi.yaml's
 * nodeargs give the program), and still hand the engine some 300 independent
 * steps at a time, which it runs in parallel (`pulumi up --parallel` defaults to unbounded).
 */
export const RESOURCES_PER_WAVE = 300;

/** Registers some resources and returns them; runs exactly once. */
export type RegistrationJob = () => readonly pulumi.Resource[];

/**
 * Registers resources in waves of bounded size: jobs run in the order they were
 * added; a job runs at once while the current wave has room, and otherwise when
 * every resource of the wave before it has its URN, that is when the engine has
 * answered its registration (planned it in `preview`, created or updated it in
 * `up`). A stack within one wave registers exactly as if there were no waves.
 *
 * What it costs in `pulumi up`: the engine sees a wave's successor only once the
 * wave's slowest step is done, so a first deploy of 1,000 accounts (about 30
 * waves) waits for that tail 30 times; an update with nothing to change answers
 * each wave without calling AWS. What it does not change: URNs, names,
 * dependencies, the plan; only when a registration is sent.
 */
export class RegistrationWaves {
    private readonly queue: QueuedJob[] = [];
    private next = 0;
    private wave: pulumi.Resource[] = [];
    private draining?: Promise<void>;

    constructor(readonly resourcesPerWave: number = RESOURCES_PER_WAVE) {
        if (!Number.isInteger(resourcesPerWave) || resourcesPerWave < 1) {
            throw new Error(`resources per wave must be a positive integer, got ${resourcesPerWave}`);
        }
    }

    /**
     * Runs `job` now when the current wave has room, otherwise after the waves
     * before it are answered. Resolves once the job has run (its registrations
     * sent), so a component can register its outputs after its last child; a
     * job that throws rejects it, and `done()`.
     */
    add(job: RegistrationJob): Promise<void> {
        if (this.draining === undefined && this.wave.length < this.resourcesPerWave) {
            this.wave.push(...job());
            return Promise.resolve();
        }
        const ran = new Promise<void>((resolve, reject) => this.queue.push({ job, resolve, reject }));
        this.draining ??= this.drain().finally(() => {
            this.draining = undefined;
        });
        return ran;
    }

    /** Resolves when every job added so far has run (their registrations sent); rejects with a job's error. */
    async done(): Promise<void> {
        while (this.draining !== undefined) {
            await this.draining;
        }
    }

    private async drain(): Promise<void> {
        while (this.next < this.queue.length) {
            const answered = registered(this.wave);
            this.wave = [];
            await answered;
            while (this.next < this.queue.length && this.wave.length < this.resourcesPerWave) {
                const queued = this.queue[this.next];
                this.queue[this.next++] = FINISHED;
                try {
                    this.wave.push(...queued.job());
                } catch (error) {
                    queued.reject(error);
                    throw error;
                }
                queued.resolve();
            }
        }
    }
}

interface QueuedJob {
    readonly job: RegistrationJob;
    readonly resolve: () => void;
    readonly reject: (error: unknown) => void;
}

/** What a run job's slot holds, so the queue does not keep jobs (and what they captured) alive. */
const FINISHED: QueuedJob = { job: () => [], resolve: () => undefined, reject: () => undefined };

/**
 * Resolves once every resource has its URN (known in preview too), and rejects
 * with the engine's error when a registration fails, so a refused resource
 * ends the program instead of leaving the next wave waiting forever.
 */
function registered(resources: readonly pulumi.Resource[]): Promise<void> {
    return Promise.all(resources.map((r) => settled(r.urn))).then(() => undefined);
}

/**
 * An Output's value as a promise that also rejects. `Output.apply` never calls
 * back on a rejected Output, and the SDK's own way to await one, `promise()`,
 * is marked internal in its typings; it is read here, in one place, and
 * `tests/registration-waves.test.ts` proves a refused registration ends the plan.
 */
function settled<T>(output: pulumi.Output<T>): Promise<unknown> {
    const { promise } = output as unknown as { promise?: () => Promise<T> };
    if (typeof promise !== "function") {
        return new Promise((resolve) => output.apply(resolve));
    }
    return promise.call(output);
}
