import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RoleModel } from "../model/organization";
import { registerRole } from "./register-role";

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
        registerRole(name, model, { parent: this, provider });
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
