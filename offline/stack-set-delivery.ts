/**
 * What a plan's stack sets will deploy, as planned resources in the accounts they reach: the organization
 * plan's view of member roles under `org-access:memberRoleDelivery: stacksets`. Read from the planned
 * resources as CloudFormation would act on them: each `StackSetInstance`'s organizational units (and the
 * accounts its `DIFFERENCE` filter leaves out) give the accounts, from config's accounts and OUs; its
 * `StackSet`'s template, read and resolved for each account by the pack's own reader
 * (policy-pack/templates.ts), gives the roles and their policies. Reach, quotas, double ownership, the IAM
 * view and the organization checks then see those roles where they will be, as if registered there.
 */
import { inOrganizationalUnit, Organization } from "../config/organization";
import { templateResources } from "../policy-pack/templates";
import { PlannedResource } from "./plan";
import { doc, str, T } from "./planned-entities";

export const STACK_SET = T.stackSet;
export const STACK_SET_INSTANCE = T.stackSetInstance;

/** One stack set of a plan and where it deploys. */
export interface PlannedStackSet {
    readonly stackSet: PlannedResource;
    readonly instance: PlannedResource;
    /** Member account ids it reaches. */
    readonly accountIds: readonly string[];
}

const list = (value: unknown): string[] => {
    const parsed = typeof value === "string" && value.startsWith("[") ? (JSON.parse(value) as unknown) : value;
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
};

/**
 * The accounts a service-managed stack set instance reaches, from config's accounts and OUs: every member
 * account in or under a targeted OU, or every one for the root (never the management account), less those `DIFFERENCE` leaves out, or
 * only those `INTERSECTION` keeps (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html).
 */
export function reachOfInstance(org: Organization, instance: PlannedResource): string[] {
    const targets = (typeof instance.inputs.deploymentTargets === "object" && instance.inputs.deploymentTargets) || {};
    const t = targets as Record<string, unknown>;
    const ids = list(t.organizationalUnitIds);
    // An organization has one root (`r-…`): targeting it reaches every member account.
    const root = ids.some((id) => id === org.rootId || id.startsWith("r-"));
    const paths = ids.map((id) => org.organizationalUnits.find((u) => u.id === id)?.path);
    const inOu = org.members.filter((a) => root || paths.some((p) => p !== undefined && inOrganizationalUnit(a.ou, p)));
    const accounts = new Set(list(t.accounts));
    const filter = str(t.accountFilterType);
    const kept =
        filter === "DIFFERENCE"
            ? inOu.filter((a) => !accounts.has(a.id))
            : filter === "INTERSECTION"
              ? inOu.filter((a) => accounts.has(a.id))
              : inOu;
    return kept.map((a) => a.id);
}

/** The plan's stack sets, each with its instance and reach. A stack set without an instance reaches nothing. */
export function plannedStackSets(org: Organization, resources: readonly PlannedResource[]): PlannedStackSet[] {
    const sets = resources.filter((r) => r.custom && r.type === STACK_SET);
    return resources
        .filter((r) => r.custom && r.type === STACK_SET_INSTANCE)
        .flatMap((instance) => {
            const stackSet = sets.find((s) => str(s.inputs.name) === str(instance.inputs.stackSetName));
            return stackSet ? [{ stackSet, instance, accountIds: reachOfInstance(org, instance) }] : [];
        });
}

/**
 * The IAM roles, inline policies and managed-policy attachments each stack set deploys, one set per
 * account it reaches, as planned resources of the types the cross-stack checks read. Their `urn` names
 * the stack set instance and the account; they are protected as the stack set is.
 */
export function deliveredResources(org: Organization, resources: readonly PlannedResource[]): PlannedResource[] {
    const delivered: PlannedResource[] = [];
    for (const { stackSet, instance, accountIds } of plannedStackSets(org, resources)) {
        for (const accountId of accountIds) {
            const template = templateResources(stackSet.inputs.templateBody, { accountId, region: stackSet.region });
            if (!template.known) continue;
            for (const role of template.resources.filter((r) => r.cfnType === "AWS::IAM::Role")) {
                const p = role.properties;
                const name = str(p.RoleName);
                const key = `${instance.name}/${accountId}/${role.logicalId}`;
                const at = (type: string, suffix: string, inputs: Record<string, unknown>): PlannedResource => ({
                    urn: `${instance.urn}$delivered::${key}${suffix}`,
                    type,
                    name: `${key}${suffix}`,
                    accountId,
                    region: stackSet.region,
                    inputs,
                    custom: true,
                    protect: stackSet.protect,
                    deleteBeforeReplace: false,
                    explicitProvider: true,
                });
                delivered.push(
                    at("aws:iam/role:Role", "", {
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
                        at("aws:iam/rolePolicy:RolePolicy", `-${policyName}`, {
                            role: name,
                            name: policyName,
                            policy: JSON.stringify(doc(policy.PolicyDocument)),
                        }),
                    );
                }
                for (const policyArn of list(p.ManagedPolicyArns)) {
                    delivered.push(at("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `-${policyArn}`, { role: name, policyArn }));
                }
            }
        }
    }
    return delivered;
}
