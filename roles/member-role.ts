import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountProviders } from "../accounts/providers";
import { AccessConfig, MemberRoleSpec } from "../config/access";
import { memberRoleArn, memberTrustPolicy } from "../model/access-policy";
import { managedPolicyKey } from "../iam/arns";
import { PolicyDocument } from "../iam/documents";

export interface MemberRoleArgs {
    /** The validated access-stack config. */
    readonly config: AccessConfig;
    /** The role: name, teams, accounts, policies. */
    readonly role: MemberRoleSpec;
    /** Providers for the member accounts the role lands in. */
    readonly providers: AccountProviders;
    /**
     * The IAM roles of the teams it trusts. IAM rejects a trust policy naming a
     * role ARN that does not exist yet, so each copy waits for them.
     */
    readonly teamRoles: readonly pulumi.Resource[];
}

/**
 * One member role, in each account it is granted in, trusted by exactly the
 * team role ARNs granted it. Never in the management account (config rejects
 * it). Protected.
 */
export class MemberRole extends pulumi.ComponentResource {
    public readonly trustPolicy: PolicyDocument;
    /** Role ARN by account name; known at preview. */
    public readonly roleArns: Record<string, string>;

    constructor(name: string, args: MemberRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:MemberRole", name, {}, opts);
        const { config, role, providers, teamRoles } = args;
        this.trustPolicy = memberTrustPolicy(config, role);
        this.roleArns = {};
        const inlineNames = Object.keys(role.inlinePolicies ?? {});

        for (const account of role.accounts) {
            const key = `${name}-${account.name}`;
            const provider = providers.forAccount(account);
            this.roleArns[account.name] = memberRoleArn(account, role);
            const iamRole = new aws.iam.Role(
                key,
                {
                    name: role.name,
                    description: role.description ?? `Reached from teams ${role.teams.join(", ")} (managed by org-access)`,
                    assumeRolePolicy: JSON.stringify(this.trustPolicy),
                    maxSessionDuration: role.maxSessionDuration,
                    permissionsBoundary: role.permissionsBoundary,
                },
                { parent: this, provider, protect: true, dependsOn: [...teamRoles] },
            );
            const attachments = role.managedPolicyArns.map(
                (policyArn) =>
                    new aws.iam.RolePolicyAttachment(
                        `${key}-${managedPolicyKey(policyArn)}`,
                        { role: iamRole.name, policyArn },
                        { parent: this, provider },
                    ),
            );
            const inline = Object.entries(role.inlinePolicies ?? {}).map(
                ([policyName, document]) =>
                    new aws.iam.RolePolicy(
                        `${key}-${policyName}`,
                        { role: iamRole.name, name: policyName, policy: JSON.stringify(document) },
                        { parent: this, provider },
                    ),
            );
            // The permissions in review are the permissions in force.
            new aws.iam.RolePolicyAttachmentsExclusive(
                `${key}-managed-only`,
                { roleName: iamRole.name, policyArns: [...role.managedPolicyArns] },
                { parent: this, provider, dependsOn: attachments },
            );
            new aws.iam.RolePoliciesExclusive(
                `${key}-inline-only`,
                { roleName: iamRole.name, policyNames: inlineNames },
                { parent: this, provider, dependsOn: inline },
            );
        }
        this.registerOutputs({ roleArns: this.roleArns, trustPolicy: this.trustPolicy });
    }
}

