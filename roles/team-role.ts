import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccessConfig, Team } from "../config/access";
import { teamPermissionPolicy, teamRoleArn, teamTrustPolicy } from "../model/access-policy";
import { PolicyDocument } from "../iam/documents";

export interface TeamRoleArgs {
    /** The validated access-stack config: access account, identity, teams and member roles. */
    readonly config: AccessConfig;
    /** The team this role is for; its name is the role name. */
    readonly team: Team;
    /** The access account's provider. */
    readonly provider: aws.Provider;
}

/**
 * A team role in the access account: where people and CI land. Its only
 * permission is assuming the member roles granted to the team. Protected.
 */
export class TeamRole extends pulumi.ComponentResource {
    /** Known at preview: built from the account id and the team name. */
    public readonly roleArn: string;
    public readonly trustPolicy: PolicyDocument;
    public readonly permissionPolicy?: PolicyDocument;
    /** The IAM role itself, for `dependsOn` from member roles that trust it. */
    public readonly role: aws.iam.Role;

    constructor(name: string, args: TeamRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:TeamRole", name, {}, opts);
        const { config, team, provider } = args;
        this.roleArn = teamRoleArn(config.account, team);
        this.trustPolicy = teamTrustPolicy(config, team);
        this.permissionPolicy = teamPermissionPolicy(config, team);

        this.role = new aws.iam.Role(
            name,
            {
                name: team.name,
                description: `Team ${team.name}: assumes its member roles (managed by org-access)`,
                assumeRolePolicy: JSON.stringify(this.trustPolicy),
                maxSessionDuration: team.maxSessionDuration,
            },
            { parent: this, provider, protect: true },
        );
        const policyNames: string[] = [];
        const inline: aws.iam.RolePolicy[] = [];
        if (this.permissionPolicy) {
            policyNames.push("assume-member-roles");
            inline.push(
                new aws.iam.RolePolicy(
                    `${name}-assume-member-roles`,
                    { role: this.role.name, name: "assume-member-roles", policy: JSON.stringify(this.permissionPolicy) },
                    { parent: this, provider },
                ),
            );
        }
        // Nothing but the assume policy: hand-added policies are removed on the next `pulumi up`.
        new aws.iam.RolePoliciesExclusive(
            `${name}-inline-only`,
            { roleName: this.role.name, policyNames },
            { parent: this, provider, dependsOn: inline },
        );
        new aws.iam.RolePolicyAttachmentsExclusive(
            `${name}-no-managed-policies`,
            { roleName: this.role.name, policyArns: [] },
            { parent: this, provider },
        );
        this.registerOutputs({ roleArn: this.roleArn, trustPolicy: this.trustPolicy });
    }
}
