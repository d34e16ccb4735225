/**
 * CloudFormation's StackSets limits that member-role delivery through stack sets
 * (`org-access:memberRoleDelivery: stacksets`) must stay within, one data row each
 * with its source. Where a limit can be met by splitting, the program splits
 * (config/member-role-delivery.ts, roles/member-role-stack-sets.ts); where it cannot,
 * config or the organization plan says so, naming the key.
 *
 * The values are the default quotas of the CloudFormation quotas page as AWS
 * published it in its user guide's source
 * (https://github.com/awsdocs/aws-cloudformation-user-guide/blob/main/doc_source/cloudformation-limits.md,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). Some are adjustable
 * through Service Quotas, and AWS has raised some defaults since; the lower published
 * value is kept, which splits earlier than needed, never later.
 */
export interface CloudFormationQuota {
    readonly value: number;
    /** What the value counts, in the quotas page's words. */
    readonly what: string;
    readonly source: string;
}

const QUOTAS_PAGE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html";

export const STACK_SET_QUOTAS = {
    /** Split: a stack set's OUs are chunked so that no chunk reaches more accounts. */
    instancesPerStackSet: { value: 2000, what: "stack instances per stack set", source: QUOTAS_PAGE },
    /** Checked across every stack of the organization: all of them administer from the management account. */
    stackSetsPerAdministrator: { value: 100, what: "stack sets in an administrator account", source: QUOTAS_PAGE },
    /** Checked: every stack set is held by a stack of the management account (model/stack-set-template.ts). */
    stacksPerAccount: { value: 200, what: "stacks in an account, per Region (2,000 on the current page)", source: QUOTAS_PAGE },
    /** Checked: the program passes templates inline, the stack's (`templateBody`) and each stack set's (`TemplateBody`). */
    templateBodyBytes: { value: 51200, what: "bytes of a template body passed in a request", source: QUOTAS_PAGE },
    /** Split: one stack set instance resource per chunk, each within the limit. */
    organizationalUnitsPerOperation: {
        value: 50,
        what: "organizational units in one CreateStackInstances operation",
        source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackInstances.html",
    },
    /** Split: stack set instances are registered in batches, each batch after the one before it. */
    concurrentInstanceOperations: {
        value: 3500,
        what: "stack instances, across all stack sets, in operations at once per Region per administrator account",
        source: QUOTAS_PAGE,
    },
} as const satisfies Record<string, CloudFormationQuota>;
