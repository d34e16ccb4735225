import { fromIni } from "@aws-sdk/credential-providers";
import { expect } from "chai";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mfaDeviceArn, userArn } from "../iam/arns";
import { Plan } from "../offline/plan";
import { toPlanJson } from "../offline/report";
import { SESSION_NAME } from "../outputs/session-names";
import { ACCESS, PROD } from "./helpers/config";
import { runPlan } from "./helpers/plan";
import { PlanJudge, SSO_TOKEN } from "./helpers/plan-judge";
import { StsStandIn } from "./helpers/sts-standin";

/**
 * The `~/.aws/config` the stacks output, resolved by a real client: the AWS SDK for JavaScript v3
 * (`fromIni`, the same resolver the AWS CLI's profile semantics are specified by), against a
 * stand-in for STS and the Identity Center portal on 127.0.0.1 that grants a request only when the
 * plan's own trust and identity policies allow it (judged by iam-simulate), the session name is one
 * STS accepts, MFA is given where the trust requires it, and a chained session asks for at most an hour.
 */
const MFA_CODE = "123456";

/** Profile names of a `~/.aws/config` text, in order. */
function profileNames(text: string): string[] {
    return [...text.matchAll(/^\[profile ([^\]]+)\]$/gm)].map((m) => m[1]);
}

/** The settings of one profile. */
function settingsOf(text: string, profile: string): Record<string, string> {
    const block = text.split(/^\[/m).find((b) => b.startsWith(`profile ${profile}]`)) ?? "";
    return Object.fromEntries([...block.matchAll(/^(\w+) = (.*)$/gm)].map((m) => [m[1], m[2]]));
}

describe("generated ~/.aws/config, resolved by the AWS SDK against a local STS stand-in", function () {
    this.timeout(120000);
    let home: string;
    let endpoint: string;
    const saved = { ...process.env };

    before(() => {
        home = fs.mkdtempSync(path.join(os.tmpdir(), "org-access-sdk-"));
        // The SDK reads the SSO token cache under $HOME, and endpoints from these variables.
        process.env.HOME = home;
        delete process.env.AWS_PROFILE;
        delete process.env.AWS_ACCESS_KEY_ID;
        delete process.env.AWS_SECRET_ACCESS_KEY;
        delete process.env.AWS_SESSION_TOKEN;
    });
    after(() => {
        process.env = saved;
        fs.rmSync(home, { recursive: true, force: true });
    });

    /** Writes config and credentials for one person, and resolves `profile` with fromIni. */
    function writeFiles(name: string, config: string, credentials: string): { config: string; credentials: string } {
        const dir = path.join(home, name);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "config"), config);
        fs.writeFileSync(path.join(dir, "credentials"), credentials);
        return { config: path.join(dir, "config"), credentials: path.join(dir, "credentials") };
    }

    async function resolve(files: { config: string; credentials: string }, profile: string) {
        return fromIni({
            profile,
            filepath: files.credentials,
            configFilepath: files.config,
            ignoreCache: true,
            mfaCodeProvider: async () => MFA_CODE,
            clientConfig: { endpoint, region: "us-east-1" },
        })();
    }

    describe("stack access", () => {
        let plan: Plan;
        let standIn: StsStandIn;
        before(async () => {
            plan = await runPlan({ stack: "access" });
            standIn = new StsStandIn(new PlanJudge(toPlanJson(plan), plan));
            endpoint = await standIn.start();
            process.env.AWS_ENDPOINT_URL_STS = endpoint;
            process.env.AWS_ENDPOINT_URL_SSO = endpoint;
        });
        after(() => standIn.stop());

        it("every IAM user's every profile resolves to the role it names, with its session name, through MFA", async () => {
            const configs = (plan.outputs.access as { awsConfig: Record<string, string> }).awsConfig;
            expect(Object.keys(configs)).to.have.length.greaterThan(0);
            let chained = 0;
            for (const [user, text] of Object.entries(configs)) {
                const keys = standIn.staticKeys(userArn(ACCESS, user));
                const files = writeFiles(
                    user,
                    text,
                    `[access]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
                );
                for (const profile of profileNames(text)) {
                    const settings = settingsOf(text, profile);
                    const credentials = await resolve(files, profile).catch((e: Error) => {
                        throw new Error(
                            `${user} [profile ${profile}]: ${e.message}; refusals: ${JSON.stringify(standIn.refusals.slice(-1))}`,
                        );
                    });
                    if (!settings.role_arn) {
                        expect(credentials.accessKeyId, profile).to.equal(keys.accessKeyId);
                        continue;
                    }
                    const grant = standIn.grants.find((g) => g.accessKeyId === credentials.accessKeyId);
                    expect(grant?.caller.arn, `${user} ${profile}`).to.equal(settings.role_arn);
                    expect(grant?.request?.sessionName).to.equal(settings.role_session_name).and.to.match(SESSION_NAME);
                    expect(settings.region, `${profile} region`).to.match(/^[a-z]{2}-[a-z]+-\d$/);
                    if (grant?.request?.caller.session) {
                        chained++;
                        expect(grant.request.durationSeconds).to.be.at.most(3600);
                    } else {
                        expect(grant?.request?.serialNumber, `${profile}: MFA`).to.equal(mfaDeviceArn(ACCESS, user));
                    }
                }
            }
            expect(chained, "chained member-role profiles").to.be.greaterThan(0);
            expect(standIn.refusals).to.deep.equal([]);
        });

        it("every Identity Center profile resolves: the portal for the permission set, then the chain to team and member roles", async () => {
            const text = (plan.outputs.access as { identityCenterAwsConfig: string }).identityCenterAwsConfig;
            const startUrl = /sso_start_url = (\S+)/.exec(text)?.[1] ?? "";
            // The token `aws sso login` caches: by the start URL's SHA-1 (inline profiles) and by the session name.
            const cache = path.join(home, ".aws", "sso", "cache");
            fs.mkdirSync(cache, { recursive: true });
            const token = JSON.stringify({
                accessToken: SSO_TOKEN,
                expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
                region: "us-east-1",
                startUrl,
            });
            for (const id of [startUrl, "org-access"]) {
                fs.writeFileSync(path.join(cache, `${createHash("sha1").update(id).digest("hex")}.json`), token);
            }
            const files = writeFiles("identity-center", text, "");
            // fromIni hands SSO profiles to fromSSO, which reads the default files: point them here.
            process.env.AWS_CONFIG_FILE = files.config;
            process.env.AWS_SHARED_CREDENTIALS_FILE = files.credentials;
            const names = profileNames(text);
            const chainedProfiles = names.filter((n) => settingsOf(text, n).source_profile);
            expect(chainedProfiles.length).to.be.greaterThan(0);
            for (const profile of names) {
                const settings = settingsOf(text, profile);
                // A profile others chain from names its start URL inline (AWS CLI < 2.9.20 cannot chain from sso_session).
                let root = profile;
                while (settingsOf(text, root).source_profile) {
                    root = settingsOf(text, root).source_profile;
                }
                if (settings.source_profile) {
                    expect(settingsOf(text, root).sso_start_url, `${profile} chains from ${root}`).to.equal(startUrl);
                    expect(settingsOf(text, root).sso_region).to.match(/^[a-z]{2}-[a-z]+-\d$/);
                    expect(settings.role_session_name, `${profile} session name`).to.match(SESSION_NAME);
                }
                const credentials = await resolve(files, profile).catch((e: Error) => {
                    throw new Error(`[profile ${profile}]: ${e.message}; refusals: ${JSON.stringify(standIn.refusals.slice(-1))}`);
                });
                const grant = standIn.grants.find((g) => g.accessKeyId === credentials.accessKeyId);
                if (settings.role_arn) {
                    expect(grant?.caller.arn, profile).to.equal(settings.role_arn);
                    expect(grant?.request?.sessionName).to.equal(settings.role_session_name);
                    expect(grant?.request?.durationSeconds).to.be.at.most(3600);
                } else {
                    expect(grant?.caller.arn, profile).to.include(`AWSReservedSSO_${settings.sso_role_name}_`);
                }
            }
            expect(standIn.refusals).to.deep.equal([]);
        });

        it("the stand-in refuses what STS refuses: the old outputs fail here", async () => {
            const configs = (plan.outputs.access as { awsConfig: Record<string, string> }).awsConfig;
            const [user, text] = Object.entries(configs)[0];
            const keys = standIn.staticKeys(userArn(ACCESS, user));
            const member = profileNames(text).find((n) => settingsOf(text, n).duration_seconds) ?? "";
            const team = settingsOf(text, member).source_profile;
            const broken = [
                // A chained session longer than an hour.
                text.replace(new RegExp(`(\\[profile ${member}\\][^[]*?)duration_seconds = 3600`), "$1duration_seconds = 7200"),
                // A session name STS rejects (the old customer profile's placeholder).
                text.replace(new RegExp(`(\\[profile ${team}\\][^[]*?)role_session_name = \\S+`), "$1role_session_name = <your name>"),
                // No MFA where the team trust requires it.
                text.replace(new RegExp(`(\\[profile ${team}\\][^[]*?)mfa_serial = \\S+\\n`), "$1"),
            ];
            for (const [i, config] of broken.entries()) {
                expect(config, `mutation ${i} applied`).not.to.equal(text);
                const files = writeFiles(
                    `${user}-broken-${i}`,
                    config,
                    `[access]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
                );
                const before = standIn.refusals.length;
                const error = await resolve(files, member).then(
                    () => undefined,
                    (e: Error) => e,
                );
                expect(error, `mutation ${i} must fail`).to.be.instanceOf(Error);
                expect(standIn.refusals.length, `mutation ${i} refused by the stand-in`).to.equal(before + 1);
            }
        });
    });

    describe("stack mgmt", () => {
        let standIn: StsStandIn;
        let plan: Plan;
        before(async () => {
            plan = await runPlan({ stack: "mgmt" });
            const judge = new PlanJudge(toPlanJson(plan), plan);
            standIn = new StsStandIn(judge);
            endpoint = await standIn.start();
            process.env.AWS_ENDPOINT_URL_STS = endpoint;
            // A member-account engineer of a trusted account, whose own policy allows assuming the role (README).
            const roleArn = (plan.outputs.customerAccess as { roleArn: string }).roleArn;
            judge.identityPolicies.set(userArn(PROD, "engineer"), [
                { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn }] },
            ]);
        });
        after(() => standIn.stop());

        it("the customer role's profile works from IAM user keys once the user adds their mfa_serial, and refuses the keys without MFA", async () => {
            const { cliProfile, roleArn } = plan.outputs.customerAccess as { cliProfile: string; roleArn: string };
            expect(cliProfile).not.to.match(/[<>]/);
            const settings = settingsOf(cliProfile, "customer-access");
            expect(settings.region).to.equal("us-east-1");
            const keys = standIn.staticKeys(userArn(PROD, "engineer"));
            const credentials = `[${settings.source_profile}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`;

            // As pasted, long-term keys carry no MFA: the trust refuses IAM users without it (issue #21).
            const before = standIn.refusals.length;
            const refused = await resolve(writeFiles("customer-no-mfa", cliProfile, credentials), "customer-access").then(
                () => undefined,
                (e: Error) => e,
            );
            expect(refused, "IAM user keys without MFA").to.be.instanceOf(Error);
            expect(standIn.refusals.slice(before).map((r) => r.message)).to.deep.equal([
                `${userArn(PROD, "engineer")} may not assume ${roleArn}: ExplicitlyDenied`,
            ]);

            // With the user's own device named (README), the SDK sends SerialNumber and TokenCode, and the user gets in.
            const serial = mfaDeviceArn(PROD, "engineer");
            const withMfa = cliProfile.replace("[profile customer-access]\n", `[profile customer-access]\nmfa_serial = ${serial}\n`);
            expect(withMfa).to.not.equal(cliProfile);
            const granted = await resolve(writeFiles("customer", withMfa, credentials), "customer-access").catch((e: Error) => {
                throw new Error(`${e.message}; refusals: ${JSON.stringify(standIn.refusals)}`);
            });
            const grant = standIn.grants.find((g) => g.accessKeyId === granted.accessKeyId);
            expect(grant?.caller.arn).to.equal(roleArn);
            expect(grant?.request?.sessionName).to.equal("customer-access");
            expect(grant?.request?.serialNumber).to.equal(serial);
        });
    });
});
