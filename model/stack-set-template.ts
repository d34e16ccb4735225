/**
 * A service-managed stack set as one CloudFormation stack: the template of the `aws.cloudformation.Stack` that
 * the management account's provider registers for each stack set this program delivers (member roles under
 * `org-access:memberRoleDelivery: stacksets`, and the deploy identity's `OrgAccessDeploy`).
 *
 * Why a stack around the stack set, and not Pulumi's `StackSet` and `StackSetInstance`: on every refresh
 * terraform-provider-aws reads a `StackSetInstance` with OU targets by paging ListStackInstances through every
 * instance of the stack set (100 a page; internal/service/cloudformation/stack_set_instance.go), so a
 * no-change `up` with `refresh: always` would read more the more accounts the organization has. A stack is
 * read with DescribeStacks and GetTemplate (internal/service/cloudformation/stack.go resourceStackRead),
 * whatever it deploys. CloudFormation owns the stack set and its instances
 * (`AWS::CloudFormation::StackSet` with `StackInstancesGroup`,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stackset.html,
 * whose page asks that deployments to such a stack set run from the parent stack, not through the StackSet API).
 *
 * Pure: the template is built from account ids, OU ids and the inner template, all known at preview.
 */

/** The logical id of the one stack set of a stack-set stack. */
export const STACK_SET_LOGICAL_ID = "StackSet";

/**
 * How a stack set operation runs: in every targeted account at once, not one at a time (the default), without
 * lowering concurrency on a failure; a failure in any account still stops the operation (FailureToleranceCount 0).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html
 * (these preferences do not apply to automatic deployments, which CloudFormation runs itself).
 */
export const STACK_SET_OPERATION = {
    ConcurrencyMode: "SOFT_FAILURE_TOLERANCE",
    MaxConcurrentPercentage: 100,
    FailureToleranceCount: 0,
} as const;

/**
 * How long the provider waits for a stack-set stack to finish: the stack completes when CloudFormation has
 * rolled the stack set out to every account it targets, which for thousands of accounts can outlast
 * terraform-provider-aws's default of 30 minutes (internal/service/cloudformation/stack.go). The wait cannot
 * usefully outlast the credentials it polls with: a deploy job's session lasts one hour (the OIDC action's
 * default, docs/runbook.md), so the provider gives up a little before, with a timeout instead of an expired
 * token. CloudFormation carries on either way (its handlers may run far longer), and the next run's refresh
 * reads the stack's status.
 */
export const STACK_SET_STACK_TIMEOUT = "55m";

/** One service-managed stack set and where it deploys. */
export interface StackSetSpec {
    /** The stack set's name, also the name of the stack that holds it. */
    readonly name: string;
    readonly description: string;
    /** The template (JSON text) it deploys into each account. */
    readonly template: string;
    /** The OUs (or the root) it targets; every member account in or under them gets a stack instance. */
    readonly organizationalUnitIds: readonly string[];
    /** Account ids of those OUs it leaves out (`AccountFilterType: DIFFERENCE`). */
    readonly excludedAccounts: readonly string[];
    /** The one region its instances go to: IAM is global, so one region is every account's roles. */
    readonly region: string;
    /** Operation preferences; CloudFormation's defaults (one account at a time) when left out. */
    readonly operation?: typeof STACK_SET_OPERATION;
}

/**
 * The stack's template (JSON text): one `AWS::CloudFormation::StackSet`, service-managed, with automatic
 * deployment to accounts that join a targeted OU and removal of the stacks (and their roles) from accounts
 * that leave it: a role that grants access in an account config no longer targets is access nobody reviews.
 * `CAPABILITY_NAMED_IAM` because the inner template names its roles.
 */
export function stackSetStackTemplate(spec: StackSetSpec): string {
    return JSON.stringify({
        AWSTemplateFormatVersion: "2010-09-09",
        Description: `org-access: stack set ${spec.name}`,
        Resources: {
            [STACK_SET_LOGICAL_ID]: {
                Type: "AWS::CloudFormation::StackSet",
                Properties: {
                    StackSetName: spec.name,
                    Description: spec.description.slice(0, 1024),
                    PermissionModel: "SERVICE_MANAGED",
                    CallAs: "SELF",
                    AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
                    Capabilities: ["CAPABILITY_NAMED_IAM"],
                    ...(spec.operation ? { OperationPreferences: { ...spec.operation } } : {}),
                    StackInstancesGroup: [
                        {
                            DeploymentTargets: {
                                OrganizationalUnitIds: [...spec.organizationalUnitIds],
                                ...(spec.excludedAccounts.length > 0
                                    ? { AccountFilterType: "DIFFERENCE", Accounts: [...spec.excludedAccounts] }
                                    : {}),
                            },
                            Regions: [spec.region],
                        },
                    ],
                    TemplateBody: spec.template,
                },
            },
        },
    });
}
