/**
 * What a plan's stack sets will deploy, as planned resources in the accounts they reach: the organization
 * plan's view of member roles under `org-access:memberRoleDelivery: stacksets`, and of the deploy identity's
 * `OrgAccessDeploy`. The program registers each stack set as an `aws.cloudformation.Stack` whose template holds
 * one `AWS::CloudFormation::StackSet` (model/stack-set-template.ts). Read from the planned stacks as
 * CloudFormation would act on them: each stack set's `StackInstancesGroup` targets (OUs, and the accounts a
 * `DIFFERENCE` filter leaves out) give the accounts, from config's accounts and OUs; its `TemplateBody`, read
 * and resolved for each account by the pack's own reader (policy-pack/templates.ts), gives the roles and their
 * policies. Reach, quotas, double ownership, the IAM view and the organization checks then see those roles
 * where they will be, as if registered there.
 */
import { inOrganizationalUnit, Organization } from "../config/organization";
import { isRecord } from "../policy-pack/documents";
import { NestedDeployment, templateResources } from "../policy-pack/templates";
import { PlannedResource } from "./plan";
import { declaredStackSets, doc, keyOf, str, T } from "./planned-entities";
import { Problem } from "./deploy-dependencies";
import { STACK_SET_QUOTAS } from "../config/cloudformation-quotas";

/** One stack set of a plan, the planned stack that holds it, and where it deploys. */
export interface PlannedStackSet {
    /** The planned `aws.cloudformation.Stack` whose template holds the stack set. */
    readonly stack: PlannedResource;
    /** `StackSetName`. */
    readonly name: string;
    /** The template (text or object) it deploys into each account. */
    readonly template: unknown;
    /** The region of its stack instances (the stack's own when the targets name none). */
    readonly region: string | undefined;
    /** Member account ids it reaches. */
    readonly accountIds: readonly string[];
}

const list = (value: unknown): string[] => {
    const parsed = typeof value === "string" && value.startsWith("[") ? (JSON.parse(value) as unknown) : value;
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
};

/**
 * The accounts a service-managed stack set's deployment targets reach, from config's accounts and OUs: every
 * member account in or under a targeted OU, or every one for the root (never the management account), less
 * those `DIFFERENCE` leaves out, or only those `INTERSECTION` keeps; `UNION` adds the accounts named
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html). Without OUs,
 * the accounts named are the targets.
 */
export function reachOfTargets(org: Organization, targets: unknown): string[] {
    const t = isRecord(targets) ? targets : {};
    const ids = list(t.OrganizationalUnitIds);
    const named = list(t.Accounts);
    if (ids.length === 0) {
        return named.filter((id) => org.members.some((a) => a.id === id));
    }
    // An organization has one root (`r-…`): targeting it reaches every member account.
    const root = ids.some((id) => id === org.rootId || id.startsWith("r-"));
    const paths = ids.map((id) => org.organizationalUnits.find((u) => u.id === id)?.path);
    const inOu = org.members.filter((a) => root || paths.some((p) => p !== undefined && inOrganizationalUnit(a.ou, p)));
    const accounts = new Set(named);
    const filter = str(t.AccountFilterType);
    const kept =
        filter === "DIFFERENCE"
            ? inOu.filter((a) => !accounts.has(a.id))
            : filter === "INTERSECTION"
              ? inOu.filter((a) => accounts.has(a.id))
              : filter === "UNION"
                ? org.members.filter((a) => inOu.includes(a) || accounts.has(a.id))
                : inOu;
    return kept.map((a) => a.id);
}

/** The plan's stack sets: every `AWS::CloudFormation::StackSet` in the template of a planned stack, with its reach. */
export function plannedStackSets(org: Organization, resources: readonly PlannedResource[]): PlannedStackSet[] {
    return resources.flatMap((stack) =>
        declaredStackSets(stack).map((set): PlannedStackSet => {
            const reached = new Set(set.groups.flatMap((g) => reachOfTargets(org, g.DeploymentTargets)));
            const regions = set.groups.flatMap((g) => list(g.Regions));
            return {
                stack,
                name: set.name,
                template: set.template,
                region: regions[0] ?? stack.region,
                accountIds: org.members.filter((a) => reached.has(a.id)).map((a) => a.id),
            };
        }),
    );
}

/**
 * The template a stack set deploys, read for each account it reaches. A template that never names
 * `AWS::AccountId` resolves alike in every account, so it is read once.
 */
function readerFor(set: PlannedStackSet): (accountId: string) => NestedDeployment {
    const text = typeof set.template === "string" ? set.template : JSON.stringify(set.template ?? null);
    if (!text.includes("AWS::AccountId")) {
        const once = templateResources(set.template, { region: set.region });
        return () => once;
    }
    return (accountId) => templateResources(set.template, { accountId, region: set.region });
}

/**
 * The IAM roles, inline policies and managed-policy attachments each stack set deploys, one set per
 * account it reaches, as planned resources of the types the cross-stack checks read. Their `urn` names
 * the stack that holds the stack set, the account and the template resource; they are protected as
 * that stack is.
 */
export function deliveredResources(stackSets: readonly PlannedStackSet[]): PlannedResource[] {
    const delivered: PlannedResource[] = [];
    for (const set of stackSets) {
        const { stack } = set;
        const read = readerFor(set);
        for (const accountId of set.accountIds) {
            const template = read(accountId);
            if (!template.known) continue;
            for (const role of template.resources.filter((r) => r.cfnType === "AWS::IAM::Role")) {
                const p = role.properties;
                const name = str(p.RoleName);
                const key = `${stack.name}/${accountId}/${role.logicalId}`;
                const at = (type: string, suffix: string, inputs: Record<string, unknown>): PlannedResource => ({
                    urn: `${stack.urn}$delivered::${key}${suffix}`,
                    type,
                    name: `${key}${suffix}`,
                    accountId,
                    region: set.region,
                    inputs,
                    custom: true,
                    protect: stack.protect,
                    deleteBeforeReplace: false,
                    explicitProvider: true,
                });
                delivered.push(
                    at(T.role, "", {
                        name,
                        ...(p.Path !== undefined ? { path: p.Path } : {}),
                        description: p.Description,
                        assumeRolePolicy: JSON.stringify(doc(p.AssumeRolePolicyDocument)),
                        maxSessionDuration: p.MaxSessionDuration,
                        ...(p.PermissionsBoundary !== undefined ? { permissionsBoundary: p.PermissionsBoundary } : {}),
                    }),
                );
                for (const policy of Array.isArray(p.Policies) ? (p.Policies as Record<string, unknown>[]) : []) {
                    const policyName = str(policy.PolicyName);
                    delivered.push(
                        at(T.rolePolicy, `-${policyName}`, {
                            role: name,
                            name: policyName,
                            policy: JSON.stringify(doc(policy.PolicyDocument)),
                        }),
                    );
                }
                for (const policyArn of list(p.ManagedPolicyArns)) {
                    delivered.push(at(T.roleAttachment, `-${policyArn}`, { role: name, policyArn }));
                }
            }
        }
    }
    return delivered;
}

/**
 * Stack sets whose targets reach more accounts than CloudFormation's stack instances per stack set
 * (config/cloudformation-quotas.ts). Member roles' stack sets are split within it by config; the deploy
 * identity's targets every account of its OUs in one stack set, so an organization past the quota must
 * narrow those OUs (and deploy the rest of its accounts' OrgAccessDeploy otherwise) or have the quota raised.
 */
export function stackInstanceProblems(stack: string, stackSets: readonly PlannedStackSet[]): Problem[] {
    const limit = STACK_SET_QUOTAS.instancesPerStackSet;
    return stackSets
        .filter((set) => set.accountIds.length > limit.value)
        .map((set) => ({
            stack,
            key: set.stack.name.startsWith("deploy-identity") ? "org-access:deployIdentity.organizationalUnitIds" : keyOf(set.stack),
            message: `stack set ${set.name} reaches ${set.accountIds.length} accounts, more than CloudFormation's ${limit.value} ${limit.what} (${limit.source}): target fewer organizational units with it, or have the quota raised through Service Quotas`,
        }));
}
