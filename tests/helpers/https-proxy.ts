import { execFileSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo, Socket } from "net";
import * as path from "path";
import * as tls from "tls";

/**
 * An HTTPS proxy on 127.0.0.1 that ends TLS itself, with a certificate for `*.amazonaws.com` from its
 * own throwaway CA, and hands each decrypted request to a local HTTP server (the STS stand-in).
 *
 * Why: AWS CLI 2.9.19 ignores endpoint overrides for the STS calls of chained profiles, so the only
 * way to point it at a stand-in is the proxy it honours (`HTTPS_PROXY`) and the CA bundle it trusts
 * (`AWS_CA_BUNDLE`). Bounded: it tunnels only to `*.amazonaws.com:443`, refuses more than
 * `maxConnections` tunnels, and closes itself after `lifetimeMs`, whatever the test does.
 */
export class InterceptingProxy {
    private server?: http.Server;
    private readonly inner: http.Server;
    private readonly sockets = new Set<Socket>();
    private connections = 0;
    /** Hosts the client asked to tunnel to, in order. */
    public readonly tunnels: string[] = [];
    /** The CA certificate file a client must trust. */
    public readonly caFile: string;
    private readonly key: string;
    private readonly cert: string;

    constructor(
        dir: string,
        private readonly target: string,
        private readonly maxConnections = 500,
        private readonly lifetimeMs = 300_000,
    ) {
        const file = (name: string) => path.join(dir, name);
        const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe", timeout: 30_000 });
        openssl(
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=org-access test CA",
            "-keyout",
            file("ca.key"),
            "-out",
            file("ca.pem"),
        );
        fs.writeFileSync(
            file("ext.cnf"),
            "subjectAltName=DNS:*.amazonaws.com,DNS:sts.amazonaws.com,DNS:*.us-east-1.amazonaws.com,DNS:*.sso.us-east-1.amazonaws.com\nbasicConstraints=CA:FALSE\n",
        );
        openssl(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=*.amazonaws.com",
            "-keyout",
            file("server.key"),
            "-out",
            file("server.csr"),
        );
        openssl(
            "x509",
            "-req",
            "-in",
            file("server.csr"),
            "-CA",
            file("ca.pem"),
            "-CAkey",
            file("ca.key"),
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            file("ext.cnf"),
            "-out",
            file("server.pem"),
        );
        this.caFile = file("ca.pem");
        this.key = fs.readFileSync(file("server.key"), "utf8");
        this.cert = fs.readFileSync(file("server.pem"), "utf8");
        // The decrypted side: every request goes to the target as it came, body included.
        this.inner = http.createServer((req, res) => {
            const upstream = http.request(
                new URL(req.url ?? "/", this.target),
                { method: req.method, headers: req.headers, timeout: 30_000 },
                (answer) => {
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(res);
                },
            );
            upstream.on("error", (e) => res.writeHead(502).end(String(e)));
            req.pipe(upstream);
        });
    }

    /** Starts listening; resolves to the proxy URL for `HTTPS_PROXY`. */
    async start(): Promise<string> {
        this.server = http.createServer((_req, res) => res.writeHead(405).end());
        this.server.on("connect", (req: http.IncomingMessage, client: Socket) => {
            const [host, port] = String(req.url).split(":");
            this.tunnels.push(host);
            if (++this.connections > this.maxConnections || port !== "443" || !/^[a-z0-9.-]+\.amazonaws\.com$/.test(host)) {
                client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
                return;
            }
            this.sockets.add(client);
            client.on("close", () => this.sockets.delete(client));
            client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
            const secure = new tls.TLSSocket(client, { isServer: true, key: this.key, cert: this.cert });
            secure.on("error", () => client.destroy());
            this.inner.emit("connection", secure);
        });
        await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
        const timer = setTimeout(() => void this.stop(), this.lifetimeMs);
        timer.unref();
        this.server.unref();
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        for (const s of this.sockets) s.destroy();
        if (server) {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
    }
}
