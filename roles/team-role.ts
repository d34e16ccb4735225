import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "../iam/documents";
import { registerRole, RoleArgs } from "./register-role";

/**
 * A team role in the access account (its name is the team's; the access account's provider): where people and CI land. Its only
 * permission is assuming the member roles granted to the team. Protected.
 */
export class TeamRole extends pulumi.ComponentResource {
    /** Known at preview: built from the account id and the team name. */
    public readonly roleArn: string;
    public readonly trustPolicy: PolicyDocument;
    /** The IAM role itself, for `dependsOn` from member roles that trust it. */
    public readonly role: aws.iam.Role;

    constructor(name: string, args: RoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:TeamRole", name, {}, opts);
        const { role: model, provider } = args;
        this.roleArn = model.arn;
        this.trustPolicy = model.trust;

        this.role = registerRole(name, model, { parent: this, provider }).role;
        this.registerOutputs({ roleArn: this.roleArn, trustPolicy: this.trustPolicy });
    }
}
