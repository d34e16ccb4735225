import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "../iam/documents";
import { RoleModel } from "../model/organization";

export interface TeamRoleArgs {
    /** The team role as the organization model holds it; its name is the team's. */
    readonly role: RoleModel;
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
    /** The IAM role itself, for `dependsOn` from member roles that trust it. */
    public readonly role: aws.iam.Role;

    constructor(name: string, args: TeamRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:TeamRole", name, {}, opts);
        const { role: model, provider } = args;
        this.roleArn = model.arn;
        this.trustPolicy = model.trust;

        this.role = new aws.iam.Role(
            name,
            {
                name: model.name,
                description: model.description,
                assumeRolePolicy: JSON.stringify(model.trust),
                maxSessionDuration: model.maxSessionDuration,
            },
            { parent: this, provider, protect: true, deleteBeforeReplace: true, import: model.importId },
        );
        const inline = Object.entries(model.inline).map(
            ([policyName, document]) =>
                new aws.iam.RolePolicy(
                    `${name}-${policyName}`,
                    { role: this.role.name, name: policyName, policy: JSON.stringify(document) },
                    { parent: this, provider },
                ),
        );
        // Nothing but the assume policy: hand-added policies are removed on the next `pulumi up`.
        new aws.iam.RolePoliciesExclusive(
            `${name}-inline-only`,
            { roleName: this.role.name, policyNames: Object.keys(model.inline) },
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
