import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "../iam/documents";
import { AccessModel } from "../model/organization";

export interface AccessIdentityArgs {
    /** The access setup as the model holds it: users, groups, SAML and OIDC providers. */
    readonly access: AccessModel;
    /** The access account's provider; IAM is global, so one region serves. */
    readonly provider: aws.Provider;
}

/**
 * Who can authenticate in the access account: IAM users and their groups
 * (every group enforces MFA), SAML and OIDC identity providers. No access keys
 * are created: users make their own, after MFA.
 */
export class AccessIdentity extends pulumi.ComponentResource {
    /** Group policies by group name: MFA enforcement, and the assume policy when the group has teams. */
    public readonly groupPolicies: Record<string, Readonly<Record<string, PolicyDocument>>>;
    public readonly userArns: Record<string, string>;
    /** Federation providers, which team roles must wait for. */
    public readonly providers: pulumi.Resource[];

    constructor(name: string, args: AccessIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:accounts:AccessIdentity", name, {}, opts);
        const { access, provider } = args;
        const child = { parent: this, provider };
        // Users, groups and identity providers have a fixed IAM name (a provider's ARN is its name or URL):
        // replaced create-before-delete, the new one would collide with the old (EntityAlreadyExists).
        const named = { ...child, deleteBeforeReplace: true };
        this.groupPolicies = {};
        this.userArns = {};
        this.providers = [];

        const groups = new Map<string, aws.iam.Group>();
        for (const { name: groupName, policies, importId } of access.groups) {
            const key = `${name}-group-${groupName}`;
            const group = new aws.iam.Group(key, { name: groupName }, { ...named, import: importId });
            groups.set(groupName, group);
            this.groupPolicies[groupName] = policies;
            const inline = Object.entries(policies).map(
                ([policyName, document]) =>
                    new aws.iam.GroupPolicy(
                        `${key}-${policyName}`,
                        { group: group.name, name: policyName, policy: JSON.stringify(document) },
                        child,
                    ),
            );
            new aws.iam.GroupPoliciesExclusive(
                `${key}-inline-only`,
                { groupName: group.name, policyNames: Object.keys(policies) },
                { ...child, dependsOn: inline },
            );
            new aws.iam.GroupPolicyAttachmentsExclusive(`${key}-no-managed-policies`, { groupName: group.name, policyArns: [] }, child);
        }

        for (const { spec: user, arn, importId } of access.users) {
            const key = `${name}-user-${user.name}`;
            // forceDestroy: removing a user from config deletes the access keys, login profile and MFA
            // devices the user made, which would otherwise fail the delete with DeleteConflict
            // (docs/lifecycle.md, Offboarding).
            const iamUser = new aws.iam.User(key, { name: user.name, forceDestroy: true }, { ...named, import: importId });
            this.userArns[user.name] = arn;
            if (user.groups.length > 0) {
                new aws.iam.UserGroupMembership(
                    `${key}-groups`,
                    { user: iamUser.name, groups: user.groups.map((g) => (groups.get(g) as aws.iam.Group).name) },
                    child,
                );
            }
            // Users hold no policies of their own: everything comes from groups.
            new aws.iam.UserPoliciesExclusive(`${key}-no-inline-policies`, { userName: iamUser.name, policyNames: [] }, child);
            new aws.iam.UserPolicyAttachmentsExclusive(`${key}-no-managed-policies`, { userName: iamUser.name, policyArns: [] }, child);
            if (user.loginProfile) {
                new aws.iam.UserLoginProfile(
                    `${key}-login`,
                    { user: iamUser.name, passwordResetRequired: true, pgpKey: user.loginProfile.pgpKey },
                    { ...child, ignoreChanges: ["passwordResetRequired", "passwordLength", "pgpKey"] },
                );
            }
        }

        for (const saml of access.saml) {
            this.providers.push(
                new aws.iam.SamlProvider(
                    `${name}-saml-${saml.name}`,
                    { name: saml.name, samlMetadataDocument: saml.metadata },
                    { ...named, import: saml.importId },
                ),
            );
        }
        for (const oidc of access.oidc) {
            this.providers.push(
                new aws.iam.OpenIdConnectProvider(
                    `${name}-oidc-${oidc.name}`,
                    {
                        url: oidc.url,
                        clientIdLists: [...oidc.clientIds],
                        thumbprintLists: oidc.thumbprints.length > 0 ? [...oidc.thumbprints] : undefined,
                    },
                    { ...named, import: oidc.importId },
                ),
            );
        }

        this.registerOutputs({
            userArns: this.userArns,
            groupPolicies: this.groupPolicies,
            samlProviderArns: access.saml.map((s) => s.arn),
            oidcProviderArns: access.oidc.map((o) => o.arn),
        });
    }
}
