import * as pulumi from "@pulumi/pulumi";
import { AccessConfig, memberRoleInScope } from "../config/access";
import { Organization } from "../config/organization";
import { accessGraph, accessMatrix, MatrixRow, renderMatrix, renderMermaid } from "../outputs/matrix";
import { identityCenterProfiles, TeamOutput, teamOutputs, userAwsConfigs } from "../outputs/profiles";
import { MemberRole } from "../roles/member-role";
import { TeamRole } from "../roles/team-role";
import { AccessIdentity } from "./access-identity";
import { IdentityCenterAccess } from "./identity-center";
import { AccountProviders } from "./providers";

export interface AdministrativeAccessArgs {
    /** The validated organization, for account names in the matrix. */
    readonly organization: Organization;
    /** The validated access-stack config. */
    readonly config: AccessConfig;
    /** Per-account providers: the access account, member accounts, the Identity Center account. */
    readonly providers: AccountProviders;
}

/**
 * The administrative access account: identities, team roles, the member roles
 * they reach, and optionally Identity Center. Nothing else lives there.
 */
export class AdministrativeAccess extends pulumi.ComponentResource {
    public readonly accountId: string;
    public readonly teams: Record<string, TeamOutput>;
    /** `~/.aws/config` text by IAM user name. */
    public readonly awsConfig: Record<string, string>;
    /** `~/.aws/config` text for Identity Center users, when configured. */
    public readonly identityCenterAwsConfig?: string;
    public readonly matrix: readonly MatrixRow[];
    /** The matrix as one line per path. */
    public readonly matrixText: readonly string[];
    public readonly mermaid: string;

    constructor(name: string, args: AdministrativeAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:accounts:AdministrativeAccess", name, {}, opts);
        const { organization: org, config, providers } = args;

        // A shard stack (deploy.identity false) builds member roles only; the
        // team roles they trust live in the access stack, under the same names.
        const teamRoles = new Map<string, TeamRole>();
        if (config.deploy.identity) {
            const accessProvider = providers.forAccount(config.account);
            const identity = new AccessIdentity(`${name}-identity`, { config, provider: accessProvider }, { parent: this });
            for (const team of config.teams) {
                teamRoles.set(
                    team.name,
                    new TeamRole(`${name}-team-${team.name}`, { config, team, provider: accessProvider }, { parent: this, dependsOn: identity.providers }),
                );
            }
            if (config.identityCenter) {
                new IdentityCenterAccess(`${name}-identity-center`, { config, identityCenter: config.identityCenter, providers }, { parent: this });
            }
        }
        for (const configured of config.roles) {
            const role = memberRoleInScope(configured, config.deploy);
            if (role.accounts.length === 0) {
                continue;
            }
            const trusted = role.teams.flatMap((t) => {
                const team = teamRoles.get(t);
                return team ? [team.role] : [];
            });
            new MemberRole(`${name}-role-${role.name}`, { config, role, providers, teamRoles: trusted }, { parent: this });
        }

        const accountName = (id: string) => [org.management, ...org.members].find((a) => a.id === id)?.name ?? id;
        this.accountId = config.account.id;
        this.teams = teamOutputs(config);
        this.awsConfig = userAwsConfigs(config);
        this.identityCenterAwsConfig = identityCenterProfiles(config);
        this.matrix = accessMatrix(accessGraph(config));
        this.matrixText = renderMatrix(this.matrix, accountName);
        this.mermaid = renderMermaid(this.matrix, accountName);
        this.registerOutputs({ accountId: this.accountId, teams: this.teams, awsConfig: this.awsConfig, matrix: this.matrixText });
    }
}
