import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { STACK_SET_STACK_TIMEOUT } from "../model/stack-set-template";

/** Where a stack-set stack is registered: its component, the management account's provider, and what it waits for. */
export interface StackSetStackOptions {
    readonly parent: pulumi.Resource;
    readonly provider: aws.Provider;
    readonly dependsOn?: pulumi.Resource[];
}

/**
 * One stack set as the management account's `aws.cloudformation.Stack` around it (model/stack-set-template.ts
 * says why a stack, and builds `templateBody`): the one registration of every stack set this program delivers.
 *
 * Protected: deleting or replacing it deletes the roles in every account it reaches (docs/runbook.md says how
 * to get a change through). Its OU targets change in place: CloudFormation adds and removes stack instances,
 * and accounts that stay keep their roles. A new name replaces it, deleting first (`deleteBeforeReplace`): the
 * new stack set's roles carry the old one's names, which IAM refuses while those exist. A stack whose
 * creation fails is deleted (`onFailure: DELETE`), so the next `up` creates it afresh instead of meeting a
 * stack in ROLLBACK_COMPLETE. No `capabilities`: CreateStack asks them of the IAM resource types in the stack's
 * own template (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html,
 * Capabilities), and this one holds a stack set, whose own `Capabilities` acknowledge the roles it deploys. No `iamRoleArn`: CloudFormation runs
 * the stack set's handler with a session made from the deploy role's own credentials, so that role's policy
 * carries the handler's permissions (model/deploy-permissions.ts, the row of `aws:cloudformation/stack:Stack`).
 */
export function registerStackSetStack(
    resourceName: string,
    stack: { readonly name: string; readonly templateBody: string },
    opts: StackSetStackOptions,
): aws.cloudformation.Stack {
    return new aws.cloudformation.Stack(
        resourceName,
        { name: stack.name, templateBody: stack.templateBody, onFailure: "DELETE" },
        {
            parent: opts.parent,
            provider: opts.provider,
            protect: true,
            deleteBeforeReplace: true,
            dependsOn: opts.dependsOn ?? [],
            customTimeouts: { create: STACK_SET_STACK_TIMEOUT, update: STACK_SET_STACK_TIMEOUT, delete: STACK_SET_STACK_TIMEOUT },
        },
    );
}
