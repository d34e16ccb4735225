/**
 * What AWS would refuse, or what would misbehave, when several stacks deploy
 * into one organization: rules no single-stack plan sees. Pure functions over
 * the stacks' planned resources; `offline/organization-plan.ts` runs them.
 */
import { STACK_SET_QUOTAS } from "../config/cloudformation-quotas";
import { policySize } from "../iam/documents";
import { Problem } from "./deploy-dependencies";
import { PlannedResource } from "./plan";
import { custom, declaredStackSets, doc, entityOf, keyOf, StackResources, str, T } from "./planned-entities";

/**
 * IAM quotas, in characters other than white space
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length),
 * Identity Center's for permission sets, per instance and per account
 * (https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html: 2000 permission sets in an instance,
 * 250 provisioned to one account, the defaults there), and CloudFormation's for the stack sets of
 * `memberRoleDelivery: stacksets` (config/cloudformation-quotas.ts).
 */
export interface Quotas {
    readonly trustPolicy: number;
    readonly roleInline: number;
    readonly groupInline: number;
    readonly userInline: number;
    readonly managedPolicy: number;
    readonly managedPerRole: number;
    readonly managedPerGroup: number;
    readonly managedPerUser: number;
    readonly permissionSetInline: number;
    readonly managedPerPermissionSet: number;
    readonly permissionSetsPerInstance: number;
    readonly permissionSetsPerAccount: number;
    readonly stackSetsPerAdministrator: number;
    readonly stackSetTemplateBytes: number;
    readonly stacksPerAccount: number;
}

export const DEFAULT_QUOTAS: Quotas = {
    trustPolicy: 2048,
    roleInline: 10240,
    groupInline: 5120,
    userInline: 2048,
    managedPolicy: 6144,
    managedPerRole: 10,
    managedPerGroup: 10,
    managedPerUser: 10,
    permissionSetInline: 10240,
    managedPerPermissionSet: 20,
    permissionSetsPerInstance: 2000,
    permissionSetsPerAccount: 250,
    stackSetsPerAdministrator: STACK_SET_QUOTAS.stackSetsPerAdministrator.value,
    stackSetTemplateBytes: STACK_SET_QUOTAS.templateBodyBytes.value,
    stacksPerAccount: STACK_SET_QUOTAS.stacksPerAccount.value,
};

const size = (value: unknown): number => policySize(doc(value) as never);

/** Two stacks (or one, twice) create the same IAM entity: the second `up` fails with EntityAlreadyExists, or they fight. */
export function doubleOwnership(stacks: readonly StackResources[]): Problem[] {
    const owner = new Map<string, string>();
    const problems: Problem[] = [];
    for (const stack of stacks) {
        for (const r of custom(stack)) {
            const entity = entityOf(r);
            if (!entity) continue;
            const first = owner.get(entity);
            if (first !== undefined) {
                problems.push({
                    stack: stack.stack,
                    key: keyOf(r),
                    message: `${entity} is created by stack ${first} as well: every IAM entity must have one owner (narrow org-access:deploy)`,
                });
            } else {
                owner.set(entity, stack.stack);
            }
        }
    }
    return problems;
}

interface Exclusive {
    readonly exclusive: string;
    readonly entityField: string;
    readonly listField: string;
    readonly member: string;
    readonly memberEntity: string;
    readonly memberValue: string;
    readonly kind: "role" | "group" | "user";
}

const EXCLUSIVES: readonly Exclusive[] = [
    {
        exclusive: "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
        entityField: "roleName",
        listField: "policyNames",
        member: T.rolePolicy,
        memberEntity: "role",
        memberValue: "name",
        kind: "role",
    },
    {
        exclusive: "aws:iam/groupPoliciesExclusive:GroupPoliciesExclusive",
        entityField: "groupName",
        listField: "policyNames",
        member: T.groupPolicy,
        memberEntity: "group",
        memberValue: "name",
        kind: "group",
    },
    {
        exclusive: "aws:iam/userPoliciesExclusive:UserPoliciesExclusive",
        entityField: "userName",
        listField: "policyNames",
        member: T.userPolicy,
        memberEntity: "user",
        memberValue: "name",
        kind: "user",
    },
    {
        exclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
        entityField: "roleName",
        listField: "policyArns",
        member: T.roleAttachment,
        memberEntity: "role",
        memberValue: "policyArn",
        kind: "role",
    },
    {
        exclusive: "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
        entityField: "groupName",
        listField: "policyArns",
        member: T.groupAttachment,
        memberEntity: "group",
        memberValue: "policyArn",
        kind: "group",
    },
    {
        exclusive: "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
        entityField: "userName",
        listField: "policyArns",
        member: T.userAttachment,
        memberEntity: "user",
        memberValue: "policyArn",
        kind: "user",
    },
];

/** An `*Exclusive` resource removes, on every `up`, what another stack (or its own) attaches to the same entity. */
export function exclusiveConflicts(stacks: readonly StackResources[]): Problem[] {
    const problems: Problem[] = [];
    for (const rule of EXCLUSIVES) {
        const kept = new Map<string, { stack: string; names: Set<string> }>();
        for (const stack of stacks) {
            for (const r of custom(stack).filter((x) => x.type === rule.exclusive)) {
                const list = Array.isArray(r.inputs[rule.listField]) ? (r.inputs[rule.listField] as unknown[]).map(str) : [];
                kept.set(`${r.accountId}/${rule.kind}/${str(r.inputs[rule.entityField]).toLowerCase()}`, {
                    stack: stack.stack,
                    names: new Set(list),
                });
            }
        }
        for (const stack of stacks) {
            for (const r of custom(stack).filter((x) => x.type === rule.member)) {
                const entity = `${r.accountId}/${rule.kind}/${str(r.inputs[rule.memberEntity]).toLowerCase()}`;
                const exclusive = kept.get(entity);
                const value = str(r.inputs[rule.memberValue]);
                if (exclusive && !exclusive.names.has(value)) {
                    problems.push({
                        stack: stack.stack,
                        key: keyOf(r),
                        message: `attaches ${JSON.stringify(value)} to ${entity}, which stack ${exclusive.stack} keeps exclusive: its next up removes it (attach it from the stack that owns ${entity})`,
                    });
                }
            }
        }
    }
    return problems;
}

/** What a quota counts, for one entity. */
export type QuotaMeasure =
    | "trust policy characters"
    | "inline policy characters"
    | "managed policy characters"
    | "managed policies attached"
    | "permission sets"
    | "provisioned permission sets"
    | "stack sets"
    | "stacks"
    | "template body bytes";

/** One entity's total against one quota, summed across stacks; `stack` and `resource` are where it was first seen. */
export interface QuotaTotal {
    readonly stack: string;
    readonly resource: PlannedResource;
    /** `account/role/name`, `account/group/name`, `account/user/name`, `account/policy/name` or `permission set <name>`. */
    readonly entity: string;
    readonly measure: QuotaMeasure;
    readonly limit: number;
    readonly total: number;
}

/** Which resources count toward which quota of which entity. `setOf` names a permission set resource's set. */
interface QuotaRule {
    readonly type: string;
    readonly entity: (r: PlannedResource, setOf: (r: PlannedResource) => string) => string;
    readonly measure: QuotaMeasure;
    readonly limit: keyof Quotas;
    readonly amount: (r: PlannedResource) => number;
    /** Counts each distinct value once per entity (a permission set assigned to one account through several groups). */
    readonly distinct?: (r: PlannedResource, setOf: (r: PlannedResource) => string) => string;
}

const one = () => 1;
const iamEntity = (kind: string, field: string) => (r: PlannedResource) => `${r.accountId}/${kind}/${str(r.inputs[field])}`;
const permissionSet = (r: PlannedResource, setOf: (r: PlannedResource) => string) => `permission set ${setOf(r)}`;

const QUOTA_RULES: readonly QuotaRule[] = [
    {
        type: T.role,
        entity: iamEntity("role", "name"),
        measure: "trust policy characters",
        limit: "trustPolicy",
        amount: (r) => size(r.inputs.assumeRolePolicy),
    },
    {
        type: T.rolePolicy,
        entity: iamEntity("role", "role"),
        measure: "inline policy characters",
        limit: "roleInline",
        amount: (r) => size(r.inputs.policy),
    },
    {
        type: T.groupPolicy,
        entity: iamEntity("group", "group"),
        measure: "inline policy characters",
        limit: "groupInline",
        amount: (r) => size(r.inputs.policy),
    },
    {
        type: T.userPolicy,
        entity: iamEntity("user", "user"),
        measure: "inline policy characters",
        limit: "userInline",
        amount: (r) => size(r.inputs.policy),
    },
    {
        type: T.policy,
        entity: iamEntity("policy", "name"),
        measure: "managed policy characters",
        limit: "managedPolicy",
        amount: (r) => size(r.inputs.policy),
    },
    {
        type: T.roleAttachment,
        entity: iamEntity("role", "role"),
        measure: "managed policies attached",
        limit: "managedPerRole",
        amount: one,
    },
    {
        type: T.groupAttachment,
        entity: iamEntity("group", "group"),
        measure: "managed policies attached",
        limit: "managedPerGroup",
        amount: one,
    },
    {
        type: T.userAttachment,
        entity: iamEntity("user", "user"),
        measure: "managed policies attached",
        limit: "managedPerUser",
        amount: one,
    },
    {
        type: T.permissionSetInline,
        entity: permissionSet,
        measure: "inline policy characters",
        limit: "permissionSetInline",
        amount: (r) => size(r.inputs.inlinePolicy),
    },
    {
        type: T.permissionSetManaged,
        entity: permissionSet,
        measure: "managed policies attached",
        limit: "managedPerPermissionSet",
        amount: one,
    },
    {
        type: T.permissionSet,
        entity: (r) => `Identity Center instance ${str(r.inputs.instanceArn)}`,
        measure: "permission sets",
        limit: "permissionSetsPerInstance",
        amount: one,
    },
    {
        type: T.accountAssignment,
        entity: (r) => `account ${str(r.inputs.targetId)} in Identity Center instance ${str(r.inputs.instanceArn)}`,
        measure: "provisioned permission sets",
        limit: "permissionSetsPerAccount",
        amount: one,
        distinct: (r, setOf) => setOf(r),
    },
    // Stack sets are declared in the templates of the management account's stacks (offline/stack-set-delivery.ts).
    {
        type: T.stack,
        entity: (r) => `administrator account ${r.accountId}`,
        measure: "stack sets",
        limit: "stackSetsPerAdministrator",
        amount: (r) => declaredStackSets(r).length,
    },
    {
        type: T.stack,
        entity: (r) => `account ${r.accountId} in ${r.region ?? "its provider's region"}`,
        measure: "stacks",
        limit: "stacksPerAccount",
        amount: one,
    },
    {
        type: T.stack,
        entity: (r) => `stack ${str(r.inputs.name)}`,
        measure: "template body bytes",
        limit: "stackSetTemplateBytes",
        amount: (r) => Buffer.byteLength(str(r.inputs.templateBody), "utf8"),
    },
    {
        type: T.stack,
        entity: (r) => `stack set ${declaredStackSets(r)[0]?.name ?? str(r.inputs.name)}`,
        measure: "template body bytes",
        limit: "stackSetTemplateBytes",
        // The largest template a stack set of the stack carries (the program's stacks hold one each).
        amount: (r) =>
            Math.max(
                0,
                ...declaredStackSets(r).map((s) =>
                    Buffer.byteLength(typeof s.template === "string" ? s.template : JSON.stringify(s.template), "utf8"),
                ),
            ),
    },
];

/** Every IAM and Identity Center size and count quota, per entity, summed across stacks. */
export function quotaTotals(stacks: readonly StackResources[], quotas: Quotas = DEFAULT_QUOTAS): QuotaTotal[] {
    const rules = new Map<string, QuotaRule[]>();
    QUOTA_RULES.forEach((rule) => rules.set(rule.type, [...(rules.get(rule.type) ?? []), rule]));
    const totals = new Map<string, QuotaTotal>();
    const counted = new Set<string>();
    for (const stack of stacks) {
        // Attachments are named after their permission set: `<set resource name>-<policy key>`.
        const sets = custom(stack)
            .filter((x) => x.type === T.permissionSet)
            .map((x) => x.name)
            .sort((a, b) => b.length - a.length);
        const setOf = (r: PlannedResource) => sets.find((name) => r.name.startsWith(`${name}-`)) ?? r.name;
        for (const r of custom(stack)) {
            for (const rule of rules.get(r.type) ?? []) {
                const entity = rule.entity(r, setOf);
                const key = `${entity}#${rule.measure}`;
                if (rule.distinct) {
                    const value = `${key}#${rule.distinct(r, setOf)}`;
                    if (counted.has(value)) continue;
                    counted.add(value);
                }
                const seen = totals.get(key);
                const first = seen ?? {
                    stack: stack.stack,
                    resource: r,
                    entity,
                    measure: rule.measure,
                    limit: quotas[rule.limit],
                    total: 0,
                };
                totals.set(key, { ...first, total: first.total + rule.amount(r) });
            }
        }
    }
    return [...totals.values()];
}

/** The totals over their quota. */
export function quotaProblems(stacks: readonly StackResources[], quotas: Quotas = DEFAULT_QUOTAS): Problem[] {
    return quotaTotals(stacks, quotas)
        .filter((t) => t.total > t.limit)
        .map((t) => ({
            stack: t.stack,
            key: keyOf(t.resource),
            message: `${t.measure} of ${t.entity}: ${t.total}, over AWS's quota of ${t.limit}`,
        }));
}
