import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RoleModel } from "../model/organization";

export interface ManagementPreviewRoleArgs {
    /** The role as the organization model holds it: trust, the read policy, session length. */
    readonly role: RoleModel;
    /** The management account's provider. */
    readonly provider: aws.Provider;
}

/** The management account's read-only preview role. Protected: CI depends on it. */
export class ManagementPreviewReader extends pulumi.ComponentResource {
    public readonly roleArn: string;

    constructor(name: string, args: ManagementPreviewRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:ManagementPreviewReader", name, {}, opts);
        const { role: model, provider } = args;
        this.roleArn = model.arn;
        const role = new aws.iam.Role(
            name,
            {
                name: model.name,
                description: model.description,
                assumeRolePolicy: JSON.stringify(model.trust),
                maxSessionDuration: model.maxSessionDuration,
            },
            { parent: this, provider, protect: true, deleteBeforeReplace: true, import: model.importId },
        );
        for (const [policyName, document] of Object.entries(model.inline)) {
            new aws.iam.RolePolicy(
                `${name}-${policyName}`,
                { role: role.name, name: policyName, policy: JSON.stringify(document) },
                { parent: this, provider },
            );
        }
        new aws.iam.RolePoliciesExclusive(
            `${name}-inline-only`,
            { roleName: role.name, policyNames: Object.keys(model.inline) },
            { parent: this, provider },
        );
        new aws.iam.RolePolicyAttachmentsExclusive(
            `${name}-no-managed-policies`,
            { roleName: role.name, policyArns: [] },
            { parent: this, provider },
        );
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
