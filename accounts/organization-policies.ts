import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { OrganizationPoliciesModel, organizationPolicyList } from "../model/organization-policies";

export interface OrganizationPoliciesArgs {
    /** The SCP, the RCP and their targets, as the organization model holds them. */
    readonly policies: OrganizationPoliciesModel;
    /** The management account's provider: only the management account manages organization policies. */
    readonly provider: aws.Provider;
}

/**
 * The organization policies (`org-access:organizationPolicies`), created in the management account and
 * attached to the root or the listed OUs. Protected: a destroy must not silently drop the perimeter, and
 * a replaced attachment would leave its targets without it between delete and create; turning a
 * policy off is a config change (its statement leaves the document), removing them all a deliberate
 * `pulumi state unprotect`. Attaching an RCP needs the RCP policy type enabled on the root, which this
 * program does not manage (docs/organization-policies.md, "Before the first deploy").
 */
export class OrganizationPolicies extends pulumi.ComponentResource {
    /** Policy names, by type. */
    public readonly names: Readonly<Record<string, string>>;

    constructor(name: string, args: OrganizationPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:accounts:OrganizationPolicies", name, {}, opts);
        const { policies, provider } = args;
        const names: Record<string, string> = {};
        for (const model of organizationPolicyList(policies)) {
            const kind = model.type === "SERVICE_CONTROL_POLICY" ? "scp" : "rcp";
            names[model.type] = model.name;
            const policy = new aws.organizations.Policy(
                `${name}-${kind}`,
                { name: model.name, type: model.type, description: model.description, content: JSON.stringify(model.document) },
                { parent: this, provider, protect: true },
            );
            // Keyed by the target's id (r-… or ou-…), stable whatever order config lists them in.
            for (const target of policies.targets) {
                new aws.organizations.PolicyAttachment(
                    `${name}-${kind}-${target.id}`,
                    { policyId: policy.id, targetId: target.id },
                    { parent: this, provider, protect: true },
                );
            }
        }
        this.names = names;
        this.registerOutputs({ names });
    }
}
