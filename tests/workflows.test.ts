import { validateWorkflow } from "@action-validator/core";
import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

/**
 * GitHub Actions workflows are validated against GitHub's workflow schema by
 * action-validator (a real YAML parser and JSON-schema check, with glob checks
 * on paths), so a broken workflow fails here rather than on the first PR.
 */
const WORKFLOWS = path.join(__dirname, "..", ".github", "workflows");

describe("GitHub workflows", () => {
    const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

    it("exist", () => {
        expect(files).to.include("preview.yml");
        expect(files).to.include("deploy.yml");
    });

    for (const file of files) {
        it(`${file} is a valid workflow`, () => {
            const state = validateWorkflow(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));
            expect(state.errors, JSON.stringify(state.errors)).to.deep.equal([]);
        });
    }

    describe("deploy.yml", () => {
        interface Job {
            needs?: string;
            environment?: string;
            outputs?: Record<string, string>;
            strategy?: { "max-parallel"?: number; "fail-fast"?: boolean; matrix?: Record<string, unknown> };
            steps: { run?: string; uses?: string; with?: Record<string, unknown> }[];
        }
        interface Workflow {
            on: { push?: { branches?: string[] } };
            permissions: Record<string, string>;
            concurrency: { group: string; "cancel-in-progress": boolean };
            jobs: Record<string, Job>;
        }
        const workflow = () => yaml.load(fs.readFileSync(path.join(WORKFLOWS, "deploy.yml"), "utf8")) as Workflow;

        it("runs on the default branch, one deploy at a time, never cancelled half-way", () => {
            const w = workflow();
            expect(w.on.push?.branches).to.deep.equal(["main"]);
            expect(w.concurrency["cancel-in-progress"]).to.equal(false);
            expect(w.permissions["id-token"]).to.equal("write");
        });

        it("plans the organization first and deploys its stages through the reusable stage workflow", () => {
            const { plan, ...stages } = workflow().jobs;
            const runs = plan.steps.map((s) => s.run ?? "").join("\n");
            expect(runs).to.include("npm run plan -- --project . --json plan.json");
            expect(runs).to.include(".deployLevels");
            expect(Object.keys(stages)).to.deep.equal(["stage-1", "stage-2", "stage-3", "stage-4"]);
            // The credential steps, the parallelism and the order are simulated in tests/workflow-credentials.test.ts.
        });
    });

    it("deploys a stage's stacks in parallel with a bound, and refuses a stage wider than one matrix", () => {
        const stages = yaml.load(fs.readFileSync(path.join(WORKFLOWS, "deploy-stacks.yml"), "utf8")) as {
            jobs: { up: { strategy: { "max-parallel": number; "fail-fast": boolean; matrix: { stack: string } } } };
        };
        const strategy = stages.jobs.up.strategy;
        expect(strategy["max-parallel"]).to.be.a("number").and.to.be.within(1, 20);
        expect(strategy["fail-fast"]).to.equal(false);
        expect(strategy.matrix.stack).to.contain("inputs.stacks");
        const plan = (
            yaml.load(fs.readFileSync(path.join(WORKFLOWS, "deploy.yml"), "utf8")) as { jobs: { plan: { steps: { run?: string }[] } } }
        ).jobs.plan.steps
            .map((s) => s.run ?? "")
            .join("\n");
        expect(plan).to.include("[.deployLevels[] | length] | max").and.to.include("-gt 256");
    });

    it("rejects a broken workflow (the validator is live)", () => {
        const state = validateWorkflow("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n");
        expect(state.errors.length).to.be.greaterThan(0);
    });
});
