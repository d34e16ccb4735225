/**
 * The engine's cost of one synthetic organization under one delivery mode, from
 * its one-stack plan: provider processes (of the one stack, and per stack once
 * split as the organization plan proposes), and the API calls and wall time of a
 * first deploy and of a no-change `up` (bench/deploy-cost.ts). Modelled, not measured.
 */
import { Plan } from "../offline/plan";
import { MEMBER_ROLES_KEY, providerProcessesOf } from "../offline/provider-processes";
import { keyOf } from "../offline/planned-entities";
import { proposeShards } from "../offline/shards";
import { Calls, callsOfAccounts, deploySeconds, stackCalls, stackSeconds, sumCalls } from "./deploy-cost";

/** How member roles reach the accounts: a provider per account, or CloudFormation StackSets (issue #20 item 2). */
export type Delivery = "providers" | "stacksets";
export const DELIVERIES: readonly Delivery[] = ["providers", "stacksets"];

/** The deploy workflow's bound on stacks deployed at once (.github/workflows/deploy-stacks.yml `max-parallel`). */
export const WORKFLOW_MAX_PARALLEL = 4;

export interface EngineCost {
    readonly delivery: Delivery;
    /** The one stack the benchmark plans: its provider processes and their estimated memory. */
    readonly oneStack: { readonly processes: number; readonly estimatedMiB: number; readonly budget: number };
    /** The stacks it deploys as: itself when within budget, else itself and the shards the organization plan proposes. */
    readonly stacks: number;
    readonly maxProcessesPerStack: number;
    readonly maxEstimatedMiBPerStack: number;
    readonly firstDeploy: Calls;
    readonly noChangeUp: Calls;
    /** Provider processes that member roles use in the one stack: one per account under `providers`, the administrator's under `stacksets`. */
    readonly memberRoleProcesses: number;
    /** The stack sets it registers (none under `providers`). */
    readonly stackSets: number;
    /** Estimated at the assumed per-account rates, stacks `WORKFLOW_MAX_PARALLEL` at a time. */
    readonly firstDeploySeconds: number;
    readonly noChangeUpSeconds: number;
    /** Resource types with no row in the call table (their calls are not counted). */
    readonly unmodelled: readonly string[];
}

export function engineCost(plan: Plan, delivery: Delivery): EngineCost {
    const processes = providerProcessesOf(plan);
    const model = plan.model;
    const calls = stackCalls(plan.resources, processes);
    const over = processes.processes > processes.budget && Object.keys(processes.memberRoleProviders).length > 0 && model;
    // Split as the organization plan proposes: each stack takes its accounts' calls and configures its own processes.
    const stacks = over
        ? (() => {
              const proposal = proposeShards(plan, processes);
              const idOf = new Map(model.organization.members.map((a) => [a.name, a.id]));
              const shardAccounts = new Set(proposal.shards.flatMap((s) => s.memberAccounts.map((n) => idOf.get(n) as string)));
              const keptAccounts = new Set([...calls.byAccount.keys()].filter((id) => !shardAccounts.has(id)));
              return [
                  { processes: proposal.kept.processes, calls: callsOfAccounts(calls, keptAccounts, proposal.kept.processes) },
                  ...proposal.shards.map((s) => ({
                      processes: s.processes,
                      calls: callsOfAccounts(calls, new Set(s.memberAccounts.map((n) => idOf.get(n) as string)), s.processes),
                  })),
              ];
          })()
        : [{ processes: processes.processes, calls }];
    const maxProcesses = Math.max(...stacks.map((s) => s.processes));
    const registered = plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
    const memberRoleProviders = new Set(
        registered.filter((r) => keyOf(r) === MEMBER_ROLES_KEY).map((r) => r.provider?.urn ?? `default ${r.type.split(":")[0]}`),
    );
    return {
        delivery,
        oneStack: { processes: processes.processes, estimatedMiB: processes.estimatedMiB, budget: processes.budget },
        stacks: stacks.length,
        maxProcessesPerStack: maxProcesses,
        maxEstimatedMiBPerStack: maxProcesses * processes.processMemoryMiB,
        memberRoleProcesses: memberRoleProviders.size,
        stackSets: plan.stackSets?.length ?? 0,
        firstDeploy: sumCalls(stacks.map((s) => s.calls.firstDeploy)),
        noChangeUp: sumCalls(stacks.map((s) => s.calls.noChangeUp)),
        // Shards depend on none of each other (one stage of the deploy order).
        firstDeploySeconds: deploySeconds([stacks.map((s) => stackSeconds(s.calls, "firstDeploy"))], WORKFLOW_MAX_PARALLEL),
        noChangeUpSeconds: deploySeconds([stacks.map((s) => stackSeconds(s.calls, "noChangeUp"))], WORKFLOW_MAX_PARALLEL),
        unmodelled: calls.unmodelled,
    };
}
