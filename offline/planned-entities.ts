/**
 * How the cross-stack checks read planned resources: the resource types they
 * know, which IAM entity a resource creates, which config key made it. One
 * reader for `organization-checks.ts` and `deploy-dependencies.ts`.
 */
import { parseArn } from "../iam/arns";
import { isRecord } from "../policy-pack/documents";
import { templateResources } from "../policy-pack/templates";
import { PlannedResource } from "./plan";

/** The resource types the cross-stack checks read. */
export const T = {
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
    delegatedAdministrator: "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
    accountAssignment: "aws:ssoadmin/accountAssignment:AccountAssignment",
    stack: "aws:cloudformation/stack:Stack",
    stackSet: "aws:cloudformation/stackSet:StackSet",
    stackSetInstance: "aws:cloudformation/stackSetInstance:StackSetInstance",
} as const;

export const str = (value: unknown): string => (typeof value === "string" ? value : "");
export const doc = (value: unknown): object => (typeof value === "string" ? (JSON.parse(value) as object) : ((value ?? {}) as object));

/** The stacks of one organization, as planned, each with what it may name without creating. */
export interface StackResources {
    readonly stack: string;
    readonly resources: readonly PlannedResource[];
    /** `organization.externalPrincipals`: ARNs the user vouches exist outside every stack. */
    readonly externalPrincipals: readonly string[];
    /** The management account; rules about delegated administrators apply in every other account. */
    readonly managementAccountId?: string;
}

/** A stack's resources that AWS holds: custom resources only. */
export function custom(stack: StackResources): PlannedResource[] {
    return stack.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
}

/** The config key a resource of ours comes from, by its component's stable name. */
export function keyOf(resource: PlannedResource): string {
    if (resource.name.startsWith("customer-access")) return "org-access:customerAccess";
    if (resource.name.startsWith("management-preview")) return "org-access:managementPreviewRole";
    if (resource.name.startsWith("identity-center-delegated-admin")) return "org-access:identityCenter.account";
    if (resource.name.startsWith("access-role-")) return "org-access:roles";
    if (resource.name.startsWith("access-stack-sets")) return "org-access:roles";
    if (resource.name.startsWith("access-team-")) return "org-access:teams";
    if (resource.name.startsWith("access-identity-center")) return "org-access:identityCenter";
    if (resource.name.startsWith("access-identity")) return "org-access:identity";
    return "org-access:deploy";
}

/** `account/kind/name`: one IAM entity, whichever stack names it. IAM names ignore case. */
export function entityOf(r: PlannedResource): string | undefined {
    const kind = { [T.role]: "role", [T.user]: "user", [T.group]: "group", [T.policy]: "policy" }[r.type as string];
    if (kind) return `${r.accountId}/${kind}/${str(r.inputs.name).toLowerCase()}`;
    if (r.type === T.oidc) return `${r.accountId}/oidc-provider/${str(r.inputs.url).replace(/^https:\/\//, "")}`;
    if (r.type === T.saml) return `${r.accountId}/saml-provider/${str(r.inputs.name)}`;
    return undefined;
}

/** IAM ARN → entity key, for roles, users, groups and customer managed policies. */
export function entityOfArn(arn: string): string | undefined {
    const parts = parseArn(arn);
    if (parts?.service !== "iam" || parts.region !== "" || !/^[\w-]+$/.test(parts.partition) || !/^\d{12}$/.test(parts.account))
        return undefined;
    const m = /^(role|user|group|policy)\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/.exec(parts.resource);
    return m ? `${parts.account}/${m[1]}/${m[2].toLowerCase()}` : undefined;
}

/** A stack set as the template of the planned stack that holds it declares it (model/stack-set-template.ts). */
export interface DeclaredStackSet {
    /** `StackSetName`. */
    readonly name: string;
    /** `PermissionModel`: `SERVICE_MANAGED` or `SELF_MANAGED`. */
    readonly permissionModel: string;
    /** `CallAs`: `SELF` (CloudFormation's default) or `DELEGATED_ADMIN`. */
    readonly callAs: string;
    /** `TemplateBody`: the template (text or object) it deploys into each account. */
    readonly template: unknown;
    /** `StackInstancesGroup`: where it deploys. */
    readonly groups: readonly Record<string, unknown>[];
}

const callAsOf = (value: unknown) => str(value) || "SELF";

/**
 * Each `AWS::CloudFormation::StackSet` a planned stack's template declares, read by the pack's template reader
 * (policy-pack/templates.ts) in the stack's account and region; none for any other resource, or for a template
 * that cannot be read (the pack refuses it). The reader also lists what a stack set deploys (`deployedBy`):
 * those are not the stack's own.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stackset.html
 */
export function declaredStackSets(r: PlannedResource): DeclaredStackSet[] {
    if (!r.custom || r.type !== T.stack) return [];
    const template = templateResources(r.inputs.templateBody, { accountId: r.accountId, region: r.region, stackName: str(r.inputs.name) });
    if (!template.known) return [];
    return template.resources
        .filter((t) => t.cfnType === "AWS::CloudFormation::StackSet" && t.deployedBy === undefined)
        .map(({ properties: p }) => ({
            name: str(p.StackSetName),
            permissionModel: str(p.PermissionModel),
            callAs: callAsOf(p.CallAs),
            template: p.TemplateBody,
            groups: (Array.isArray(p.StackInstancesGroup) ? (p.StackInstancesGroup as unknown[]) : []).filter(isRecord),
        }));
}

/** A stack set as a planned resource asks CloudFormation for it: its name, permission model and `CallAs`. */
export type StackSetRequest = Pick<DeclaredStackSet, "name" | "permissionModel" | "callAs">;

/**
 * The stack sets a planned resource creates or deploys: Pulumi's `StackSet` and `StackSetInstance` (a
 * `StackSetInstance` does not say its permission model: empty), or those a stack's template declares (the
 * program's form).
 */
export function stackSetRequests(r: PlannedResource): StackSetRequest[] {
    if (r.type === T.stackSet) {
        return [{ name: str(r.inputs.name), permissionModel: str(r.inputs.permissionModel), callAs: callAsOf(r.inputs.callAs) }];
    }
    if (r.type === T.stackSetInstance) {
        return [{ name: str(r.inputs.stackSetName), permissionModel: "", callAs: callAsOf(r.inputs.callAs) }];
    }
    return declaredStackSets(r);
}
