/**
 * What AWS would refuse, or what would misbehave, when several stacks deploy
 * into one organization: rules no single-stack plan sees. Pure functions over
 * the stacks' planned resources; `offline/organization-plan.ts` runs them.
 */
import { policySize, statementsOf, valuesOf } from "../iam/documents";
import { PlannedResource } from "./plan";

/** One thing that would fail or misbehave, named by stack, config key and value. */
export interface Problem {
    readonly stack: string;
    readonly key: string;
    readonly message: string;
}

/** The stacks of one organization, as planned, each with what it may name without creating. */
export interface StackResources {
    readonly stack: string;
    readonly resources: readonly PlannedResource[];
    /** `organization.externalPrincipals`: ARNs the user vouches exist outside every stack. */
    readonly externalPrincipals: readonly string[];
}

/**
 * IAM quotas, in characters other than white space
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length),
 * and Identity Center's for permission sets
 * (https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html).
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
};

const T = {
    role: "aws:iam/role:Role",
    user: "aws:iam/user:User",
    group: "aws:iam/group:Group",
    policy: "aws:iam/policy:Policy",
    oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    saml: "aws:iam/samlProvider:SamlProvider",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    userPolicy: "aws:iam/userPolicy:UserPolicy",
    roleAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    groupAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    userAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    permissionSet: "aws:ssoadmin/permissionSet:PermissionSet",
    permissionSetInline: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
    permissionSetManaged: "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
} as const;

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const doc = (value: unknown): object => (typeof value === "string" ? (JSON.parse(value) as object) : ((value ?? {}) as object));
const size = (value: unknown): number => policySize(doc(value) as never);

/** A stack's resources that IAM holds: custom resources only. */
function custom(stack: StackResources): PlannedResource[] {
    return stack.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
}

/** The config key a resource of ours comes from, by its component's stable name. */
function keyOf(resource: PlannedResource): string {
    if (resource.name.startsWith("customer-access")) return "org-access:customerAccess";
    if (resource.name.startsWith("management-preview")) return "org-access:managementPreviewRole";
    if (resource.name.startsWith("access-role-")) return "org-access:roles";
    if (resource.name.startsWith("access-team-")) return "org-access:teams";
    if (resource.name.startsWith("access-identity-center")) return "org-access:identityCenter";
    if (resource.name.startsWith("access-identity")) return "org-access:identity";
    return "org-access:deploy";
}

/** `account/kind/name`: one IAM entity, whichever stack names it. IAM names ignore case. */
function entityOf(r: PlannedResource): string | undefined {
    const kind = { [T.role]: "role", [T.user]: "user", [T.group]: "group", [T.policy]: "policy" }[r.type as string];
    if (kind) return `${r.accountId}/${kind}/${str(r.inputs.name).toLowerCase()}`;
    if (r.type === T.oidc) return `${r.accountId}/oidc-provider/${str(r.inputs.url).replace(/^https:\/\//, "")}`;
    if (r.type === T.saml) return `${r.accountId}/saml-provider/${str(r.inputs.name)}`;
    return undefined;
}

/** IAM ARN → entity key, for roles, users and groups. */
function entityOfArn(arn: string): string | undefined {
    const m = /^arn:[\w-]+:iam::(\d{12}):(role|user|group)\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/.exec(arn);
    return m ? `${m[1]}/${m[2]}/${m[3].toLowerCase()}` : undefined;
}

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

/** Exact role and user ARNs a trust names: as `Principal`, or in an `aws:PrincipalArn` condition without wildcards. */
export function namedPrincipals(trust: object): { asPrincipal: string[]; asCondition: string[] } {
    const asPrincipal: string[] = [];
    const asCondition: string[] = [];
    for (const s of statementsOf(trust)) {
        const principal = s.Principal;
        if (typeof principal === "object" && principal !== null) {
            asPrincipal.push(
                ...valuesOf((principal as { AWS?: unknown }).AWS).filter((p) => entityOfArn(p) !== undefined && !/[*?]/.test(p)),
            );
        }
        for (const byKey of Object.values(s.Condition ?? {})) {
            for (const [key, value] of Object.entries(byKey)) {
                if (key.toLowerCase() === "aws:principalarn") {
                    asCondition.push(...valuesOf(value).filter((p) => entityOfArn(p) !== undefined && !/[*?]/.test(p)));
                }
            }
        }
    }
    return { asPrincipal, asCondition };
}

/** An edge of the deploy order: `stack` must deploy after `after`, because of `why`. */
export interface Dependency {
    readonly stack: string;
    readonly after: string;
    readonly why: string;
}

/**
 * Principals named by ARN that nobody creates, and the order they impose. IAM
 * rejects a trust whose `Principal` names a role or user that does not exist
 * (`MalformedPolicyDocument: Invalid principal`), so its creator must deploy
 * first. A name in an `aws:PrincipalArn` condition imposes no order, but a
 * principal no stack creates and config does not declare is most often a typo.
 * A group policy needs its group.
 */
export function principalsAndOrder(stacks: readonly StackResources[]): { problems: Problem[]; dependencies: Dependency[] } {
    const creator = new Map<string, string>();
    for (const stack of stacks) {
        for (const r of custom(stack)) {
            const entity = entityOf(r);
            if (entity && !creator.has(entity)) creator.set(entity, stack.stack);
        }
    }
    const problems: Problem[] = [];
    const dependencies: Dependency[] = [];
    for (const stack of stacks) {
        const external = new Set(stack.externalPrincipals.map((a) => entityOfArn(a)).filter((e): e is string => e !== undefined));
        const need = (r: PlannedResource, arn: string, ordered: boolean, what: string) => {
            const entity = entityOfArn(arn) as string;
            const by = creator.get(entity);
            if (by === undefined) {
                if (!external.has(entity)) {
                    problems.push({
                        stack: stack.stack,
                        key: keyOf(r),
                        message: `${what} ${JSON.stringify(arn)}, which no stack creates and org-access:organization.externalPrincipals does not declare`,
                    });
                }
            } else if (ordered && by !== stack.stack) {
                dependencies.push({ stack: stack.stack, after: by, why: `${what} ${arn}` });
            }
        };
        for (const r of custom(stack)) {
            if (r.type === T.role) {
                const { asPrincipal, asCondition } = namedPrincipals(doc(r.inputs.assumeRolePolicy));
                asPrincipal.forEach((arn) => need(r, arn, true, `role ${str(r.inputs.name)} trusts`));
                asCondition.forEach((arn) => need(r, arn, false, `role ${str(r.inputs.name)} admits`));
            }
            if (r.type === T.groupPolicy || r.type === T.groupAttachment) {
                const group = str(r.inputs.group);
                const arn = `arn:aws:iam::${r.accountId}:group/${group}`;
                need(r, arn, true, `a policy on group`);
            }
        }
    }
    return { problems, dependencies };
}

/** Stacks in an order in which every dependency deploys first; ties by name. A cycle is a problem. */
export function deployOrder(stackNames: readonly string[], dependencies: readonly Dependency[]): { order: string[]; problems: Problem[] } {
    const after = new Map(stackNames.map((s) => [s, new Set<string>()]));
    for (const d of dependencies) after.get(d.stack)?.add(d.after);
    const order: string[] = [];
    const done = new Set<string>();
    const remaining = [...stackNames].sort();
    while (remaining.length > 0) {
        const next = remaining.find((s) => [...(after.get(s) ?? [])].every((a) => done.has(a)));
        if (next === undefined) {
            const cycle = remaining.join(" -> ");
            const problems = remaining.map((stack) => ({
                stack,
                key: "org-access:deploy",
                message: `stacks depend on each other in a cycle (${cycle}): ${dependencies
                    .filter((d) => d.stack === stack && remaining.includes(d.after))
                    .map((d) => `after ${d.after}: ${d.why}`)
                    .join("; ")}`,
            }));
            return { order: [...order, ...remaining], problems };
        }
        order.push(next);
        done.add(next);
        remaining.splice(remaining.indexOf(next), 1);
    }
    return { order, problems: [] };
}

/** What a quota counts, for one entity. */
export type QuotaMeasure =
    "trust policy characters" | "inline policy characters" | "managed policy characters" | "managed policies attached";

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
];

/** Every IAM and Identity Center size and count quota, per entity, summed across stacks. */
export function quotaTotals(stacks: readonly StackResources[], quotas: Quotas = DEFAULT_QUOTAS): QuotaTotal[] {
    const rules = new Map(QUOTA_RULES.map((rule) => [rule.type, rule]));
    const totals = new Map<string, QuotaTotal>();
    for (const stack of stacks) {
        // Attachments are named after their permission set: `<set resource name>-<policy key>`.
        const sets = custom(stack)
            .filter((x) => x.type === T.permissionSet)
            .map((x) => x.name)
            .sort((a, b) => b.length - a.length);
        const setOf = (r: PlannedResource) => sets.find((name) => r.name.startsWith(`${name}-`)) ?? r.name;
        for (const r of custom(stack)) {
            const rule = rules.get(r.type);
            if (!rule) continue;
            const entity = rule.entity(r, setOf);
            const key = `${entity}#${rule.measure}`;
            const seen = totals.get(key);
            const first = seen ?? { stack: stack.stack, resource: r, entity, measure: rule.measure, limit: quotas[rule.limit], total: 0 };
            totals.set(key, { ...first, total: first.total + rule.amount(r) });
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
