import { fromIni } from "@aws-sdk/credential-providers";
import { expect } from "chai";
import { spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { userArn } from "../iam/arns";
import { Plan } from "../offline/plan";
import { PlanJson, toPlanJson } from "../offline/report";
import { readStackConfig } from "../offline/stack-files";
import { ACCESS } from "./helpers/config";
import { InterceptingProxy } from "./helpers/https-proxy";
import { PlanJudge, SSO_TOKEN } from "./helpers/plan-judge";
import { runPlan } from "./helpers/plan";
import { StsStandIn } from "./helpers/sts-standin";

/**
 * What a person pastes into `~/.aws/config`, pasted together and resolved by real clients: an IAM user
 * of a group the customer role trusts (carol, added to `auditors`), with the Identity Center
 * fragment next to it. Every `source_profile` must name a profile of the same paste, and every
 * profile must resolve, through STS and the Identity Center portal stand-ins that decide with the
 * planned documents, with the AWS SDK for JavaScript v3 and with AWS CLI v2 (/usr/bin/aws).
 */
const MFA_CODE = "123456";
const AWS_CLI = "/usr/bin/aws";

/** Profile names of a `~/.aws/config` text, in order. */
function profileNames(text: string): string[] {
    return [...text.matchAll(/^\[profile ([^\]]+)\]$/gm)].map((m) => m[1]);
}

function settingsOf(text: string, profile: string): Record<string, string> {
    const block = text.split(/^\[/m).find((b) => b.startsWith(`profile ${profile}]`)) ?? "";
    return Object.fromEntries([...block.matchAll(/^(\w+) = (.*)$/gm)].map((m) => [m[1], m[2]]));
}

/** The repository's config of `stack`, with carol also in the group the customer role trusts. */
function configWithCarolAuditing(stack: string): Record<string, string> {
    const config = readStackConfig(stack);
    const identity = JSON.parse(config["org-access:identity"]);
    const carol = identity.users.find((u: { name: string }) => u.name === "carol");
    carol.groups = [...carol.groups, "auditors"];
    return { ...config, "org-access:identity": JSON.stringify(identity) };
}

/** One judge over both stacks' documents: the chain crosses from the access account into the management account. */
function judgeOf(plans: Plan[]): PlanJudge {
    const jsons = plans.map((p) => toPlanJson(p));
    const merged: PlanJson = {
        ...jsons[0],
        iam: {
            ...jsons[0].iam,
            roles: jsons.flatMap((j) => j.iam.roles),
            users: jsons.flatMap((j) => j.iam.users),
            groups: jsons.flatMap((j) => j.iam.groups),
        },
    };
    return new PlanJudge(merged, { ...plans[0], resources: plans.flatMap((p) => p.resources) });
}

describe("pasted together: an IAM user's and Identity Center's profiles, with the customer role, in the AWS SDK and AWS CLI v2", function () {
    this.timeout(300_000);
    let home: string;
    let standIn: StsStandIn;
    let endpoint: string;
    let pasted: string;
    let customerArn: string;
    const files = { config: "", credentials: "" };
    const saved = { ...process.env };

    before(async () => {
        home = fs.mkdtempSync(path.join(os.tmpdir(), "org-access-pasted-"));
        const access = await runPlan({ stack: "access", config: configWithCarolAuditing("access") });
        const mgmt = await runPlan({ stack: "mgmt", config: configWithCarolAuditing("mgmt") });
        customerArn = (mgmt.outputs.customerAccess as { roleArn: string }).roleArn;
        const outputs = access.outputs.access as { awsConfig: Record<string, string>; identityCenterAwsConfig: string };
        pasted = `${outputs.awsConfig.carol}\n${outputs.identityCenterAwsConfig}`;
        standIn = new StsStandIn(judgeOf([access, mgmt]));
        endpoint = await standIn.start();
        const keys = standIn.staticKeys(userArn(ACCESS, "carol"));
        files.config = path.join(home, "config");
        files.credentials = path.join(home, "credentials");
        fs.writeFileSync(files.config, pasted);
        fs.writeFileSync(
            files.credentials,
            `[access]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
        );
        // The token `aws sso login` caches: by the start URL's SHA-1 (inline profiles) and by the session name.
        const startUrl = /sso_start_url = (\S+)/.exec(pasted)?.[1] ?? "";
        const cache = path.join(home, ".aws", "sso", "cache");
        fs.mkdirSync(cache, { recursive: true });
        const token = JSON.stringify({
            accessToken: SSO_TOKEN,
            expiresAt: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, "Z"),
            region: "us-east-1",
            startUrl,
        });
        for (const id of [startUrl, "org-access"]) {
            fs.writeFileSync(path.join(cache, `${createHash("sha1").update(id).digest("hex")}.json`), token);
        }
        process.env.HOME = home;
        process.env.AWS_CONFIG_FILE = files.config;
        process.env.AWS_SHARED_CREDENTIALS_FILE = files.credentials;
        process.env.AWS_ENDPOINT_URL_STS = endpoint;
        process.env.AWS_ENDPOINT_URL_SSO = endpoint;
        for (const k of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) delete process.env[k];
    });
    after(async () => {
        process.env = saved;
        await standIn?.stop();
        fs.rmSync(home, { recursive: true, force: true });
    });

    it("the user's file has the customer role's profile, and every source_profile names a profile of the paste", () => {
        const names = profileNames(pasted);
        expect(names).to.include("customer-access");
        expect(settingsOf(pasted, "customer-access").role_arn).to.equal(customerArn);
        expect(new Set(names).size, "no profile twice").to.equal(names.length);
        for (const name of names) {
            const source = settingsOf(pasted, name).source_profile;
            if (source !== undefined) expect(names, `${name} chains from ${source}`).to.include(source);
        }
    });

    /** Checks that `accessKeyId` came from STS for the role `profile` names (or is the user's own key). */
    function expectGranted(profile: string, accessKeyId: string) {
        const settings = settingsOf(pasted, profile);
        const grant = standIn.grants.find((g) => g.accessKeyId === accessKeyId);
        if (settings.role_arn) {
            expect(grant?.caller.arn, profile).to.equal(settings.role_arn);
            expect(grant?.request?.sessionName, profile).to.equal(settings.role_session_name);
        } else if (settings.sso_role_name) {
            expect(grant?.caller.arn, profile).to.include(`AWSReservedSSO_${settings.sso_role_name}_`);
        } else {
            expect(grant, `${profile}: the user's own key`).to.equal(undefined);
        }
    }

    it("the AWS SDK for JavaScript v3 resolves every profile of the paste, the customer role included", async () => {
        for (const profile of profileNames(pasted)) {
            const credentials = await fromIni({
                profile,
                filepath: files.credentials,
                configFilepath: files.config,
                ignoreCache: true,
                mfaCodeProvider: async () => MFA_CODE,
                clientConfig: { endpoint, region: "us-east-1" },
            })().catch((e: Error) => {
                throw new Error(`[profile ${profile}]: ${e.message}; refusals: ${JSON.stringify(standIn.refusals.slice(-1))}`);
            });
            expectGranted(profile, credentials.accessKeyId);
        }
        expect(standIn.grants.filter((g) => g.caller.arn === customerArn).length, "the customer role, from the paste").to.equal(1);
        expect(standIn.refusals).to.deep.equal([]);
    });

    it("AWS CLI v2 resolves every profile of the paste, through a local HTTPS proxy to the stand-in", async function () {
        if (!fs.existsSync(AWS_CLI)) {
            // The CLI is a system package (apt-get install -y awscli); without it this half cannot run. CI
            // installs it (.ci/run), so there a missing CLI is a failure, not a skip.
            if (process.env.CI === "true") throw new Error(`${AWS_CLI} is missing: .ci/run installs Debian's awscli`);
            this.skip();
        }
        const proxy = new InterceptingProxy(home, endpoint);
        const proxyUrl = await proxy.start();
        try {
            const env: NodeJS.ProcessEnv = {
                PATH: process.env.PATH,
                HOME: home,
                AWS_CONFIG_FILE: files.config,
                AWS_SHARED_CREDENTIALS_FILE: files.credentials,
                HTTPS_PROXY: proxyUrl,
                AWS_CA_BUNDLE: proxy.caFile,
                AWS_EC2_METADATA_DISABLED: "true",
                AWS_PAGER: "",
            };
            for (const profile of profileNames(pasted)) {
                const run = await runAsync(
                    AWS_CLI,
                    ["configure", "export-credentials", "--profile", profile, "--format", "process"],
                    env,
                    `${MFA_CODE}\n`,
                );
                expect(run.status, `aws --profile ${profile}: ${run.stderr}`).to.equal(0);
                const credentials = JSON.parse(run.stdout) as { AccessKeyId: string };
                expectGranted(profile, credentials.AccessKeyId);
            }
            expect(proxy.tunnels.length, "the CLI went through the proxy").to.be.greaterThan(0);
            expect(standIn.grants.filter((g) => g.caller.arn === customerArn).length, "the customer role, from the paste").to.equal(2);
            expect(standIn.refusals).to.deep.equal([]);
        } finally {
            await proxy.stop();
        }
    });
});

/** Runs a command without blocking the event loop (the proxy and the stand-in answer from this process); stdin is `input`; at most two minutes. */
function runAsync(
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    input: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"], timeout: 120_000 });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (d: Buffer) => out.push(d));
        child.stderr.on("data", (d: Buffer) => err.push(d));
        child.stdin.end(input);
        child.on("close", (status) =>
            resolve({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
        );
    });
}
