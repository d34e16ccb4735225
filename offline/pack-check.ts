import * as path from "path";
import { AnalyzedResource, Diagnostic, PackConfig, ServedPolicyPack } from "./served-pack";
import { modelOf, Plan, PlannedResource, runPlan } from "./plan";

/**
 * The policy check behind `npm run policy-check`: plans a stack offline, configures the served
 * pack with the stack's organization, management and access accounts, and analyzes every
 * resource (with its provider's inputs) and the whole stack, as the engine would.
 */

export const PACK_DIR = path.resolve(__dirname, "..", "policy-pack");

export interface PolicyCheckResult {
    readonly stack: string;
    readonly packConfig: PackConfig;
    /** Every resource of the plan, as analyzed (providers included). */
    readonly resources: readonly AnalyzedResource[];
    readonly diagnostics: readonly Diagnostic[];
}

/** The pack config for a stack, from its validated program config. */
export function packConfigFor(plan: Plan): PackConfig {
    const model = modelOf(plan);
    const organization = {
        managementAccountIds: [model.organization.management.id],
        accessAccountIds: model.access === undefined ? [] : [model.access.account.id],
        organizationId: model.organization.id,
    };
    return {
        "no-wildcard-principals": { organizationId: organization.organizationId },
        "no-compute-in-management-account": { managementAccountIds: organization.managementAccountIds },
        "management-account-not-access-account": {
            managementAccountIds: organization.managementAccountIds,
            accessAccountIds: organization.accessAccountIds,
        },
        "access-account-holds-access-only": { accessAccountIds: organization.accessAccountIds },
        "template-principals-resolved": organization,
        "template-principals-resolved-elsewhere": organization,
    };
}

export function analyzed(resource: PlannedResource): AnalyzedResource {
    return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        properties: resource.inputs,
        provider:
            resource.provider === undefined
                ? undefined
                : {
                      type: resource.provider.type,
                      name: resource.provider.name,
                      urn: resource.provider.urn,
                      properties: resource.provider.inputs,
                  },
    };
}

/** Plans `stack` and runs the pack over it; `pack` may be shared across stacks. */
export async function checkStack(pack: ServedPolicyPack, stack: string, configFile?: string): Promise<PolicyCheckResult> {
    return checkPlan(pack, await runPlan({ stack, configFile }));
}

/** Runs the pack over a plan already made (a stack of the organization plan, say), configured from its model. */
export async function checkPlan(pack: ServedPolicyPack, plan: Plan): Promise<PolicyCheckResult> {
    const stack = plan.stack;
    const packConfig = packConfigFor(plan);
    await pack.configure(packConfig);
    const resources = plan.resources.map(analyzed);
    const diagnostics: Diagnostic[] = [];
    for (const resource of resources) {
        for (const diagnostic of await pack.analyze(resource)) {
            diagnostics.push({ ...diagnostic, urn: diagnostic.urn ?? resource.urn });
        }
    }
    // The engine hands AnalyzeStack the resources' outputs; offline, inputs are the closest we have.
    diagnostics.push(...(await pack.analyzeStack(resources)));
    return { stack, packConfig, resources, diagnostics };
}
