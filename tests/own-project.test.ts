import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OrganizationPlanJson } from "../offline/organization-plan";
import { PlanJson } from "../offline/report";

/**
 * Issue #22, the command-line half: planning your own organization beside the example, and one
 * error channel. Every command runs as a user runs it (a process: exit code, stdout, stderr).
 */
const ROOT = path.resolve(__dirname, "..");
const EXAMPLE_ORG = "o-a1b2c3d4e5";
const OWN_ORG = "o-ownorg12345";

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

function run(script: string, ...argv: string[]): Promise<Run> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts", script), ...argv], {
            cwd: ROOT,
            env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"), ORG_ACCESS_STACK_TRACES: "" },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

/** The 1-based line of `fragment` in `file`. */
function lineOf(file: string, fragment: string): number {
    const index = fs
        .readFileSync(file, "utf8")
        .split("\n")
        .findIndex((l) => l.includes(fragment));
    expect(index, `${fragment} in ${file}`).to.be.greaterThan(-1);
    return index + 1;
}

/** Errors only: every line of stderr is `error: ...`, and none is a stack frame. */
function errorLines(r: Run): string[] {
    const lines = r.stderr.trimEnd().split("\n");
    for (const line of lines) {
        expect(line).to.match(/^error: \S/);
        expect(line, "no stack frame").not.to.match(/\bat .+:\d+:\d+/);
    }
    return lines;
}

function copyExample(to: string, edit: (files: Record<string, string>) => void = () => undefined): string {
    const from = path.join(ROOT, "examples", "organization");
    const files: Record<string, string> = {};
    for (const name of fs.readdirSync(from)) {
        files[name] = fs.readFileSync(path.join(from, name), "utf8");
    }
    edit(files);
    fs.mkdirSync(to, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(to, name), text);
    }
    return to;
}

describe("issue 22: your organization beside the example, and one error channel (processes)", function () {
    this.timeout(600000);
    let dir: string;
    let own: string;
    const results = new Map<string, Run>();

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "org-access-own-"));
        own = path.join(dir, "own");
        // A new project, written by the init command, made one's own: another organization, another account.
        const init = await run("init.ts", "--project", own);
        results.set("init", init);
        if (init.code === 0) {
            const file = path.join(own, "Pulumi.yaml");
            fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("o-exampleorg1", OWN_ORG).replace("name: prod", "name: shop"));
        }
        // A stack file kept outside any project.
        const loose = path.join(dir, "loose");
        fs.mkdirSync(loose);
        fs.writeFileSync(path.join(loose, "mgmt.yaml"), "config:\n  org-access:deploy:\n    customerAccess: true\n");
        // A stack file of one's own organization, kept outside any project and planned without --project.
        fs.writeFileSync(
            path.join(loose, "own-org.yaml"),
            [
                "config:",
                "  org-access:organization:",
                `    id: ${OWN_ORG}`,
                '    managementAccountId: "111111111111"',
                '    accounts: [{name: access, id: "222222222222"}]',
                "  org-access:deploy:",
                "    customerAccess: true",
                "",
            ].join("\n"),
        );

        const memberAll = copyExample(path.join(dir, "member-all"), (f) => {
            f["Pulumi.access.yaml"] = f["Pulumi.access.yaml"].replace("memberAccounts: [access]", "memberAccounts: all");
        });
        const unquoted = copyExample(path.join(dir, "unquoted"), (f) => {
            f["Pulumi.yaml"] = f["Pulumi.yaml"].replace('id: "555555555555"', "id: 081492000031");
        });
        const twoStacks = copyExample(path.join(dir, "two"), (f) => {
            f["Pulumi.access.yaml"] = f["Pulumi.access.yaml"].replace("memberAccounts: [access]", "memberAccounts: [acess]");
            f["Pulumi.mgmt.yaml"] = f["Pulumi.mgmt.yaml"].replace("customerAccess: true", "customerAccess: yes-please");
        });
        const badMgmt = path.join(dir, "bad-mgmt.yaml");
        fs.writeFileSync(
            badMgmt,
            "config:\n  org-access:deploy:\n    customerAccess: true\n  org-access:customerAccess:\n    roleName: [x]\n",
        );

        const jobs: [string, Promise<Run>][] = [
            ["plan own", run("plan.ts", "--project", own, "--json", path.join(dir, "own.json"))],
            ["plan own --stack", run("plan.ts", "--project", own, "--stack", "mgmt", "--json", path.join(dir, "own-mgmt.json"))],
            [
                "plan own --stack --config-file",
                run(
                    "plan.ts",
                    "--project",
                    own,
                    "--stack",
                    "mgmt",
                    "--config-file",
                    path.join(loose, "mgmt.yaml"),
                    "--json",
                    path.join(dir, "loose.json"),
                ),
            ],
            [
                "plan --config-file in own",
                run(
                    "plan.ts",
                    "--stack",
                    "access",
                    "--config-file",
                    path.join(own, "Pulumi.access.yaml"),
                    "--json",
                    path.join(dir, "beside.json"),
                ),
            ],
            ["policy-check own", run("policy-check.ts", "--project", own, "--stack", "access")],
            ["plan memberAccounts all", run("plan.ts", "--project", memberAll)],
            ["plan unquoted", run("plan.ts", "--project", unquoted)],
            ["plan two stacks", run("plan.ts", "--project", twoStacks)],
            ["policy-check bad", run("policy-check.ts", "--stack", "mgmt", "--config-file", badMgmt)],
            ["plan -stack", run("plan.ts", "-stack", "mgmt")],
            ["plan loose over the example", run("plan.ts", "--stack", "mgmt", "--config-file", path.join(loose, "mgmt.yaml"))],
            ["plan own org over the example", run("plan.ts", "--stack", "mgmt", "--config-file", path.join(loose, "own-org.yaml"))],
            ["plan unquoted --stack", run("plan.ts", "--project", unquoted, "--stack", "roles-prod")],
        ];
        for (const [name, job] of jobs) {
            results.set(name, await job);
        }
        results.set("init again", await run("init.ts", "--project", own));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const result = (name: string): Run => results.get(name) as Run;

    it("npm run init writes a project that plans clean as one organization, its own and nothing of the example's", () => {
        expect(result("init").code, result("init").stderr).to.equal(0);
        const r = result("plan own");
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stderr).to.equal("");
        expect(r.stdout).to.include("no problems across stacks");
        const json = JSON.parse(fs.readFileSync(path.join(dir, "own.json"), "utf8")) as OrganizationPlanJson;
        expect(Object.keys(json.stacks).sort()).to.deep.equal(["access", "mgmt"]);
        for (const stack of Object.values(json.stacks)) {
            expect(stack.organizationId).to.equal(OWN_ORG);
            // The example's accounts (log-archive 333..., prod 444..., dev 555...) are in no resource.
            const accounts = new Set(stack.resources.map((res) => res.accountId).filter((a) => a !== undefined));
            expect([...accounts].sort()).to.deep.equal(stack.stack === "mgmt" ? ["111111111111"] : ["222222222222", "333333333333"]);
        }
    });

    it("npm run init refuses to overwrite a project, and writes nothing", () => {
        const r = result("init again");
        expect(r.code).to.equal(2);
        expect(errorLines(r)).to.have.length(1);
        expect(r.stderr).to.include("already exist");
        expect(fs.readFileSync(path.join(own, "Pulumi.yaml"), "utf8")).to.include(OWN_ORG);
    });

    it("--project with --stack plans that project's stack", () => {
        const r = result("plan own --stack");
        expect(r.code, r.stderr).to.equal(0);
        const json = JSON.parse(fs.readFileSync(path.join(dir, "own-mgmt.json"), "utf8")) as PlanJson;
        expect(json.stack).to.equal("mgmt");
        expect(json.organizationId).to.equal(OWN_ORG);
    });

    it("--config-file with --project reads that project's Pulumi.yaml, never the example's", () => {
        const r = result("plan own --stack --config-file");
        expect(r.code, r.stderr).to.equal(0);
        const json = JSON.parse(fs.readFileSync(path.join(dir, "loose.json"), "utf8")) as PlanJson;
        expect(json.organizationId).to.equal(OWN_ORG);
        // The example's mgmt stack also deploys the preview reader; this config file deploys only the
        // customer role and its Config aggregator service role.
        expect(json.iam.roles.map((role) => role.name)).to.deep.equal(["PumpCustomerAccess", "OrgAccessConfigAggregator"]);
    });

    it("--config-file of your project's stack file reads the Pulumi.yaml beside it, not the example's", () => {
        const r = result("plan --config-file in own");
        expect(r.code, r.stderr).to.equal(0);
        const json = JSON.parse(fs.readFileSync(path.join(dir, "beside.json"), "utf8")) as PlanJson;
        expect(json.organizationId).to.equal(OWN_ORG);
        expect(json.organizationId).not.to.equal(EXAMPLE_ORG);
    });

    it("--config-file alone, outside any project: says it reads the example's project config, and an error from it says so", () => {
        const planned = result("plan loose over the example");
        expect(planned.code, planned.stderr).to.equal(0);
        expect(planned.stdout.split("\n")[0]).to.equal(
            `Config: ${path.join(dir, "loose", "mgmt.yaml")} over the project config of Pulumi.yaml (this repository's example; --project DIR reads your own)`,
        );
        const r = result("plan own org over the example");
        expect(r.code).to.equal(1);
        expect(r.stdout).to.equal("");
        const [line] = errorLines(r);
        const example = path.join(ROOT, "Pulumi.yaml");
        expect(line).to.match(
            new RegExp(
                `^error: Pulumi\\.yaml:${lineOf(example, "accounts: [prod]")}:\\d+: org-access:customerAccess\\.trust\\.accounts\\[0\\]: unknown account "prod"`,
            ),
        );
        expect(line).to.match(/\(a value of this repository's example Pulumi\.yaml: give --project DIR to read your own\)$/);
    });

    it("policy-check takes --project", () => {
        const r = result("policy-check own");
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.match(/^stack access: \d+ resources analyzed, no policy violations/);
    });

    it("whole organization: a stack's config error is one line on stderr naming file and line, before any plan, with no follow-on problem", () => {
        const r = result("plan memberAccounts all");
        const file = path.join(dir, "member-all", "Pulumi.access.yaml");
        expect(r.code).to.equal(1);
        expect(r.stdout, "no stack's plan, no problem list").to.equal("");
        expect(errorLines(r)).to.deep.equal([
            `error: ${file}:${lineOf(file, "memberAccounts")}:21: org-access:deploy.memberAccounts: expected a list, got "all"`,
        ]);
    });

    it("whole organization: a mistake in shared config is reported once, not per stack; an unquoted id is shown as written", () => {
        const r = result("plan unquoted");
        const file = path.join(dir, "unquoted", "Pulumi.yaml");
        expect(r.code).to.equal(1);
        expect(r.stdout).to.equal("");
        expect(errorLines(r)).to.deep.equal([
            `error: ${file}:${lineOf(file, "081492000031")}:15: org-access:organization.accounts[2].id: 081492000031 is unquoted, so YAML reads it as the number 81492000031; quote it: "081492000031"`,
        ]);
        const single = result("plan unquoted --stack");
        expect(single.code).to.equal(1);
        expect(single.stdout).to.equal("");
        expect(single.stderr).to.equal(r.stderr);
    });

    it("whole organization: different mistakes in two stacks are one line each, each naming its own file", () => {
        const r = result("plan two stacks");
        expect(r.code).to.equal(1);
        expect(r.stdout).to.equal("");
        const lines = errorLines(r);
        expect(lines).to.have.length(2);
        const access = path.join(dir, "two", "Pulumi.access.yaml");
        const mgmt = path.join(dir, "two", "Pulumi.mgmt.yaml");
        expect(lines[0]).to.match(
            new RegExp(`^error: ${access}:${lineOf(access, "acess")}:\\d+: org-access:deploy\\.memberAccounts\\[0\\]: .*"acess"`),
        );
        expect(lines[1]).to.match(
            new RegExp(`^error: ${mgmt}:${lineOf(mgmt, "yes-please")}:\\d+: org-access:deploy\\.customerAccess: .*"yes-please"`),
        );
    });

    it("policy-check with a bad config: one line naming file and line, no stack trace", () => {
        const r = result("policy-check bad");
        expect(r.code).to.equal(1);
        expect(r.stdout).to.equal("");
        expect(errorLines(r)).to.deep.equal([
            `error: ${path.join(dir, "bad-mgmt.yaml")}:5:5: org-access:customerAccess.roleName: expected a non-empty string, got ["x"]`,
        ]);
    });

    it("a misspelt flag names what was typed and suggests the nearest flag", () => {
        const r = result("plan -stack");
        expect(r.code).to.equal(2);
        expect(errorLines(r)).to.deep.equal(["error: -stack: unknown flag (did you mean --stack?); see --help"]);
    });
});
