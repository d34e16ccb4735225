import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountProviders } from "../accounts/providers";
import { managedPolicyKey } from "../iam/arns";
import { PolicyDocument } from "../iam/documents";
import { CustomerRoleModel } from "../model/organization";

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

        const role = new aws.iam.Role(
            name,
            {
                name: model.name,
                description: model.description,
                assumeRolePolicy: JSON.stringify(model.trust),
                maxSessionDuration: model.maxSessionDuration,
            },
            { parent: this, provider: management, protect: true, deleteBeforeReplace: true, import: model.importId },
        );

        const inlinePolicies = Object.entries(model.inline).map(
            ([policyName, document]) =>
                new aws.iam.RolePolicy(
                    `${name}-${policyName}`,
                    { role: role.name, name: policyName, policy: JSON.stringify(document) },
                    { parent: this, provider: management },
                ),
        );
        // Exclusive management: an inline or managed policy added by hand outside
        // this program is removed on the next `pulumi up`, so the permissions in
        // review are the permissions in force.
        new aws.iam.RolePoliciesExclusive(
            `${name}-inline-only`,
            { roleName: role.name, policyNames: Object.keys(model.inline) },
            { parent: this, provider: management, dependsOn: inlinePolicies },
        );
        new aws.iam.RolePolicyAttachmentsExclusive(
            `${name}-no-managed-policies`,
            { roleName: role.name, policyArns: [] },
            { parent: this, provider: management },
        );

        // The Config aggregator's service role: trusted by Config alone, one AWS-managed policy, nothing
        // else (both lists held exclusively). Protected like the customer role: the customer's
        // aggregator stops collecting if a mistaken destroy removes it.
        const aggregator = customer.aggregatorRole;
        const aggregatorRole = new aws.iam.Role(
            `${name}-config-aggregator`,
            {
                name: aggregator.name,
                path: aggregator.path,
                description: aggregator.description,
                assumeRolePolicy: JSON.stringify(aggregator.trust),
                maxSessionDuration: aggregator.maxSessionDuration,
            },
            { parent: this, provider: management, protect: true, deleteBeforeReplace: true },
        );
        for (const policyArn of aggregator.managedPolicyArns) {
            new aws.iam.RolePolicyAttachment(
                `${name}-config-aggregator-${managedPolicyKey(policyArn)}`,
                { role: aggregatorRole.name, policyArn },
                { parent: this, provider: management },
            );
        }
        new aws.iam.RolePolicyAttachmentsExclusive(
            `${name}-config-aggregator-managed-only`,
            { roleName: aggregatorRole.name, policyArns: [...aggregator.managedPolicyArns] },
            { parent: this, provider: management },
        );
        new aws.iam.RolePoliciesExclusive(
            `${name}-config-aggregator-no-inline`,
            { roleName: aggregatorRole.name, policyNames: [] },
            { parent: this, provider: management },
        );
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
