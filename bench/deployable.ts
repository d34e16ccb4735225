/**
 * Whether a synthetic organization could be deployed at all: a benchmark of an
 * organization that AWS or the policy pack would refuse measures nothing. Runs
 * the organization plan's cross-stack checks over the synthetic stack's planned
 * resources, and the real policy pack (served as the engine serves it) over
 * every resource and the whole stack, and reports the sizes that the quotas
 * bound. Not timed: `npm run bench` runs it in a child of its own.
 */
import { policySize } from "../iam/documents";
import { doubleOwnership, exclusiveConflicts, principalsAndOrder, quotaProblems, StackResources } from "../offline/organization-checks";
import { configuredQuotas } from "../offline/organization-plan";
import { analyzed, PACK_DIR, packConfigFor } from "../offline/pack-check";
import { modelOf, Plan, PlannedResource } from "../offline/plan";
import { Diagnostic, ServedPolicyPack } from "../offline/served-pack";

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

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ROLE_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

const sizeOf = (value: unknown): number => policySize((typeof value === "string" ? JSON.parse(value) : value) as never);

/** Largest trust, largest inline total per role, most managed policies per role. */
export function roleSizes(
    resources: readonly PlannedResource[],
): Pick<
    Deployability,
    "largestTrustPolicyChars" | "largestRoleInlineChars" | "largestRoleInlineRole" | "inlineCharsByRole" | "mostManagedPoliciesPerRole"
> {
    let largestTrustPolicyChars = 0;
    const inline = new Map<string, number>();
    const managed = new Map<string, number>();
    for (const r of resources) {
        if (r.type === ROLE && r.inputs.assumeRolePolicy !== undefined) {
            largestTrustPolicyChars = Math.max(largestTrustPolicyChars, sizeOf(r.inputs.assumeRolePolicy));
        } else if (r.type === ROLE_POLICY) {
            const role = `${r.accountId}/${String(r.inputs.role)}`;
            inline.set(role, (inline.get(role) ?? 0) + sizeOf(r.inputs.policy));
        } else if (r.type === ROLE_ATTACHMENT) {
            const role = `${r.accountId}/${String(r.inputs.role)}`;
            managed.set(role, (managed.get(role) ?? 0) + 1);
        }
    }
    const [largestRoleInlineRole, largestRoleInlineChars] = [...inline].reduce((a, b) => (b[1] > a[1] ? b : a), ["none", 0]);
    const inlineCharsByRole: Record<string, number> = {};
    for (const [role, chars] of inline) {
        const name = role.slice(role.indexOf("/") + 1);
        inlineCharsByRole[name] = Math.max(inlineCharsByRole[name] ?? 0, chars);
    }
    return {
        largestTrustPolicyChars,
        largestRoleInlineChars,
        largestRoleInlineRole,
        inlineCharsByRole,
        mostManagedPoliciesPerRole: Math.max(0, ...managed.values()),
    };
}

/** The organization plan's checks over one stack's plan, as `planOrganization` runs them. */
export function organizationProblems(plan: Plan, projectDir: string): string[] {
    const stacks: StackResources[] = [
        { stack: plan.stack, resources: plan.resources, externalPrincipals: modelOf(plan).organization.externalPrincipals },
    ];
    const principals = principalsAndOrder(stacks);
    return [
        ...principals.problems,
        ...doubleOwnership(stacks),
        ...exclusiveConflicts(stacks),
        ...quotaProblems(stacks, configuredQuotas(projectDir)),
    ].map((p) => `stack ${p.stack}: ${p.key}: ${p.message}`);
}

/** The real pack over every resource and the whole stack, as `npm run policy-check` runs it. */
export async function packDiagnostics(plan: Plan): Promise<{ diagnostics: Diagnostic[]; analyzed: number }> {
    const pack = await ServedPolicyPack.start(PACK_DIR);
    try {
        await pack.configure(packConfigFor(plan));
        const resources = plan.resources.map(analyzed);
        const diagnostics: Diagnostic[] = [];
        for (const resource of resources) {
            for (const d of await pack.analyze(resource)) {
                diagnostics.push({ ...d, urn: d.urn ?? resource.urn });
            }
        }
        diagnostics.push(...(await pack.analyzeStack(resources)));
        return { diagnostics, analyzed: resources.length };
    } finally {
        await pack.stop();
    }
}

export async function deployability(plan: Plan, projectDir: string): Promise<Deployability> {
    const problems = organizationProblems(plan, projectDir);
    const { diagnostics, analyzed: resourcesAnalyzed } = await packDiagnostics(plan);
    const quotas = configuredQuotas(projectDir);
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
