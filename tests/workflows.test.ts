import { validateWorkflow } from "@action-validator/core";
import { expect } from "chai";
import * as fs from "fs";
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
    });

    for (const file of files) {
        it(`${file} is a valid workflow`, () => {
            const state = validateWorkflow(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"));
            expect(state.errors, JSON.stringify(state.errors)).to.deep.equal([]);
        });
    }

    it("rejects a broken workflow (the validator is live)", () => {
        const state = validateWorkflow("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n");
        expect(state.errors.length).to.be.greaterThan(0);
    });
});
