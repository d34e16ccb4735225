import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountProviders } from "../accounts/providers";
import { PolicyDocument } from "../iam/documents";
import { CustomerRoleModel } from "../model/organization";
import { registerRole } from "./register-role";

export interface CustomerAccessRoleArgs {
    /** The role as the organization model holds it: trust, permissions, group grants. */
    readonly customer: CustomerRoleModel;
    /** Per-account providers: the role lives in the management account, group policies in members. */
    readonly providers: AccountProviders;
}

/**
 * The customer's role in the management account (`PumpCustomerAccess` by
 * default): read/write on organization-level services, no compute, no IAM, no
 * IAM Identity Center. Protected, so a mistaken destroy cannot lock the
 * customer out. With it, the service role of the customer's Config
 * organization aggregator, which the customer role may pass to Config only.
 */
export class CustomerAccessRole extends pulumi.ComponentResource {
    /** Known at preview: built from the account id and the role name. */
    public readonly roleArn: string;
    /** The exact inline policies, by name. */
    public readonly permissions: Readonly<Record<string, PolicyDocument>>;
    public readonly trustPolicy: PolicyDocument;
    /** The Config aggregator's service role, the one role the customer role may pass (to Config only). */
    public readonly aggregatorRoleArn: string;

    constructor(name: string, args: CustomerAccessRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:CustomerAccessRole", name, {}, opts);
        const { customer, providers } = args;
        const model = customer.role;
        const management = providers.forAccount(model.account);

        this.roleArn = model.arn;
        this.trustPolicy = model.trust;
        this.permissions = model.inline;

        registerRole(name, model, { parent: this, provider: management });

        // The Config aggregator's service role: trusted by Config alone, one AWS-managed policy, nothing
        // else (both lists held exclusively). Protected like the customer role: the customer's
        // aggregator stops collecting if a mistaken destroy removes it.
        // The Config aggregator's service role: trusted by Config alone, one AWS-managed policy, nothing
        // else (both lists held exclusively). Protected like the customer role: the customer's
        // aggregator stops collecting if a mistaken destroy removes it.
        const aggregator = customer.aggregatorRole;
        registerRole(`${name}-config-aggregator`, aggregator, { parent: this, provider: management });
        this.aggregatorRoleArn = aggregator.arn;

        for (const grant of customer.groupGrants) {
            new aws.iam.GroupPolicy(
                `${name}-${grant.account.name}-${grant.group}`,
                { group: grant.group, name: grant.policyName, policy: JSON.stringify(grant.policy) },
                { parent: this, provider: providers.forAccount(grant.account) },
            );
        }

        this.registerOutputs({ roleArn: this.roleArn, permissions: this.permissions, aggregatorRoleArn: this.aggregatorRoleArn });
    }
}
