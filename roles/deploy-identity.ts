import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DeployIdentityModel, DeployRoleModel } from "../model/deploy-identity";
import { registerRole } from "./register-role";
import { registerStackSetStack } from "./stack-set-stack";

/**
 * One deploy role, through the one role registration (roles/register-role.ts): protected, since CI depends
 * on it and a deploy that deleted it could not put it back; no managed policies.
 */
function registerDeployRole(
    parent: pulumi.ComponentResource,
    name: string,
    model: DeployRoleModel,
    provider: aws.Provider,
    dependsOn: pulumi.Resource[] = [],
): void {
    registerRole(name, { ...model, managedPolicyArns: [] }, { parent, provider, dependsOn });
}

/** The args of either part of the deploy identity: the model, and the provider of the part's account (access or management). */
export interface DeployIdentityArgs {
    readonly identity: DeployIdentityModel;
    readonly provider: aws.Provider;
}

/** The access account's part (stack with `deploy.identity`): GitHub's OIDC provider, unless `identity.oidc` declares it, and `org-access-deploy`. */
export class AccessDeployIdentity extends pulumi.ComponentResource {
    public readonly roleArn: string;

    constructor(name: string, args: DeployIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:AccessDeployIdentity", name, {}, opts);
        const { identity, provider } = args;
        const oidc = identity.oidcProvider;
        const providerResource = oidc.create
            ? new aws.iam.OpenIdConnectProvider(
                  `${name}-github`,
                  { url: oidc.url, clientIdLists: [oidc.audience] },
                  { parent: this, provider, protect: true, deleteBeforeReplace: true },
              )
            : undefined;
        // The role's trust names the provider as its principal: the provider first.
        registerDeployRole(this, name, identity.access, provider, providerResource ? [providerResource] : []);
        this.roleArn = identity.access.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}

/**
 * The management account's part (stack with `deploy.customerAccess`): `OrgAccessDeploy` there, and a
 * service-managed stack set with automatic deployment that gives every member account of the targeted OUs,
 * present and future, its own `OrgAccessDeploy` without a deploy of this program
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html),
 * registered as the stack around it (roles/stack-set-stack.ts). Service-managed stack sets never deploy to
 * the management account
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-associate-stackset-with-org.html).
 */
export class ManagementDeployIdentity extends pulumi.ComponentResource {
    public readonly roleArn: string;

    constructor(name: string, args: DeployIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:ManagementDeployIdentity", name, {}, opts);
        const { identity, provider } = args;
        registerDeployRole(this, name, identity.management, provider);
        const set = identity.stackSet;
        registerStackSetStack(`${name}-member-role`, { name: set.name, templateBody: set.stackTemplate }, { parent: this, provider });
        this.roleArn = identity.management.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
