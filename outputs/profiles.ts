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
    for (const { team, role } of access.teams) {
        out[team.name] = {
            roleArn: role.arn,
            switchRoleUrl: switchRoleUrl(role.account.id, team.name, `${team.name} @ ${role.account.name}`, access.config.partition),
            memberRoles: rolesOfTeam(access, team.name).flatMap((r) =>
                r.copies.map((c) => ({
                    account: c.account.name,
                    roleArn: c.arn,
                    switchRoleUrl: switchRoleUrl(c.account.id, c.name, `${c.name} @ ${c.account.name}`, access.config.partition),
                })),
            ),
        };
    }
    return out;
}

/** Profile names: `access` for the user's keys, `access-<team>`, then `<account>-<role>`. */
export function userProfiles(access: AccessModel, userModel: UserModel): CliProfile[] {
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

/** `~/.aws/config` text for each IAM user. */
export function userAwsConfigs(access: AccessModel): Record<string, string> {
    return Object.fromEntries(access.users.map((u) => [u.spec.name, renderAwsConfig(userProfiles(access, u))]));
}

/** The customer role's console link and a `~/.aws/config` profile that chains from a member-account profile. */
export function customerAccessLinks(customer: CustomerRoleModel, partition?: Partition): { switchRoleUrl: string; cliProfile: string } {
    const { role } = customer;
    return {
        switchRoleUrl: switchRoleUrl(role.account.id, role.name, `${role.name} @ ${role.account.name}`, partition),
        cliProfile: renderAwsConfig([customerAccessProfile(role.arn, customer.settings)]),
    };
}
