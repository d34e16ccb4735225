/**
 * What AWS accepts only after something else exists, as data, and the deploy
 * order across stacks that follows from it. Each row says which planned
 * resources need what, where AWS says so, and what a missing prerequisite
 * means. Within one stack the program orders such pairs itself (inputs and
 * `dependsOn`); across stacks the organization plan orders the stacks.
 */
import { statementsOf, valuesOf } from "../iam/documents";
import { PlannedResource } from "./plan";
import { custom, doc, entityOf, entityOfArn, keyOf, StackResources, stackSetRequests, str, T } from "./planned-entities";
import { iamArn } from "../iam/arns";
import { partitionOfRegion } from "../config/partition";

/** Something one resource needs to exist before AWS accepts it, named by key (`account/kind/name`). */
export interface Requirement {
    readonly key: string;
    /** How the message names it, e.g. the ARN. */
    readonly shown: string;
}

/** What to say when no stack creates a requirement. */
export type WhenMissing =
    /** A problem, unless `organization.externalPrincipals` declares the ARN (principals and groups made outside every stack). */
    | "problem-unless-external"
    /** Always a problem: the program makes it whenever config asks for what needs it. */
    | "problem"
    /** Nothing to say: it commonly exists outside every stack (a customer managed policy made by hand). */
    | "assumed";

export interface DeployDependency {
    /** A stable id, used in the deploy order's reasons. */
    readonly id: string;
    /** What AWS refuses, in words. */
    readonly rule: string;
    /** Where AWS says so. */
    readonly source: string;
    /** The prerequisites of one planned resource; empty when the row does not apply to it. */
    readonly requires: (r: PlannedResource, stack: StackResources) => Requirement[];
    readonly whenMissing: WhenMissing;
}

/** What a planned resource makes exist that a row may require: IAM entities, delegated-administrator registrations. */
export function provides(r: PlannedResource): string[] {
    const entity = entityOf(r);
    if (entity) return [entity];
    if (r.type === T.delegatedAdministrator) return [delegatedAdminKey(str(r.inputs.accountId), str(r.inputs.servicePrincipal))];
    return [];
}

export const delegatedAdminKey = (accountId: string, servicePrincipal: string) => `${accountId}/delegated-admin/${servicePrincipal}`;

const IDENTITY_CENTER = "sso.amazonaws.com";
const STACKSETS = "member.org.stacksets.cloudformation.amazonaws.com";

/** Exact role and user ARNs a trust names: as `Principal`, or in an `aws:PrincipalArn` condition without wildcards. */
export function namedPrincipals(trust: object): { asPrincipal: string[]; asCondition: string[] } {
    const asPrincipal: string[] = [];
    const asCondition: string[] = [];
    const exact = (p: string) => /:(role|user)\//.test(p) && entityOfArn(p) !== undefined && !/[*?]/.test(p);
    for (const s of statementsOf(trust)) {
        const principal = s.Principal;
        if (typeof principal === "object" && principal !== null) {
            asPrincipal.push(...valuesOf((principal as { AWS?: unknown }).AWS).filter(exact));
        }
        for (const byKey of Object.values(s.Condition ?? {})) {
            for (const [key, value] of Object.entries(byKey)) {
                if (key.toLowerCase() === "aws:principalarn") {
                    asCondition.push(...valuesOf(value).filter(exact));
                }
            }
        }
    }
    return { asPrincipal, asCondition };
}

const byArn = (arn: string): Requirement[] => {
    const key = entityOfArn(arn);
    return key ? [{ key, shown: arn }] : [];
};
/** An entity's ARN as messages show it, in the partition of its provider's region. */
const shownArn = (r: PlannedResource, resource: string): string =>
    iamArn(r.region ? partitionOfRegion(r.region) : "aws", `${r.accountId}`, resource);
const named = (r: PlannedResource, kind: "role" | "user" | "group", ...fields: string[]): Requirement[] => {
    const name = fields.map((f) => str(r.inputs[f])).find((v) => v !== "");
    return name ? [{ key: `${r.accountId}/${kind}/${name.toLowerCase()}`, shown: shownArn(r, `${kind}/${name}`) }] : [];
};
const ofTypes =
    (types: readonly string[], f: (r: PlannedResource, stack: StackResources) => Requirement[]) =>
    (r: PlannedResource, stack: StackResources) => (types.includes(r.type) ? f(r, stack) : []);

/** The table. Each row has a test in tests/deploy-dependencies.test.ts. */
export const DEPLOY_DEPENDENCIES: readonly DeployDependency[] = [
    {
        id: "principal-arn",
        rule: "a trust policy naming a role or user ARN as its Principal is accepted only once that principal exists (IAM stores its unique id; otherwise MalformedPolicyDocument: Invalid principal in policy)",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
        requires: ofTypes([T.role], (r) => namedPrincipals(doc(r.inputs.assumeRolePolicy)).asPrincipal.flatMap(byArn)),
        whenMissing: "problem-unless-external",
    },
    {
        id: "group-policy",
        rule: "a group's inline policies, managed policy attachments and memberships are accepted only once the group exists (NoSuchEntity)",
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutGroupPolicy.html",
        requires: ofTypes(
            [
                T.groupPolicy,
                T.groupAttachment,
                "aws:iam/groupPoliciesExclusive:GroupPoliciesExclusive",
                "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
                "aws:iam/groupMembership:GroupMembership",
            ],
            (r) => named(r, "group", "group", "groupName"),
        ),
        whenMissing: "problem-unless-external",
    },
    {
        id: "user-group-membership",
        rule: "adding a user to groups is accepted only once the user and every group exist (NoSuchEntity)",
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddUserToGroup.html",
        requires: ofTypes(["aws:iam/userGroupMembership:UserGroupMembership"], (r) => [
            ...named(r, "user", "user"),
            ...(Array.isArray(r.inputs.groups) ? (r.inputs.groups as unknown[]) : []).flatMap((g) =>
                str(g) ? [{ key: `${r.accountId}/group/${str(g).toLowerCase()}`, shown: shownArn(r, `group/${str(g)}`) }] : [],
            ),
        ]),
        whenMissing: "problem-unless-external",
    },
    {
        id: "role-policy",
        rule: "a role's inline policies and managed policy attachments are accepted only once the role exists (NoSuchEntity)",
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html",
        requires: ofTypes(
            [
                T.rolePolicy,
                T.roleAttachment,
                "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
                "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
            ],
            (r) => named(r, "role", "role", "roleName"),
        ),
        whenMissing: "problem-unless-external",
    },
    {
        id: "user-policy",
        rule: "a user's inline policies, managed policy attachments, login profile and access keys are accepted only once the user exists (NoSuchEntity)",
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html",
        requires: ofTypes(
            [
                T.userPolicy,
                T.userAttachment,
                "aws:iam/userPoliciesExclusive:UserPoliciesExclusive",
                "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
                "aws:iam/userLoginProfile:UserLoginProfile",
                "aws:iam/accessKey:AccessKey",
            ],
            (r) => named(r, "user", "user", "userName"),
        ),
        whenMissing: "problem-unless-external",
    },
    {
        id: "policy-attachment",
        rule: "attaching a customer managed policy is accepted only once the policy exists (NoSuchEntity); AWS managed policies always exist",
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html",
        requires: ofTypes([T.roleAttachment, T.groupAttachment, T.userAttachment], (r) => byArn(str(r.inputs.policyArn))),
        whenMissing: "assumed",
    },
    {
        id: "identity-center-delegated-admin",
        rule: "Identity Center resources (permission sets, their policies, account assignments) in a member account are accepted only once the management account has registered that account as Identity Center's delegated administrator",
        source: "https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin-how-to-register.html",
        requires: (r, stack) =>
            (r.type.startsWith("aws:ssoadmin/") || r.type.startsWith("aws:identitystore/")) &&
            r.accountId !== undefined &&
            stack.managementAccountId !== undefined &&
            r.accountId !== stack.managementAccountId
                ? [
                      {
                          key: delegatedAdminKey(r.accountId, IDENTITY_CENTER),
                          shown: `account ${r.accountId} as delegated administrator of ${IDENTITY_CENTER}`,
                      },
                  ]
                : [],
        whenMissing: "problem",
    },
    {
        id: "stackset-delegated-admin",
        rule: "a service-managed stack set (a StackSet and its instances, or an AWS::CloudFormation::StackSet in a stack's template) created from a member account with CallAs DELEGATED_ADMIN is accepted only once the management account has registered that account as StackSets' delegated administrator",
        source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html",
        requires: (r) =>
            r.accountId !== undefined && stackSetRequests(r).some((s) => s.callAs === "DELEGATED_ADMIN")
                ? [
                      {
                          key: delegatedAdminKey(r.accountId, STACKSETS),
                          shown: `account ${r.accountId} as delegated administrator of ${STACKSETS}`,
                      },
                  ]
                : [],
        whenMissing: "problem",
    },
    {
        id: "provider-role",
        rule: "a resource is deployed through its provider's session, which AssumeRole opens only once the role the provider assumes exists: the management account's deploy role before the stacks that hold the stack sets (the deploy identity's, and those of `memberRoleDelivery: stacksets`), a member account's before its roles; a role no stack creates (the organization's own OrganizationAccountAccessRole) is assumed to exist",
        source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
        requires: (r) => providerRoleArns(r).flatMap(byArn),
        whenMissing: "assumed",
    },
];

/** The roles a resource's provider assumes (`assumeRoles`, which @pulumi/aws registers as JSON text). */
function providerRoleArns(r: PlannedResource): string[] {
    const raw = r.provider?.inputs.assumeRoles;
    let roles: unknown = raw;
    if (typeof raw === "string") {
        try {
            roles = JSON.parse(raw);
        } catch {
            return [];
        }
    }
    return (Array.isArray(roles) ? roles : [])
        .map((x) => (typeof x === "object" && x !== null ? str((x as { roleArn?: unknown }).roleArn) : ""))
        .filter((arn) => arn !== "");
}

/** One thing that would fail or misbehave, named by stack, config key and value. */
export interface Problem {
    readonly stack: string;
    readonly key: string;
    readonly message: string;
}

/** An edge of the deploy order: `stack` must deploy after `after`, because of `why`. */
export interface Dependency {
    readonly stack: string;
    readonly after: string;
    readonly why: string;
}

/**
 * The deploy order's edges from the table, and what no stack creates. Besides the
 * table, a principal named in an `aws:PrincipalArn` condition imposes no order
 * (IAM accepts it before it exists), but one no stack creates and config does not
 * declare is most often a typo, so it is a problem too.
 */
export function deployDependencies(
    stacks: readonly StackResources[],
    table: readonly DeployDependency[] = DEPLOY_DEPENDENCIES,
): { problems: Problem[]; dependencies: Dependency[] } {
    const creator = new Map<string, string>();
    for (const stack of stacks) {
        for (const r of custom(stack)) {
            for (const key of provides(r)) if (!creator.has(key)) creator.set(key, stack.stack);
        }
    }
    const problems: Problem[] = [];
    const dependencies: Dependency[] = [];
    for (const stack of stacks) {
        const external = new Set(stack.externalPrincipals.map((a) => entityOfArn(a)).filter((e): e is string => e !== undefined));
        const seen = new Set<string>();
        const missing = (r: PlannedResource, message: string) => {
            const problem = { stack: stack.stack, key: keyOf(r), message };
            const id = JSON.stringify(problem);
            if (!seen.has(id)) problems.push(problem);
            seen.add(id);
        };
        for (const r of custom(stack)) {
            for (const row of table) {
                for (const need of row.requires(r, stack)) {
                    const by = creator.get(need.key);
                    if (by !== undefined) {
                        if (by !== stack.stack)
                            dependencies.push({ stack: stack.stack, after: by, why: `${row.id}: ${r.name} needs ${need.shown}` });
                    } else if (
                        row.whenMissing === "problem" ||
                        (row.whenMissing === "problem-unless-external" && !external.has(need.key))
                    ) {
                        missing(
                            r,
                            `${r.name} needs ${need.shown}, which no stack creates${
                                row.whenMissing === "problem-unless-external"
                                    ? " and org-access:organization.externalPrincipals does not declare"
                                    : ""
                            } (${row.id}: ${row.source})`,
                        );
                    }
                }
            }
            if (r.type === T.role) {
                for (const arn of namedPrincipals(doc(r.inputs.assumeRolePolicy)).asCondition) {
                    const key = entityOfArn(arn) as string;
                    if (!creator.has(key) && !external.has(key)) {
                        missing(
                            r,
                            `role ${str(r.inputs.name)} admits ${JSON.stringify(arn)}, which no stack creates and org-access:organization.externalPrincipals does not declare`,
                        );
                    }
                }
            }
        }
    }
    return { problems, dependencies };
}

/** Stacks in an order in which every dependency deploys first; ties by name. A cycle is a problem for each stack in it. */
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
                message: `stacks depend on each other in a cycle (${cycle}): ${[
                    ...new Set(
                        dependencies
                            .filter((d) => d.stack === stack && remaining.includes(d.after))
                            .map((d) => `after ${d.after}: ${d.why}`),
                    ),
                ].join("; ")}`,
            }));
            return { order: [...order, ...remaining], problems };
        }
        order.push(next);
        done.add(next);
        remaining.splice(remaining.indexOf(next), 1);
    }
    return { order, problems: [] };
}
