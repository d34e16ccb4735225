/**
 * The organization plan: every stack of a Pulumi project directory planned as
 * one organization, with an order in which `pulumi up` succeeds stack by stack
 * and the problems AWS would refuse or that would misbehave across stacks.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/errors";
import { Dependency, deployDependencies, deployOrder, Problem } from "./deploy-dependencies";
import { lostGrants } from "./grants";
import { DEFAULT_QUOTAS, doubleOwnership, exclusiveConflicts, quotaProblems, Quotas } from "./organization-checks";
import { deployLevels } from "./deploy-levels";
import { buildOrganization, Organization } from "../analysis/organization";
import { mayAssume, reachOf } from "../analysis/reach";
import {
    closedByPerimeter,
    closedReach,
    deniedDeployCalls,
    lostIntendedPaths,
    policiesStack,
    policyQuotaProblems,
    reachPolicies,
    readReachPolicies,
    renderExemptions,
    renderQuotas,
} from "./organization-policies";
import { deployedResources, modelOf, Plan, planProgram } from "./plan";
import { iamView, PlanJson, toPlanJson } from "./report";
import { StackResources } from "./planned-entities";
import { stackNames } from "./stack-files";
import { stackInstanceProblems } from "./stack-set-delivery";
import { sourced, validatedProjectConfig } from "./config-sources";
import { providerBudgetProblems, ProviderProcesses, providerProcessesOf, shardsCommand } from "./provider-processes";
import { AccountAssignment, assignAccounts, proposeAllShards, ShardProposal, undeployedMemberAccounts } from "./shards";

export interface OrganizationPlan {
    readonly projectDir: string;
    readonly deployOrder: string[];
    /** Why a stack deploys after another: the rows of offline/deploy-dependencies.ts that apply across stacks. */
    readonly dependencies: Dependency[];
    /** `deployOrder` in stages whose stacks depend on none of each other (offline/deploy-levels.ts): CI deploys a stage in parallel. */
    readonly deployLevels: string[][];
    /** Every stack's plan, by stack name (a config error stops the organization plan before any). */
    readonly plans: ReadonlyMap<string, Plan>;
    readonly problems: Problem[];
    /** Every stack's IAM entities as one organization, as reach reads it (undefined when no stack planned). */
    readonly reachOrganization?: Organization;
    /** What the organization policies close and where they do not apply (empty without `org-access:organizationPolicies`). */
    readonly policyReport: readonly string[];
    /** The provider processes `pulumi up` starts for each planned stack, against its budget (offline/provider-processes.ts). */
    readonly providerProcesses: ProviderProcesses[];
    /** For each stack over its budget, the shard stacks that fit it (offline/shards.ts; `npm run shards -- --write` writes them). */
    readonly shardProposals: ShardProposal[];
    /** Member accounts roles select that no stack deploys, and the stacks whose name ranges take them (offline/shards.ts). */
    readonly accountAssignment?: AccountAssignment;
}

/** The `--json` shape of `npm run plan -- --project DIR`. */
export interface OrganizationPlanJson {
    readonly deployOrder: string[];
    readonly deployLevels: string[][];
    readonly stacks: Record<string, PlanJson>;
    /** Per stack: the provider processes the engine starts, their estimated memory, and the budget. */
    readonly providerProcesses: Record<string, ProviderProcessesJson>;
    readonly shardProposals: ShardProposal[];
    readonly accountAssignment?: AccountAssignment;
    readonly problems: Problem[];
}

/** A stack's provider processes as the plan JSON gives them. */
export type ProviderProcessesJson = Omit<ProviderProcesses, "stack" | "memberRoleProviders">;

export function providerProcessesJson(p: ProviderProcesses): ProviderProcessesJson {
    return {
        explicit: p.explicit,
        defaultProviders: p.defaultProviders,
        processes: p.processes,
        estimatedMiB: p.estimatedMiB,
        budget: p.budget,
        processMemoryMiB: p.processMemoryMiB,
    };
}

/** The trust-policy quota the pack is configured with (policy-pack/config.example.json), or IAM's default. */
export function configuredQuotas(projectDir: string): Quotas {
    const file = path.join(projectDir, "policy-pack", "config.example.json");
    if (!fs.existsSync(file)) {
        return DEFAULT_QUOTAS;
    }
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as { "policy-size-quotas"?: { maxTrustPolicyCharacters?: number } };
    const trust = config["policy-size-quotas"]?.maxTrustPolicyCharacters;
    return typeof trust === "number" ? { ...DEFAULT_QUOTAS, trustPolicy: trust } : DEFAULT_QUOTAS;
}

/**
 * Plans every stack of `projectDir` and checks them as one organization. Every stack's config is
 * validated first: a config error (each distinct one once, named by its file and line) stops it
 * before any stack is planned, so no plan prints and no cross-stack problem follows from a stack
 * that could not be planned.
 */
export async function planOrganization(projectDir: string, quotas: Quotas = configuredQuotas(projectDir)): Promise<OrganizationPlan> {
    const plans = new Map<string, Plan>();
    const stacks = stackNames(projectDir);
    const configs = validatedProjectConfig(projectDir, stacks);
    for (const stack of stacks) {
        const outcome = await planProgram({ stack, config: configs.get(stack), projectDir });
        if (!outcome.ok) {
            throw outcome.error instanceof ConfigError ? sourced(outcome.error, { stack, projectDir }) : outcome.error;
        }
        plans.set(stack, outcome.plan);
    }
    const checked = checkOrganization(stacks, [...plans.values()], quotas, path.relative(process.cwd(), projectDir) || ".");
    return {
        projectDir,
        deployOrder: checked.deployOrder,
        deployLevels: checked.deployLevels,
        dependencies: checked.dependencies,
        plans,
        problems: checked.problems,
        reachOrganization: checked.reachOrganization,
        policyReport: checked.policyReport,
        providerProcesses: checked.providerProcesses,
        shardProposals: proposeAllShards(plans, checked.providerProcesses),
        accountAssignment: assignAccounts([...plans.values()], checked.providerProcesses, undeployedMemberAccounts([...plans.values()])),
    };
}

/**
 * Every stack's IAM entities as one organization, as reach reads it, with the organization policies
 * when config has them (`withPolicies`); undefined when no stack planned.
 */
function reachOrganizationOf(plans: readonly Plan[], withPolicies = true): Organization | undefined {
    const first = plans[0];
    if (first === undefined) return undefined;
    const model = modelOf(first);
    const policies = withPolicies ? reachPolicies(modelOf(policiesStack(plans) ?? first)) : undefined;
    return buildOrganization(
        plans.map((p) => toPlanJson(p, iamView(deployedResources(p)))),
        (id) => model.accountName(id),
        model.organization.management.id,
        policies,
    );
}

/**
 * The organization policies' checks (offline/organization-policies.ts): quotas, intended paths they
 * would deny, deploy-identity calls they would deny; and the report of what they close.
 */
function organizationPolicyChecks(plans: readonly Plan[], within: Organization | undefined): { problems: Problem[]; report: string[] } {
    const owner = policiesStack(plans);
    const model = owner && modelOf(owner);
    const policies = model?.organizationPolicies;
    const reachInput = model && reachPolicies(model);
    if (!owner || !model || !policies || !reachInput || !within) return { problems: [], report: [] };
    const without = reachOrganizationOf(plans, false)!;
    const name = (arn: string) => {
        const role = within.roles.get(arn);
        return role ? `${role.name} @ ${model.accountName(role.accountId)}` : arn;
    };
    // The model is built in every stack; only a stack that deploys the customer role registers the policies.
    const undeployed: Problem[] = owner.model?.deploy.customerAccess
        ? []
        : [
              {
                  stack: owner.stack,
                  key: "org-access:organizationPolicies",
                  message: "no stack deploys it: it is deployed with the customer role (org-access:deploy.customerAccess)",
              },
          ];
    const before = reachOf(without);
    const after = reachOf(within);
    const read = readReachPolicies(reachInput, owner.stack);
    const closed = closedReach(before, after);
    const lost = lostIntendedPaths(owner.stack, before, after, name);
    return {
        problems: [
            ...undeployed,
            ...read.problems,
            ...policyQuotaProblems(owner.stack, policies),
            ...lost,
            ...deniedDeployCalls(owner.stack, model, plans, read.read),
        ],
        report: [
            ...renderExemptions(model),
            ...renderQuotas(policies),
            ...closedByPerimeter(model, plans, reachInput),
            ...closed.map((c) => `closed in this plan: ${c.from} -> ${name(c.to)} (not granted by config)`),
            `intended paths kept: ${before.reach.length - closed.length - lost.length} of ${before.reach.length - closed.length} (every one reach finds without the policies)`,
        ],
    };
}

/**
 * A principal config names in the customer role's trust that IAM would still
 * refuse: its own policies (in the plan) do not allow `sts:AssumeRole` on the
 * role. Across accounts IAM needs both the trust and the caller's identity
 * policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html),
 * so such a trust grants nothing; it is reported as a problem, naming the key,
 * rather than fixed by attaching a permission to a role another part of the
 * config owns: the team role's permissions are what `teams` and `roles` say,
 * and a trust in the management account must not widen them behind the
 * reviewer's back. A principal outside the plan (its policies unknown) is not
 * judged.
 */
export function unusableTrustPrincipals(plans: readonly Plan[], organization: Organization): Problem[] {
    const problems: Problem[] = [];
    for (const plan of plans) {
        const customer = modelOf(plan).customerAccess;
        if (!customer || !plan.model?.deploy.customerAccess) continue;
        (customer.settings.trust?.principals ?? []).forEach((principal, i) => {
            if (mayAssume(organization, principal, customer.role.arn) === false) {
                problems.push({
                    stack: plan.stack,
                    key: `org-access:customerAccess.trust.principals[${i}]`,
                    message: `${JSON.stringify(principal)} is trusted by ${customer.role.arn}, but its own policies do not allow sts:AssumeRole on it, and across accounts IAM needs both: grant it in that principal's policies, or remove it from the trust`,
                });
            }
        });
    }
    return problems;
}

/**
 * Every cross-stack check over the plans of one organization: the deploy order
 * and its cycles, principals and groups nobody creates, grants no stack
 * attaches, double ownership, `*Exclusive` conflicts, quotas, and trusted
 * principals IAM would still refuse (decided by the evaluator over every
 * stack's entities, which it returns for reach), and each stack's provider
 * processes against its budget. `stacks` names every stack to order, those
 * whose config failed too; `projectDir` is how the fix names the project.
 */
export function checkOrganization(
    stacks: readonly string[],
    plans: readonly Plan[],
    quotas: Quotas,
    projectDir = ".",
): {
    deployOrder: string[];
    deployLevels: string[][];
    dependencies: Dependency[];
    problems: Problem[];
    reachOrganization?: Organization;
    policyReport: string[];
    providerProcesses: ProviderProcesses[];
} {
    const resources: StackResources[] = plans.map((plan) => ({
        stack: plan.stack,
        resources: deployedResources(plan),
        externalPrincipals: modelOf(plan).organization.externalPrincipals,
        managementAccountId: modelOf(plan).organization.management.id,
    }));
    const principals = deployDependencies(resources);
    const order = deployOrder(stacks, principals.dependencies);
    const reachOrganization = reachOrganizationOf(plans);
    const policies = organizationPolicyChecks(plans, reachOrganization);
    const providerProcesses = plans.map(providerProcessesOf);
    return {
        reachOrganization,
        policyReport: policies.report,
        providerProcesses,
        deployOrder: order.order,
        dependencies: principals.dependencies,
        deployLevels: deployLevels(order.order, principals.dependencies),
        problems: [
            ...order.problems,
            ...principals.problems,
            ...lostGrants(plans.map((plan) => ({ stack: plan.stack, model: modelOf(plan), resources: deployedResources(plan) }))),
            ...doubleOwnership(resources),
            ...exclusiveConflicts(resources),
            ...quotaProblems(resources, quotas),
            ...plans.flatMap((plan) => stackInstanceProblems(plan.stack, plan.stackSets ?? [])),
            ...(reachOrganization ? unusableTrustPrincipals(plans, reachOrganization) : []),
            ...policies.problems,
            ...providerBudgetProblems(providerProcesses, projectDir),
            ...undeployedProblems(plans, projectDir),
        ],
    };
}

/**
 * Member accounts that roles select but no stack deploys member roles into: an account added to the
 * organization after its accounts were split across stacks by name (offline/shards.ts) gets no roles
 * until a stack's `org-access:deploy.memberAccounts` names it.
 */
export function undeployedProblems(plans: readonly Plan[], projectDir: string): Problem[] {
    const accounts = undeployedMemberAccounts(plans);
    const owner = plans.find((p) => modelOf(p).access !== undefined);
    if (accounts.length === 0 || !owner) return [];
    const names = `${accounts.slice(0, 5).join(", ")}${accounts.length > 5 ? ` and ${accounts.length - 5} more` : ""}`;
    return [
        {
            stack: owner.stack,
            key: "org-access:deploy.memberAccounts",
            message: `org-access:roles select ${accounts.length} member account${accounts.length === 1 ? "" : "s"} that no stack deploys member roles into (${names}): name ${accounts.length === 1 ? "it" : "each"} in a stack's org-access:deploy.memberAccounts, or run ${shardsCommand(projectDir)}, which adds each to the stack whose range of account names holds it`,
        },
    ];
}

export function toOrganizationPlanJson(plan: OrganizationPlan): OrganizationPlanJson {
    const stacks: Record<string, PlanJson> = {};
    for (const [name, stackPlan] of plan.plans) {
        stacks[name] = toPlanJson(stackPlan, iamView(deployedResources(stackPlan)));
    }
    const providerProcesses = Object.fromEntries(plan.providerProcesses.map((p) => [p.stack, providerProcessesJson(p)]));
    return {
        deployOrder: plan.deployOrder,
        deployLevels: plan.deployLevels,
        stacks,
        providerProcesses,
        shardProposals: plan.shardProposals,
        accountAssignment: plan.accountAssignment,
        problems: plan.problems,
    };
}

/** Why each stack waits for another, one line per pair of stacks: the first reason and how many more. */
export function renderDependencies(dependencies: readonly Dependency[]): string[] {
    const byPair = new Map<string, Dependency[]>();
    for (const d of dependencies) byPair.set(`${d.stack} after ${d.after}`, [...(byPair.get(`${d.stack} after ${d.after}`) ?? []), d]);
    return [...byPair].map(([pair, ds]) => `${pair}: ${ds[0].why}${ds.length > 1 ? ` (and ${ds.length - 1} more)` : ""}`);
}

/** The problems as the CLI prints them: one line each, naming stack, key and value. */
export function renderProblems(problems: readonly Problem[]): string[] {
    return problems.map((p) => `problem: stack ${p.stack}: ${p.key}: ${p.message}`);
}
