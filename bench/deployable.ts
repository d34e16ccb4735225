/**
 * Whether a synthetic organization could be deployed at all: a benchmark of an
 * organization that AWS or the policy pack would refuse measures nothing. Runs
 * the organization plan's cross-stack checks over the synthetic stack's planned
 * resources, and the real policy pack (served as the engine serves it) over
 * every resource and the whole stack, and reports the sizes that the quotas
 * bound. Not timed: `npm run bench` runs it in a child of its own.
 */
import { QuotaMeasure, Quotas, QuotaTotal, quotaTotals } from "../offline/organization-checks";
import { checkOrganization, configuredQuotas } from "../offline/organization-plan";
import { checkPlan, PACK_DIR } from "../offline/pack-check";
import { Plan, PlannedResource } from "../offline/plan";
import { Diagnostic, ServedPolicyPack } from "../offline/served-pack";
import { Problem } from "../offline/deploy-dependencies";
import { providerProcessesOf } from "../offline/provider-processes";
import { proposeShards } from "../offline/shards";

export interface Deployability {
    /** The organization plan's problems (principals named by ARN, double ownership, *Exclusive conflicts, quotas), as printed. */
    readonly problems: readonly string[];
    /** Mandatory violations of the real policy pack, per resource and stack-wide. */
    readonly mandatoryViolations: readonly string[];
    readonly advisoryViolations: number;
    readonly resourcesAnalyzed: number;
    /** Characters other than white space, as IAM counts them. */
    readonly largestTrustPolicyChars: number;
    /** The largest sum of inline policies on one role, and that role (`account/name`). */
    readonly largestRoleInlineChars: number;
    readonly largestRoleInlineRole: string;
    /** Per role name (across accounts), the largest sum of its inline policies. */
    readonly inlineCharsByRole: Readonly<Record<string, number>>;
    readonly mostManagedPoliciesPerRole: number;
    readonly quotas: { readonly trustPolicy: number; readonly roleInline: number; readonly managedPerRole: number };
}

/** Largest trust, largest inline total per role, most managed policies per role: read from the organization plan's quota totals. */
export function roleSizes(
    resources: readonly PlannedResource[],
): Pick<
    Deployability,
    "largestTrustPolicyChars" | "largestRoleInlineChars" | "largestRoleInlineRole" | "inlineCharsByRole" | "mostManagedPoliciesPerRole"
> {
    const roles = quotaTotals([{ stack: "bench", resources, externalPrincipals: [] }]).filter((t) => t.entity.includes("/role/"));
    const of = (measure: QuotaMeasure) => roles.filter((t) => t.measure === measure);
    /** `account/role/name` as `account/name`. */
    const shortName = (entity: string) => entity.replace("/role/", "/");
    const inline = of("inline policy characters");
    const largestInline = inline.reduce<QuotaTotal | undefined>((a, b) => (a === undefined || b.total > a.total ? b : a), undefined);
    const inlineCharsByRole: Record<string, number> = {};
    for (const t of inline) {
        const name = t.entity.slice(t.entity.indexOf("/role/") + "/role/".length);
        inlineCharsByRole[name] = Math.max(inlineCharsByRole[name] ?? 0, t.total);
    }
    return {
        largestTrustPolicyChars: Math.max(0, ...of("trust policy characters").map((t) => t.total)),
        largestRoleInlineChars: largestInline?.total ?? 0,
        largestRoleInlineRole: largestInline ? shortName(largestInline.entity) : "none",
        inlineCharsByRole,
        mostManagedPoliciesPerRole: Math.max(0, ...of("managed policies attached").map((t) => t.total)),
    };
}

/**
 * The organization plan's checks over one stack's plan, exactly as `planOrganization` runs them, but
 * for the provider budget: the benchmark plans one stack to time the program, where a deploy of a
 * large organization is that stack split as the organization plan proposes (offline/shards.ts). So
 * an over-budget stack counts as deployable only when every stack of its proposal fits the budget.
 */
export function organizationProblems(plan: Plan, quotas: Quotas): string[] {
    const problems = checkOrganization([plan.stack], [plan], quotas).problems;
    const over = problems.filter((p) => p.key === "org-access:providerBudget");
    const unfit = over.length === 0 ? [] : shardsOverBudget(plan);
    return [...problems.filter((p) => !over.includes(p)), ...unfit].map((p) => `stack ${p.stack}: ${p.key}: ${p.message}`);
}

/** The stacks of the proposed split that would still be over the budget. */
function shardsOverBudget(plan: Plan): Problem[] {
    const count = providerProcessesOf(plan);
    const proposal = proposeShards(plan, count);
    return [proposal.kept, ...proposal.shards]
        .filter((s) => s.processes > count.budget)
        .map((s) => ({
            stack: s.stack,
            key: "org-access:providerBudget",
            message: `proposed shard would start ${s.processes} provider processes, over the budget of ${count.budget}${proposal.unfit ? `: ${proposal.unfit}` : ""}`,
        }));
}

/** The real pack over every resource and the whole stack, as `npm run policy-check` runs it. */
export async function packDiagnostics(plan: Plan): Promise<{ diagnostics: Diagnostic[]; analyzed: number }> {
    const pack = await ServedPolicyPack.start(PACK_DIR);
    try {
        const result = await checkPlan(pack, plan);
        return { diagnostics: [...result.diagnostics], analyzed: result.resources.length };
    } finally {
        await pack.stop();
    }
}

export async function deployability(plan: Plan, projectDir: string): Promise<Deployability> {
    const quotas = configuredQuotas(projectDir);
    const problems = organizationProblems(plan, quotas);
    const { diagnostics, analyzed: resourcesAnalyzed } = await packDiagnostics(plan);
    return {
        problems,
        mandatoryViolations: diagnostics
            .filter((d) => d.enforcementLevel === "mandatory")
            .map((d) => `${d.policyName}: ${d.urn ?? "(stack)"}: ${d.message}`),
        advisoryViolations: diagnostics.filter((d) => d.enforcementLevel !== "mandatory").length,
        resourcesAnalyzed,
        ...roleSizes(plan.resources.filter((r) => r.custom)),
        quotas: { trustPolicy: quotas.trustPolicy, roleInline: quotas.roleInline, managedPerRole: quotas.managedPerRole },
    };
}
