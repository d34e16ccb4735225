/**
 * What people need to sign in, from validated config: console switch-role
 * links and `~/.aws/config` profiles that chain access account -> team role ->
 * member role. The profiles use only standard settings (`source_profile`,
 * `role_arn`, `mfa_serial`, `sso_*`), which the AWS CLI, aws-vault and Granted read.
 */
import { AccessConfig, IamUserSpec } from "../config/access";
import { mfaDeviceArn } from "../iam/arns";
import { memberRoleArn, teamRoleArn } from "../model/access-policy";
import { CliProfile, renderAwsConfig, switchRoleUrl } from "./console";
import { sessionName } from "./session-names";

/** AWS caps a role-chained session at one hour, whatever the role's maxSessionDuration. */
export const CHAINED_SESSION_SECONDS = 3600;

export interface MemberRoleLink {
    readonly account: string;
    readonly roleArn: string;
    /** Works from a session that landed in the team role (SAML); see docs/access-account.md for IAM users. */
    readonly switchRoleUrl: string;
}

export interface TeamOutput {
    readonly roleArn: string;
    readonly switchRoleUrl: string;
    readonly memberRoles: readonly MemberRoleLink[];
}

export function teamOutputs(config: AccessConfig): Record<string, TeamOutput> {
    const out: Record<string, TeamOutput> = {};
    for (const team of config.teams) {
        out[team.name] = {
            roleArn: teamRoleArn(config.account, team),
            switchRoleUrl: switchRoleUrl(config.account.id, team.name, `${team.name} @ ${config.account.name}`),
            memberRoles: config.roles
                .filter((r) => r.teams.includes(team.name))
                .flatMap((r) =>
                    r.accounts.map((a) => ({
                        account: a.name,
                        roleArn: memberRoleArn(a, r),
                        switchRoleUrl: switchRoleUrl(a.id, r.name, `${r.name} @ ${a.name}`),
                    })),
                ),
        };
    }
    return out;
}

/** Profile names: `access` for the user's keys, `access-<team>`, then `<account>-<role>`. */
export function userProfiles(config: AccessConfig, user: IamUserSpec): CliProfile[] {
    const region = config.regions[0];
    const base = "access";
    const profiles: CliProfile[] = [
        { name: base, settings: [["region", region], ["sts_regional_endpoints", "regional"], ["mfa_serial", mfaDeviceArn(config.account.id, user.name)]] },
    ];
    const teams = config.teams.filter((t) => t.groups.some((g) => user.groups.includes(g)));
    const used = new Set<string>();
    for (const team of teams) {
        const teamProfile = `access-${team.name}`;
        profiles.push({
            name: teamProfile,
            settings: [
                ["source_profile", base],
                ["role_arn", teamRoleArn(config.account, team)],
                ["mfa_serial", mfaDeviceArn(config.account.id, user.name)],
                ["role_session_name", sessionName(user.name)],
                ["region", region],
            ],
        });
        for (const role of config.roles.filter((r) => r.teams.includes(team.name))) {
            for (const account of role.accounts) {
                let name = `${account.name}-${role.name}`;
                if (used.has(name)) {
                    name = `${name}-via-${team.name}`;
                }
                used.add(name);
                profiles.push({
                    name,
                    settings: [
                        ["source_profile", teamProfile],
                        ["role_arn", memberRoleArn(account, role)],
                        ["role_session_name", sessionName(user.name)],
                        ["duration_seconds", String(CHAINED_SESSION_SECONDS)],
                        ...(role.externalId ? ([["external_id", role.externalId]] as const) : []),
                        ["region", region],
                    ],
                });
            }
        }
    }
    return profiles;
}

/**
 * Identity Center: one `sso-session`, a profile per (assignment, account), and
 * for permission sets assigned to the access account, chains through their teams.
 */
export function identityCenterProfiles(config: AccessConfig): string | undefined {
    const ic = config.identityCenter;
    if (!ic) {
        return undefined;
    }
    const region = config.regions[0];
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
            const chainRoot = account.id === config.account.id && config.teams.some((t) => t.identityCenter.includes(assignment.permissionSet));
            profiles.push({
                name,
                settings: [
                    ...(chainRoot ? ([["sso_start_url", ic.startUrl], ["sso_region", ic.region]] as const) : ([["sso_session", session]] as const)),
                    ["sso_account_id", account.id],
                    ["sso_role_name", assignment.permissionSet],
                    ["region", region],
                ],
            });
            if (account.id !== config.account.id) {
                continue;
            }
            for (const team of config.teams.filter((t) => t.identityCenter.includes(assignment.permissionSet))) {
                const teamProfile = `${name}-${team.name}`;
                const teamSession = sessionName(`sso-${team.name}`);
                profiles.push({
                    name: teamProfile,
                    settings: [["source_profile", name], ["role_arn", teamRoleArn(config.account, team)], ["role_session_name", teamSession], ["region", region]],
                });
                for (const role of config.roles.filter((r) => r.teams.includes(team.name))) {
                    for (const target of role.accounts) {
                        profiles.push({
                            name: `${teamProfile}-${target.name}-${role.name}`,
                            settings: [
                                ["source_profile", teamProfile],
                                ["role_arn", memberRoleArn(target, role)],
                                ["role_session_name", teamSession],
                                ["duration_seconds", String(CHAINED_SESSION_SECONDS)],
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

/** `~/.aws/config` text for each IAM user. */
export function userAwsConfigs(config: AccessConfig): Record<string, string> {
    return Object.fromEntries(config.identity.users.map((u) => [u.name, renderAwsConfig(userProfiles(config, u))]));
}
