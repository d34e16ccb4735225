import * as pulumi from "@pulumi/pulumi";
import { AccessIdentity } from "../accounts/access-identity";
import { IdentityCenterAccess } from "../accounts/identity-center";
import { AccountProviders } from "../accounts/providers";
import { RegistrationWaves } from "../accounts/registration-waves";
import { Account } from "../config/organization";
import { AccessModel, memberRolesInScope, stackSetsInScope } from "../model/organization";
import { MemberRole } from "./member-role";
import { MemberRoleStackSets } from "./member-role-stack-sets";
import { TeamRole } from "./team-role";

export interface AdministrativeAccessArgs {
    /** The access setup as the model holds it; what this stack deploys of it is `access.config.deploy`. */
    readonly access: AccessModel;
    /** Per-account providers: the access account, member accounts, the Identity Center account. */
    readonly providers: AccountProviders;
    /** The stack's registration waves, which the member roles' per-account copies join. */
    readonly waves: RegistrationWaves;
    /** Identity Center's delegated-administrator registration when this stack makes it too: permission sets wait for it. */
    readonly identityCenterAfter?: readonly pulumi.Resource[];
    /** The management account: under `memberRoleDelivery: stacksets`, the stack sets' administrator, whose provider deploys them. */
    readonly managementAccount: Account;
}

/**
 * The administrative access account: identities, team roles, the member roles
 * they reach, and optionally Identity Center. Nothing else lives there.
 */
export class AdministrativeAccess extends pulumi.ComponentResource {
    public readonly accountId: string;
    /** Team role ARNs by team name; known at preview. */
    public readonly teamRoleArns: Record<string, string>;

    constructor(name: string, args: AdministrativeAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:accounts:AdministrativeAccess", name, {}, opts);
        const { access, providers, waves } = args;

        // A shard stack (deploy.identity false) builds member roles only; the
        // team roles they trust live in the access stack, under the same names.
        if (access.config.deploy.identity) {
            const accessProvider = providers.forAccount(access.account);
            const identity = new AccessIdentity(`${name}-identity`, { access, provider: accessProvider }, { parent: this });
            for (const { team, role } of access.teams) {
                new TeamRole(
                    `${name}-team-${team.name}`,
                    { role, provider: accessProvider },
                    { parent: this, dependsOn: identity.providers },
                );
            }
            if (access.identityCenter) {
                new IdentityCenterAccess(
                    `${name}-identity-center`,
                    { identityCenter: access.identityCenter, providers, after: args.identityCenterAfter },
                    { parent: this },
                );
            }
        }
        if (access.stackSets) {
            // One management-account provider for every member role, in every account (`memberRoleDelivery: stacksets`).
            const stackSets = stackSetsInScope(access);
            if (stackSets.length > 0) {
                new MemberRoleStackSets(
                    `${name}-stack-sets`,
                    { stackSets, provider: providers.forAccount(args.managementAccount) },
                    { parent: this },
                );
            }
        } else {
            for (const role of memberRolesInScope(access)) {
                new MemberRole(`${name}-role-${role.spec.name}`, { role, providers, waves }, { parent: this });
            }
        }

        this.accountId = access.account.id;
        this.teamRoleArns = Object.fromEntries(access.teams.map((t) => [t.team.name, t.role.arn]));
        this.registerOutputs({ accountId: this.accountId, teamRoleArns: this.teamRoleArns });
    }
}
