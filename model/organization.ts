/**
 * The organization as the configuration asks for it: every account, identity,
 * team, member role, the customer role and Identity Center, each with its ARN
 * and its policy documents. Built once, by `buildOrganizationModel`, from the
 * validated config. Components register their slice of it; outputs, the plan
 * report, the access matrix and the docs read it (or the planned resources),
 * never the document builders again.
 */
import { teamsInAccount } from "../config/access/member-roles";
import {
    AccessConfig,
    IamUserSpec,
    IdentityCenterSpec,
    MemberRoleSpec,
    OidcProviderSpec,
    PermissionSetSpec,
    SamlProviderSpec,
    Team,
} from "../config/access";
import { CONFIG_AGGREGATOR_ROLE, CustomerAccess, TrustedGroup } from "../config/customer-access";
import { MANAGEMENT_PREVIEW_ROLE_NAME, ManagementPreviewRole } from "../config/management-preview";
import { Account, Organization } from "../config/organization";
import { StackDeploy } from "../config/deploy";
import { ProviderBudget } from "../config/provider-budget";
import { ROLE_SESSION_SECONDS } from "../config/patterns";
import { StackConfig } from "../config/stack";
import type { StackSetTarget } from "../config/member-role-delivery";
import { groupArn, mfaDeviceArn, oidcProviderArn, roleArn, samlProviderArn, userArn } from "../iam/arns";
import { PolicyDocument } from "../iam/documents";
import {
    breakGlassGroupPolicy,
    groupAssumePolicy,
    memberRoleArn,
    memberTrustPolicy,
    mfaEnforcementPolicy,
    permissionSetInlinePolicy,
    teamPermissionPolicy,
    teamRoleArn,
    teamTrustPolicy,
} from "./access-policy";
import { withAdoption } from "./adoption";
import { configAggregatorPolicyArn, configAggregatorRoleArn, configAggregatorTrust } from "./config-aggregator-role";
import { customerPermissionPolicies } from "./customer-access-policy";
import { customerGroupPolicy, customerTrustPolicy } from "./customer-access-trust";
import { DeployIdentityModel, deployIdentityModel } from "./deploy-identity";
import { managementPreviewPermissions, managementPreviewTrust } from "./management-preview-policy";
import { STACK_SET_OPERATION, stackSetStackTemplate } from "./stack-set-template";
import { roleTemplate } from "./role-template";
import { OrganizationPoliciesModel, organizationPoliciesModel } from "./organization-policies";

/** One IAM role in one account, with everything IAM will hold for it. */
export interface RoleModel {
    readonly account: Account;
    readonly name: string;
    /** The IAM path, when not `/`. */
    readonly path?: string;
    /** Built from the account id and the name: known at preview. */
    readonly arn: string;
    readonly description: string;
    readonly trust: PolicyDocument;
    /** Inline policies by their IAM policy name. */
    readonly inline: Readonly<Record<string, PolicyDocument>>;
    readonly managedPolicyArns: readonly string[];
    readonly maxSessionDuration: number;
    readonly permissionsBoundary?: string;
    /** Set when `org-access:adopt` names the role: the id to import it by (model/adoption.ts). */
    readonly importId?: string;
}

/** An inline policy on an IAM group that lets its members assume a role. */
export interface GroupGrant {
    readonly account: Account;
    readonly group: string;
    readonly policyName: string;
    readonly policy: PolicyDocument;
}

export interface CustomerRoleModel {
    readonly settings: CustomerAccess;
    readonly role: RoleModel;
    /**
     * The service role of an AWS Config organization aggregator, made with the customer role: the one
     * role the customer role may read and pass, only to Config (model/customer-access-policy.ts).
     */
    readonly aggregatorRole: RoleModel;
    /**
     * One per trusted group (`customerAccess.trust.groups`) that this config does
     * not create. A group the access setup creates gets its grant from the access
     * setup instead (`AccessModel.groups`): every policy on an entity is attached
     * by the stack that owns it, so no `GroupPoliciesExclusive` removes it.
     */
    readonly groupGrants: readonly GroupGrant[];
    /**
     * Every trusted group's grant, wherever it is attached, with the config key that asks for it
     * (`org-access:customerAccess.trust.groups[i]`). A grant on a group that another stack creates
     * is attached by that stack only if it sees this config too: the plans check that some stack does
     * (offline/grants.ts).
     */
    readonly requiredGrants: readonly (GroupGrant & { readonly key: string })[];
}

/**
 * Identity Center administered from a member account: the management account
 * registers that account as the service's delegated administrator
 * (https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin.html).
 */
export interface IdentityCenterDelegation {
    readonly account: Account;
    readonly servicePrincipal: "sso.amazonaws.com";
}

export interface GroupModel {
    readonly name: string;
    readonly arn: string;
    /** Inline policies by name: the MFA rule, and the team assume policy when the group has teams. */
    readonly policies: Readonly<Record<string, PolicyDocument>>;
    /** Set when `org-access:adopt` names the group: the id to import it by. */
    readonly importId?: string;
}

export interface UserModel {
    readonly spec: IamUserSpec;
    readonly arn: string;
    /** The virtual MFA device the user enrols, named after the user. */
    readonly mfaSerial: string;
    /** Set when `org-access:adopt` names the user: the id to import it by. */
    readonly importId?: string;
}

export interface TeamModel {
    readonly team: Team;
    readonly role: RoleModel;
}

export interface MemberRoleModel {
    readonly spec: MemberRoleSpec;
    /**
     * The role in each of its accounts, in config order. Each copy's `trust`
     * admits exactly the teams its grants name in that account, so copies of
     * one role may differ (`roles[].grants`).
     */
    readonly copies: readonly RoleModel[];
}

/**
 * A stack set that delivers one member role (`org-access:memberRoleDelivery: stacksets`): its targets from
 * config (config/member-role-delivery.ts), and a template built from the role's copy in those accounts,
 * the same documents the per-account registration would use (model/role-template.ts).
 */
export interface StackSetModel {
    readonly target: StackSetTarget;
    /** The role as it lands in each reached account, the copies' shared documents (the account is the first reached). */
    readonly role: RoleModel;
    /** The CloudFormation template (JSON text) with the role: what each account's stack instance deploys. */
    readonly template: string;
    /** The template (JSON text) of the management account's stack that holds the stack set (model/stack-set-template.ts). */
    readonly stackTemplate: string;
}

export interface PermissionSetModel {
    readonly spec: PermissionSetSpec;
    /** Config's own statements plus assuming the teams that name the set. */
    readonly inline?: PolicyDocument;
}

export interface IdentityCenterModel {
    readonly spec: IdentityCenterSpec;
    readonly permissionSets: readonly PermissionSetModel[];
}

export interface AccessModel {
    readonly config: AccessConfig;
    readonly account: Account;
    readonly users: readonly UserModel[];
    readonly groups: readonly GroupModel[];
    /** `importId`: set when `org-access:adopt` names the provider. */
    readonly saml: readonly (SamlProviderSpec & { readonly arn: string; readonly importId?: string })[];
    readonly oidc: readonly (OidcProviderSpec & { readonly arn: string; readonly importId?: string })[];
    readonly teams: readonly TeamModel[];
    readonly memberRoles: readonly MemberRoleModel[];
    /** Under `org-access:memberRoleDelivery: stacksets`: the stack sets that deliver `memberRoles`; absent under `providers`. */
    readonly stackSets?: readonly StackSetModel[];
    readonly identityCenter?: IdentityCenterModel;
}

export interface OrganizationModel {
    readonly organization: Organization;
    /** Default region of every provider. */
    readonly region: string;
    readonly customerAccess?: CustomerRoleModel;
    /** The management account's read-only role for CI previews. */
    readonly managementPreview?: RoleModel;
    readonly access?: AccessModel;
    /** What this stack deploys of the model (`org-access:deploy`). */
    readonly deploy: StackDeploy;
    /** Registered by the stack that deploys the customer role, in the management account. */
    readonly identityCenterDelegation?: IdentityCenterDelegation;
    /** The identity CI deploys with (`org-access:deployIdentity`): its access-account part goes with `deploy.identity`, the rest with `deploy.customerAccess`. */
    readonly deployIdentity?: DeployIdentityModel;
    /** The SCP and RCP (`org-access:organizationPolicies`), deployed with the customer role. */
    readonly organizationPolicies?: OrganizationPoliciesModel;
    /** The provider processes this stack may start (config/provider-budget.ts): the organization plan holds each stack to it. */
    readonly providerBudget: ProviderBudget;
    /** An account's config name by id (the id itself when unknown). */
    accountName(id: string): string;
}

/** The one place the organization's documents are built. Pure. */
export function buildOrganizationModel(config: StackConfig): OrganizationModel {
    const org = config.organization;
    const names = new Map([org.management, ...org.members].map((a) => [a.id, a.name]));
    const customerAccess = config.customerAccess && customerRoleModel(org, config.customerAccess, config.access);
    const icAccount = config.access?.identityCenter?.account;
    return withAdoption(
        {
            organization: org,
            region: config.region,
            deploy: config.deploy,
            providerBudget: config.providerBudget,
            customerAccess,
            managementPreview: config.managementPreviewRole && managementPreviewModel(org, config.managementPreviewRole),
            access: config.access && accessModel(org, config.access, config.customerAccess, config.region),
            identityCenterDelegation:
                icAccount && icAccount.id !== org.management.id ? { account: icAccount, servicePrincipal: "sso.amazonaws.com" } : undefined,
            deployIdentity:
                config.deployIdentity &&
                config.access &&
                deployIdentityModel(
                    org,
                    config.deployIdentity,
                    config.access,
                    config.customerAccess,
                    config.region,
                    config.organizationPolicies !== undefined,
                ),
            organizationPolicies:
                config.organizationPolicies &&
                organizationPoliciesModel(org, config.organizationPolicies, config.access, config.deployIdentity),
            accountName: (id) => names.get(id) ?? id,
        },
        config.adopt,
    );
}

/** Whether the access setup creates this trusted group (in the access account, listed in identity). */
function createdByAccess(access: AccessConfig | undefined, group: TrustedGroup): boolean {
    return access !== undefined && group.account.id === access.account.id && access.identity.groups.includes(group.name);
}

/** The grant of the customer role to a trusted group: an inline policy on the group. */
function customerGroupGrant(settings: CustomerAccess, arn: string, group: TrustedGroup): GroupGrant {
    return { account: group.account, group: group.name, policyName: `assume-${settings.roleName}`, policy: customerGroupPolicy(arn) };
}

function customerRoleModel(org: Organization, settings: CustomerAccess, access: AccessConfig | undefined): CustomerRoleModel {
    const arn = roleArn(org.management.id, settings.roleName, "/", org.partition);
    return {
        settings,
        role: {
            account: org.management,
            name: settings.roleName,
            arn,
            description: "Customer access to organization-level services (managed by org-access)",
            trust: customerTrustPolicy(org, settings.trust),
            inline: customerPermissionPolicies(org),
            managedPolicyArns: [],
            maxSessionDuration: settings.maxSessionDuration,
        },
        aggregatorRole: {
            account: org.management,
            name: CONFIG_AGGREGATOR_ROLE.name,
            path: CONFIG_AGGREGATOR_ROLE.path,
            arn: configAggregatorRoleArn(org),
            description: "AWS Config organization aggregator (managed by org-access; passed by the customer role, to Config only)",
            trust: configAggregatorTrust(),
            inline: {},
            managedPolicyArns: [configAggregatorPolicyArn(org.partition)],
            maxSessionDuration: ROLE_SESSION_SECONDS.min,
        },
        groupGrants: settings.trust.groups.filter((g) => !createdByAccess(access, g)).map((g) => customerGroupGrant(settings, arn, g)),
        requiredGrants: settings.trust.groups.map((g, i) => ({
            ...customerGroupGrant(settings, arn, g),
            key: `org-access:customerAccess.trust.groups[${i}]`,
        })),
    };
}

function managementPreviewModel(org: Organization, preview: ManagementPreviewRole): RoleModel {
    return {
        account: org.management,
        name: MANAGEMENT_PREVIEW_ROLE_NAME,
        arn: roleArn(org.management.id, MANAGEMENT_PREVIEW_ROLE_NAME, "/", org.partition),
        description: "Read-only role for CI previews of org-access (managed by org-access)",
        trust: managementPreviewTrust(preview, org.partition),
        inline: { read: managementPreviewPermissions() },
        managedPolicyArns: [],
        maxSessionDuration: ROLE_SESSION_SECONDS.min,
    };
}

function accessModel(org: Organization, config: AccessConfig, customer: CustomerAccess | undefined, region: string): AccessModel {
    const access = config.account;
    const managementReader = config.preview ? roleArn(org.management.id, MANAGEMENT_PREVIEW_ROLE_NAME, "/", org.partition) : undefined;
    const teams = config.teams.map((team): TeamModel => {
        const permission = teamPermissionPolicy(config, team, org, managementReader);
        return {
            team,
            role: {
                account: access,
                name: team.name,
                arn: teamRoleArn(access, team, config.partition),
                description: `Team ${team.name}: assumes its member roles (managed by org-access)`,
                trust: teamTrustPolicy(config, team),
                inline: permission ? { "assume-member-roles": permission } : {},
                managedPolicyArns: [],
                maxSessionDuration: team.maxSessionDuration,
            },
        };
    });
    const memberRoles = config.roles.map((spec): MemberRoleModel => {
        return {
            spec,
            copies: spec.accounts.map((account) => ({
                account,
                name: spec.name,
                arn: memberRoleArn(account, spec, config.partition),
                description:
                    spec.description ?? `Reached from teams ${teamsInAccount(spec, account.id).join(", ")} (managed by org-access)`,
                trust: memberTrustPolicy(config, spec, account),
                inline: (spec.inlinePolicies ?? {}) as Record<string, PolicyDocument>,
                managedPolicyArns: spec.managedPolicyArns,
                maxSessionDuration: spec.maxSessionDuration,
                permissionsBoundary: spec.permissionsBoundary,
            })),
        };
    });
    const customerArn = customer && roleArn(org.management.id, customer.roleName, "/", org.partition);
    const groups = config.identity.groups.map((name): GroupModel => {
        const assume = groupAssumePolicy(config, name);
        const breakGlass = config.teams.some((t) => t.breakGlass && t.groups.includes(name));
        const trusted = customer?.trust.groups.find((g) => g.name === name && createdByAccess(config, g));
        const grant = customer && customerArn && trusted ? customerGroupGrant(customer, customerArn, trusted) : undefined;
        return {
            name,
            arn: groupArn(access.id, name, "/", config.partition),
            policies: {
                "require-mfa": mfaEnforcementPolicy(access.id, config.identity.mfaEnrolmentUntil, config.partition),
                ...(assume ? { "assume-team-roles": assume } : {}),
                ...(breakGlass ? { "break-glass-hardware-mfa": breakGlassGroupPolicy() } : {}),
                ...(grant ? { [grant.policyName]: grant.policy } : {}),
            },
        };
    });
    const ic = config.identityCenter;
    return {
        config,
        account: access,
        users: config.identity.users.map((spec) => ({
            spec,
            arn: userArn(access.id, spec.name, "/", config.partition),
            mfaSerial: mfaDeviceArn(access.id, spec.name, config.partition),
        })),
        groups,
        saml: config.identity.saml.map((s) => ({ ...s, arn: samlProviderArn(access.id, s.name, config.partition) })),
        oidc: config.identity.oidc.map((o) => ({ ...o, arn: oidcProviderArn(access.id, o.host, config.partition) })),
        teams,
        memberRoles,
        ...(config.stackSets ? { stackSets: config.stackSets.map((target) => stackSetModel(target, memberRoles, region)) } : {}),
        identityCenter: ic && {
            spec: ic,
            permissionSets: ic.permissionSets.map((spec) => ({ spec, inline: permissionSetInlinePolicy(config, spec.name) })),
        },
    };
}

/** A stack set's model: the role's copy in its first account (every copy it reaches has the same documents). */
function stackSetModel(target: StackSetTarget, memberRoles: readonly MemberRoleModel[], region: string): StackSetModel {
    const copies = memberRoles.find((m) => m.spec.name === target.role)?.copies ?? [];
    const role = copies.find((c) => c.account.id === target.accounts[0]?.id);
    if (role === undefined) {
        throw new Error(`stack set ${target.name}: role ${target.role} has no copy in ${target.accounts[0]?.name ?? "any account"}`);
    }
    const template = roleTemplate(`org-access: member role ${role.name}, stack set ${target.name} (managed by org-access)`, role);
    return {
        target,
        role,
        template,
        stackTemplate: stackSetStackTemplate({
            name: target.name,
            description: `org-access: member role ${target.role} for teams ${target.teams.join(", ")}`,
            template,
            organizationalUnitIds: target.organizationalUnits.map((u) => u.id),
            excludedAccounts: target.excludedAccounts,
            region,
            operation: STACK_SET_OPERATION,
        }),
    };
}

/** The stack sets this stack deploys: those whose every account `org-access:deploy.memberAccounts` selects (config allows all or none). */
export function stackSetsInScope(access: AccessModel): StackSetModel[] {
    const scope = access.config.deploy.memberAccounts;
    const selected = scope && new Set(scope.map((a) => a.id));
    return (access.stackSets ?? []).filter((s) => selected === undefined || s.target.accounts.every((a) => selected.has(a.id)));
}

/** The member roles of `access` narrowed to the accounts this stack deploys (`org-access:deploy`). */
export function memberRolesInScope(access: AccessModel): MemberRoleModel[] {
    const scope = access.config.deploy.memberAccounts;
    return access.memberRoles
        .map((m) => (scope === undefined ? m : { ...m, copies: m.copies.filter((c) => scope.some((a) => a.id === c.account.id)) }))
        .filter((m) => m.copies.length > 0);
}

/** Whether this stack deploys any of the access setup: identities and team roles, or member roles somewhere. */
export function deploysAccess(model: OrganizationModel): boolean {
    const { identity, memberAccounts } = model.deploy;
    return model.access !== undefined && (identity || memberAccounts === undefined || memberAccounts.length > 0);
}
