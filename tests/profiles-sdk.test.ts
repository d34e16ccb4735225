import { fromIni } from "@aws-sdk/credential-providers";
import { expect } from "chai";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mfaDeviceArn, userArn } from "../iam/arns";
import { Plan } from "../offline/plan";
import { IamRole, PlanJson, toPlanJson } from "../offline/report";
import { SESSION_NAME } from "../outputs/session-names";
import { ACCESS, ORG_ID, PROD } from "./helpers/config";
import { runPlan } from "./helpers/plan";
import { decide } from "./helpers/simulate";
import { AssumeRoleRequest, Caller, Judge, PortalRequest, Refusal, StsStandIn } from "./helpers/sts-standin";

/**
 * The `~/.aws/config` the stacks output, resolved by a real client: the AWS SDK for JavaScript v3
 * (`fromIni`, the same resolver the AWS CLI's profile semantics are specified by), against a
 * stand-in for STS and the Identity Center portal on 127.0.0.1 that grants a request only when the
 * plan's own trust and identity policies allow it (judged by iam-simulate), the session name is one
 * STS accepts, MFA is given where the trust requires it, and a chained session asks for at most an hour.
 */
const SSO_TOKEN = "fake-identity-center-token";
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

/** Decides each request with the plan's documents, as IAM and STS would. */
class PlanJudge implements Judge {
    private readonly roles: Map<string, IamRole>;
    /** Identity policies of principals that are not roles of the plan: IAM users, reserved SSO roles, outsiders. */
    readonly identityPolicies = new Map<string, object[]>();

    constructor(
        json: PlanJson,
        private readonly plan: Plan,
    ) {
        this.roles = new Map(json.iam.roles.map((r) => [r.arn, r]));
        for (const user of json.iam.users) {
            const groups = json.iam.groups.filter((g) => g.accountId === user.accountId && user.groups.includes(g.name));
            this.identityPolicies.set(user.arn, [...user.policies, ...groups.flatMap((g) => g.policies)]);
        }
    }

    async assumeRole(request: AssumeRoleRequest): Promise<Refusal | { mfa: boolean }> {
        const role = this.roles.get(request.roleArn);
        if (!role) {
            return { code: "AccessDenied", message: `no role ${request.roleArn} in the plan` };
        }
        if (!SESSION_NAME.test(request.sessionName)) {
            return { code: "ValidationError", message: `RoleSessionName ${JSON.stringify(request.sessionName)} fails [\\w+=,.@-]{2,64}` };
        }
        const maxSession = request.caller.session ? 3600 : this.maxSessionDuration(role);
        if (request.durationSeconds < 900 || request.durationSeconds > maxSession) {
            return {
                code: "ValidationError",
                message: `DurationSeconds ${request.durationSeconds} exceeds ${maxSession}${request.caller.session ? " (role chaining)" : ""}`,
            };
        }
        let mfa = request.caller.mfa;
        if (request.serialNumber !== undefined || request.tokenCode !== undefined) {
            const expected = request.caller.session
                ? undefined
                : mfaDeviceArn(request.caller.arn.split(":")[4], request.caller.arn.split("/").pop() ?? "");
            if (request.serialNumber !== expected || !/^\d{6}$/.test(request.tokenCode ?? "")) {
                return { code: "AccessDenied", message: `MFA ${request.serialNumber} is not the caller's device, or no code` };
            }
            mfa = true;
        }
        const context: Record<string, string> = mfa ? { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "60" } : {};
        if (request.externalId) {
            context["sts:ExternalId"] = request.externalId;
        }
        const decision = await decide({
            caller: { arn: request.caller.arn, orgId: ORG_ID, identityPolicies: this.policiesOf(request.caller), context },
            action: "sts:AssumeRole",
            resourceArn: role.arn,
            resourceAccount: role.accountId ?? "",
            // Every account the plan names is in the organization; AWS adds its org id to the request.
            resourceOrgId: ORG_ID,
            resourcePolicy: role.trustPolicy,
        });
        return decision === "Allowed"
            ? { mfa }
            : { code: "AccessDenied", message: `${request.caller.arn} may not assume ${role.arn}: ${decision}` };
    }

    async roleCredentials(request: PortalRequest): Promise<Refusal | { roleArn: string }> {
        if (request.token !== SSO_TOKEN) {
            return { code: "UnauthorizedException", message: "bad token" };
        }
        const assigned = this.plan.resources.some(
            (r) =>
                r.type === "aws:ssoadmin/accountAssignment:AccountAssignment" &&
                r.inputs.targetId === request.accountId &&
                r.name.includes(`-${request.roleName}-`),
        );
        if (!assigned) {
            return { code: "ForbiddenException", message: `${request.roleName} is not assigned in ${request.accountId}` };
        }
        const roleArn = `arn:aws:iam::${request.accountId}:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_${request.roleName}_0123456789abcdef`;
        const inline = this.plan.resources.find(
            (r) =>
                r.type === "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy" &&
                r.name.endsWith(`-${request.roleName}-inline`),
        );
        this.identityPolicies.set(roleArn, inline ? [JSON.parse(inline.inputs.inlinePolicy as string) as object] : []);
        return { roleArn };
    }

    private policiesOf(caller: Caller): object[] {
        return this.roles.get(caller.arn)?.policies ?? this.identityPolicies.get(caller.arn) ?? [];
    }

    private maxSessionDuration(role: IamRole): number {
        const resource = this.plan.resources.find(
            (r) => r.type === "aws:iam/role:Role" && r.inputs.name === role.name && r.accountId === role.accountId,
        );
        return Number(resource?.inputs.maxSessionDuration ?? 3600);
    }
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
        const ENGINEER = `arn:aws:iam::${PROD}:role/engineer`;
        let standIn: StsStandIn;
        let plan: Plan;
        before(async () => {
            plan = await runPlan({ stack: "mgmt" });
            const judge = new PlanJudge(toPlanJson(plan), plan);
            standIn = new StsStandIn(judge);
            endpoint = await standIn.start();
            process.env.AWS_ENDPOINT_URL_STS = endpoint;
            // A member-account engineer's role of a trusted account, whose own policy allows assuming the role (README).
            // A role: the trust refuses IAM users without MFA (IamUsersNeedMfa), and this profile names no MFA device.
            const roleArn = (plan.outputs.customerAccess as { roleArn: string }).roleArn;
            judge.identityPolicies.set(ENGINEER, [
                { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn }] },
            ]);
        });
        after(() => standIn.stop());

        it("the customer role's profile works as pasted, from the documented source profile", async () => {
            const { cliProfile, roleArn } = plan.outputs.customerAccess as { cliProfile: string; roleArn: string };
            expect(cliProfile).not.to.match(/[<>]/);
            const settings = settingsOf(cliProfile, "customer-access");
            expect(settings.region).to.equal("us-east-1");
            const keys = standIn.staticKeys(ENGINEER);
            const files = writeFiles(
                "customer",
                cliProfile,
                `[${settings.source_profile}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
            );
            const credentials = await resolve(files, "customer-access").catch((e: Error) => {
                throw new Error(`${e.message}; refusals: ${JSON.stringify(standIn.refusals)}`);
            });
            const grant = standIn.grants.find((g) => g.accessKeyId === credentials.accessKeyId);
            expect(grant?.caller.arn).to.equal(roleArn);
            expect(grant?.request?.sessionName).to.equal("customer-access");
        });
    });
});
