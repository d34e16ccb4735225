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

        it("reads the deploy order from the organization plan and deploys stack by stack in that order", () => {
            const { order, deploy } = workflow().jobs;
            const runs = order.steps.map((s) => s.run ?? "").join("\n");
            expect(runs).to.include("npm run plan -- --project . --json plan.json");
            expect(runs).to.include(".deployOrder");
            expect(runs).to.include(".problems");
            expect(order.outputs?.stacks).to.equal("${{ steps.order.outputs.stacks }}");
            expect(deploy.needs).to.equal("order");
            expect(deploy.strategy?.["max-parallel"]).to.equal(1);
            expect(deploy.strategy?.["fail-fast"]).to.equal(true);
            expect(deploy.strategy?.matrix?.stack).to.equal("${{ fromJSON(needs.order.outputs.stacks) }}");
            expect(deploy.environment).to.equal("production");
        });

        it("deploys with OIDC credentials and the policy pack enforced", () => {
            const { deploy } = workflow().jobs;
            const credentials = deploy.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
            expect(credentials.map((s) => s.with?.["role-to-assume"])).to.deep.equal([
                "arn:aws:iam::222222222222:role/org-access-deploy",
                "arn:aws:iam::111111111111:role/OrgAccessDeploy",
            ]);
            const up = deploy.steps.map((s) => s.run ?? "").find((r) => r.includes("pulumi up"));
            expect(up).to.include("--policy-pack policy-pack");
            expect(up).to.include("--yes");
        });
    });

    it("rejects a broken workflow (the validator is live)", () => {
        const state = validateWorkflow("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n");
        expect(state.errors.length).to.be.greaterThan(0);
    });
});
