// Serves this policy pack exactly as the Pulumi engine does and talks to it over the same gRPC
// Analyzer protocol: `node @pulumi/pulumi/cmd/run-policy-pack <engine-address> <pack-dir>` in the
// pack directory (it registers ts-node itself, type-checking the pack with the pack's tsconfig),
// read the port from the first line of stdout, then GetAnalyzerInfo / Configure / Analyze /
// AnalyzeStack. Used by `scripts/policy-check.ts` and the end-to-end tests; the pack never loads it.
//
// Engine address: run-policy-pack drops its first argument (the Node runtime only connects to an
// engine named in PULUMI_NODEJS_ENGINE), so logs go to the child's stdout/stderr. We still start
// a minimal Engine server that records Log calls and pass its address, so the child gets a live
// engine if a future runtime starts using the argument.

import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import { isRecord } from "../iam/documents";

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";

const LEVEL_FROM_WIRE: Record<number, EnforcementLevel> = {
    [analyzerproto.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerproto.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerproto.EnforcementLevel.DISABLED]: "disabled",
    [analyzerproto.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_TO_WIRE: Record<EnforcementLevel, analyzerproto.EnforcementLevel> = {
    advisory: analyzerproto.EnforcementLevel.ADVISORY,
    mandatory: analyzerproto.EnforcementLevel.MANDATORY,
    disabled: analyzerproto.EnforcementLevel.DISABLED,
    remediate: analyzerproto.EnforcementLevel.REMEDIATE,
};

export interface PolicySummary {
    readonly name: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly type: "resource" | "stack" | "unknown";
    readonly configSchema?: { readonly properties: Record<string, unknown>; readonly required: readonly string[] };
}

export interface PackInfo {
    readonly name: string;
    readonly policies: readonly PolicySummary[];
}

export interface Diagnostic {
    readonly policyName: string;
    readonly message: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly urn?: string;
}

export interface AnalyzedProvider {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly properties: Record<string, unknown>;
}

export interface AnalyzedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly properties: Record<string, unknown>;
    readonly provider?: AnalyzedProvider;
    readonly parent?: string;
}

/** Per-policy config as in a `--policy-pack-config` file: a level, or properties with an optional level. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface EngineLog {
    readonly severity: number;
    readonly message: string;
}

function unary<Req, Res>(
    call: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
    request: Req,
): Promise<Res> {
    return new Promise((resolve, reject) => {
        call(request, (error, response) => (error ? reject(error) : resolve(response)));
    });
}

function toStruct(value: Record<string, unknown>): structproto.Struct {
    // Struct.fromJavaScript only accepts JSON values; a JSON round trip drops `undefined`s.
    return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

function resourceOptions(parent?: string): analyzerproto.AnalyzerResourceOptions {
    const options = new analyzerproto.AnalyzerResourceOptions();
    options.setProtect(false);
    if (parent !== undefined) {
        options.setParent(parent);
    }
    return options;
}

function providerMessage(provider: AnalyzedProvider): analyzerproto.AnalyzerProviderResource {
    const message = new analyzerproto.AnalyzerProviderResource();
    message.setType(provider.type);
    message.setName(provider.name);
    message.setUrn(provider.urn);
    message.setProperties(toStruct(provider.properties));
    return message;
}

function diagnosticsOf(response: analyzerproto.AnalyzeResponse): Diagnostic[] {
    return response.getDiagnosticsList().map((d) => ({
        policyName: d.getPolicyname(),
        message: d.getMessage(),
        enforcementLevel: LEVEL_FROM_WIRE[d.getEnforcementlevel()] ?? "advisory",
        urn: d.getUrn() === "" ? undefined : d.getUrn(),
    }));
}

/** The fields Analyze and AnalyzeStack messages share, filled from one resource. */
function describeResource<M extends analyzerproto.AnalyzeRequest | analyzerproto.AnalyzerResource>(
    message: M,
    resource: AnalyzedResource,
): M {
    message.setType(resource.type);
    message.setName(resource.name);
    message.setUrn(resource.urn);
    message.setProperties(toStruct(resource.properties));
    message.setOptions(resourceOptions(resource.parent));
    if (resource.provider !== undefined) {
        message.setProvider(providerMessage(resource.provider));
    }
    return message;
}

/** A running policy pack and a client connected to it as the engine. */
export class ServedPolicyPack {
    private info?: PackInfo;

    private constructor(
        private readonly child: ChildProcess,
        private readonly client: analyzerrpc.AnalyzerClient,
        private readonly engine: grpc.Server,
        readonly engineLogs: EngineLog[],
        readonly output: { stdout: string; stderr: string },
    ) {}

    /** Starts `packDir` with run-policy-pack; rejects (and cleans up) if it does not come up. */
    static async start(packDir: string, options: { timeoutMs?: number } = {}): Promise<ServedPolicyPack> {
        const engineLogs: EngineLog[] = [];
        const engine = await startEngine(engineLogs);
        const engineAddress = `127.0.0.1:${engine.port}`;
        const runPolicyPack = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack");
        const env = { ...process.env };
        delete env.PULUMI_NODEJS_ENGINE;
        const child = spawn(process.execPath, [runPolicyPack, engineAddress, "."], {
            cwd: path.resolve(packDir),
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const output = { stdout: "", stderr: "" };
        try {
            const port = await new Promise<number>((resolve, reject) => {
                const timer = setTimeout(
                    () => reject(new Error(`policy pack did not report a port within ${options.timeoutMs ?? 120000}ms`)),
                    options.timeoutMs ?? 120000,
                );
                child.stdout?.on("data", (chunk: Buffer) => {
                    output.stdout += chunk.toString();
                    const first = /^(\d+)\s*$/m.exec(output.stdout);
                    if (first !== null) {
                        clearTimeout(timer);
                        resolve(Number(first[1]));
                    }
                });
                child.stderr?.on("data", (chunk: Buffer) => {
                    output.stderr += chunk.toString();
                });
                child.on("exit", (code) => {
                    clearTimeout(timer);
                    reject(new Error(`policy pack exited with code ${code} before serving:\n${output.stderr}${output.stdout}`));
                });
            });
            const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            return new ServedPolicyPack(child, client, engine.server, engineLogs, output);
        } catch (e) {
            child.kill("SIGKILL");
            engine.server.forceShutdown();
            throw e;
        }
    }

    async getInfo(): Promise<PackInfo> {
        const info = await unary<emptyproto.Empty, analyzerproto.AnalyzerInfo>(
            this.client.getAnalyzerInfo.bind(this.client),
            new emptyproto.Empty(),
        );
        const policies = info.getPoliciesList().map((p): PolicySummary => {
            const schema = p.getConfigschema();
            const properties = schema?.getProperties()?.toJavaScript();
            return {
                name: p.getName(),
                enforcementLevel: LEVEL_FROM_WIRE[p.getEnforcementlevel()] ?? "advisory",
                type:
                    p.getPolicyType() === analyzerproto.PolicyType.POLICY_TYPE_RESOURCE
                        ? "resource"
                        : p.getPolicyType() === analyzerproto.PolicyType.POLICY_TYPE_STACK
                          ? "stack"
                          : "unknown",
                configSchema:
                    schema === undefined
                        ? undefined
                        : { properties: isRecord(properties) ? properties : {}, required: schema.getRequiredList() },
            };
        });
        this.info = { name: info.getName(), policies };
        return this.info;
    }

    /**
     * Configures every policy the way the CLI does: each policy gets its enforcement level (from
     * `config` or its default) and its properties with schema defaults filled in. Sending a policy
     * no level would silently make it advisory, since advisory is the wire default.
     */
    async configure(config: PackConfig): Promise<void> {
        const info = this.info ?? (await this.getInfo());
        const request = new analyzerproto.ConfigureAnalyzerRequest();
        for (const policy of info.policies) {
            const given = config[policy.name];
            const level = typeof given === "string" ? given : (given?.enforcementLevel ?? policy.enforcementLevel);
            const properties: Record<string, unknown> = {};
            for (const [name, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
                if (isRecord(schema) && schema.default !== undefined) {
                    properties[name] = schema.default;
                }
            }
            if (isRecord(given)) {
                for (const [name, value] of Object.entries(given)) {
                    if (name !== "enforcementLevel") {
                        properties[name] = value;
                    }
                }
            }
            const missing = (policy.configSchema?.required ?? []).filter((name) => properties[name] === undefined);
            if (missing.length > 0) {
                throw new Error(`policy ${policy.name} requires config ${missing.join(", ")}`);
            }
            const policyConfig = new analyzerproto.PolicyConfig();
            policyConfig.setEnforcementlevel(LEVEL_TO_WIRE[level]);
            policyConfig.setProperties(toStruct(properties));
            request.getPolicyconfigMap().set(policy.name, policyConfig);
        }
        await unary<analyzerproto.ConfigureAnalyzerRequest, emptyproto.Empty>(this.client.configure.bind(this.client), request);
    }

    async analyze(resource: AnalyzedResource): Promise<Diagnostic[]> {
        const request = describeResource(new analyzerproto.AnalyzeRequest(), resource);
        return diagnosticsOf(
            await unary<analyzerproto.AnalyzeRequest, analyzerproto.AnalyzeResponse>(this.client.analyze.bind(this.client), request),
        );
    }

    async analyzeStack(resources: readonly AnalyzedResource[]): Promise<Diagnostic[]> {
        const request = new analyzerproto.AnalyzeStackRequest();
        request.setResourcesList(
            resources.map((resource) => {
                const message = describeResource(new analyzerproto.AnalyzerResource(), resource);
                if (resource.parent !== undefined) {
                    message.setParent(resource.parent);
                }
                return message;
            }),
        );
        return diagnosticsOf(
            await unary<analyzerproto.AnalyzeStackRequest, analyzerproto.AnalyzeResponse>(
                this.client.analyzeStack.bind(this.client),
                request,
            ),
        );
    }

    /** Stops the pack and the engine; safe to call more than once. */
    async stop(): Promise<void> {
        this.client.close();
        this.engine.forceShutdown();
        if (this.child.exitCode === null && this.child.signalCode === null) {
            const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
            this.child.kill("SIGTERM");
            const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
            await exited;
            clearTimeout(timer);
        }
    }
}

/** A minimal Engine service: records Log calls, answers the rest with empty responses. */
async function startEngine(logs: EngineLog[]): Promise<{ server: grpc.Server; port: number }> {
    const server = new grpc.Server();
    server.addService(enginerpc.EngineService, {
        log: (call: grpc.ServerUnaryCall<engineproto.LogRequest, emptyproto.Empty>, callback: grpc.sendUnaryData<emptyproto.Empty>) => {
            logs.push({ severity: call.request.getSeverity(), message: call.request.getMessage() });
            callback(null, new emptyproto.Empty());
        },
        getRootResource: (_call: unknown, callback: grpc.sendUnaryData<engineproto.GetRootResourceResponse>) =>
            callback(null, new engineproto.GetRootResourceResponse()),
        setRootResource: (_call: unknown, callback: grpc.sendUnaryData<engineproto.SetRootResourceResponse>) =>
            callback(null, new engineproto.SetRootResourceResponse()),
    });
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
            error ? reject(error) : resolve(boundPort),
        ),
    );
    return { server, port };
}
