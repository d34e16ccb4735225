import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { ConfigError } from "../config/errors";
import { parseStackConfig } from "../config/stack";
import { readStackConfig } from "../offline/stack-files";
import { SamlOutput, TeamOutput } from "../outputs/profiles";
import { find, runPlan } from "./helpers/plan";
import { Plan } from "../offline/plan";

/**
 * `npm run plan` as a newcomer reads it: the plain output ends with where each person goes, the
 * files it names exist and hold what `pulumi stack output` will hand over, every console link has
 * someone who can use it, and alerts say what they are; `--strict` fails CI on alerts that
 * `org-access:acceptedAlerts` does not accept.
 */
const ROOT = path.resolve(__dirname, "..");

function plan(cwd: string, ...args: string[]) {
    return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts", "plan.ts"), ...args], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
        timeout: 240_000,
    });
}

interface AccessOutputs {
    readonly teams: Record<string, TeamOutput>;
    readonly awsConfig: Record<string, string>;
    readonly identityCenterAwsConfig: string;
    readonly saml: Record<string, SamlOutput>;
}

describe("sign-in material in the plain plan", function () {
    this.timeout(600_000);
    let dir: string;
    let access: Plan;
    let outputs: AccessOutputs;
    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "org-access-sign-in-"));
        access = await runPlan({ stack: "access" });
        outputs = access.outputs.access as AccessOutputs;
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("ends with where each person goes, and writes the fragment it names for each user", () => {
        const signIn = path.join(dir, "sign-in");
        const run = plan(ROOT, "--sign-in", signIn);
        expect(run.status, run.stderr).to.equal(0);
        const tail = run.stdout.slice(run.stdout.lastIndexOf("no problems across stacks"));
        expect(tail).to.include("Sign-in: where each person goes");
        for (const [user, text] of Object.entries(outputs.awsConfig)) {
            const file = path.join(signIn, `user-${user}.config`);
            expect(tail).to.include(`user ${user}: ${file}`);
            expect(fs.readFileSync(file, "utf8"), user).to.equal(text);
        }
        expect(fs.readFileSync(path.join(signIn, "identity-center.config"), "utf8")).to.equal(outputs.identityCenterAwsConfig);
        expect(fs.readFileSync(path.join(signIn, "customer-access.config"), "utf8")).to.include("[profile customer-access]");
        // The console links printed are exactly those the outputs make.
        const printed = [...tail.matchAll(/https:\/\/signin\.aws\.amazon\.com\/switchrole\?\S+/g)].map((m) => m[0]);
        const made = Object.values(outputs.teams).flatMap((t) => [t.switchRoleUrl, ...t.memberRoles.map((m) => m.switchRoleUrl)]);
        for (const url of printed.filter((u) => !u.includes("account=111111111111"))) expect(made).to.include(url);
        // The SAML provider and ACS URL the IdP's administrator needs.
        expect(tail).to.include(`provider ${outputs.saml.okta.providerArn}`).and.to.include(outputs.saml.okta.acsUrl);
    });

    it("makes no console link that no one can use: an OIDC-only team has none", () => {
        const { deployer, admins, developers } = outputs.teams;
        expect(deployer.switchRoleUrl).to.equal(undefined);
        expect(deployer.memberRoles.length).to.be.greaterThan(0);
        expect(deployer.memberRoles.map((m) => m.switchRoleUrl)).to.deep.equal(deployer.memberRoles.map(() => undefined));
        // IAM users (groups) and Identity Center sign in elsewhere and switch into the team role;
        // SAML lands in the team role, whose session the member roles trust.
        expect(admins.switchRoleUrl).to.match(/roleName=admins&account=222222222222/);
        expect(developers.memberRoles.every((m) => m.switchRoleUrl?.includes(`account=`))).to.equal(true);
    });

    it("a SAML-only team gets member-role links and no team link; an IAM-only team the reverse", async () => {
        const config = readStackConfig("access");
        const teams = JSON.parse(config["org-access:teams"]);
        teams.find((t: { name: string }) => t.name === "developers").groups = [];
        teams.find((t: { name: string }) => t.name === "admins").saml = [];
        teams.find((t: { name: string }) => t.name === "admins").identityCenter = [];
        const identity = JSON.parse(config["org-access:identity"]);
        for (const u of identity.users) u.groups = u.groups.filter((g: string) => g !== "developers");
        identity.users = identity.users.filter((u: { groups: string[] }) => u.groups.length > 0);
        const ic = JSON.parse(config["org-access:identityCenter"]);
        const changed = await runPlan({
            stack: "access",
            config: {
                ...config,
                "org-access:teams": JSON.stringify(teams),
                "org-access:identity": JSON.stringify(identity),
                "org-access:identityCenter": JSON.stringify({ ...ic, assignments: [] }),
            },
        });
        const out = (changed.outputs.access as AccessOutputs).teams;
        expect(out.developers.switchRoleUrl).to.equal(undefined);
        expect(out.developers.memberRoles.every((m) => m.switchRoleUrl !== undefined)).to.equal(true);
        expect(out.admins.switchRoleUrl).to.not.equal(undefined);
        expect(out.admins.memberRoles.every((m) => m.switchRoleUrl === undefined)).to.equal(true);
    });

    it("outputs each SAML provider's ARN, as planned, and the ACS URL its team trusts demand as SAML:aud", () => {
        const saml = outputs.saml.okta;
        const provider = find(access, "aws:iam/samlProvider:SamlProvider", "access-identity-saml-okta");
        expect(saml.providerArn).to.equal(`arn:aws:iam::${provider.accountId}:saml-provider/${provider.inputs.name}`);
        const team = find(access, "aws:iam/role:Role", "access-team-admins");
        const trust = JSON.parse(team.inputs.assumeRolePolicy as string) as {
            Statement: { Principal?: { Federated?: string }; Condition?: Record<string, Record<string, string>> }[];
        };
        const samlStatement = trust.Statement.find((s) => s.Principal?.Federated === saml.providerArn);
        expect(samlStatement?.Condition?.StringEquals?.["SAML:aud"]).to.equal(saml.acsUrl);
    });

    describe("alerts: explained where they print; --strict fails on those not accepted", () => {
        let project: string;
        before(() => {
            project = path.join(dir, "project");
            fs.mkdirSync(path.join(project, "config", "examples"), { recursive: true });
            for (const file of ["Pulumi.yaml", "Pulumi.access.yaml", "Pulumi.mgmt.yaml", "config/examples/okta-metadata.xml"]) {
                fs.copyFileSync(path.join(ROOT, file), path.join(project, file));
            }
        });

        it("the example's alerts: a line says what they are and how to keep a deliberate one; exit 0, or 1 with --strict", () => {
            const json = path.join(dir, "organization.json");
            const loose = plan(ROOT, "--project", project, "--sign-in", path.join(dir, "s1"), "--json", json);
            expect(loose.status, loose.stderr).to.equal(0);
            const alerts = (JSON.parse(fs.readFileSync(json, "utf8")) as { alerts: unknown[] }).alerts;
            expect(alerts.length).to.be.greaterThan(0);
            expect(loose.stdout).to.match(
                /Alerts \(\d+\)(?: \(\d+ accepted in org-access:acceptedAlerts\))?: an alert is a path a reviewer should confirm, not an error .*org-access:acceptedAlerts/,
            );
            const strict = plan(ROOT, "--project", project, "--sign-in", path.join(dir, "s2"), "--strict");
            expect(strict.status).to.equal(1);
            expect(strict.stdout).to.match(/--strict: \d+ alerts? not accepted in org-access:acceptedAlerts/);
        });

        it("accepted alerts no longer fail --strict, and the plan still counts them", () => {
            const json = path.join(dir, "organization.json");
            const alerts = (JSON.parse(fs.readFileSync(json, "utf8")) as { alerts: { to: string }[] }).alerts;
            const file = path.join(project, "Pulumi.yaml");
            const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
            // Added to what the example already accepts: --json lists only the alerts not accepted yet.
            const already = (doc.config["org-access:acceptedAlerts"] as { value?: unknown[] } | undefined)?.value ?? [];
            doc.config["org-access:acceptedAlerts"] = {
                value: [
                    ...already,
                    ...[...new Set(alerts.map((a) => a.to))].map((to) => ({ to, reason: "reviewed: the example's deliberate paths" })),
                ],
            };
            fs.writeFileSync(file, yaml.dump(doc));
            const strict = plan(ROOT, "--project", project, "--sign-in", path.join(dir, "s3"), "--strict");
            expect(strict.status, strict.stdout.slice(-2000)).to.equal(0);
            expect(strict.stdout).to.match(/Alerts: none \(\d+ accepted in org-access:acceptedAlerts\)/);
        });

        it("an accepted alert without a reason is a config error naming the key", () => {
            const config = {
                ...readStackConfig("mgmt"),
                "org-access:acceptedAlerts": JSON.stringify([{ to: "arn:aws:iam::111111111111:role/X" }]),
            };
            expect(() => parseStackConfig(config))
                .to.throw(ConfigError)
                .with.property("message", "org-access:acceptedAlerts[0].reason: is required");
        });
    });
});
