import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlanJson } from "../offline/report";

/**
 * `npm run plan` as a user runs it: a separate process, its exit code, what it
 * prints. Bad input must be one line on stderr, no stack trace, exit 1.
 */
const ROOT = path.resolve(__dirname, "..");

function plan(...args: string[]) {
    return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts", "plan.ts"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    });
}

describe("npm run plan (CLI)", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "org-access-plan-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("plans a project as one organization: --json writes deployOrder, deployLevels, stacks, providerProcesses, shardProposals, problems, reach and alerts; exit 0", () => {
        const file = path.join(dir, "organization.json");
        const run = plan("--project", path.join(ROOT, "examples", "organization"), "--json", file);
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.include("deploy order mgmt -> access -> roles-prod");
        const json = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
        expect(json).to.have.all.keys(
            "deployOrder",
            "deployLevels",
            "stacks",
            "providerProcesses",
            "shardProposals",
            "problems",
            "reach",
            "alerts",
        );
        // Each stack's provider processes, counted from its planned providers: the shard's two accounts are two processes.
        const processes = json.providerProcesses as Record<string, { processes: number; budget: number }>;
        expect(Object.keys(processes).sort()).to.deep.equal(["access", "mgmt", "roles-prod"]);
        expect(processes["roles-prod"].processes).to.equal(2);
        expect(json.shardProposals).to.deep.equal([]);
        expect((json.deployLevels as string[][]).flat()).to.have.members(json.deployOrder as string[]);
        expect(json.deployOrder).to.deep.equal(["mgmt", "access", "roles-prod"]);
        expect(Object.keys(json.stacks as object).sort()).to.deep.equal(["access", "mgmt", "roles-prod"]);
        expect(json.problems).to.deep.equal([]);
        const reach = json.reach as { from: string; to: string; path: string[] }[];
        // alice, of team platform (access stack), reaches Administrator in prod-a, which the shard creates.
        expect(reach).to.deep.include({
            from: "user:alice",
            to: "arn:aws:iam::444444444444:role/Administrator",
            path: ["arn:aws:iam::222222222222:role/platform", "arn:aws:iam::444444444444:role/Administrator"],
        });
    });

    it("exits 1 and prints each problem across stacks on one line", () => {
        const project = path.join(dir, "project");
        fs.mkdirSync(project);
        fs.copyFileSync(path.join(ROOT, "examples", "organization", "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
        fs.copyFileSync(path.join(ROOT, "examples", "organization", "Pulumi.mgmt.yaml"), path.join(project, "Pulumi.mgmt.yaml"));
        // Without the member-role shard nobody creates the role the customer role admits.
        const run = plan("--project", project);
        expect(run.status, run.stderr).to.equal(1);
        expect(run.stdout).to.match(
            /problem: stack mgmt: org-access:customerAccess: role PumpCustomerAccess admits "arn:aws:iam::444444444444:role\/Administrator", which no stack creates/,
        );
    });

    it("rejects bad config with one line naming the file and line, the key and value, exit 1, no stack trace", () => {
        const file = path.join(dir, "bad.yaml");
        fs.writeFileSync(
            file,
            [
                "config:",
                "  org-access:organization:",
                "    id: o-a1b2c3d4e5",
                '    managementAccountId: "111111111111"',
                "    accounts:",
                "      - name: prod",
                '        id: "4444"',
            ].join("\n"),
        );
        const run = plan("--stack", "mgmt", "--config-file", file);
        expect(run.status).to.equal(1);
        expect(run.stderr.trim()).to.equal(
            `error: ${file}:7:13: org-access:organization.accounts[0].id: "4444" is not a 12-digit account id`,
        );
        expect(run.stdout).not.to.include("Stack mgmt");
    });

    it("rejects an unknown argument (a usage error: exit 2), suggesting the nearest flag", () => {
        const run = plan("--stak", "mgmt");
        expect(run.status).to.equal(2);
        expect(run.stderr.trim()).to.equal("error: --stak: unknown flag (did you mean --stack?); see --help");
    });

    it("writes the documented JSON: resources with accounts, IAM entities with documents as objects, resolved outputs", () => {
        const file = path.join(dir, "mgmt.json");
        const run = plan("--stack", "mgmt", "--json", file);
        expect(run.status, run.stderr).to.equal(0);
        expect(run.stdout).to.include("Who may assume each role:");
        const json = JSON.parse(fs.readFileSync(file, "utf8")) as PlanJson;
        expect(json.stack).to.equal("mgmt");
        expect(json.organizationId).to.equal("o-a1b2c3d4e5");
        for (const r of json.resources) {
            expect(Object.keys(r)).to.include.members(["urn", "type", "name", "inputs"]);
            expect(r.accountId, r.name).to.match(/^\d{12}$/);
            expect(r.region, r.name).to.equal("us-east-1");
        }
        const customer = json.iam.roles.find((r) => r.name === "PumpCustomerAccess");
        expect(customer?.arn).to.equal("arn:aws:iam::111111111111:role/PumpCustomerAccess");
        expect(customer?.accountId).to.equal("111111111111");
        expect(customer?.trustPolicy).to.have.property("Statement").that.is.an("array");
        expect(customer?.policies).to.have.length(3);
        expect(customer?.managedPolicyArns).to.deep.equal([]);
        expect(json.iam.groups.map((g) => [g.accountId, g.name])).to.deep.include(["444444444444", "cloud-admins"]);
        expect((json.outputs.customerAccess as { roleArn: string }).roleArn).to.equal(customer?.arn);
    });
});
