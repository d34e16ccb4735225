import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlannedResource } from "../offline/plan";

/**
 * The floor: the program's own resources (same types, count and inputs),
 * registered straight-line with `@pulumi/aws` classes and literal inputs, with
 * no components, no config parsing and no Outputs between resources.
 */
export interface ManifestEntry {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** Name of the provider resource, when it has one. */
    readonly provider?: string;
}

const PROVIDER_TYPE = "pulumi:providers:aws";

/** The custom resources of a plan, providers first, as literal data. */
export function manifestOf(resources: readonly PlannedResource[]): ManifestEntry[] {
    const custom = resources.filter((r) => r.custom);
    return [...custom.filter((r) => r.type === PROVIDER_TYPE), ...custom.filter((r) => r.type !== PROVIDER_TYPE)].map((r) => ({
        type: r.type,
        name: r.name,
        inputs: r.type === PROVIDER_TYPE ? providerArgs(r.inputs) : r.inputs,
        provider: r.provider?.name,
    }));
}

/**
 * `@pulumi/aws` serialises structured provider inputs to JSON text when it
 * registers a provider; turn them back into the values a program passes.
 */
function providerArgs(inputs: Record<string, unknown>): Record<string, unknown> {
    const args: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(inputs)) {
        args[key] = typeof value === "string" && /^[[{]/.test(value) ? JSON.parse(value) : value;
    }
    return args;
}

type ResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** `aws:iam/role:Role` → `aws.iam.Role`. */
function awsClass(type: string): ResourceClass {
    const match = /^aws:([a-zA-Z0-9]+)\/[a-zA-Z0-9]+:([A-Za-z0-9]+)$/.exec(type);
    const namespace = match ? (aws as unknown as Record<string, Record<string, unknown>>)[match[1]] : undefined;
    const cls = match && namespace ? namespace[match[2]] : undefined;
    if (typeof cls !== "function") {
        throw new Error(`no @pulumi/aws class for ${type}`);
    }
    return cls as ResourceClass;
}

export function registerStraightLine(manifest: readonly ManifestEntry[]): void {
    const providers = new Map<string, aws.Provider>();
    for (const entry of manifest) {
        if (entry.type === PROVIDER_TYPE) {
            providers.set(entry.name, new aws.Provider(entry.name, entry.inputs as aws.ProviderArgs));
            continue;
        }
        const Resource = awsClass(entry.type);
        new Resource(entry.name, entry.inputs, { provider: entry.provider ? providers.get(entry.provider) : undefined });
    }
}
