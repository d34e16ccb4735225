import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicyKey } from "../iam/arns";
import { RoleModel } from "../model/organization";

/** The args of a component around one role of the model (a team role, the management preview reader). */
export interface RoleArgs {
    /** The role as the organization model holds it: trust, policies, session length. */
    readonly role: RoleModel;
    /** The provider of the role's account. */
    readonly provider: aws.Provider;
}

/** What `registerRole` made, for outputs, `dependsOn` and registration waves. */
export interface RegisteredRole {
    readonly role: aws.iam.Role;
    readonly attachments: readonly aws.iam.RolePolicyAttachment[];
    readonly inline: readonly aws.iam.RolePolicy[];
    /** Every resource registered, in order. */
    readonly resources: readonly pulumi.Resource[];
}

/**
 * The one way every role component (customer, preview reader, team, member) registers an IAM
 * role from the model: the role itself, protected and replaced delete-first (its IAM name is
 * fixed), adopted when `org-access:adopt` names it; its managed policy attachments and inline
 * policies; and the two `*Exclusive` resources that remove whatever is attached by hand, each
 * after the policies it keeps (`dependsOn`), so a first deploy never deletes what it is about to
 * attach. The permissions in review are the permissions in force.
 *
 * `key` is the role's resource name; children are `${key}-<policy>`, `${key}-inline-only` and
 * `${key}-managed-only` (once `${key}-no-managed-policies` for three of the four components: an alias
 * keeps those from being replaced).
 */
export function registerRole(
    key: string,
    model: RoleModel,
    opts: {
        parent: pulumi.Resource;
        provider: aws.Provider;
        /** What the role's trust names and IAM requires first. */ dependsOn?: pulumi.Resource[];
    },
): RegisteredRole {
    const child = { parent: opts.parent, provider: opts.provider };
    const role = new aws.iam.Role(
        key,
        {
            name: model.name,
            path: model.path,
            description: model.description,
            assumeRolePolicy: JSON.stringify(model.trust),
            maxSessionDuration: model.maxSessionDuration,
            permissionsBoundary: model.permissionsBoundary,
        },
        { ...child, protect: true, deleteBeforeReplace: true, import: model.importId, dependsOn: opts.dependsOn },
    );
    const attachments = model.managedPolicyArns.map(
        (policyArn) => new aws.iam.RolePolicyAttachment(`${key}-${managedPolicyKey(policyArn)}`, { role: role.name, policyArn }, child),
    );
    const inline = Object.entries(model.inline).map(
        ([policyName, document]) =>
            new aws.iam.RolePolicy(`${key}-${policyName}`, { role: role.name, name: policyName, policy: JSON.stringify(document) }, child),
    );
    const managedOnly = new aws.iam.RolePolicyAttachmentsExclusive(
        `${key}-managed-only`,
        { roleName: role.name, policyArns: [...model.managedPolicyArns] },
        { ...child, dependsOn: attachments, aliases: [{ name: `${key}-no-managed-policies` }] },
    );
    const inlineOnly = new aws.iam.RolePoliciesExclusive(
        `${key}-inline-only`,
        { roleName: role.name, policyNames: Object.keys(model.inline) },
        { ...child, dependsOn: inline },
    );
    return { role, attachments, inline, resources: [role, ...attachments, ...inline, managedOnly, inlineOnly] };
}
