/**
 * The engine's own cost of a stack, which the mock runtime never shows: the
 * provider processes `pulumi up` starts. The engine runs every distinct provider
 * configuration as an OS process of its own (https://github.com/pulumi/pulumi/issues/19534):
 * each explicit provider resource, and the default provider of each package that a
 * resource or an invoke uses without naming a provider. Pure functions over a
 * stack's planned resources and calls; the organization plan holds each stack to
 * its budget (`org-access:providerBudget`, config/provider-budget.ts).
 */
import { ProviderBudget } from "../config/provider-budget";
import { Problem } from "./deploy-dependencies";
import { modelOf, Plan, PlannedCall, PlannedResource } from "./plan";
import { keyOf } from "./planned-entities";

const PROVIDER_PREFIX = "pulumi:providers:";

/** The config key whose resources are member roles (`access-role-*`, planned-entities.ts `keyOf`): what shards carry. */
export const MEMBER_ROLES_KEY = "org-access:roles";

/** One stack's provider processes, and what they are estimated to hold. */
export interface ProviderProcesses {
    readonly stack: string;
    /** Explicit provider configurations: distinct (type, inputs) among the stack's provider resources. */
    readonly explicit: number;
    /** Packages whose default provider something uses (a resource or an invoke with no provider), sorted. */
    readonly defaultProviders: readonly string[];
    /** `explicit` plus one per default provider: the processes `pulumi up` starts for this stack. */
    readonly processes: number;
    /** `processes` × the per-process figure. */
    readonly estimatedMiB: number;
    readonly budget: number;
    readonly processMemoryMiB: number;
    /**
     * Per member account (id), the explicit providers that only member roles use there: what moving the
     * account's member roles to another stack takes out of this one. Accounts whose providers serve
     * other resources too (the access account's identities) are absent: moving them saves nothing.
     */
    readonly memberRoleProviders: Readonly<Record<string, number>>;
}

/** Object keys sorted at every level, so two equal configurations print the same. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        return `{${Object.keys(record)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value) ?? "null";
}

/** The package of a resource type or invoke token: `aws` of `aws:iam/role:Role`. */
const packageOf = (token: string) => token.split(":")[0];

/** Counts a stack's provider processes from what it registers and calls. */
export function countProviderProcesses(
    stack: string,
    resources: readonly PlannedResource[],
    calls: readonly PlannedCall[],
    budget: ProviderBudget,
): ProviderProcesses {
    const providers = resources.filter((r) => r.type.startsWith(PROVIDER_PREFIX));
    const configurations = new Set(providers.map((p) => `${p.type}${canonical(p.inputs)}`));
    const users = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
    const defaults = new Set([
        ...users.filter((r) => r.provider === undefined).map((r) => packageOf(r.type)),
        ...calls.filter((c) => c.defaultProvider).map((c) => packageOf(c.token)),
    ]);
    // Providers by URN, with whether anything but a member role uses them.
    const servesOthers = new Map<string, boolean>(providers.map((p) => [p.urn, false]));
    for (const r of users) {
        if (r.provider && keyOf(r) !== MEMBER_ROLES_KEY) servesOthers.set(r.provider.urn, true);
    }
    const memberRoleProviders: Record<string, number> = {};
    const counted = new Set<string>();
    for (const r of users) {
        const urn = r.provider?.urn;
        if (!urn || keyOf(r) !== MEMBER_ROLES_KEY || servesOthers.get(urn) !== false || counted.has(urn) || !r.accountId) continue;
        counted.add(urn);
        memberRoleProviders[r.accountId] = (memberRoleProviders[r.accountId] ?? 0) + 1;
    }
    const processes = configurations.size + defaults.size;
    return {
        stack,
        explicit: configurations.size,
        defaultProviders: [...defaults].sort(),
        processes,
        estimatedMiB: processes * budget.processMemoryMiB,
        budget: budget.processes,
        processMemoryMiB: budget.processMemoryMiB,
        memberRoleProviders,
    };
}

/** A plan's provider processes, held to the budget its own config sets. */
export function providerProcessesOf(plan: Plan): ProviderProcesses {
    return countProviderProcesses(plan.stack, plan.resources, plan.calls ?? [], modelOf(plan).providerBudget);
}

/** `13.5 GiB`, `860 MiB`. */
export function renderMiB(mib: number): string {
    return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${mib} MiB`;
}

/** One line: the count, what it is made of, the estimate and the budget. */
export function describeProviderProcesses(p: ProviderProcesses): string {
    const parts = [`${p.explicit} explicit`, ...p.defaultProviders.map((pkg) => `the default ${pkg} provider`)];
    return `${p.processes} provider process${p.processes === 1 ? "" : "es"} (${parts.join(" + ")}), about ${renderMiB(p.estimatedMiB)} at ${p.processMemoryMiB} MiB each; budget ${p.budget}`;
}

/** The command that writes shard stack files for a project. */
export function shardsCommand(projectDir: string): string {
    return `npm run shards -- --project ${projectDir} --write`;
}

/** A stack over its budget: a problem naming the stack, the count and the fix. */
export function providerBudgetProblems(counts: readonly ProviderProcesses[], projectDir: string): Problem[] {
    return counts
        .filter((p) => p.processes > p.budget)
        .map((p) => {
            const movable = Object.keys(p.memberRoleProviders).length;
            const fix =
                movable > 0
                    ? `split its member accounts into shard stacks (${shardsCommand(projectDir)} writes them), or set org-access:memberRoleDelivery: stacksets`
                    : "move resources that need their own provider to another stack (org-access:deploy), or raise the budget on a larger runner";
            return {
                stack: p.stack,
                key: "org-access:providerBudget",
                message: `the engine would start ${describeProviderProcesses(p)}, over the budget: ${fix}`,
            };
        });
}
