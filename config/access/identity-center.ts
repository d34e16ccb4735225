import { ConfigError, show } from "../errors";
import { Account, Organization, resolveAnyAccount } from "../organization";
import { arnIn, checkRegionPartition } from "../partition";
import { regionName } from "../regions";
import { managedPolicyArnsIn } from "../managed-policies";
import { assertUnique, ConfigValue, listOf } from "../reader";
import * as P from "./patterns";
import { parseAccounts } from "./member-roles";
import { AssignmentSpec, IdentityCenterSpec, PermissionSetSpec, StoreGroupRef } from "./types";

export function parseIdentityCenter(value: ConfigValue, org: Organization, access: Account): IdentityCenterSpec {
    const o = value.object(["account", "region", "instanceArn", "startUrl", "identityStoreId", "permissionSets", "assignments"]);
    const account = resolveAnyAccount(org, o.required("account"));
    const region = checkRegionPartition(o.field("region"), regionName(o.required("region")), org.partition);
    const instanceArn = arnIn(o.required("instanceArn"), P.INSTANCE_ARN, org.partition);
    const startUrl = o.required("startUrl").string(P.START_URL.pattern, P.START_URL.what);
    const identityStoreId = o.optional("identityStoreId", (v) => v.string(P.IDENTITY_STORE_ID.pattern, P.IDENTITY_STORE_ID.what));
    const permissionSets = listOf(o, "permissionSets", (item): PermissionSetSpec => {
        const p = item.object(["name", "sessionDuration", "managedPolicyArns", "inlinePolicy"]);
        return {
            name: p.required("name").string(P.PERMISSION_SET_NAME.pattern, P.PERMISSION_SET_NAME.what),
            sessionDuration: p.optional("sessionDuration", (d) => d.string(P.SESSION_DURATION.pattern, P.SESSION_DURATION.what)) ?? "PT1H",
            managedPolicyArns: p.optional("managedPolicyArns", (m) => managedPolicyArnsIn(m, org.partition)) ?? [],
            inlinePolicy: p.optional("inlinePolicy", parseInlinePolicy),
        };
    });
    assertUnique(o.field("permissionSets"), permissionSets, (p) => p.name, "permission set");
    // The reserved role of set `A` is AWSReservedSSO_A_<hash>; a set named `A_B` would match `A`'s pattern.
    permissionSets.forEach((p, i) => {
        const shadowed = permissionSets.find((q) => q !== p && p.name.startsWith(`${q.name}_`));
        if (shadowed) {
            throw new ConfigError(
                `${o.field("permissionSets").key}[${i}].name`,
                `${show(p.name)} starts with ${show(shadowed.name + "_")}, so its reserved roles would match ${show(shadowed.name)}'s trust pattern`,
            );
        }
    });
    const assignments = listOf(o, "assignments", (item): AssignmentSpec => {
        const a = item.object(["permissionSet", "group", "accounts"]);
        const permissionSet = a.required("permissionSet").string();
        if (!permissionSets.some((p) => p.name === permissionSet)) {
            a.field("permissionSet").fail(
                `unknown permission set ${show(permissionSet)} (not in org-access:identityCenter.permissionSets)`,
            );
        }
        const accountsValue = a.required("accounts");
        if (account.id !== org.management.id && Array.isArray(accountsValue.raw)) {
            // https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin.html: a delegated
            // administrator cannot manage permission sets provisioned to the management account.
            accountsValue.raw.forEach((ref, i) => {
                if (ref === org.management.name || ref === org.management.id) {
                    new ConfigValue(`${accountsValue.key}[${i}]`, ref).fail(
                        `${show(ref)} is the management account, whose permission sets Identity Center's delegated administrator (identityCenter.account ${show(account.name)}) cannot manage`,
                    );
                }
            });
        }
        const accounts =
            accountsValue.raw === "*" ? org.members.filter((m) => m.id !== access.id) : parseAccounts(accountsValue, org, access);
        const group = parseStoreGroup(a.required("group"));
        if ("displayName" in group && identityStoreId === undefined) {
            a.field("group").fail(
                `names group ${show(group.displayName)} by display name, which is looked up in the identity store: set org-access:identityCenter.identityStoreId (d-xxxxxxxxxx)`,
            );
        }
        return { permissionSet, group, accounts };
    });
    assertUnique(o.field("assignments"), assignments, (a) => `${a.permissionSet}/${storeGroupKey(a.group)}`, "assignment");
    return { account, region, instanceArn, startUrl, identityStoreId, permissionSets, assignments };
}

/**
 * An assignment's group: an identity-store group id (a string), or
 * `{ displayName: "Platform Admins" }`, looked up at deploy time with the
 * identity store's GetGroupId by the unique attribute `displayName`
 * (https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_GetGroupId.html;
 * `aws.identitystore.getGroup`'s `alternateIdentifier.uniqueAttribute`). A
 * string is always an id: a display name is never guessed from a string.
 */
export function parseStoreGroup(value: ConfigValue): StoreGroupRef {
    if (typeof value.raw === "string") {
        return {
            id: value.string(
                P.STORE_GROUP_ID.pattern,
                `${P.STORE_GROUP_ID.what}; to name a group by display name, write { displayName: ${show(value.raw)} }`,
            ),
        };
    }
    const o = value.object(["displayName"]);
    return { displayName: o.required("displayName").string(P.GROUP_DISPLAY_NAME.pattern, P.GROUP_DISPLAY_NAME.what) };
}

/** A stable key of a group reference: its id, or `name:<display name>`; also the key of its resources' names. */
export function storeGroupKey(group: StoreGroupRef): string {
    return "id" in group ? group.id : `name:${group.displayName}`;
}

export function parseInlinePolicy(value: ConfigValue): { Version: string; Statement: object[] } {
    const p = value.object(["Version", "Statement"]);
    const version = p.required("Version").string(/^2012-10-17$/, '"2012-10-17"');
    const statements = p.required("Statement").array();
    if (statements.length === 0) {
        p.field("Statement").fail("needs at least one statement");
    }
    return {
        Version: version,
        Statement: statements.map((s) => {
            s.object(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
            return s.raw as object;
        }),
    };
}
