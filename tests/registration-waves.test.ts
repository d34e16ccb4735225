import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import "./helpers/transpile-cache";
import { RegistrationWaves, RESOURCES_PER_WAVE } from "../accounts/registration-waves";
import { syntheticConfig } from "../bench/synthetic";
import { parseStackConfig } from "../config/stack";
import { buildOrganizationModel } from "../model/organization";
import { PlannedResource, planFunction } from "../offline/plan";
// The program module exports its function (`export =`), as Pulumi's Node runtime expects.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import orgAccess = require("../index");

/**
 * Counts, inside a plan, the resources constructed and those the engine has
 * answered (URN known), and the most ever in flight between the two. Call it
 * first thing in the program: it registers a stack transformation.
 */
function flightRecorder() {
    const counts = { constructed: 0, answered: 0, mostInFlight: 0 };
    pulumi.runtime.registerStackTransformation((args) => {
        counts.constructed++;
        counts.mostInFlight = Math.max(counts.mostInFlight, counts.constructed - counts.answered);
        // The constructor sets `urn` after transformations run.
        void Promise.resolve(args.resource).then((resource) => resource.urn.apply(() => counts.answered++));
        return undefined;
    });
    return counts;
}

/** The program planned with `resourcesPerWave`, and the most registrations it had in flight at once. */
async function planWithWaves(members: number, resourcesPerWave: number) {
    let counts = { constructed: 0, answered: 0, mostInFlight: 0 };
    const outcome = await planFunction({ stack: "bench", config: syntheticConfig(members) }, (config) => {
        counts = flightRecorder();
        const settings = parseStackConfig(config);
        return orgAccess(settings, buildOrganizationModel(settings), new RegistrationWaves(resourcesPerWave));
    });
    if (!outcome.ok) throw outcome.error;
    const { resources, outputs } = outcome.plan;
    // Registered in waves: the member roles' copies and the member accounts' providers they make. The rest is registered at once.
    const inWaves = resources.filter((r) => r.urn.includes("org-access:roles:MemberRole$") || /^aws-member-\d+$/.test(r.name));
    return { resources, outputs, mostInFlight: counts.mostInFlight, registeredAtOnce: resources.length - inWaves.length };
}

/** What the engine would be asked for, independent of the order it was asked in. */
function asked(resources: readonly PlannedResource[]) {
    return resources
        .map((r) => ({ ...r, provider: r.provider?.urn }))
        .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0))
        .map((r) => JSON.stringify(r));
}

describe("registration waves", () => {
    it("runs a job at once while its wave has room, and later jobs in order once the wave before is answered", async () => {
        const runs: { job: number; answeredBefore: number }[] = [];
        const resolvedAfterItsJob: boolean[] = [];
        const outcome = await planFunction({ stack: "waves", config: { "aws:region": "us-east-1" } }, () => {
            const counts = flightRecorder();
            const waves = new RegistrationWaves(3);
            for (let job = 0; job < 8; job++) {
                const ran = waves.add(() => {
                    runs.push({ job, answeredBefore: counts.answered });
                    return [new aws.iam.Role(`role-${job}`, { assumeRolePolicy: "{}" })];
                });
                // What add() returns resolves once its job has run, never before.
                void ran.then(() => resolvedAfterItsJob.push(runs.some((r) => r.job === job)));
            }
            // The first wave is registered before `add` returns; nothing else yet.
            expect(runs.map((r) => r.job)).to.deep.equal([0, 1, 2]);
            return waves.done().then(() => ({ mostInFlight: counts.mostInFlight }));
        });
        if (!outcome.ok) throw outcome.error;
        expect(runs.map((r) => r.job)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
        // Each job of wave k (k ≥ 1) ran only after all 3k resources before its wave were answered.
        for (const { job, answeredBefore } of runs) {
            expect(answeredBefore, `job ${job}`).to.be.at.least(Math.floor(job / 3) * 3);
        }
        expect(outcome.plan.outputs.mostInFlight).to.equal(3);
        expect(resolvedAfterItsJob).to.deep.equal(Array(8).fill(true));
        expect(outcome.plan.resources.filter((r) => r.type === "aws:iam/role:Role")).to.have.length(8);
    });

    it("rejects done() with the error of a job that throws, and runs no job after it", async () => {
        const ran: number[] = [];
        let jobTwo: Promise<string> = Promise.resolve("not added");
        const outcome = await planFunction({ stack: "waves", config: { "aws:region": "us-east-1" } }, () => {
            const waves = new RegistrationWaves(1);
            for (let job = 0; job < 4; job++) {
                const added = waves.add(() => {
                    ran.push(job);
                    if (job === 2) throw new Error("job 2 is broken");
                    return [new aws.iam.Role(`role-${job}`, { assumeRolePolicy: "{}" })];
                });
                if (job === 2) {
                    jobTwo = added.then(
                        () => "resolved",
                        (error: unknown) => (error as Error).message,
                    );
                }
            }
            return waves.done();
        });
        expect(outcome.ok).to.equal(false);
        expect(!outcome.ok && (outcome.error as Error).message).to.equal("job 2 is broken");
        expect(ran).to.deep.equal([0, 1, 2]);
        expect(await jobTwo).to.equal("job 2 is broken");
    });

    it("rejects done() when the engine refuses a registration, instead of leaving the next wave waiting forever", async () => {
        // The SDK rejects a resource's `urn` with the engine's error when its registration fails
        // (`resolveURN(undefined, err)` in @pulumi/pulumi's runtime/resource.js); these stand-ins carry exactly that.
        const refused = new Error("failed to register new resource role-1 [aws:iam/role:Role]: AccessDenied");
        const answered = (urn: string) => ({ urn: pulumi.output(urn) }) as unknown as pulumi.Resource;
        const refusedResource = { urn: pulumi.output(Promise.reject(refused)) } as unknown as pulumi.Resource;
        const ran: number[] = [];
        const waves = new RegistrationWaves(1);
        for (let job = 0; job < 4; job++) {
            // Jobs after the refused wave never run, so what add() returns for them never settles.
            void waves.add(() => {
                ran.push(job);
                return [job === 1 ? refusedResource : answered(`urn:role-${job}`)];
            });
        }
        const result = await waves.done().then(
            () => "resolved",
            (error: unknown) => error,
        );
        expect(result).to.equal(refused);
        expect(ran).to.deep.equal([0, 1]);
    });

    it("refuses a wave size that is not a positive whole number", () => {
        for (const bad of [0, -1, 1.5, Number.NaN]) {
            expect(() => new RegistrationWaves(bad)).to.throw(`resources per wave must be a positive integer, got ${bad}`);
        }
    });

    describe("the program", function () {
        this.timeout(120_000);
        // 40 member accounts: about 9 resources each, so several waves of RESOURCES_PER_WAVE.
        const members = 40;

        it("asks the engine for exactly the same resources and outputs whatever the wave size", async () => {
            const inWaves = await planWithWaves(members, 25);
            const atOnce = await planWithWaves(members, Number.MAX_SAFE_INTEGER);
            expect(inWaves.resources.length).to.be.greaterThan(RESOURCES_PER_WAVE);
            expect(asked(inWaves.resources)).to.deep.equal(asked(atOnce.resources));
            expect(inWaves.outputs).to.deep.equal(atOnce.outputs);
        });

        it("keeps registrations in flight within a wave plus one account's copy, where one wave has them all", async () => {
            const inWaves = await planWithWaves(members, 25);
            // A job is one account's copy of one member role: provider, role, attachment, two exclusive sets.
            expect(inWaves.registeredAtOnce).to.be.lessThan(60);
            expect(inWaves.mostInFlight).to.be.at.most(inWaves.registeredAtOnce + 25 + 5);
            const atOnce = await planWithWaves(members, Number.MAX_SAFE_INTEGER);
            expect(atOnce.mostInFlight).to.be.greaterThan(RESOURCES_PER_WAVE);
        });
    });
});
