/**
 * The documents of the administrative access account: who may enter a team
 * role, which member roles a team may reach, and the MFA rule every IAM group
 * carries. Pure functions over validated config, so tests simulate exactly
 * what the roles receive.
 */
import { AccessConfig, MemberRoleSpec, OidcProviderSpec, Team } from "../config/access";
import { Account } from "../config/organization";
import { accountRootArn, mfaDeviceArn, oidcProviderArn, roleArn, samlProviderArn, userArn } from "../iam/arns";
import { ConditionBlock, oneOrMany, policyDocument, PolicyDocument, PolicyStatement } from "../iam/documents";

export const SAML_AUDIENCE = "https://signin.aws.amazon.com/saml";
/** Actions a role-chaining session may carry across: the assume itself, source identity and session tags. */
export const CHAIN_ACTIONS = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"] as const;

export function teamRoleArn(access: Account, team: Team | string): string {
    return roleArn(access.id, typeof team === "string" ? team : team.name);
}

export function memberRoleArn(account: Account, role: MemberRoleSpec | string): string {
    return roleArn(account.id, typeof role === "string" ? role : role.name);
}

/** The reserved role Identity Center creates for a permission set, as an `ArnLike` pattern. Matches the old (no region) and new paths. */
export function identityCenterRolePattern(accountId: string, permissionSet: string): string {
    return roleArn(accountId, `AWSReservedSSO_${permissionSet}_*`, "/aws-reserved/sso.amazonaws.com/*");
}

/** Every member role the team may assume, as ARNs. */
export function memberRoleArnsOf(config: AccessConfig, team: string): string[] {
    return config.roles.filter((r) => r.teams.includes(team)).flatMap((r) => r.accounts.map((a) => memberRoleArn(a, r)));
}

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
    const statements: PolicyStatement[] = [];
    if (team.groups.length > 0) {
        statements.push({
            Sid: "IamUsersWithMfa",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(access) },
            Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
            Condition: {
                Bool: { "aws:MultiFactorAuthPresent": "true" },
                NumericLessThan: { "aws:MultiFactorAuthAge": String(config.identity.mfaMaxAgeSeconds) },
                ArnLike: { "aws:PrincipalArn": userArn(access, "*") },
            },
        });
    }
    if (team.saml.length > 0) {
        statements.push({
            Sid: "Saml",
            Effect: "Allow",
            Principal: { Federated: oneOrMany(team.saml.map((name) => samlProviderArn(access, name))) },
            Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
            Condition: { StringEquals: { "SAML:aud": SAML_AUDIENCE } },
        });
    }
    for (const trust of team.oidc) {
        const provider = config.identity.oidc.find((p) => p.name === trust.provider) as OidcProviderSpec;
        statements.push(oidcStatement(access, provider, trust.subjects));
    }
    if (team.identityCenter.length > 0) {
        statements.push({
            Sid: "IdentityCenter",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(access) },
            Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
            Condition: {
                ArnLike: { "aws:PrincipalArn": oneOrMany(team.identityCenter.map((ps) => identityCenterRolePattern(access, ps))) },
            },
        });
    }
    return policyDocument(...statements);
}

/** OIDC trust: the provider's audience(s) and exactly the configured subjects. */
export function oidcStatement(accessId: string, provider: OidcProviderSpec, subjects: readonly string[]): PolicyStatement {
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
        Principal: { Federated: oidcProviderArn(accessId, provider.host) },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: condition as ConditionBlock,
    };
}

/** A team role's only permission: assume exactly the member roles granted to it. */
export function teamPermissionPolicy(config: AccessConfig, team: Team): PolicyDocument | undefined {
    const arns = memberRoleArnsOf(config, team.name);
    // The preview team also reads the management account, through the mgmt stack's read-only role.
    if (config.preview && team.name === config.preview.team) {
        arns.push(config.preview.managementReaderArn);
    }
    if (arns.length === 0) {
        return undefined;
    }
    return policyDocument({ Sid: "AssumeGrantedMemberRoles", Effect: "Allow", Action: [...CHAIN_ACTIONS], Resource: oneOrMany(arns) });
}

/** Trust of a member role: exactly the team role ARNs granted it, with the external id when set. */
export function memberTrustPolicy(config: AccessConfig, role: MemberRoleSpec): PolicyDocument {
    const condition: ConditionBlock | undefined = role.externalId ? { StringEquals: { "sts:ExternalId": role.externalId } } : undefined;
    return policyDocument({
        Sid: "GrantedTeams",
        Effect: "Allow",
        Principal: { AWS: oneOrMany(role.teams.map((t) => teamRoleArn(config.account, t))) },
        Action: [...CHAIN_ACTIONS],
        ...(condition ? { Condition: condition } : {}),
    });
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
        Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
        Resource: oneOrMany(teams.map((t) => teamRoleArn(config.account, t))),
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    });
}

/**
 * The AWS "self-manage credentials with MFA" pattern, on every group: without
 * MFA a user may only set up their MFA device, change their password and get an
 * MFA session token. With MFA they may also rotate their own access keys; the
 * program never creates keys.
 */
export function mfaEnforcementPolicy(accessId: string, enrolmentUntil?: string): PolicyDocument {
    const self = userArn(accessId, "${aws:username}");
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
            Resource: mfaDeviceArn(accessId, "*"),
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
            Resource: oneOrMany(teams.map((t) => teamRoleArn(config.account, t))),
        });
    }
    return statements.length > 0 ? policyDocument(...statements) : undefined;
}
