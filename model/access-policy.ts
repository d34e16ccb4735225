/**
 * The documents of the administrative access account: who may enter a team
 * role, which member roles a team may reach, and the MFA rule every IAM group
 * carries. Pure functions over validated config, so tests simulate exactly
 * what the roles receive.
 */
import { AccessConfig, MemberRoleSpec, OidcProviderSpec, Team } from "../config/access";
import { accountsOfTeam, teamsInAccount } from "../config/access/member-roles";
import { BREAK_GLASS_MFA_MAX_AGE_SECONDS } from "../config/access/patterns";
import { Account, Organization } from "../config/organization";
import { Partition } from "../config/partition";
import { accountRootArn, mfaDeviceArn, oidcProviderArn, parseArn, roleArn, samlProviderArn, userArn } from "../iam/arns";
import { ConditionBlock, oneOrMany, policyDocument, PolicyDocument, PolicyStatement } from "../iam/documents";
import { endpointsOf } from "../iam/partition";

/** Actions a role-chaining session may carry across: the assume itself, source identity and session tags. */
export const CHAIN_ACTIONS = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"] as const;

export function teamRoleArn(access: Account, team: Team | string, partition?: Partition): string {
    return roleArn(access.id, typeof team === "string" ? team : team.name, "/", partition);
}

export function memberRoleArn(account: Account, role: MemberRoleSpec | string, partition?: Partition): string {
    return roleArn(account.id, typeof role === "string" ? role : role.name, "/", partition);
}

/** The reserved role Identity Center creates for a permission set, as an `ArnLike` pattern. Matches the old (no region) and new paths. */
export function identityCenterRolePattern(accountId: string, permissionSet: string, partition?: Partition): string {
    return roleArn(accountId, `AWSReservedSSO_${permissionSet}_*`, "/aws-reserved/sso.amazonaws.com/*", partition);
}

/**
 * The actions a human path's trust allows with each way in. Every one carries
 * `sts:SetSourceIdentity`: a principal that sets a source identity (AssumeRole
 * `--source-identity`, a SAML assertion's `SourceIdentity` attribute, an OIDC
 * token's `https://aws.amazon.com/source_identity` claim) needs that permission
 * in the role's trust, or STS denies the request
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html#id_credentials_temp_control-access_monitor-perms).
 * Once set, the source identity persists across chained sessions and cannot be changed.
 */
export const ASSUME_ACTIONS = {
    iam: ["sts:AssumeRole", "sts:SetSourceIdentity"],
    saml: ["sts:AssumeRoleWithSAML", "sts:SetSourceIdentity", "sts:TagSession"],
    oidc: ["sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity"],
} as const;

/** Every team whose role the group's members may assume. */
export function teamsOfGroup(config: AccessConfig, group: string): Team[] {
    return config.teams.filter((t) => t.groups.includes(group));
}

/**
 * Trust of a team role. One statement per way in:
 * - IAM users (of the access account only: `aws:PrincipalArn` like `user/*`, so no
 *   role there can take this path) with MFA present and no older than the bound;
 *   they also need `sts:AssumeRole` from a group policy;
 * - SAML providers, audience-bound to the AWS sign-in endpoint;
 * - OIDC providers, audience- and subject-bound;
 * - Identity Center reserved roles of the named permission sets, in the access account.
 */
export function teamTrustPolicy(config: AccessConfig, team: Team): PolicyDocument {
    const access = config.account.id;
    const partition = config.partition;
    const statements: PolicyStatement[] = [];
    if (team.groups.length > 0) {
        // A break-glass team wants a fresh sign-in with the (hardware) device: IAM has no condition key
        // that tells a hardware device from a virtual one, so the device itself is controlled by
        // breakGlassGroupPolicy, and the trust bounds the MFA age tighter.
        const mfaMaxAge = team.breakGlass
            ? Math.min(BREAK_GLASS_MFA_MAX_AGE_SECONDS, config.identity.mfaMaxAgeSeconds)
            : config.identity.mfaMaxAgeSeconds;
        statements.push({
            Sid: team.breakGlass ? "BreakGlassIamUsersWithFreshMfa" : "IamUsersWithMfa",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(access, partition) },
            Action: [...ASSUME_ACTIONS.iam],
            Condition: {
                Bool: { "aws:MultiFactorAuthPresent": "true" },
                NumericLessThan: { "aws:MultiFactorAuthAge": String(mfaMaxAge) },
                ArnLike: { "aws:PrincipalArn": userArn(access, "*", "/", partition) },
            },
        });
    }
    if (team.saml.length > 0) {
        statements.push({
            Sid: "Saml",
            Effect: "Allow",
            Principal: { Federated: oneOrMany(team.saml.map((name) => samlProviderArn(access, name, partition))) },
            Action: [...ASSUME_ACTIONS.saml],
            Condition: { StringEquals: { "SAML:aud": endpointsOf(partition).samlAudience } },
        });
    }
    for (const trust of team.oidc) {
        const provider = config.identity.oidc.find((p) => p.name === trust.provider) as OidcProviderSpec;
        statements.push(oidcStatement(access, provider, trust.subjects, partition));
    }
    if (team.identityCenter.length > 0) {
        statements.push({
            Sid: "IdentityCenter",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(access, partition) },
            Action: [...ASSUME_ACTIONS.iam],
            Condition: {
                ArnLike: {
                    "aws:PrincipalArn": oneOrMany(team.identityCenter.map((ps) => identityCenterRolePattern(access, ps, partition))),
                },
            },
        });
    }
    return policyDocument(...statements);
}

/** OIDC trust: the provider's audience(s) and exactly the configured subjects. */
export function oidcStatement(
    accessId: string,
    provider: OidcProviderSpec,
    subjects: readonly string[],
    partition?: Partition,
): PolicyStatement {
    const wildcard = subjects.some((s) => /[*?]/.test(s));
    const condition: Record<string, Record<string, string | readonly string[]>> = {
        StringEquals: { [`${provider.host}:aud`]: oneOrMany(provider.clientIds) },
    };
    const subjectCondition = { [`${provider.host}:sub`]: oneOrMany(subjects) };
    if (wildcard) {
        condition.StringLike = subjectCondition;
    } else {
        condition.StringEquals = { ...condition.StringEquals, ...subjectCondition };
    }
    return {
        Sid: `Oidc${provider.name.replace(/[^A-Za-z0-9]/g, "")}`,
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn(accessId, provider.host, partition) },
        Action: [...ASSUME_ACTIONS.oidc],
        Condition: condition as ConditionBlock,
    };
}

/**
 * A team role's only permission: assume the member roles granted to it, by
 * role name, in any account of the organization except the management account.
 * The document names roles, not accounts, so its size does not grow with the
 * organization (IAM allows a role 10,240 characters of inline policy); each
 * member role's trust remains the exact gate, admitting only the team role ARNs
 * granted it. `aws:ResourceOrgID` and `aws:ResourceAccount` describe the role
 * being assumed (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid),
 * so a same-named role outside the organization or in the management account
 * is never reachable through this policy.
 */
export function teamPermissionPolicy(
    config: AccessConfig,
    team: Team,
    organization: Organization,
    managementReaderArn?: string,
): PolicyDocument | undefined {
    const names = [...new Set(config.roles.filter((r) => accountsOfTeam(r, team.name).length > 0).map((r) => r.name))];
    const statements: PolicyStatement[] = [];
    if (names.length > 0) {
        statements.push({
            Sid: "AssumeGrantedMemberRoles",
            Effect: "Allow",
            Action: [...CHAIN_ACTIONS],
            Resource: oneOrMany(names.map((name) => roleArn("*", name, "/", organization.partition))),
            Condition: {
                StringEquals: { "aws:ResourceOrgID": organization.id },
                StringNotEquals: { "aws:ResourceAccount": organization.management.id },
            },
        });
    }
    // The preview team also reads the management account, through the mgmt stack's read-only role.
    if (config.preview && managementReaderArn && team.name === config.preview.team) {
        statements.push({ Sid: "ReadManagementAccount", Effect: "Allow", Action: [...CHAIN_ACTIONS], Resource: managementReaderArn });
    }
    return statements.length > 0 ? policyDocument(...statements) : undefined;
}

/**
 * A trust that admits exactly these principal ARNs: their accounts as the
 * principal, the exact ARNs as an `aws:PrincipalArn` condition. IAM accepts it
 * before the principals exist, and it keeps working when one is deleted and
 * recreated (a principal named by ARN is stored as its unique id, so a
 * recreated role would silently lose access:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles).
 */
export function exactPrincipalsStatement(
    sid: string,
    arns: readonly string[],
    actions: readonly string[],
    extra?: ConditionBlock,
): PolicyStatement {
    // The partition and account of each ARN: `arn:<partition>:iam::<account>:…`.
    const roots = [
        ...new Set(
            arns.flatMap((arn) => {
                const parts = parseArn(arn);
                return parts ? [accountRootArn(parts.account, parts.partition as Partition)] : [];
            }),
        ),
    ];
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: oneOrMany(roots) },
        Action: oneOrMany(actions),
        Condition: { ...(extra ?? {}), ArnEquals: { "aws:PrincipalArn": oneOrMany(arns) } },
    };
}

/**
 * Trust of one copy of a member role: exactly the team role ARNs its grants
 * admit in that account (by `aws:PrincipalArn`), with the external id when
 * set. With `requireSourceIdentity`, only a request that carries a source
 * identity: `Null` on `sts:SourceIdentity` is false when the key is present.
 * A chained session keeps the source identity its first hop set and carries it
 * on every request, the next AssumeRole included, so a person who set it at
 * the team role passes here; one who did not cannot add a different one later
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_sourceidentity,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html).
 */
export function memberTrustPolicy(config: AccessConfig, role: MemberRoleSpec, account: Account): PolicyDocument {
    const condition: ConditionBlock = {
        ...(role.externalId ? { StringEquals: { "sts:ExternalId": role.externalId } } : {}),
        ...(role.requireSourceIdentity ? { Null: { "sts:SourceIdentity": "false" } } : {}),
    };
    return policyDocument(
        exactPrincipalsStatement(
            "GrantedTeams",
            teamsInAccount(role, account.id).map((t) => teamRoleArn(config.account, t, config.partition)),
            CHAIN_ACTIONS,
            Object.keys(condition).length > 0 ? condition : undefined,
        ),
    );
}

/** A group's assume policy: exactly its own team roles, MFA required (the trust checks again). */
export function groupAssumePolicy(config: AccessConfig, group: string): PolicyDocument | undefined {
    const teams = teamsOfGroup(config, group);
    if (teams.length === 0) {
        return undefined;
    }
    return policyDocument({
        Sid: "AssumeOwnTeamRoles",
        Effect: "Allow",
        Action: [...ASSUME_ACTIONS.iam],
        Resource: oneOrMany(teams.map((t) => teamRoleArn(config.account, t, config.partition))),
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    });
}

/**
 * On every group of a break-glass team: its users may not create, enable,
 * resync or deactivate MFA devices themselves, with MFA or without, so the only
 * device they hold is the one an administrator enrolled: a hardware device
 * (a FIDO security key, `arn:…:u2f/…`, for the console; a hardware TOTP token,
 * `arn:…:mfa/…`, for the CLI). IAM has no condition key that tells hardware
 * from virtual devices (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent),
 * so the device is controlled by who may enrol it. The explicit Deny beats the
 * "manage your own MFA" allows of `mfaEnforcementPolicy` on every group.
 */
export function breakGlassGroupPolicy(): PolicyDocument {
    return policyDocument({
        Sid: "BreakGlassNoSelfEnrolledMfa",
        Effect: "Deny",
        Action: [...BREAK_GLASS_DENIED_MFA_ACTIONS],
        Resource: "*",
    });
}

/** What a break-glass user may not do to MFA devices; an administrator enrols the hardware device. */
export const BREAK_GLASS_DENIED_MFA_ACTIONS = [
    "iam:CreateVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:ResyncMFADevice",
    "iam:DeactivateMFADevice",
    "iam:DeleteVirtualMFADevice",
] as const;

/**
 * The AWS "self-manage credentials with MFA" pattern, on every group: without
 * MFA a user may only set up their MFA device, change their password and get an
 * MFA session token. With MFA they may also rotate their own access keys; the
 * program never creates keys.
 */
export function mfaEnforcementPolicy(accessId: string, enrolmentUntil?: string, partition?: Partition): PolicyDocument {
    const self = userArn(accessId, "${aws:username}", "/", partition);
    return policyDocument(
        {
            Sid: "AllowViewAccountInfo",
            Effect: "Allow",
            Action: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"],
            Resource: "*",
        },
        {
            Sid: "AllowManageOwnPasswordAndKeys",
            Effect: "Allow",
            Action: [
                "iam:ChangePassword",
                "iam:GetUser",
                "iam:CreateAccessKey",
                "iam:DeleteAccessKey",
                "iam:ListAccessKeys",
                "iam:UpdateAccessKey",
                "iam:GetAccessKeyLastUsed",
            ],
            Resource: self,
        },
        {
            Sid: "AllowManageOwnVirtualMFADevice",
            Effect: "Allow",
            Action: ["iam:CreateVirtualMFADevice"],
            Resource: mfaDeviceArn(accessId, "*", partition),
        },
        {
            Sid: "AllowManageOwnUserMFA",
            Effect: "Allow",
            Action: ["iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"],
            Resource: self,
        },
        {
            Sid: "DenyAllExceptListedIfNoMFA",
            Effect: "Deny",
            NotAction: [
                "iam:CreateVirtualMFADevice",
                "iam:EnableMFADevice",
                "iam:GetUser",
                "iam:ChangePassword",
                "iam:ListMFADevices",
                "iam:ListVirtualMFADevices",
                "iam:ResyncMFADevice",
                "iam:GetAccountPasswordPolicy",
                "sts:GetSessionToken",
            ],
            Resource: "*",
            Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
        },
        // Enrolling a device without MFA is how a first device is added, and also how someone who
        // learned a password would add their own. So it is allowed only inside the enrolment window
        // (identity.mfaEnrolmentUntil), or never when none is set: an administrator opens the window
        // for onboarding (docs/lifecycle.md). With MFA, users manage their devices at any time.
        {
            Sid: "DenyMfaEnrolmentWithoutMfaOutsideWindow",
            Effect: "Deny",
            Action: ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice"],
            Resource: "*",
            Condition: {
                BoolIfExists: { "aws:MultiFactorAuthPresent": "false" },
                ...(enrolmentUntil ? { DateGreaterThan: { "aws:CurrentTime": enrolmentUntil } } : {}),
            },
        },
    );
}

/** The inline policy of a permission set: config's own statements plus assuming its teams. */
export function permissionSetInlinePolicy(config: AccessConfig, permissionSet: string): PolicyDocument | undefined {
    const ps = config.identityCenter?.permissionSets.find((p) => p.name === permissionSet);
    const teams = config.teams.filter((t) => t.identityCenter.includes(permissionSet));
    const statements: PolicyStatement[] = [...((ps?.inlinePolicy?.Statement ?? []) as PolicyStatement[])];
    if (teams.length > 0) {
        statements.push({
            Sid: "AssumeTeamRoles",
            Effect: "Allow",
            Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
            Resource: oneOrMany(teams.map((t) => teamRoleArn(config.account, t, config.partition))),
        });
    }
    return statements.length > 0 ? policyDocument(...statements) : undefined;
}
