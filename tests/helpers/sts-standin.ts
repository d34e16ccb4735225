import * as http from "http";
import { AddressInfo } from "net";

/**
 * A stand-in for STS (`AssumeRole`, awsQuery over HTTP) and the IAM Identity Center portal
 * (`GetRoleCredentials`), listening on 127.0.0.1 only, so the real AWS SDK can resolve the profiles
 * the program generates. It answers nothing itself: every request goes to `judge`, which decides
 * with the plan's documents. Bounded: it refuses more than `maxRequests` requests and closes itself
 * after `lifetimeMs`, whatever the test does.
 */
export interface Caller {
    /** The principal the credentials belong to: an IAM user, or the role of a session. */
    readonly arn: string;
    /** A role session (so any AssumeRole it makes is role chaining). */
    readonly session: boolean;
    /** The session was made with MFA (it carries over into chained sessions). */
    readonly mfa: boolean;
}

export interface AssumeRoleRequest {
    readonly caller: Caller;
    readonly roleArn: string;
    readonly sessionName: string;
    readonly durationSeconds: number;
    readonly serialNumber?: string;
    readonly tokenCode?: string;
    readonly externalId?: string;
}

export interface PortalRequest {
    readonly token: string;
    readonly accountId: string;
    readonly roleName: string;
}

/** A refusal, with STS's error code and why. */
export interface Refusal {
    readonly code: string;
    readonly message: string;
}

export interface Judge {
    /** The role session's principal when allowed, or why not. */
    assumeRole(request: AssumeRoleRequest): Promise<Refusal | { readonly mfa: boolean }>;
    /** The reserved role's ARN when the token may use the permission set in the account, or why not. */
    roleCredentials(request: PortalRequest): Promise<Refusal | { readonly roleArn: string }>;
}

export interface Granted {
    readonly accessKeyId: string;
    readonly caller: Caller;
    readonly request?: AssumeRoleRequest;
}

export class StsStandIn {
    private server?: http.Server;
    private readonly keys = new Map<string, Caller>();
    private issued = 0;
    private handled = 0;
    /** Every credential handed out, in order. */
    public readonly grants: Granted[] = [];
    /** Every refusal, for the test's messages. */
    public readonly refusals: (Refusal & { readonly request: unknown })[] = [];

    constructor(
        private readonly judge: Judge,
        private readonly maxRequests = 2000,
        private readonly lifetimeMs = 300_000,
    ) {}

    /** Static keys (as in `~/.aws/credentials`) that belong to `arn`. */
    staticKeys(arn: string): { accessKeyId: string; secretAccessKey: string } {
        const accessKeyId = `AKIA${String(this.keys.size).padStart(16, "0")}`;
        this.keys.set(accessKeyId, { arn, session: false, mfa: false });
        return { accessKeyId, secretAccessKey: "fake-secret-for-a-local-stand-in" };
    }

    async start(): Promise<string> {
        this.server = http.createServer((req, res) => void this.handle(req, res));
        await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
        const timer = setTimeout(() => void this.stop(), this.lifetimeMs);
        timer.unref();
        this.server.unref();
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        if (server) {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        if (++this.handled > this.maxRequests) {
            res.writeHead(429).end();
            return;
        }
        const chunks: Buffer[] = [];
        for await (const chunk of req) {
            chunks.push(chunk as Buffer);
        }
        const body = Buffer.concat(chunks).toString("utf8");
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        try {
            if (req.method === "GET" && url.pathname === "/federation/credentials") {
                await this.portal(req, url, res);
            } else if (req.method === "POST") {
                await this.sts(req, new URLSearchParams(body), res);
            } else {
                res.writeHead(404).end();
            }
        } catch (e) {
            res.writeHead(500).end(String(e));
        }
    }

    private callerOf(req: http.IncomingMessage): Caller | undefined {
        const auth = String(req.headers.authorization ?? "");
        const keyId = /Credential=([A-Z0-9]+)\//.exec(auth)?.[1];
        return keyId ? this.keys.get(keyId) : undefined;
    }

    private async sts(req: http.IncomingMessage, form: URLSearchParams, res: http.ServerResponse): Promise<void> {
        const caller = this.callerOf(req);
        if (form.get("Action") !== "AssumeRole" || !caller) {
            return this.stsError(
                res,
                { code: "InvalidClientTokenId", message: `unknown caller or action ${form.get("Action")}` },
                form.toString(),
            );
        }
        const request: AssumeRoleRequest = {
            caller,
            roleArn: form.get("RoleArn") ?? "",
            sessionName: form.get("RoleSessionName") ?? "",
            durationSeconds: Number(form.get("DurationSeconds") ?? "3600"),
            serialNumber: form.get("SerialNumber") ?? undefined,
            tokenCode: form.get("TokenCode") ?? undefined,
            externalId: form.get("ExternalId") ?? undefined,
        };
        const verdict = await this.judge.assumeRole(request);
        if ("code" in verdict) {
            return this.stsError(res, verdict, request);
        }
        const granted = this.issue({ arn: request.roleArn, session: true, mfa: verdict.mfa }, request);
        const expiration = new Date(Date.now() + request.durationSeconds * 1000).toISOString();
        const [account, role] = [request.roleArn.split(":")[4], request.roleArn.split("/").pop()];
        res.writeHead(200, { "content-type": "text/xml" }).end(
            [
                '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>',
                `<AccessKeyId>${granted.accessKeyId}</AccessKeyId><SecretAccessKey>secret-${granted.accessKeyId}</SecretAccessKey>`,
                `<SessionToken>token-${granted.accessKeyId}</SessionToken><Expiration>${expiration}</Expiration></Credentials>`,
                `<AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/${role}/${request.sessionName}</Arn>`,
                `<AssumedRoleId>AROA000000000000:${request.sessionName}</AssumedRoleId></AssumedRoleUser>`,
                "</AssumeRoleResult><ResponseMetadata><RequestId>standin</RequestId></ResponseMetadata></AssumeRoleResponse>",
            ].join(""),
        );
    }

    private async portal(req: http.IncomingMessage, url: URL, res: http.ServerResponse): Promise<void> {
        const request: PortalRequest = {
            token: String(req.headers["x-amz-sso_bearer_token"] ?? ""),
            accountId: url.searchParams.get("account_id") ?? "",
            roleName: url.searchParams.get("role_name") ?? "",
        };
        const verdict = await this.judge.roleCredentials(request);
        if ("code" in verdict) {
            this.refusals.push({ ...verdict, request });
            res.writeHead(403, { "content-type": "application/json", "x-amzn-errortype": "ForbiddenException" }).end(
                JSON.stringify({ message: verdict.message }),
            );
            return;
        }
        const granted = this.issue({ arn: verdict.roleArn, session: true, mfa: false });
        res.writeHead(200, { "content-type": "application/json" }).end(
            JSON.stringify({
                roleCredentials: {
                    accessKeyId: granted.accessKeyId,
                    secretAccessKey: `secret-${granted.accessKeyId}`,
                    sessionToken: `token-${granted.accessKeyId}`,
                    expiration: Date.now() + 3_600_000,
                },
            }),
        );
    }

    private issue(caller: Caller, request?: AssumeRoleRequest): Granted {
        const accessKeyId = `ASIA${String(++this.issued).padStart(16, "0")}`;
        this.keys.set(accessKeyId, caller);
        const granted = { accessKeyId, caller, request };
        this.grants.push(granted);
        return granted;
    }

    private stsError(res: http.ServerResponse, refusal: Refusal, request: unknown): void {
        this.refusals.push({ ...refusal, request });
        res.writeHead(403, { "content-type": "text/xml" }).end(
            `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${refusal.code}</Code><Message>${escapeXml(refusal.message)}</Message></Error><RequestId>standin</RequestId></ErrorResponse>`,
        );
    }
}

function escapeXml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
