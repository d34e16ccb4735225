import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { STACK_SET_QUOTAS } from "../config/cloudformation-quotas";
import { StackSetModel } from "../model/organization";
import { registerStackSetStack } from "./stack-set-stack";

export interface MemberRoleStackSetsArgs {
    /** The stack sets this stack deploys (model/organization.ts `stackSetsInScope`). */
    readonly stackSets: readonly StackSetModel[];
    /** The management account's provider: the stack sets' administrator. */
    readonly provider: aws.Provider;
}

/**
 * Batches of stack sets whose instances together stay within CloudFormation's stack instances in operation at
 * once per administrator account (config/cloudformation-quotas.ts): each batch's stacks are created after
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
 * Member roles delivered by CloudFormation (`org-access:memberRoleDelivery: stacksets`): per stack set, one
 * `aws.cloudformation.Stack` in the management account whose template holds the service-managed stack set and
 * its OU targets (roles/stack-set-stack.ts registers it; model/stack-set-template.ts says why a stack). An
 * account added to a targeted OU gets the role from CloudFormation, without a deploy; an account leaving it
 * loses the role. Service-managed stack sets never deploy to the management account
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html).
 * Each stack is protected, and deleted if its creation fails (roles/stack-set-stack.ts says why).
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
            previous = batch.map((set) => {
                const { target } = set;
                (this.stackSetNames[target.role] ??= []).push(target.name);
                return registerStackSetStack(
                    `${name}-${target.name}`,
                    { name: target.name, templateBody: set.stackTemplate },
                    { parent: this, provider, dependsOn: previous },
                );
            });
        }
        this.registerOutputs({ stackSetNames: this.stackSetNames });
    }
}
