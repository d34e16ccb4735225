import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountProviders } from "../accounts/providers";
import { RegistrationWaves } from "../accounts/registration-waves";
import { PolicyDocument } from "../iam/documents";
import { MemberRoleModel, RoleModel } from "../model/organization";
import { registerRole } from "./register-role";

export interface MemberRoleArgs {
    /** The role as the organization model holds it, narrowed to the accounts this stack deploys. */
    readonly role: MemberRoleModel;
    /** Providers for the member accounts the role lands in. */
    readonly providers: AccountProviders;
    /** The stack's registration waves: each account's copy is one job, so a large organization is registered in bounded waves. */
    readonly waves: RegistrationWaves;
}

/**
 * One member role, in each account it is granted in, trusted in each by exactly
 * the team role ARNs granted it there. Never in the management account (config rejects
 * it). Protected.
 */
export class MemberRole extends pulumi.ComponentResource {
    /** Trust policy by account name: each copy admits the teams its grants name there. */
    public readonly trustPolicies: Record<string, PolicyDocument>;
    /** Role ARN by account name; known at preview. */
    public readonly roleArns: Record<string, string>;

    constructor(name: string, args: MemberRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:MemberRole", name, {}, opts);
        const { role, providers, waves } = args;
        this.trustPolicies = {};
        this.roleArns = {};

        const copiesSent = role.copies.map((copy) => {
            this.roleArns[copy.account.name] = copy.arn;
            this.trustPolicies[copy.account.name] = copy.trust;
            return waves.add(() => this.registerCopy(`${name}-${copy.account.name}`, copy, providers.forAccount(copy.account)));
        });
        // The component is complete once its last copy is registered, which may be a few waves later. A copy that
        // fails to register fails the program through `waves.done()`; the component then never completes.
        void Promise.all(copiesSent).then(
            () => this.registerOutputs({ roleArns: this.roleArns, trustPolicies: this.trustPolicies }),
            () => undefined,
        );
    }

    /** One account's copy: the role, its attachments and inline policies, and the two sets that keep them exclusive. */
    private registerCopy(key: string, copy: RoleModel, provider: aws.Provider): pulumi.Resource[] {
        // No dependsOn on the team roles: the trust names them by aws:PrincipalArn, which IAM
        // accepts before they exist, so shards and the access stack deploy in any order.
        return [provider, ...registerRole(key, copy, { parent: this, provider }).resources];
    }
}
