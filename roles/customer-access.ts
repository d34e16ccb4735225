import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountProviders } from "../accounts/providers";
import { CustomerAccess } from "../config/customer-access";
import { Organization } from "../config/organization";
import { roleArn } from "../iam/arns";
import { renderAwsConfig, switchRoleUrl } from "../outputs/console";
import { customerAccessProfile } from "../outputs/customer-profile";
import { customerGroupPolicy, customerPermissionPolicies, customerTrustPolicy } from "../model/customer-access-policy";
import { PolicyDocument } from "../iam/documents";

export interface CustomerAccessRoleArgs {
    /** The validated organization: management account and members. */
    readonly organization: Organization;
    /** The role's validated settings: name, session length, trust restrictions. */
    readonly access: CustomerAccess;
    /** Per-account providers: the role lives in the management account, group policies in members. */
    readonly providers: AccountProviders;
}

/**
 * The customer's role in the management account (`PumpCustomerAccess` by
 * default): read/write on organization-level services, no compute, no IAM, no
 * IAM Identity Center. Protected, so a mistaken destroy cannot lock the
 * customer out.
 */
export class CustomerAccessRole extends pulumi.ComponentResource {
    /** Known at preview: built from the account id and the role name. */
    public readonly roleArn: string;
    public readonly switchRoleUrl: string;
    /** A `~/.aws/config` profile that chains from the user's member-account profile. */
    public readonly cliProfile: string;
    /** The exact inline policies, by name. */
    public readonly permissions: Record<string, PolicyDocument>;
    public readonly trustPolicy: PolicyDocument;

    constructor(name: string, args: CustomerAccessRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:roles:CustomerAccessRole", name, {}, opts);
        const { organization: org, access, providers } = args;
        const management = providers.forAccount(org.management);

        this.roleArn = roleArn(org.management.id, access.roleName);
        this.trustPolicy = customerTrustPolicy(org, access.trust);
        this.permissions = customerPermissionPolicies();

        const role = new aws.iam.Role(
            name,
            {
                name: access.roleName,
                description: "Customer access to organization-level services (managed by org-access)",
                assumeRolePolicy: JSON.stringify(this.trustPolicy),
                maxSessionDuration: access.maxSessionDuration,
            },
            { parent: this, provider: management, protect: true },
        );

        const inlinePolicies = Object.entries(this.permissions).map(
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
            { roleName: role.name, policyNames: Object.keys(this.permissions) },
            { parent: this, provider: management, dependsOn: inlinePolicies },
        );
        new aws.iam.RolePolicyAttachmentsExclusive(
            `${name}-no-managed-policies`,
            { roleName: role.name, policyArns: [] },
            { parent: this, provider: management },
        );

        for (const group of access.trust?.groups ?? []) {
            new aws.iam.GroupPolicy(
                `${name}-${group.account.name}-${group.name}`,
                {
                    group: group.name,
                    name: `assume-${access.roleName}`,
                    policy: JSON.stringify(customerGroupPolicy(this.roleArn)),
                },
                { parent: this, provider: providers.forAccount(group.account) },
            );
        }

        const displayName = `${access.roleName} @ ${org.management.name}`;
        this.switchRoleUrl = switchRoleUrl(org.management.id, access.roleName, displayName);
        this.cliProfile = renderAwsConfig([customerAccessProfile(this.roleArn, access)]);

        this.registerOutputs({
            roleArn: this.roleArn,
            switchRoleUrl: this.switchRoleUrl,
            cliProfile: this.cliProfile,
            permissions: this.permissions,
        });
    }
}
