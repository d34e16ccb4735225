import { expect } from "chai";
import { ConfigError } from "../config/errors";
import { parseStackConfig } from "../config/stack";
import { deploySessionName, sessionNameProblem } from "../config/session-names";
import { errorLine } from "../offline/cli";
import { planProgram } from "../offline/plan";
import { readStackConfig } from "../offline/stack-files";

/** STS's RoleSessionName: 2-64 characters of [\w+=,.@-] (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). */
const STS = /^[\w+=,.@-]{2,64}$/;

describe("STS session names (config/session-names.ts)", function () {
    this.timeout(120_000);

    it("accepts exactly what STS accepts: 2-64 characters of [\\w+=,.@-]", () => {
        const cases = [
            "ab",
            "a".repeat(64),
            "org-access-mgmt",
            "x+=,.@_-y",
            "a",
            "a".repeat(65),
            "has space",
            "slash/",
            "colon:",
            "ü-umlaut",
            "",
        ];
        for (const name of cases) {
            expect(sessionNameProblem(name) === undefined, JSON.stringify(name)).to.equal(STS.test(name));
        }
        expect(sessionNameProblem("a".repeat(65))).to.include("65 characters");
        expect(sessionNameProblem("has space")).to.include('" "');
    });

    it("the deploy session name org-access-<stack>: a stack name that makes it longer than 64 is a one-line error naming the stack, and nothing is registered", async () => {
        expect(deploySessionName("mgmt")).to.equal("org-access-mgmt");
        const stack = "s".repeat(54); // org-access- + 54 = 65
        const outcome = await planProgram({ stack, config: readStackConfig("mgmt") });
        expect(outcome.ok).to.equal(false);
        if (outcome.ok) return;
        expect(outcome.error).to.be.instanceOf(ConfigError);
        expect((outcome.error as ConfigError).key).to.equal("pulumi:stack");
        const line = errorLine(outcome.error);
        expect(line.split("\n")).to.have.length(1);
        expect(line).to.include(`org-access-${stack}`).and.include("65 characters");
        expect(outcome.registered.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
        // One character shorter is fine.
        expect((await planProgram({ stack: "s".repeat(53), config: readStackConfig("mgmt") })).ok).to.equal(true);
    });

    it("an Identity Center team whose profile session name sso-<team> would not fit is an error on the team's name", () => {
        const config = readStackConfig("access");
        const teams = JSON.parse(config["org-access:teams"]) as { name: string }[];
        const long = "t".repeat(61); // sso- + 61 = 65
        const withLong = [...teams, { name: long, identityCenter: ["AccessAdmins"] }];
        const parse = (t: unknown) => () => parseStackConfig({ ...config, "org-access:teams": JSON.stringify(t) });
        expect(parse(withLong)).to.throw(ConfigError, `org-access:teams[${teams.length}].name: team "${long}"`);
        // The same name without Identity Center makes no sso- session: fine.
        expect(parse([...teams, { name: long, groups: ["admins"] }])).to.not.throw();
    });

    it("the stack's own aws:assumeRoleWithWebIdentity.sessionName is checked too", () => {
        const config = readStackConfig("mgmt");
        const web = (sessionName: string) => ({
            ...config,
            "aws:assumeRoleWithWebIdentity": JSON.stringify({ roleArn: "arn:aws:iam::111111111111:role/ci", sessionName }),
        });
        expect(() => parseStackConfig(web("ci run 1"))).to.throw(ConfigError, "aws:assumeRoleWithWebIdentity.sessionName");
        expect(() => parseStackConfig(web("ci-run-1"))).to.not.throw();
    });

    it("every session name in the planned stacks is one STS accepts: providers' assumeRoles and every generated profile", async () => {
        const names: string[] = [];
        for (const stack of ["mgmt", "access"]) {
            const outcome = await planProgram({ stack, config: readStackConfig(stack) });
            if (!outcome.ok) throw outcome.error;
            for (const r of outcome.plan.resources.filter((x) => x.type === "pulumi:providers:aws")) {
                // Provider inputs reach the engine as JSON text, as @pulumi/aws serialises them.
                const assumeRoles =
                    typeof r.inputs.assumeRoles === "string" ? JSON.parse(r.inputs.assumeRoles) : (r.inputs.assumeRoles ?? []);
                for (const assume of assumeRoles as { sessionName?: string }[]) {
                    names.push(assume.sessionName ?? "");
                }
            }
            const texts = (value: unknown): string[] =>
                typeof value === "string"
                    ? [value]
                    : typeof value === "object" && value !== null
                      ? Object.values(value).flatMap(texts)
                      : [];
            for (const text of texts(outcome.plan.outputs)) {
                names.push(...[...text.matchAll(/^role_session_name = (.*)$/gm)].map((m) => m[1]));
            }
        }
        expect(names).to.include("org-access-access").and.include("customer-access");
        expect(names.some((n) => n.startsWith("sso-"))).to.equal(true);
        expect(names.filter((n) => !STS.test(n))).to.deep.equal([]);
    });
});
