/**
 * The deploy identity's documents, built once from the validated config (config/deploy-identity.ts):
 * `org-access-deploy` in the access account (GitHub OIDC), `OrgAccessDeploy` in the management account,
 * and the stack set that puts `OrgAccessDeploy` into every member account, as the management account's
 * stack around it (model/stack-set-template.ts). Each role's permissions
 * are generated from the resource types its account holds (model/deploy-permissions.ts).
 */
import { AccessConfig } from "../config/access";
import { CustomerAccess } from "../config/customer-access";
import { DEPLOY_ROLE_NAMES, DeployIdentity, deploySubjects, GITHUB_OIDC } from "../config/deploy-identity";
import { MANAGEMENT_PREVIEW_ROLE_NAME } from "../config/management-preview";
import { Account, Organization } from "../config/organization";
import { ROLE_SESSION_SECONDS } from "../config/patterns";
import { oidcProviderArn, roleArn } from "../iam/arns";
import { policyDocument, PolicyDocument } from "../iam/documents";
import { exactPrincipalsStatement } from "./access-policy";
import { roleTemplate } from "./role-template";
import { configAggregatorRoleArn } from "./config-aggregator-role";
import { deployActions, MEMBER_ROLE_TYPES, ROLE_TYPES, STACK_SET_STACK_TYPE } from "./deploy-permissions";
import { STACK_SET_OPERATION, stackSetStackTemplate } from "./stack-set-template";

/** The calls a session makes to chain into a deploy role: AssumeRole, and TagSession for the session tags
 * aws-actions/configure-aws-credentials sends on every AssumeRole unless `role-skip-session-tagging` (src/assumeRole.ts).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_permissions-required */
export const DEPLOY_CHAIN_ACTIONS = ["sts:AssumeRole", "sts:TagSession"] as const;

/** A role of the deploy identity: its name, trust and inline policy, and in which account. */
export interface DeployRoleModel {
    readonly account: Account;
    readonly name: string;
    readonly arn: string;
    readonly description: string;
    readonly trust: PolicyDocument;
    readonly inline: Readonly<Record<string, PolicyDocument>>;
    readonly maxSessionDuration: number;
}

export interface DeployIdentityModel {
    readonly settings: DeployIdentity;
    /** The `sub` claims the access-account role admits. */
    readonly subjects: readonly string[];
    readonly oidcProvider: {
        readonly arn: string;
        readonly url: string;
        readonly audience: string;
        /** False when `identity.oidc` already declares GitHub's issuer: one provider per URL per account. */
        readonly create: boolean;
    };
    /** `org-access-deploy` in the access account. */
    readonly access: DeployRoleModel;
    /** `OrgAccessDeploy` in the management account. */
    readonly management: DeployRoleModel;
    /** `OrgAccessDeploy` as every member account gets it (the access account excepted), through the stack set. */
    readonly member: Omit<DeployRoleModel, "account" | "arn">;
    readonly stackSet: {
        readonly name: string;
        /** A CloudFormation template (JSON) with the member role: what each account's stack instance deploys. */
        readonly template: string;
        readonly organizationalUnitIds: readonly string[];
        /** Left out of the targets: the access account, whose own role is `org-access-deploy`. */
        readonly excludedAccounts: readonly string[];
        /** The template (JSON text) of the management account's stack that holds the stack set (model/stack-set-template.ts). */
        readonly stackTemplate: string;
    };
    /** The resource types each kind of account holds: what its role's permissions are generated from. */
    readonly types: { readonly access: readonly string[]; readonly management: readonly string[]; readonly member: readonly string[] };
}

/** What a config puts in the parts of the organization, by Pulumi type: the deploy policies' source. Pure. */
export function deployTypes(
    org: Organization,
    access: AccessConfig,
    customer: CustomerAccess | undefined,
    createsOidcProvider: boolean,
    organizationPolicies = false,
): DeployIdentityModel["types"] {
    const inAccess = new Set<string>([...ROLE_TYPES]); // org-access-deploy itself, and the team roles
    const identity = access.identity;
    if (identity.users.length > 0) {
        [
            "aws:iam/user:User",
            "aws:iam/userGroupMembership:UserGroupMembership",
            "aws:iam/userPoliciesExclusive:UserPoliciesExclusive",
            "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
        ].forEach((t) => inAccess.add(t));
        if (identity.users.some((u) => u.loginProfile)) {
            inAccess.add("aws:iam/userLoginProfile:UserLoginProfile");
        }
    }
    if (identity.groups.length > 0) {
        [
            "aws:iam/group:Group",
            "aws:iam/groupPolicy:GroupPolicy",
            "aws:iam/groupPoliciesExclusive:GroupPoliciesExclusive",
            "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
        ].forEach((t) => inAccess.add(t));
    }
    if (identity.saml.length > 0) {
        inAccess.add("aws:iam/samlProvider:SamlProvider");
    }
    if (identity.oidc.length > 0 || createsOidcProvider) {
        inAccess.add("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    }
    const ic = access.identityCenter;
    if (ic) {
        inAccess.add("aws:ssoadmin/permissionSet:PermissionSet");
        inAccess.add("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy");
        if (ic.permissionSets.some((p) => p.managedPolicyArns.length > 0)) {
            inAccess.add("aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment");
        }
        if (ic.assignments.length > 0) {
            inAccess.add("aws:ssoadmin/accountAssignment:AccountAssignment");
        }
        // A group named by display name is looked up in the identity store at deploy time.
        if (ic.assignments.some((a) => "displayName" in a.group)) {
            inAccess.add("aws:identitystore/getGroup:getGroup");
        }
    }
    const member = new Set<string>();
    // Under `memberRoleDelivery: stacksets` CloudFormation creates member roles, with its own service roles: no deploy role needs IAM for them.
    for (const account of access.stackSets ? [] : access.roles.flatMap((r) => r.accounts)) {
        MEMBER_ROLE_TYPES.forEach((t) => (account.id === access.account.id ? inAccess : member).add(t));
    }
    // The customer role's grant to a group no stack creates: an inline policy on that group, in its member account.
    if (customer?.trust?.groups.some((g) => g.account.id !== access.account.id)) {
        member.add("aws:iam/groupPolicy:GroupPolicy");
    }
    if (customer?.trust?.groups.some((g) => g.account.id === access.account.id)) {
        inAccess.add("aws:iam/groupPolicy:GroupPolicy");
    }
    const management = new Set<string>([
        ...ROLE_TYPES, // OrgAccessDeploy itself, and the customer role and the preview reader, roles of the same types
        // The stack around the member deploy role's stack set, and under `stacksets` those around the member roles' (model/stack-set-template.ts).
        STACK_SET_STACK_TYPE,
    ]);
    // The customer role's Config aggregator service role holds one AWS managed policy.
    if (customer) {
        management.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    }
    // Organization policies (org-access:organizationPolicies): the SCP and RCP, and their attachments to the root or OUs.
    if (organizationPolicies) {
        management.add("aws:organizations/policy:Policy");
        management.add("aws:organizations/policyAttachment:PolicyAttachment");
    }
    // Identity Center administered from a member account: the management account registers its delegated administrator.
    if (access.identityCenter && access.identityCenter.account.id !== org.management.id) {
        management.add("aws:organizations/delegatedAdministrator:DelegatedAdministrator");
    }
    const sorted = (s: Set<string>) => [...s].sort();
    return { access: sorted(inAccess), management: sorted(management), member: sorted(member) };
}

export function deployIdentityModel(
    org: Organization,
    settings: DeployIdentity,
    access: AccessConfig,
    customer: CustomerAccess | undefined,
    region: string,
    organizationPolicies = false,
): DeployIdentityModel {
    const partition = org.partition;
    const accessAccount = access.account;
    const create = !access.identity.oidc.some((p) => p.host === GITHUB_OIDC.host);
    const types = deployTypes(org, access, customer, create, organizationPolicies);
    const oidcArn = oidcProviderArn(accessAccount.id, GITHUB_OIDC.host, partition);
    const subjects = deploySubjects(settings.github);
    const accessArn = roleArn(accessAccount.id, DEPLOY_ROLE_NAMES.access, "/", partition);
    const chainedTrust = policyDocument(exactPrincipalsStatement("AccessAccountDeployRole", [accessArn], DEPLOY_CHAIN_ACTIONS));
    const deployPolicy = (sid: string, actions: string[]) => policyDocument({ Sid: sid, Effect: "Allow", Action: actions, Resource: "*" });
    const member = {
        name: DEPLOY_ROLE_NAMES.account,
        description: "Deploys org-access's resources in this member account, for org-access-deploy only (managed by org-access)",
        trust: chainedTrust,
        inline: { deploy: deployPolicy("DeployMemberAccount", deployActions(types.member)) },
        maxSessionDuration: ROLE_SESSION_SECONDS.min,
    };
    return {
        settings,
        subjects,
        oidcProvider: { arn: oidcArn, url: GITHUB_OIDC.url, audience: GITHUB_OIDC.audience, create },
        access: {
            account: accessAccount,
            name: DEPLOY_ROLE_NAMES.access,
            arn: accessArn,
            description: `CI deploys of org-access: ${settings.github.repository}, environment ${settings.github.environment} (managed by org-access)`,
            trust: policyDocument({
                Sid: "GithubDeployJobs",
                Effect: "Allow",
                Principal: { Federated: oidcArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${GITHUB_OIDC.host}:aud`]: GITHUB_OIDC.audience,
                        [`${GITHUB_OIDC.host}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
                    },
                },
            }),
            inline: {
                deploy: policyDocument(
                    {
                        // Every deploy role of the organization, the management account's included, and nothing outside it.
                        Sid: "AssumeDeployRoles",
                        Effect: "Allow",
                        Action: [...DEPLOY_CHAIN_ACTIONS],
                        Resource: roleArn("*", DEPLOY_ROLE_NAMES.account, "/", partition),
                        Condition: { StringEquals: { "aws:ResourceOrgID": org.id } },
                    },
                    { Sid: "DeployAccessAccount", Effect: "Allow", Action: deployActions(types.access), Resource: "*" },
                ),
            },
            maxSessionDuration: ROLE_SESSION_SECONDS.min,
        },
        management: {
            account: org.management,
            name: DEPLOY_ROLE_NAMES.account,
            arn: roleArn(org.management.id, DEPLOY_ROLE_NAMES.account, "/", partition),
            description: "Deploys org-access's resources in the management account, for org-access-deploy only (managed by org-access)",
            trust: chainedTrust,
            inline: { deploy: managementDeployPolicy(org, deployActions(types.management), customer) },
            maxSessionDuration: ROLE_SESSION_SECONDS.min,
        },
        member,
        stackSet: memberRoleStackSet(member, settings.organizationalUnitIds, [accessAccount.id], region),
        types,
    };
}

/**
 * The management account's deploy policy. Its IAM actions reach only the roles this program makes there
 * (OrgAccessDeploy itself, the preview reader, the customer role), by ARN: a deploy identity that could
 * create any role in the management account could create one trusted from anywhere, where no SCP applies.
 */
function managementDeployPolicy(org: Organization, actions: readonly string[], customer: CustomerAccess | undefined): PolicyDocument {
    const names = [DEPLOY_ROLE_NAMES.account, MANAGEMENT_PREVIEW_ROLE_NAME, ...(customer ? [customer.roleName] : [])];
    // The customer role comes with the Config aggregator's service role (model/config-aggregator-role.ts), under its own path.
    const arns = [
        ...names.map((n) => roleArn(org.management.id, n, "/", org.partition)),
        ...(customer ? [configAggregatorRoleArn(org)] : []),
    ];
    const iamActions = actions.filter((a) => a.startsWith("iam:"));
    const others = actions.filter((a) => !a.startsWith("iam:"));
    return policyDocument(
        {
            Sid: "ManageThisProgramsRoles",
            Effect: "Allow",
            Action: iamActions,
            Resource: arns,
        },
        ...(others.length > 0 ? [{ Sid: "DeployManagementAccount", Effect: "Allow" as const, Action: others, Resource: "*" }] : []),
    );
}

/** The member deploy role as a CloudFormation template (AWS::IAM::Role), for the stack set. */
export function memberRoleTemplate(role: DeployIdentityModel["member"]): string {
    return roleTemplate("org-access: the deploy role of a member account (managed by org-access's mgmt stack)", role, "DeployRole");
}

/**
 * The stack set that gives every member account of the targeted OUs, present and future, its `OrgAccessDeploy`,
 * and the management account's stack around it. It rolls out to every account at once (STACK_SET_OPERATION):
 * CloudFormation's default of one account at a time would hold the stack, and the deploy, for hours in a
 * large organization.
 */
function memberRoleStackSet(
    member: DeployIdentityModel["member"],
    organizationalUnitIds: readonly string[],
    excludedAccounts: readonly string[],
    region: string,
): DeployIdentityModel["stackSet"] {
    const name = DEPLOY_ROLE_NAMES.stackSet;
    const template = memberRoleTemplate(member);
    return {
        name,
        template,
        organizationalUnitIds,
        excludedAccounts,
        stackTemplate: stackSetStackTemplate({
            name,
            description: "org-access: OrgAccessDeploy in every member account, trusted by the access account's org-access-deploy only",
            template,
            organizationalUnitIds,
            excludedAccounts,
            region,
            operation: STACK_SET_OPERATION,
        }),
    };
}
