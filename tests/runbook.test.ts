import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { CommandSpec, FlagSpec, parseCommandLine } from "../offline/cli";
import { planProgram } from "../offline/plan";
import { PROJECT_DIR, readStackConfig } from "../offline/stack-files";
import { PACK_CONFIG_COMMAND } from "../scripts/pack-config";
import { PLAN_COMMAND } from "../scripts/plan";
import { POLICY_CHECK_COMMAND } from "../scripts/policy-check";

/**
 * docs/runbook.md's walk from an empty access account to a green CI deploy uses only commands the
 * project runs or tests: `npm` commands the workflows run (npm scripts parsed by their own command
 * specs), `pulumi` commands the workflows run, and `pulumi config set|rm org-access:providerRoles`,
 * whose every value is planned here.
 */
const RUNBOOK = fs.readFileSync(path.join(PROJECT_DIR, "docs", "runbook.md"), "utf8");
const WALK = "### From an empty access account to a green CI deploy";
const COMMANDS: Readonly<Record<string, CommandSpec<Record<string, FlagSpec>>>> = {
    plan: PLAN_COMMAND,
    "pack-config": PACK_CONFIG_COMMAND,
    "policy-check": POLICY_CHECK_COMMAND,
};

/** The shell commands of a markdown section's ```sh blocks, one per `&&`-separated part, continuation lines joined. */
function commandsOf(section: string): string[] {
    const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
    return blocks
        .flatMap((b) => b.replace(/\\\n\s*/g, "").split("\n"))
        .map((l) => l.replace(/\s+#.*$/, "").trim())
        .filter((l) => l.length > 0)
        .flatMap((l) => l.split("&&").map((c) => c.trim()));
}

/** Every command the workflows run, continuation lines joined and expressions generalised. */
function workflowCommands(): string[] {
    const dir = path.join(PROJECT_DIR, ".github", "workflows");
    const runs: string[] = [];
    for (const file of fs.readdirSync(dir)) {
        const w = yaml.load(fs.readFileSync(path.join(dir, file), "utf8")) as { jobs: Record<string, { steps?: { run?: string }[] }> };
        for (const job of Object.values(w.jobs)) {
            for (const step of job.steps ?? []) {
                runs.push(
                    ...(step.run ?? "")
                        .replace(/\\\n\s*/g, "")
                        .split("\n")
                        .map((l) => l.trim()),
                );
            }
        }
    }
    return runs.filter((l) => /^(npm|pulumi) /.test(l));
}

describe("docs/runbook.md: the walk to a green CI deploy", () => {
    const start = RUNBOOK.indexOf(WALK);
    const section = RUNBOOK.slice(start, RUNBOOK.indexOf("\n### ", start + WALK.length));
    const commands = commandsOf(section);
    const inWorkflows = workflowCommands();

    it("has commands (the section exists)", () => {
        expect(start).to.be.greaterThan(0);
        expect(commands.length).to.be.greaterThan(5);
    });

    it("runs only npm commands the workflows run, with flags their commands accept", () => {
        for (const command of commands.filter((c) => c.startsWith("npm "))) {
            const m = /^npm run ([\w-]+)(?: -- (.*))?$/.exec(command);
            if (m === null) {
                expect(
                    inWorkflows.some((w) => w.startsWith(command)),
                    command,
                ).to.equal(true);
                continue;
            }
            const spec = COMMANDS[m[1]];
            expect(spec, `${command}: an npm script with a command spec`).to.not.equal(undefined);
            expect(() => parseCommandLine(spec, (m[2] ?? "").split(/\s+/).filter(Boolean)), command).to.not.throw();
            // `npm run plan` alone is the quick start, run as a process by tests/plan-cli.test.ts; the rest, by the workflows.
            expect(inWorkflows.some((w) => w === command) || command === "npm run plan", `${command}: run by a workflow`).to.equal(true);
        }
    });

    it("runs only pulumi commands the workflows run, and providerRoles settings the plan accepts", async () => {
        const generalise = (c: string) => c.replace(/"\$\{\{[^}]+\}\}"|\$\{\{[^}]+\}\}/g, "X").replace(/select \S+$/, "select X");
        const known = inWorkflows.map(generalise);
        for (const command of commands.filter((c) => c.startsWith("pulumi "))) {
            const mode = /^pulumi config (?:set org-access:providerRoles (\S+)|rm org-access:providerRoles)$/.exec(command);
            if (mode) {
                // The value is planned: every stack of the example plans under it (rm: the default, deploy).
                for (const stack of ["mgmt", "access"]) {
                    const config = readStackConfig(stack);
                    const outcome = await planProgram({
                        stack,
                        config: mode[1] ? { ...config, "org-access:providerRoles": mode[1] } : config,
                    });
                    expect(outcome.ok, `${command} (${stack})`).to.equal(true);
                }
                continue;
            }
            expect(known, command).to.include(generalise(command));
        }
    });
});
