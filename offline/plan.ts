import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
// The program module exports its function (`export =`), as Pulumi's Node runtime expects.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import orgAccess = require("../index");
import { Partition, partitionOfRegion } from "../config/partition";
import { parseStackConfig } from "../config/stack";
import { buildOrganizationModel, OrganizationModel } from "../model/organization";
import { PROJECT_NAME, readStackConfig } from "./stack-files";
import { deliveredResources, plannedStackSets, PlannedStackSet } from "./stack-set-delivery";
import { iamArn } from "../iam/arns";

/** A provider as the engine would hand it to a policy pack: its type, name and inputs. */
export interface PlannedProvider {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

export interface PlannedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** From the resource's provider (`allowedAccountIds`); undefined for components. */
    readonly accountId?: string;
    readonly region?: string;
    readonly inputs: Record<string, unknown>;
    /** False for component resources. */
    readonly custom: boolean;
    readonly protect: boolean;
    /** Replaced by deleting first, then creating (`deleteBeforeReplace`): resources whose IAM name is fixed. */
    readonly deleteBeforeReplace: boolean;
    /** The `import` option: the id of an existing cloud resource this plan adopts instead of creating. */
    readonly importId?: string;
    /** Whether the program passed `provider` itself, rather than inheriting or defaulting. */
    readonly explicitProvider: boolean;
    readonly provider?: PlannedProvider;
    /** URNs of the resources named in the `dependsOn` option (not the dependencies through inputs). */
    readonly dependsOn?: readonly string[];
}

export interface Plan {
    readonly stack: string;
    /** The flat config the program ran with (`PULUMI_CONFIG`). */
    readonly config: Record<string, string>;
    /** The organization model the program was built from (absent for the benchmark's floor programs). */
    readonly model?: OrganizationModel;
    readonly resources: PlannedResource[];
    readonly outputs: Record<string, unknown>;
    /** Data-source calls the plan answered with stand-ins (`Recorder.call`), with the account of the provider they went through. */
    readonly calls?: readonly PlannedCall[];
    /**
     * What the plan's stack sets deploy, in each account they reach (offline/stack-set-delivery.ts): not
     * registered by the program, created by CloudFormation. Empty without stack sets.
     */
    readonly delivered?: readonly PlannedResource[];
    /** The stack sets the plan's stacks hold, with the accounts each reaches: what `delivered` is read from. */
    readonly stackSets?: readonly PlannedStackSet[];
}

/** The plan's resources and what its stack sets deliver into member accounts: what the account will hold. */
export function deployedResources(plan: Plan): PlannedResource[] {
    return plan.delivered && plan.delivered.length > 0 ? [...plan.resources, ...plan.delivered] : plan.resources;
}

export interface PlannedCall {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
    /** The account the call's provider pins (`allowedAccountIds`). */
    readonly accountId?: string;
    /** The call named no provider: the engine serves it with its package's default provider. */
    readonly defaultProvider: boolean;
}

export interface PlanOptions {
    readonly stack: string;
    /** Defaults to `Pulumi.<stack>.yaml` in the project. */
    readonly configFile?: string;
    /** The flat config map itself, instead of a file (tests, benchmarks). */
    readonly config?: Record<string, string>;
    /** The project directory whose `Pulumi.yaml` and stack files are read, and where relative paths in config start; this project by default. */
    readonly projectDir?: string;
}

const PROVIDER_PREFIX = "pulumi:providers:";
/** The one data source the offline plan answers (see `Recorder.call`). */
export const GET_GROUP_TOKEN = "aws:identitystore/getGroup:getGroup";

/**
 * The offline plan's stand-in for an identity-store group id looked up by
 * display name: a UUID-shaped id derived from the name's SHA-256. Not a real
 * group; a real deploy reads the id from the identity store.
 */
export function fakeStoreGroupId(displayName: string): string {
    const h = createHash("sha256").update(displayName).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** What happened when the program ran: its plan, or its error and whatever it had registered by then. */
export type PlanOutcome =
    { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly error: unknown; readonly registered: PlannedResource[] };

/**
 * Runs the real program (`index.ts`) under Pulumi's own mock runtime, as
 * `pulumi preview` would run it, and records every registered resource with its
 * inputs, options and provider. No Pulumi CLI and no AWS calls.
 */
export function planProgram(opts: PlanOptions): Promise<PlanOutcome> {
    // Validated inside the run, as `pulumi preview` would: a config error is the program's error, with nothing registered.
    let model: OrganizationModel | undefined;
    return planFunction(
        opts,
        (config) => {
            const settings = parseStackConfig(config, opts.projectDir);
            model = buildOrganizationModel(settings);
            return orgAccess(settings, model);
        },
        () => model,
    );
}

/**
 * Runs any program function under the same mock runtime and recorder as the
 * real program. The benchmark uses it to register its straight-line floor.
 */
export async function planFunction(
    opts: PlanOptions,
    program: (config: Record<string, string>) => unknown,
    modelOf: () => OrganizationModel | undefined = () => undefined,
): Promise<PlanOutcome> {
    const config = opts.config ?? readStackConfig(opts.stack, { configFile: opts.configFile, projectDir: opts.projectDir });
    const recorder = new Recorder();
    // The program may tune process-wide settings (config/runtime.ts); a plan
    // that runs inside a test process must leave that process as it found it.
    const stackTraceLimit = Error.stackTraceLimit;
    try {
        return await planIn(recorder, opts.stack, config, program, modelOf);
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
}

async function planIn(
    recorder: Recorder,
    stack: string,
    config: Record<string, string>,
    program: (config: Record<string, string>) => unknown,
    modelOf: () => OrganizationModel | undefined,
): Promise<PlanOutcome> {
    pulumi.runtime.setAllConfig(config);
    await pulumi.runtime.setMocks(recorder, PROJECT_NAME, stack, true);

    try {
        const outputs = await pulumi.runtime.runInPulumiStack(async () => {
            pulumi.runtime.registerStackTransformation((args) => {
                recorder.noteOptions(args);
                return undefined;
            });
            return program(config);
        });
        await pulumi.runtime.disconnect();
        const resources = await recorder.resources(stack);
        const model = modelOf();
        const stackSets = model ? plannedStackSets(model.organization, resources) : [];
        return {
            ok: true,
            plan: {
                stack,
                config,
                model,
                resources,
                delivered: deliveredResources(stackSets),
                stackSets,
                outputs: (outputs ?? {}) as Record<string, unknown>,
                calls: recorder.plannedCalls(),
            },
        };
    } catch (error) {
        await pulumi.runtime.disconnect();
        return { ok: false, error, registered: await recorder.resources(stack) };
    }
}

/** `planProgram`, throwing the program's error. */
export async function runPlan(opts: PlanOptions): Promise<Plan> {
    const outcome = await planProgram(opts);
    if (!outcome.ok) {
        throw outcome.error;
    }
    return outcome.plan;
}

interface Registration {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly custom: boolean;
    readonly providerRef?: string;
}

interface Construction {
    /** The resource's URN once registered. Not the resource: holding every resource would keep the SDK's state for all of them alive. */
    readonly urn: Promise<string>;
    readonly type: string;
    readonly name: string;
    readonly protect: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly importId?: string;
    readonly explicitProvider: boolean;
    /** URNs of the `dependsOn` option's resources, once registered. */
    readonly dependsOn: Promise<string[]>;
}

/** The URNs of a `dependsOn` option's resources (one resource or a list, either possibly an Output). */
async function dependsOnUrns(option: pulumi.ResourceOptions["dependsOn"]): Promise<string[]> {
    const resolve = (v: unknown): Promise<unknown> =>
        pulumi.Output.isInstance(v) ? promiseOf(v as pulumi.Output<unknown>) : Promise.resolve(v);
    const value = await resolve(await option);
    const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
    const resources = (await Promise.all(list.map(resolve))) as pulumi.Resource[];
    return Promise.all(resources.map((r) => promiseOf(r.urn)));
}

/** Pulumi mocks that answer like the AWS provider on the fields the program reads, and remember everything. */
class Recorder implements pulumi.runtime.Mocks {
    private readonly registrations = new Map<string, Registration>();
    private readonly constructions: Construction[] = [];

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const key = `${args.type}::${args.name}`;
        if (this.registrations.has(key)) {
            throw new Error(`duplicate resource ${key}`);
        }
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        this.registrations.set(key, {
            type: args.type,
            name: args.name,
            inputs,
            custom: args.custom ?? true,
            providerRef: args.provider,
        });
        const accountId = this.accountOfRef(args.provider);
        return {
            id: `${args.name}-id`,
            state: { ...inputs, ...computedState(args.type, inputs, accountId, this.partitionOfRef(args.provider)) },
        };
    }

    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        // The program must not depend on data sources: plans have to be offline and deterministic. One
        // exception: an Identity Center group named by display name (config/access/identity-center.ts),
        // which only an AccountAssignment's principalId reads. The plan answers it with a fake id derived
        // from the display name (`fakeStoreGroupId`): deterministic, shaped like a real one, and never a
        // real group. Nothing known at preview (trust policies, ARNs) may depend on it.
        if (args.token === GET_GROUP_TOKEN) {
            const inputs = args.inputs as {
                alternateIdentifier?: { uniqueAttribute?: { attributePath?: string; attributeValue?: string } };
                identityStoreId?: string;
            };
            const unique = inputs.alternateIdentifier?.uniqueAttribute;
            if (unique?.attributePath !== "DisplayName" || typeof unique.attributeValue !== "string") {
                throw new Error(
                    `the program called ${args.token} without a DisplayName alternate identifier, which the offline plan does not provide`,
                );
            }
            this.calls.push({ token: args.token, inputs: args.inputs as Record<string, unknown>, providerRef: args.provider });
            return {
                groupId: fakeStoreGroupId(unique.attributeValue),
                identityStoreId: inputs.identityStoreId,
                displayName: unique.attributeValue,
            };
        }
        throw new Error(`the program called ${args.token}, which the offline plan does not provide`);
    }

    /** The data-source calls the plan answered, in order. */
    readonly calls: { readonly token: string; readonly inputs: Record<string, unknown>; readonly providerRef?: string }[] = [];

    noteOptions(args: pulumi.ResourceTransformationArgs): void {
        this.constructions.push({
            // Transformations run before the constructor sets `urn`; read it once the constructor is done.
            urn: Promise.resolve(args.resource).then((resource) => promiseOf(resource.urn)),
            type: args.type,
            name: args.name,
            protect: args.opts.protect === true,
            deleteBeforeReplace: (args.opts as pulumi.CustomResourceOptions).deleteBeforeReplace === true,
            importId: (args.opts as pulumi.CustomResourceOptions).import,
            explicitProvider: args.opts.provider !== undefined,
            dependsOn: dependsOnUrns(args.opts.dependsOn),
        });
    }

    async resources(stack: string): Promise<PlannedResource[]> {
        const urnOf = new Map<string, string>();
        const options = new Map<string, Construction>();
        const dependsOn = new Map<string, string[]>();
        for (const c of this.constructions) {
            options.set(`${c.type}::${c.name}`, c);
            urnOf.set(`${c.type}::${c.name}`, await c.urn);
            dependsOn.set(`${c.type}::${c.name}`, await c.dependsOn);
        }
        const providersByUrn = new Map<string, PlannedProvider>();
        for (const [key, r] of this.registrations) {
            if (r.type.startsWith(PROVIDER_PREFIX)) {
                const urn = urnOf.get(key) ?? key;
                providersByUrn.set(urn, { urn, type: r.type, name: r.name, inputs: r.inputs });
            }
        }
        return [...this.registrations].map(([key, r]): PlannedResource => {
            const provider = r.providerRef ? providersByUrn.get(providerUrn(r.providerRef)) : undefined;
            // A provider's own account and region are the ones it pins.
            const placement = r.type.startsWith(PROVIDER_PREFIX) ? r.inputs : provider?.inputs;
            const construction = options.get(key);
            return {
                urn: urnOf.get(key) ?? `urn:pulumi:${stack}::${PROJECT_NAME}::${r.type}::${r.name}`,
                type: r.type,
                name: r.name,
                accountId: placement ? pinnedAccount(placement) : undefined,
                region: placement && typeof placement.region === "string" ? placement.region : undefined,
                inputs: r.inputs,
                custom: r.custom,
                protect: construction?.protect ?? false,
                deleteBeforeReplace: construction?.deleteBeforeReplace ?? false,
                importId: construction?.importId,
                explicitProvider: construction?.explicitProvider ?? false,
                provider,
                dependsOn: dependsOn.get(key) ?? [],
            };
        });
    }

    plannedCalls(): PlannedCall[] {
        return this.calls.map((c) => ({
            token: c.token,
            inputs: c.inputs,
            accountId: this.accountOfRef(c.providerRef),
            defaultProvider: c.providerRef === undefined,
        }));
    }

    /** The partition of the provider's region (`us-gov-west-1` is `aws-us-gov`). */
    private partitionOfRef(ref: string | undefined): Partition {
        const region = ref ? this.registrations.get(typeAndName(providerUrn(ref)))?.inputs.region : undefined;
        return typeof region === "string" ? partitionOfRegion(region) : "aws";
    }

    private accountOfRef(ref: string | undefined): string | undefined {
        const provider = ref ? this.registrations.get(typeAndName(providerUrn(ref))) : undefined;
        return provider ? pinnedAccount(provider.inputs) : undefined;
    }
}

/** `type::name` of a URN (`urn:pulumi:stack::project::parent$type::name`), the recorder's key. */
function typeAndName(urn: string): string {
    const [, , qualifiedType, name] = urn.split("::");
    return `${qualifiedType?.split("$").pop()}::${name}`;
}

/** Provider references are `<urn>::<id>`. */
function providerUrn(ref: string): string {
    return ref.slice(0, ref.lastIndexOf("::"));
}

/** `@pulumi/aws` registers `allowedAccountIds` as JSON text; accept a list too. */
export function pinnedAccount(providerInputs: Record<string, unknown>): string | undefined {
    let ids = providerInputs.allowedAccountIds;
    if (typeof ids === "string") {
        try {
            ids = JSON.parse(ids);
        } catch {
            return undefined;
        }
    }
    return Array.isArray(ids) && ids.length === 1 && typeof ids[0] === "string" ? ids[0] : undefined;
}

/** The outputs the AWS provider computes that the program reads back: names and ARNs. */
function computedState(
    type: string,
    inputs: Record<string, unknown>,
    accountId: string | undefined,
    partition: Partition,
): Record<string, unknown> {
    const iamKind = /^aws:iam\/(role|user|group|policy):/i.exec(type)?.[1]?.toLowerCase();
    if (!iamKind || typeof inputs.name !== "string") {
        return {};
    }
    const iamPath = typeof inputs.path === "string" ? inputs.path : "/";
    return { arn: iamArn(partition, accountId ?? "000000000000", `${iamKind}${iamPath}${inputs.name}`) };
}

/** Resolves an Output in tests and tools, without reaching into SDK internals. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** The model a plan of the real program carries. */
export function modelOf(plan: Plan): OrganizationModel {
    if (!plan.model) {
        throw new Error(`plan of stack ${plan.stack} has no organization model: it did not run the org-access program`);
    }
    return plan.model;
}
