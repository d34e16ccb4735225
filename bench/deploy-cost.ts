/**
 * What a real `pulumi up` costs, modelled from a plan: the provider processes per
 * stack (offline/provider-processes.ts), the STS, IAM and CloudFormation API calls
 * of a first deploy and of a no-change `up` with `refresh: always` (Pulumi.yaml),
 * and a wall time estimated from those calls. The mock runtime makes none of these
 * calls; every figure here is a model, each row sourced below, not a measurement.
 */
import { PlannedResource } from "../offline/plan";
import { ProviderProcesses } from "../offline/provider-processes";

export type Service = "sts" | "iam" | "cloudformation";
export type Calls = Readonly<Record<Service, number>>;

/** The calls one resource of a type makes, and where the figure comes from. */
export interface CallRow {
    readonly type: string;
    /** Create, then the read that every terraform-provider-aws Create ends with. */
    readonly create: Partial<Calls>;
    readonly createCalls: string;
    /** Refresh (`Read`) of an unchanged resource. */
    readonly read: Partial<Calls>;
    readonly readCalls: string;
    /** The provider source the row is read from; `checked` when its Create and Read were read for this table. */
    readonly source: string;
    readonly checked: boolean;
}

const TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service";

/**
 * One row per resource type the program registers (and the stacks that hold the
 * stack sets of `org-access:memberRoleDelivery: stacksets`). pulumi-aws bridges
 * terraform-provider-aws, so its resources make the calls of the Terraform
 * resource's Create and Read functions. Inline policies are counted as the
 * program writes them: one per RolePolicy/GroupPolicy/UserPolicy resource.
 */
export const CALL_ROWS: readonly CallRow[] = [
    {
        type: "aws:iam/role:Role",
        create: { iam: 4 },
        createCalls: "CreateRole; then Read: GetRole, ListRolePolicies, ListAttachedRolePolicies",
        read: { iam: 3 },
        readCalls: "GetRole, ListRolePolicies (+ GetRolePolicy per inline policy the role has), ListAttachedRolePolicies",
        source: `${TF}/iam/role.go (resourceRoleRead: readRoleInlinePolicies, readRolePolicyAttachments)`,
        checked: true,
    },
    {
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        create: { iam: 2 },
        createCalls: "AttachRolePolicy; then Read: ListAttachedRolePolicies",
        read: { iam: 1 },
        readCalls: "ListAttachedRolePolicies (findAttachedRolePolicyByTwoPartKey)",
        source: `${TF}/iam/role_policy_attachment.go`,
        checked: true,
    },
    {
        type: "aws:iam/rolePolicy:RolePolicy",
        create: { iam: 2 },
        createCalls: "PutRolePolicy; then Read: GetRolePolicy",
        read: { iam: 1 },
        readCalls: "GetRolePolicy",
        source: `${TF}/iam/role_policy.go`,
        checked: false,
    },
    {
        type: "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
        create: { iam: 1 },
        createCalls: "ListRolePolicies (deletes none on a new role)",
        read: { iam: 1 },
        readCalls: "ListRolePolicies",
        source: `${TF}/iam/role_policies_exclusive.go`,
        checked: false,
    },
    {
        type: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
        create: { iam: 1 },
        createCalls: "ListAttachedRolePolicies (detaches none on a new role)",
        read: { iam: 1 },
        readCalls: "ListAttachedRolePolicies",
        source: `${TF}/iam/role_policy_attachments_exclusive.go`,
        checked: false,
    },
    {
        type: "aws:iam/user:User",
        create: { iam: 2 },
        createCalls: "CreateUser; then Read: GetUser",
        read: { iam: 1 },
        readCalls: "GetUser",
        source: `${TF}/iam/user.go`,
        checked: false,
    },
    {
        type: "aws:iam/group:Group",
        create: { iam: 2 },
        createCalls: "CreateGroup; then Read: GetGroup",
        read: { iam: 1 },
        readCalls: "GetGroup",
        source: `${TF}/iam/group.go`,
        checked: false,
    },
    {
        type: "aws:iam/groupPolicy:GroupPolicy",
        create: { iam: 2 },
        createCalls: "PutGroupPolicy; then Read: GetGroupPolicy",
        read: { iam: 1 },
        readCalls: "GetGroupPolicy",
        source: `${TF}/iam/group_policy.go`,
        checked: false,
    },
    {
        type: "aws:iam/userGroupMembership:UserGroupMembership",
        create: { iam: 2 },
        createCalls: "AddUserToGroup (per group); then Read: ListGroupsForUser",
        read: { iam: 1 },
        readCalls: "ListGroupsForUser",
        source: `${TF}/iam/user_group_membership.go`,
        checked: false,
    },
    ...(["group", "user"] as const).flatMap((kind) => [
        {
            type: `aws:iam/${kind}PoliciesExclusive:${kind === "group" ? "Group" : "User"}PoliciesExclusive`,
            create: { iam: 1 },
            createCalls: `List${kind === "group" ? "Group" : "User"}Policies`,
            read: { iam: 1 },
            readCalls: `List${kind === "group" ? "Group" : "User"}Policies`,
            source: `${TF}/iam/${kind}_policies_exclusive.go`,
            checked: false,
        },
        {
            type: `aws:iam/${kind}PolicyAttachmentsExclusive:${kind === "group" ? "Group" : "User"}PolicyAttachmentsExclusive`,
            create: { iam: 1 },
            createCalls: `ListAttached${kind === "group" ? "Group" : "User"}Policies`,
            read: { iam: 1 },
            readCalls: `ListAttached${kind === "group" ? "Group" : "User"}Policies`,
            source: `${TF}/iam/${kind}_policy_attachments_exclusive.go`,
            checked: false,
        },
    ]),
    {
        type: "aws:cloudformation/stack:Stack",
        create: { cloudformation: 4 },
        createCalls:
            "CreateStack; DescribeStacks until the stack (and so its stack set's rollout) completes (at least once); then Read: DescribeStacks, GetTemplate",
        read: { cloudformation: 2 },
        readCalls: "DescribeStacks, GetTemplate (whatever the stack deploys: the accounts a stack set in it reaches are not read)",
        source: `${TF}/cloudformation/stack.go (resourceStackCreate, resourceStackRead)`,
        checked: true,
    },
];

/**
 * Each provider process configures once per operation: `sts:AssumeRole` into the
 * account's deploy role, and `sts:GetCallerIdentity`, which the provider calls to
 * learn the account id that `allowedAccountIds` is checked against
 * (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/conns/config.go).
 */
export const PROVIDER_CONFIGURE: Calls = { sts: 2, iam: 0, cloudformation: 0 };

/**
 * Request rates. AWS publishes no request rate for IAM or STS: its knowledge
 * center says only that API calls "contribute to a maximum rate quota for your
 * AWS account" and that these quotas cannot be increased
 * (https://repost.aws/knowledge-center/iam-sts-throttling-error). CloudFormation
 * publishes none for its control-plane API either. The figures below are
 * therefore assumptions, stated as such wherever an estimate is shown: a rate
 * per account per service at which the SDK's retries (pulumi-aws retries
 * throttled calls with backoff) keep a deploy moving.
 */
export const ASSUMED_RATE_PER_ACCOUNT: Calls = { sts: 10, iam: 10, cloudformation: 2 };

const ZERO: Calls = { sts: 0, iam: 0, cloudformation: 0 };
const add = (a: Calls, b: Partial<Calls>, times = 1): Calls => ({
    sts: a.sts + (b.sts ?? 0) * times,
    iam: a.iam + (b.iam ?? 0) * times,
    cloudformation: a.cloudformation + (b.cloudformation ?? 0) * times,
});

/** The calls of one stack, in total and per account (the rate applies per account). */
export interface StackCalls {
    readonly firstDeploy: Calls;
    readonly noChangeUp: Calls;
    readonly byAccount: ReadonlyMap<string, { readonly firstDeploy: Calls; readonly noChangeUp: Calls }>;
    /** Resource types the table has no row for: their calls are not counted. */
    readonly unmodelled: readonly string[];
    /** Provider processes whose configure calls the stack makes. */
    readonly processes: number;
}

/**
 * A first deploy creates every resource; a no-change `up` with `refresh: always` reads every one. Both configure every
 * provider process.
 */
export function stackCalls(resources: readonly PlannedResource[], processes: ProviderProcesses): StackCalls {
    const rows = new Map(CALL_ROWS.map((r) => [r.type, r]));
    const byAccount = new Map<string, { firstDeploy: Calls; noChangeUp: Calls }>();
    const unmodelled = new Set<string>();
    // A role's Read also gets each of its inline policies (GetRolePolicy, role.go readRoleInlinePolicies).
    const inline = new Map<string, number>();
    for (const r of resources.filter((x) => x.custom && x.type === "aws:iam/rolePolicy:RolePolicy")) {
        const key = `${r.accountId}/${String(r.inputs.role)}`;
        inline.set(key, (inline.get(key) ?? 0) + 1);
    }
    const configure = {
        firstDeploy: add(ZERO, PROVIDER_CONFIGURE, processes.processes),
        noChangeUp: add(ZERO, PROVIDER_CONFIGURE, processes.processes),
    };
    for (const r of resources.filter((x) => x.custom && !x.type.startsWith("pulumi:"))) {
        const row = rows.get(r.type);
        if (!row) {
            unmodelled.add(r.type);
            continue;
        }
        const account = r.accountId ?? "default";
        const seen = byAccount.get(account) ?? { firstDeploy: ZERO, noChangeUp: ZERO };
        const policies = r.type === "aws:iam/role:Role" ? (inline.get(`${r.accountId}/${String(r.inputs.name)}`) ?? 0) : 0;
        byAccount.set(account, {
            firstDeploy: add(add(seen.firstDeploy, row.create), { iam: policies }),
            noChangeUp: add(add(seen.noChangeUp, row.read), { iam: policies }),
        });
    }
    const total = (pick: "firstDeploy" | "noChangeUp") => [...byAccount.values()].reduce((sum, c) => add(sum, c[pick]), configure[pick]);
    return {
        firstDeploy: total("firstDeploy"),
        noChangeUp: total("noChangeUp"),
        byAccount,
        unmodelled: [...unmodelled].sort(),
        processes: processes.processes,
    };
}

/**
 * A stack's wall time at the assumed rates: the engine runs independent operations
 * in parallel (`pulumi up --parallel` is unbounded by default), so the busiest
 * account's calls at its rate bound the stack, after the providers' configure calls.
 * Those are all made with the deploy identity's credentials, so they count against
 * one account's STS rate, one after another.
 */
export function stackSeconds(calls: StackCalls, pick: "firstDeploy" | "noChangeUp"): number {
    const seconds = (c: Calls) =>
        (Object.keys(ASSUMED_RATE_PER_ACCOUNT) as Service[]).reduce((s, k) => s + c[k] / ASSUMED_RATE_PER_ACCOUNT[k], 0);
    const busiest = Math.max(0, ...[...calls.byAccount.values()].map((c) => seconds(c[pick])));
    return seconds(add(ZERO, PROVIDER_CONFIGURE, calls.processes)) + busiest;
}

/**
 * A deploy's wall time: stacks of a stage run at most `maxParallel` at once
 * (.github/workflows/deploy-stacks.yml), stages one after another; each batch lasts
 * as long as its slowest stack.
 */
export function deploySeconds(stages: readonly (readonly number[])[], maxParallel: number): number {
    return stages.reduce((total, stage) => {
        const sorted = [...stage].sort((a, b) => b - a);
        let sum = 0;
        for (let i = 0; i < sorted.length; i += maxParallel) sum += sorted[i];
        return total + sum;
    }, 0);
}

export const sumCalls = (list: readonly Calls[]): Calls => list.reduce((a, b) => add(a, b), ZERO);

/** Only the accounts in `accounts` (a shard's), with the configure calls of `processes` provider processes. */
export function callsOfAccounts(calls: StackCalls, accounts: ReadonlySet<string>, processes: number): StackCalls {
    const byAccount = new Map([...calls.byAccount].filter(([id]) => accounts.has(id)));
    const total = (pick: "firstDeploy" | "noChangeUp") =>
        [...byAccount.values()].reduce((sum, c) => add(sum, c[pick]), add(ZERO, PROVIDER_CONFIGURE, processes));
    return { firstDeploy: total("firstDeploy"), noChangeUp: total("noChangeUp"), byAccount, unmodelled: calls.unmodelled, processes };
}
