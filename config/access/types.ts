import type { StackSetTarget } from "../member-role-delivery";
import { Account } from "../organization";
import { Partition } from "../partition";

/**
 * The administrative access account (stack `access`): the one account that
 * authenticates people and CI and lets them into the others. Everything here is
 * validated before the first resource is registered.
 */
export interface AccessConfig {
    /** The access account; a member account, never the management account. */
    readonly account: Account;
    /** Distinct regions; the first is the profiles' region. Default: the stack's `aws:region`. */
    readonly regions: readonly string[];
    readonly identity: Identity;
    /** Team roles in the access account, the preview team included. */
    readonly teams: readonly Team[];
    /** Roles in member accounts, trusted from team roles, the preview role included. */
    readonly roles: readonly MemberRoleSpec[];
    readonly identityCenter?: IdentityCenterSpec;
    readonly preview?: PreviewSpec;
    /** What this stack deploys of the above: the whole access setup, or a shard of it. */
    readonly deploy: DeployScope;
    /**
     * Under `org-access:memberRoleDelivery: stacksets`, the stack sets that deliver every member role
     * (config/member-role-delivery.ts), whichever stack deploys them; absent under `providers`.
     */
    readonly stackSets?: readonly StackSetTarget[];
    /** The organization's partition, which every ARN of the access setup is in. */
    readonly partition: Partition;
}

/**
 * Lets one organization's access setup be split across stacks: the `access`
 * stack deploys identities and team roles, and any number of shard stacks
 * deploy member roles into their share of the accounts. Every stack reads the
 * same teams and roles, so trust policies name the same team role ARNs, built
 * from the access account id and team names: no cross-stack lookups, and
 * known at preview.
 */
export interface DeployScope {
    /** Users, groups, federation providers, team roles and Identity Center. */
    readonly identity: boolean;
    /** Member accounts whose member roles this stack deploys; undefined means all. */
    readonly memberAccounts?: readonly Account[];
}

export interface Identity {
    readonly users: readonly IamUserSpec[];
    /** Every IAM group: those users are in, plus `identity.groups`. Sorted. */
    readonly groups: readonly string[];
    readonly saml: readonly SamlProviderSpec[];
    readonly oidc: readonly OidcProviderSpec[];
    /** Upper bound on `aws:MultiFactorAuthAge` in team trust policies, in seconds. */
    readonly mfaMaxAgeSeconds: number;
    /** Until when (ISO 8601, UTC) users without MFA may enrol a device; absent: never (see docs/lifecycle.md). */
    readonly mfaEnrolmentUntil?: string;
}

export interface IamUserSpec {
    readonly name: string;
    readonly groups: readonly string[];
    /** Console password: created with `passwordResetRequired`, encrypted with `pgpKey` when given. */
    readonly loginProfile?: { readonly pgpKey?: string };
}

export interface SamlProviderSpec {
    readonly name: string;
    /** The IdP's metadata XML (read from `metadataFile` when the config names one). */
    readonly metadata: string;
}

export interface OidcProviderSpec {
    readonly name: string;
    /** `https://host[/path]`, as the IdP issues tokens. */
    readonly url: string;
    /** The URL without `https://`: the provider ARN suffix and the condition-key prefix. */
    readonly host: string;
    readonly clientIds: readonly string[];
    readonly thumbprints: readonly string[];
}

export interface OidcTrust {
    /** Name of an `identity.oidc` provider. */
    readonly provider: string;
    /** Exact `sub` values, or patterns whose wildcards sit after the second `:`. */
    readonly subjects: readonly string[];
}

export interface Team {
    /** Also the IAM role name in the access account. */
    readonly name: string;
    /** IAM groups whose users (with MFA) may assume the team role. */
    readonly groups: readonly string[];
    /** SAML providers that may federate into the team role. */
    readonly saml: readonly string[];
    readonly oidc: readonly OidcTrust[];
    /** Permission sets whose reserved roles in the access account may assume the team role. */
    readonly identityCenter: readonly string[];
    readonly maxSessionDuration: number;
    /**
     * A break-glass team: IAM users only (no SAML, OIDC or Identity Center, so
     * it works when the IdP and Identity Center do not), a fresh MFA sign-in
     * (`BREAK_GLASS_MFA_MAX_AGE_SECONDS`), and its groups may not enrol MFA
     * devices themselves, so only a hardware device an administrator enrolled
     * exists (docs/access-account.md, "Break-glass teams").
     */
    readonly breakGlass: boolean;
}

/** Which teams a member role admits in which accounts. */
export interface GrantSpec {
    readonly teams: readonly string[];
    readonly accounts: readonly Account[];
    /** The config key that selects the accounts (`org-access:roles[0].accounts`), for errors about them. */
    readonly key: string;
}

export interface MemberRoleSpec {
    /** IAM role name in every account it lands in. */
    readonly name: string;
    /** Which teams may assume the role in which accounts; `teams` + `accounts` in config is one grant. */
    readonly grants: readonly GrantSpec[];
    /** Every team of any grant, in first-seen order. */
    readonly teams: readonly string[];
    /** Every account of any grant, in first-seen order: where the role lands. */
    readonly accounts: readonly Account[];
    /** The trust admits only sessions that carry a source identity (`sts:SourceIdentity`). */
    readonly requireSourceIdentity: boolean;
    readonly managedPolicyArns: readonly string[];
    /** Program-defined inline policies (the preview role's data-read guard); not config. */
    readonly inlinePolicies?: Readonly<Record<string, object>>;
    readonly maxSessionDuration: number;
    readonly externalId?: string;
    readonly permissionsBoundary?: string;
    readonly description?: string;
}

export interface PermissionSetSpec {
    readonly name: string;
    /** ISO 8601 duration, `PT1H` to `PT12H`. */
    readonly sessionDuration: string;
    readonly managedPolicyArns: readonly string[];
    /** A policy document from config, merged with the statement that lets the set assume its teams. */
    readonly inlinePolicy?: { readonly Version: string; readonly Statement: readonly object[] };
}

/** An Identity Center group: by its identity-store id, or by display name, looked up at deploy time. */
export type StoreGroupRef = { readonly id: string } | { readonly displayName: string };

export interface AssignmentSpec {
    readonly permissionSet: string;
    readonly group: StoreGroupRef;
    readonly accounts: readonly Account[];
}

export interface IdentityCenterSpec {
    /** Where Identity Center is administered: the management account or a delegated admin. */
    readonly account: Account;
    /** Identity Center's home region (single-region by nature). */
    readonly region: string;
    readonly instanceArn: string;
    readonly startUrl: string;
    /** `d-…`; required when an assignment names its group by display name. */
    readonly identityStoreId?: string;
    readonly permissionSets: readonly PermissionSetSpec[];
    readonly assignments: readonly AssignmentSpec[];
}

export interface PreviewSpec {
    /** `owner/repo` whose pull requests may preview. */
    readonly repository: string;
    /** Name of the `identity.oidc` provider GitHub tokens come from. */
    readonly provider: string;
    readonly team: string;
    readonly role: string;
}
