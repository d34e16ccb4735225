// Calls policies the way the policy server does: props and provider props wrapped in the
// unknown-checking proxy, provider inputs serialised as `@pulumi/aws` registers them, config
// returned by getConfig(), and UnknownValueError turned into an advisory "can't run" result.

import * as policy from "@pulumi/policy";
import {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { isRecord } from "../../policy-pack/documents";
import { isUnknownValueError } from "../../policy-pack/unknowns";

/** The sentinel the engine sends for a string unknown during preview (see @pulumi/policy proxy). */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Resource options as the engine hands them to a policy: nothing set. */
const ENGINE_OPTIONS = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

/** `@pulumi/policy`'s own proxy (its typings omit it: it is marked @internal). */
function unknownCheckingProxy(value: Record<string, unknown>): Record<string, unknown> {
    const proxyFactory: unknown = Reflect.get(policy, "unknownCheckingProxy");
    if (typeof proxyFactory !== "function") {
        throw new Error("@pulumi/policy no longer exports unknownCheckingProxy");
    }
    const proxied: unknown = proxyFactory(value);
    if (!isRecord(proxied)) {
        throw new Error("unknownCheckingProxy returned a non-object");
    }
    return proxied;
}

/** Provider props as the engine hands them over: list inputs are JSON strings. */
export function awsProvider(accountId: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        region: "us-east-1",
        skipCredentialsValidation: "false",
        skipRegionValidation: "true",
        ...(accountId === undefined ? {} : { allowedAccountIds: JSON.stringify([accountId]) }),
        ...extra,
    };
}

export interface ResourceCase {
    readonly type: string;
    readonly props: Record<string, unknown>;
    readonly name?: string;
    /** Provider inputs; `null` means the resource has no provider at all. */
    readonly provider?: Record<string, unknown> | null;
    /** The provider's type token; `pulumi:providers:aws` unless set. */
    readonly providerType?: string;
    readonly config?: Record<string, unknown>;
}

/** aws-native provider props (`pulumi:providers:aws-native`): `allowedAccountIds`, `assumeRole: {roleArn}`. */
export function awsNativeProvider(accountId: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { region: "us-east-1", ...(accountId === undefined ? {} : { allowedAccountIds: JSON.stringify([accountId]) }), ...extra };
}

export interface Outcome {
    readonly violations: readonly string[];
    /** Set when the policy could not run because it read a value unknown during preview. */
    readonly unknown?: string;
}

class NotApplicable extends Error {}

/**
 * Config as the server hands it over: decoded from a protobuf Struct, i.e. plain JSON. Like the
 * server's getConfig<T>, the result is untyped; the pack validates what it reads.
 */
function fromWire<T>(config: Record<string, unknown>): T {
    return JSON.parse(JSON.stringify(config));
}

export async function runResourcePolicy(target: ResourceValidationPolicy, testCase: ResourceCase): Promise<Outcome> {
    const violations: string[] = [];
    const report: ReportViolation = (message) => {
        violations.push(message);
    };
    const name = testCase.name ?? "subject";
    const urn = `urn:pulumi:test::org-access::${testCase.type}::${name}`;
    const args: ResourceValidationArgs = {
        type: testCase.type,
        props: unknownCheckingProxy({ ...testCase.props }),
        urn,
        name,
        opts: ENGINE_OPTIONS,
        provider:
            testCase.provider === null
                ? undefined
                : {
                      type: testCase.providerType ?? "pulumi:providers:aws",
                      props: unknownCheckingProxy({ ...(testCase.provider ?? awsProvider("222222222222")) }),
                      urn: `urn:pulumi:test::org-access::${testCase.providerType ?? "pulumi:providers:aws"}::account`,
                      name: "account",
                  },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>(): T => fromWire(testCase.config ?? {}),
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
    const validations = target.validateResource === undefined ? [] : [target.validateResource].flat();
    try {
        for (const validation of validations) {
            await validation(args, report);
        }
    } catch (e) {
        if (isUnknownValueError(e)) {
            return { violations, unknown: e.message };
        }
        if (!(e instanceof NotApplicable)) {
            throw e;
        }
    }
    return { violations };
}

export interface StackResourceCase {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly providerUrn?: string;
}

export interface StackViolation {
    readonly message: string;
    readonly urn?: string;
}

export async function runStackPolicy(
    target: StackValidationPolicy,
    resources: readonly StackResourceCase[],
    config: Record<string, unknown> = {},
): Promise<StackViolation[]> {
    const violations: StackViolation[] = [];
    const policyResources: PolicyResource[] = resources.map((resource) => ({
        type: resource.type,
        name: resource.name,
        urn: urnOf(resource),
        props: unknownCheckingProxy({ ...resource.props }),
        opts: ENGINE_OPTIONS,
        provider: {
            type: "pulumi:providers:aws",
            props: {},
            urn: resource.providerUrn ?? "urn:pulumi:test::org-access::pulumi:providers:aws::account",
            name: "account",
        },
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    }));
    const args: StackValidationArgs = {
        resources: policyResources,
        stackTags: new Map(),
        getConfig: <T extends object>(): T => fromWire(config),
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
    await target.validateStack(args, (message, urn) => {
        violations.push({ message, urn });
    });
    return violations;
}

export function urnOf(resource: { type: string; name: string }): string {
    return `urn:pulumi:test::org-access::${resource.type}::${resource.name}`;
}
