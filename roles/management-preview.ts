import * as pulumi from "@pulumi/pulumi";
import { registerRole, RoleArgs } from "./register-role";

/** The management account's read-only preview role (the management account's provider). Protected: CI depends on it. */
export class ManagementPreviewReader extends pulumi.ComponentResource {
    public readonly roleArn: string;

    constructor(name: string, args: RoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:ManagementPreviewReader", name, {}, opts);
        const { role: model, provider } = args;
        this.roleArn = model.arn;
        registerRole(name, model, { parent: this, provider });
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
