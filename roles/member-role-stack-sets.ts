import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { STACK_SET_QUOTAS } from "../config/cloudformation-quotas";
import { StackSetModel } from "../model/organization";

export interface MemberRoleStackSetsArgs {
    /** The stack sets this stack deploys (model/organization.ts `stackSetsInScope`). */
    readonly stackSets: readonly StackSetModel[];
    /** The management account's provider: the stack sets' administrator. */
    readonly provider: aws.Provider;
}

/**
 * How a stack set operation runs: in every targeted account at once, not one at a time (the default), without
 * lowering concurrency on a failure; a failure in any account still stops the operation (FailureToleranceCount 0).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html
 * (these preferences do not apply to automatic deployments, which CloudFormation runs itself).
 */
export const STACK_SET_OPERATION = {
    concurrencyMode: "SOFT_FAILURE_TOLERANCE",
    maxConcurrentPercentage: 100,
    failureToleranceCount: 0,
} as const;

/**
 * Batches of stack sets whose instances together stay within CloudFormation's stack instances in operation at
 * once per administrator account (config/cloudformation-quotas.ts): each batch's instances are created after
 * the batch before it. Pure; the order is the input's.
 */
export function operationBatches<T extends { readonly target: { readonly accounts: readonly unknown[] } }>(sets: readonly T[]): T[][] {
    const limit = STACK_SET_QUOTAS.concurrentInstanceOperations.value;
    const batches: T[][] = [];
    let size = 0;
    for (const set of sets) {
        const n = set.target.accounts.length;
        if (batches.length === 0 || size + n > limit) {
            batches.push([]);
            size = 0;
        }
        batches[batches.length - 1].push(set);
        size += n;
    }
    return batches;
}

/**
 * Member roles delivered by CloudFormation (`org-access:memberRoleDelivery: stacksets`): per stack set, a
 * service-managed `StackSet` administered from the management account, with automatic deployment, and one
 * `StackSetInstance` targeting its organizational units (leaving out the access account where the role is not
 * granted there). An account added to a targeted OU gets the role from CloudFormation, without a deploy; an
 * account leaving it loses the role (`retainStacksOnAccountRemoval: false`: a role that grants access in an
 * account the config no longer targets is access nobody reviews). Service-managed stack sets never deploy to
 * the management account (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html).
 *
 * Both resources are protected: deleting or replacing either deletes the roles in every account it reaches
 * (docs/runbook.md says how to get a change through).
 */
export class MemberRoleStackSets extends pulumi.ComponentResource {
    /** Stack set names by member role name. */
    public readonly stackSetNames: Record<string, string[]>;

    constructor(name: string, args: MemberRoleStackSetsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:MemberRoleStackSets", name, {}, opts);
        const { provider } = args;
        this.stackSetNames = {};
        let previous: pulumi.Resource[] = [];
        for (const batch of operationBatches(args.stackSets)) {
            const instances = batch.map((set) => {
                const { target } = set;
                (this.stackSetNames[target.role] ??= []).push(target.name);
                const stackSet = new aws.cloudformation.StackSet(
                    `${name}-${target.name}`,
                    {
                        name: target.name,
                        description: `org-access: member role ${target.role} for teams ${target.teams.join(", ")}`.slice(0, 1024),
                        permissionModel: "SERVICE_MANAGED",
                        callAs: "SELF",
                        autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
                        capabilities: ["CAPABILITY_NAMED_IAM"],
                        templateBody: set.template,
                        operationPreferences: { ...STACK_SET_OPERATION },
                    },
                    { parent: this, provider, protect: true },
                );
                return new aws.cloudformation.StackSetInstance(
                    `${name}-${target.name}-targets`,
                    {
                        stackSetName: stackSet.name,
                        callAs: "SELF",
                        deploymentTargets: {
                            organizationalUnitIds: target.organizationalUnits.map((u) => u.id),
                            ...(target.excludedAccounts.length > 0
                                ? { accountFilterType: "DIFFERENCE", accounts: [...target.excludedAccounts] }
                                : {}),
                        },
                        operationPreferences: { ...STACK_SET_OPERATION },
                    },
                    { parent: this, provider, protect: true, dependsOn: previous },
                );
            });
            previous = instances;
        }
        this.registerOutputs({ stackSetNames: this.stackSetNames });
    }
}
