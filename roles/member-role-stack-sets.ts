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
 * How long the provider waits for a stack-set stack to finish: the stack completes when CloudFormation has
 * rolled the stack set out to every account it targets, which for thousands of accounts can outlast
 * terraform-provider-aws's default of 30 minutes (internal/service/cloudformation/stack.go). The wait cannot
 * usefully outlast the credentials it polls with: a deploy job's session lasts one hour (the OIDC action's
 * default, docs/runbook.md), so the provider gives up a little before, with a timeout instead of an expired
 * token. CloudFormation carries on either way, and the next run's refresh reads the stack's status.
 */
export const STACK_SET_STACK_TIMEOUT = "55m";

/**
 * Member roles delivered by CloudFormation (`org-access:memberRoleDelivery: stacksets`): per stack set, one
 * `aws.cloudformation.Stack` in the management account whose template holds the service-managed stack set and
 * its OU targets (model/stack-set-template.ts says why a stack and not Pulumi's StackSet resources). An
 * account added to a targeted OU gets the role from CloudFormation, without a deploy; an account leaving it
 * loses the role. Service-managed stack sets never deploy to the management account
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html).
 *
 * Each stack is protected: deleting or replacing it deletes the roles in every account it reaches
 * (docs/runbook.md says how to get a change through). Its OU targets change in place: CloudFormation adds and
 * removes stack instances, and accounts that stay keep their roles. A new name (the first OU changed) replaces
 * it, deleting first (`deleteBeforeReplace`): the new stack set's roles have the old one's names, which IAM
 * refuses while those exist. A stack whose creation fails is deleted (`onFailure: DELETE`), so the next `up`
 * creates it afresh instead of meeting a stack in ROLLBACK_COMPLETE.
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
                return new aws.cloudformation.Stack(
                    `${name}-${target.name}`,
                    { name: target.name, templateBody: set.stackTemplate, onFailure: "DELETE" },
                    {
                        parent: this,
                        provider,
                        protect: true,
                        deleteBeforeReplace: true,
                        dependsOn: previous,
                        customTimeouts: {
                            create: STACK_SET_STACK_TIMEOUT,
                            update: STACK_SET_STACK_TIMEOUT,
                            delete: STACK_SET_STACK_TIMEOUT,
                        },
                    },
                );
            });
        }
        this.registerOutputs({ stackSetNames: this.stackSetNames });
    }
}
