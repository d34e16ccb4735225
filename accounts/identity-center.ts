import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { storeGroupKey } from "../config/access/identity-center";
import { StoreGroupRef } from "../config/access/types";
import { managedPolicyKey } from "../iam/arns";
import { IdentityCenterDelegation, IdentityCenterModel } from "../model/organization";
import { AccountProviders } from "./providers";

export interface IdentityCenterAccessArgs {
    /** Permission sets with their inline policies, and assignments, as the model holds them. */
    readonly identityCenter: IdentityCenterModel;
    /** Providers; Identity Center is administered in `identityCenter.account`, in its home region. */
    readonly providers: AccountProviders;
    /**
     * What AWS needs to exist first when it is made by this same stack: the registration of
     * `identityCenter.account` as delegated administrator (row `identity-center-delegated-admin`
     * of offline/deploy-dependencies.ts; across stacks the organization plan orders the stacks).
     */
    readonly after?: readonly pulumi.Resource[];
}

/**
 * IAM Identity Center permission sets and group assignments. Identity Center
 * lives in one region (its home region): that is the service's nature, and the
 * IAM-user and federation paths of the access account remain when it is down.
 * A permission set that a team names gets an inline statement allowing it to
 * assume exactly those team roles.
 */
export class IdentityCenterAccess extends pulumi.ComponentResource {
    public readonly permissionSetArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: IdentityCenterAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:accounts:IdentityCenterAccess", name, {}, opts);
        const { identityCenter, providers, after = [] } = args;
        const ic = identityCenter.spec;
        const provider = providers.forAccount(ic.account, ic.region);
        const child = { parent: this, provider };
        this.permissionSetArns = {};
        // A group named by display name is looked up once, at deploy time, in the identity store, through the
        // Identity Center account's provider: GetGroupId by the unique attribute displayName
        // (https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_GetGroupId.html,
        // https://www.pulumi.com/registry/packages/aws/api-docs/identitystore/getgroup/). Only the assignments'
        // principalId depends on it; no trust policy does, so they stay known at preview.
        const lookedUp = new Map<string, pulumi.Output<string>>();
        const groupIdOf = (group: StoreGroupRef): pulumi.Input<string> => {
            if ("id" in group) {
                return group.id;
            }
            let id = lookedUp.get(group.displayName);
            if (!id) {
                id = aws.identitystore
                    .getGroupOutput(
                        {
                            identityStoreId: ic.identityStoreId as string,
                            alternateIdentifier: { uniqueAttribute: { attributePath: "DisplayName", attributeValue: group.displayName } },
                        },
                        { parent: this, provider },
                    )
                    .apply((g) => g.groupId);
                lookedUp.set(group.displayName, id);
            }
            return id;
        };

        for (const { spec: ps, inline } of identityCenter.permissionSets) {
            const key = `${name}-${ps.name}`;
            const set = new aws.ssoadmin.PermissionSet(
                key,
                { instanceArn: ic.instanceArn, name: ps.name, sessionDuration: ps.sessionDuration, description: "Managed by org-access" },
                // Names are unique per instance: a replacement must delete the old set first.
                { ...child, deleteBeforeReplace: true, dependsOn: [...after] },
            );
            this.permissionSetArns[ps.name] = set.arn;
            for (const policyArn of ps.managedPolicyArns) {
                new aws.ssoadmin.ManagedPolicyAttachment(
                    `${key}-${managedPolicyKey(policyArn)}`,
                    { instanceArn: ic.instanceArn, permissionSetArn: set.arn, managedPolicyArn: policyArn },
                    child,
                );
            }
            if (inline) {
                new aws.ssoadmin.PermissionSetInlinePolicy(
                    `${key}-inline`,
                    { instanceArn: ic.instanceArn, permissionSetArn: set.arn, inlinePolicy: JSON.stringify(inline) },
                    child,
                );
            }
            for (const assignment of ic.assignments.filter((a) => a.permissionSet === ps.name)) {
                const principalId = groupIdOf(assignment.group);
                for (const account of assignment.accounts) {
                    new aws.ssoadmin.AccountAssignment(
                        `${key}-${storeGroupKey(assignment.group)}-${account.name}`,
                        {
                            instanceArn: ic.instanceArn,
                            permissionSetArn: set.arn,
                            principalType: "GROUP",
                            principalId,
                            targetType: "AWS_ACCOUNT",
                            targetId: account.id,
                        },
                        child,
                    );
                }
            }
        }
        this.registerOutputs({ permissionSetArns: this.permissionSetArns });
    }
}

export interface IdentityCenterDelegatedAdminArgs {
    readonly delegation: IdentityCenterDelegation;
    /** The management account's provider: only it can register a delegated administrator. */
    readonly provider: aws.Provider;
}

/**
 * Registers the member account that administers Identity Center as the
 * service's delegated administrator, so permission sets are managed there and
 * the access stack writes nothing into the management account. Protected:
 * deregistering it removes that account's administration of Identity Center.
 */
export class IdentityCenterDelegatedAdmin extends pulumi.ComponentResource {
    /** The registration itself, for `dependsOn` from Identity Center resources in the same stack. */
    public readonly registration: aws.organizations.DelegatedAdministrator;

    constructor(name: string, args: IdentityCenterDelegatedAdminArgs, opts?: pulumi.ComponentResourceOptions) {
        super("org-access:accounts:IdentityCenterDelegatedAdmin", name, {}, opts);
        const { delegation, provider } = args;
        this.registration = new aws.organizations.DelegatedAdministrator(
            name,
            { accountId: delegation.account.id, servicePrincipal: delegation.servicePrincipal },
            { parent: this, provider, protect: true },
        );
        this.registerOutputs({ accountId: delegation.account.id, servicePrincipal: delegation.servicePrincipal });
    }
}
