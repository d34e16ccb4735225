/**
 * Reads the access stack's config (`accessAccount`, `regions`, `identity`, `teams`, `roles`,
 * `identityCenter`, `previewRole`, `deploy`) into a validated `AccessConfig`. One file per section.
 */
import { ConfigError, show } from "../errors";
import { Organization, resolveMember } from "../organization";
import { checkRegionPartition } from "../partition";
import { regionName } from "../regions";
import { assertUniqueIam, ConfigValue } from "../reader";
import { parseIdentity } from "./identity";
import { parseIdentityCenter } from "./identity-center";
import { parseMemberRole } from "./member-roles";
import { parsePreview, previewMemberRole, previewTeam } from "./preview";
import { parseTeam } from "./teams";
import { AccessConfig } from "./types";

/** The raw values of the access stack's top-level keys. */
export interface AccessConfigValues {
    readonly accessAccount: ConfigValue;
    readonly regions: ConfigValue;
    readonly identity: ConfigValue;
    readonly teams: ConfigValue;
    readonly roles: ConfigValue;
    readonly identityCenter: ConfigValue;
    readonly previewRole: ConfigValue;
}

/** Reads the access stack's config, or returns undefined when none of its keys is set. */
export function parseAccess(
    v: AccessConfigValues,
    org: Organization,
    projectDir: string,
    defaultRegion = "us-east-1",
): AccessConfig | undefined {
    const others = [v.regions, v.identity, v.teams, v.roles, v.identityCenter, v.previewRole].filter((x) => x.present);
    if (!v.accessAccount.present) {
        if (others.length > 0) {
            v.accessAccount.fail(`is required when ${others[0].key} is set`);
        }
        return undefined;
    }
    const account = resolveMember(org, v.accessAccount);

    // Optional: nothing regional is created yet, so the first region only picks the profiles' region.
    const regions = v.regions.present ? v.regions.stringList() : [defaultRegion];
    regions.forEach((r, i) => {
        const at = new ConfigValue(`${v.regions.key}[${i}]`, r);
        checkRegionPartition(at, regionName(at), org.partition);
    });
    if (regions.length === 0) {
        v.regions.fail(`is empty; name at least one region, or remove it to use the stack's aws:region (${defaultRegion})`);
    }

    const identity = parseIdentity(v.identity, projectDir);
    const previewValue = v.previewRole;
    const preview = previewValue.present ? parsePreview(previewValue, identity) : undefined;
    const identityCenter = v.identityCenter.present ? parseIdentityCenter(v.identityCenter, org, account) : undefined;

    const configTeams = v.teams.present ? v.teams.array().map((t) => parseTeam(t, identity, identityCenter, account)) : [];
    assertUniqueIam(v.teams, configTeams, (t) => t.name, "team name");
    if (preview) {
        const clash = configTeams.findIndex((t) => t.name.toLowerCase() === preview.team.toLowerCase());
        if (clash >= 0) {
            throw new ConfigError(
                `${v.teams.key}[${clash}].name`,
                `${show(configTeams[clash].name)} is reserved for org-access:previewRole`,
            );
        }
    }
    configTeams.forEach((t, i) => {
        if (t.name.toLowerCase() === org.deployRoleName.toLowerCase()) {
            throw new ConfigError(`${v.teams.key}[${i}].name`, `${show(t.name)} is the organization's deploy role in the access account`);
        }
    });
    const teams = preview ? [...configTeams, previewTeam(preview)] : configTeams;

    const configRoles = v.roles.present ? v.roles.array().map((r) => parseMemberRole(r, org, account, teams)) : [];
    assertUniqueIam(v.roles, configRoles, (r) => r.name, "role name");
    configRoles.forEach((r, i) => {
        const at = `${v.roles.key}[${i}].name`;
        if (r.name.toLowerCase() === org.deployRoleName.toLowerCase()) {
            throw new ConfigError(at, `${show(r.name)} is the organization's deploy role, which every member account already has`);
        }
        if (preview && r.name.toLowerCase() === preview.role.toLowerCase()) {
            throw new ConfigError(at, `${show(r.name)} is reserved for org-access:previewRole`);
        }
        const team = teams.find((t) => t.name.toLowerCase() === r.name.toLowerCase());
        if (team && r.accounts.some((a) => a.id === account.id)) {
            throw new ConfigError(
                at,
                `${show(r.name)} lands in the access account, where team ${show(team.name)} already has that role name`,
            );
        }
    });
    const roles = preview ? [...configRoles, previewMemberRole(preview, org)] : configRoles;

    // What this stack deploys of it is decided at stack level (config/deploy.ts); all of it until then.
    return { account, regions, identity, teams, roles, identityCenter, preview, deploy: { identity: true }, partition: org.partition };
}

export * from "./types";
