/**
 * What people need to sign in, from validated config: console switch-role
 * links and `~/.aws/config` profiles that chain access account -> team role ->
 * member role. The profiles use only standard settings (`source_profile`,
 * `role_arn`, `mfa_serial`, `sso_*`), which the AWS CLI, aws-vault and Granted read.
 * They set no source identity: the shared config files have no setting for it
 * (https://github.com/aws/aws-sdk/issues/124), so people set it on the first hop
 * (`aws sts assume-role --source-identity`, or the IdP's SAML attribute / OIDC
 * claim) and it persists along the chain; see docs/access-account.md, "Source identity".
 */
import { identityCenterSessionName } from "../config/session-names";
import { accountsOfTeam } from "../config/access/member-roles";
import { Partition } from "../config/partition";
import { AccessModel, CustomerRoleModel, MemberRoleModel, UserModel } from "../model/organization";
import { CliProfile, renderAwsConfig, switchRoleUrl } from "./console";
import { customerAccessProfile } from "./customer-profile";
import { CHAINED_SESSION_MAX_SECONDS, sessionName } from "./session-names";
import { endpointsOf } from "../iam/partition";

export interface MemberRoleLink {
    readonly account: string;
    readonly roleArn: string;
    /**
     * Present when the team has SAML: the console's Switch Role uses the credentials a person signed
     * in with, and a SAML session is the team role itself; IAM users and Identity Center sessions are
     * not trusted by member roles (docs/access-account.md, "How people log in").
     */
    readonly switchRoleUrl?: string;
}

export interface TeamOutput {
    readonly roleArn: string;
    /** Present when someone signs in to the access account's console as another principal: the team's IAM users, or Identity Center. */
    readonly switchRoleUrl?: string;
    readonly memberRoles: readonly MemberRoleLink[];
}

/** A SAML provider as the IdP's administrator needs it: the provider ARN (in the role attribute) and where assertions go. */
export interface SamlOutput {
    readonly providerArn: string;
    /** The Assertion Consumer Service URL: the partition's sign-in endpoint `/saml` (iam/partition.ts). */
    readonly acsUrl: string;
}

/** The member roles granted to a team, in config order, each narrowed to the copies its grants admit the team to. */
function rolesOfTeam(access: AccessModel, team: string): MemberRoleModel[] {
    return access.memberRoles
        .map((r) => {
            const ids = new Set(accountsOfTeam(r.spec, team).map((a) => a.id));
            return { ...r, copies: r.copies.filter((c) => ids.has(c.account.id)) };
        })
        .filter((r) => r.copies.length > 0);
}

export function teamOutputs(access: AccessModel): Record<string, TeamOutput> {
    const out: Record<string, TeamOutput> = {};
    const partition = access.config.partition;
    for (const { team, role } of access.teams) {
        // A link is made only for someone who can use it: an OIDC-only team signs in to no console.
        const signsInElsewhere = team.groups.length > 0 || team.identityCenter.length > 0;
        const landsInTeamRole = team.saml.length > 0;
        out[team.name] = {
            roleArn: role.arn,
            ...(signsInElsewhere
                ? { switchRoleUrl: switchRoleUrl(role.account.id, team.name, `${team.name} @ ${role.account.name}`, partition) }
                : {}),
            memberRoles: rolesOfTeam(access, team.name).flatMap((r) =>
                r.copies.map((c) => ({
                    account: c.account.name,
                    roleArn: c.arn,
                    ...(landsInTeamRole
                        ? { switchRoleUrl: switchRoleUrl(c.account.id, c.name, `${c.name} @ ${c.account.name}`, partition) }
                        : {}),
                })),
            ),
        };
    }
    return out;
}

/** Each SAML provider's ARN and the ACS URL, for the IdP's AWS app. */
export function samlOutputs(access: AccessModel): Record<string, SamlOutput> {
    const acsUrl = endpointsOf(access.config.partition).samlAudience;
    return Object.fromEntries(access.saml.map((s) => [s.name, { providerArn: s.arn, acsUrl }]));
}

/** The customer role's groups whose members are this access setup's users: trusted, and granted by the access stack. */
function customerGroupsOf(access: AccessModel, customer: CustomerRoleModel | undefined, user: UserModel): string[] {
    const trusted = customer?.settings.trust?.groups ?? [];
    return trusted
        .filter((g) => g.account.id === access.account.id && access.config.identity.groups.includes(g.name))
        .map((g) => g.name)
        .filter((g) => user.spec.groups.includes(g));
}

/**
 * Profile names: `access` for the user's keys, `access-<team>`, then `<account>-<role>`; and
 * `customer-access` when a group of the user is trusted by the customer role, chained from `access`,
 * a profile of the same file (customerAccess.sourceProfile is for people outside the access account).
 */
export function userProfiles(access: AccessModel, userModel: UserModel, customer?: CustomerRoleModel): CliProfile[] {
    const user = userModel.spec;
    const region = access.config.regions[0];
    const base = "access";
    const profiles: CliProfile[] = [
        {
            name: base,
            settings: [
                ["region", region],
                ["sts_regional_endpoints", "regional"],
                ["mfa_serial", userModel.mfaSerial],
            ],
        },
    ];
    const teams = access.teams.filter((t) => t.team.groups.some((g) => user.groups.includes(g)));
    const used = new Set<string>();
    for (const { team, role: teamRole } of teams) {
        const teamProfile = `access-${team.name}`;
        profiles.push({
            name: teamProfile,
            settings: [
                ["source_profile", base],
                ["role_arn", teamRole.arn],
                ["mfa_serial", userModel.mfaSerial],
                ["role_session_name", sessionName(user.name)],
                ["region", region],
            ],
        });
        for (const { spec: role, copies } of rolesOfTeam(access, team.name)) {
            for (const { account, arn } of copies) {
                let name = `${account.name}-${role.name}`;
                if (used.has(name)) {
                    name = `${name}-via-${team.name}`;
                }
                used.add(name);
                profiles.push({
                    name,
                    settings: [
                        ["source_profile", teamProfile],
                        ["role_arn", arn],
                        ["role_session_name", sessionName(user.name)],
                        ["duration_seconds", String(CHAINED_SESSION_MAX_SECONDS)],
                        ...(role.externalId ? ([["external_id", role.externalId]] as const) : []),
                        ["region", region],
                    ],
                });
            }
        }
    }
    if (customer && customerGroupsOf(access, customer, userModel).length > 0) {
        const profile = customerAccessProfile(customer.role.arn, { ...customer.settings, sourceProfile: base });
        profiles.push({
            ...profile,
            settings: [
                ...profile.settings.filter(([k]) => k !== "role_session_name" && k !== "region"),
                ["mfa_serial", userModel.mfaSerial],
                ["role_session_name", sessionName(user.name)],
                ["region", region],
            ],
        });
    }
    return profiles;
}

/**
 * Identity Center: one `sso-session`, a profile per (assignment, account), and
 * for permission sets assigned to the access account, chains through their teams.
 */
export function identityCenterProfiles(access: AccessModel): string | undefined {
    const ic = access.identityCenter?.spec;
    if (!ic) {
        return undefined;
    }
    const region = access.config.regions[0];
    const session = "org-access";
    const profiles: CliProfile[] = [];
    const seen = new Set<string>();
    for (const assignment of ic.assignments) {
        for (const account of assignment.accounts) {
            const name = `sso-${account.name}-${assignment.permissionSet}`;
            if (seen.has(name)) {
                continue;
            }
            seen.add(name);
            // A profile other profiles chain from names its start URL and region inline: AWS CLI v2
            // before 2.9.20 cannot chain from an sso_session profile (aws/aws-cli#7496), and every
            // CLI and SDK since still reads the inline form.
            const chainRoot =
                account.id === access.account.id && access.teams.some((t) => t.team.identityCenter.includes(assignment.permissionSet));
            profiles.push({
                name,
                settings: [
                    ...(chainRoot
                        ? ([
                              ["sso_start_url", ic.startUrl],
                              ["sso_region", ic.region],
                          ] as const)
                        : ([["sso_session", session]] as const)),
                    ["sso_account_id", account.id],
                    ["sso_role_name", assignment.permissionSet],
                    ["region", region],
                ],
            });
            if (account.id !== access.account.id) {
                continue;
            }
            for (const { team, role: teamRole } of access.teams.filter((t) => t.team.identityCenter.includes(assignment.permissionSet))) {
                const teamProfile = `${name}-${team.name}`;
                // Checked by config (config/session-names.ts): STS accepts it as it is.
                const teamSession = identityCenterSessionName(team.name);
                profiles.push({
                    name: teamProfile,
                    settings: [
                        ["source_profile", name],
                        ["role_arn", teamRole.arn],
                        ["role_session_name", teamSession],
                        ["region", region],
                    ],
                });
                for (const { spec: role, copies } of rolesOfTeam(access, team.name)) {
                    for (const { account: target, arn } of copies) {
                        profiles.push({
                            name: `${teamProfile}-${target.name}-${role.name}`,
                            settings: [
                                ["source_profile", teamProfile],
                                ["role_arn", arn],
                                ["role_session_name", teamSession],
                                ["duration_seconds", String(CHAINED_SESSION_MAX_SECONDS)],
                                ...(role.externalId ? ([["external_id", role.externalId]] as const) : []),
                                ["region", region],
                            ],
                        });
                    }
                }
            }
        }
    }
    const sessionBlock = [
        `[sso-session ${session}]`,
        `sso_start_url = ${ic.startUrl}`,
        `sso_region = ${ic.region}`,
        "sso_registration_scopes = sso:account:access",
        "",
        "",
    ].join("\n");
    return sessionBlock + renderAwsConfig(profiles);
}

/** `~/.aws/config` text for each IAM user, with the customer role's profile where a group of theirs is trusted. */
export function userAwsConfigs(access: AccessModel, customer?: CustomerRoleModel): Record<string, string> {
    return Object.fromEntries(access.users.map((u) => [u.spec.name, renderAwsConfig(userProfiles(access, u, customer))]));
}

/** The customer role's console link and a `~/.aws/config` profile that chains from a member-account profile. */
export function customerAccessLinks(customer: CustomerRoleModel, partition?: Partition): { switchRoleUrl: string; cliProfile: string } {
    const { role } = customer;
    return {
        switchRoleUrl: switchRoleUrl(role.account.id, role.name, `${role.name} @ ${role.account.name}`, partition),
        cliProfile: renderAwsConfig([customerAccessProfile(role.arn, customer.settings)]),
    };
}
