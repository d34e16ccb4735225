/**
 * Adoption (`org-access:adopt`, config/adopt.ts) as import ids on the model:
 * a role, user or group is imported by its name, an identity provider by its
 * ARN, as the `@pulumi/aws` docs give each resource's import id ("import IAM
 * Roles using the `name`", likewise Users and Groups; "import IAM SAML
 * Providers using the `arn`", likewise OpenID Connect Providers:
 * https://www.pulumi.com/registry/packages/aws/api-docs/iam/role/#import and the
 * `## Import` sections of `@pulumi/aws` `iam/{role,user,group,samlProvider,openIdConnectProvider}.d.ts`).
 * Components pass `importId` as Pulumi's `import` resource option
 * (https://www.pulumi.com/docs/iac/concepts/resources/options/import/).
 */
import { Adoption } from "../config/adopt";
import type { AccessModel, OrganizationModel, RoleModel } from "./organization";

const importedByName = (role: RoleModel): RoleModel => ({ ...role, importId: role.name });

/** The model with `importId` set on every entity `adoption` names. Pure; without an adoption, the model itself. */
export function withAdoption(model: OrganizationModel, adoption: Adoption | undefined): OrganizationModel {
    if (!adoption) {
        return model;
    }
    const customer = model.customerAccess;
    return {
        ...model,
        customerAccess: customer && adoption.customerRole ? { ...customer, role: importedByName(customer.role) } : customer,
        managementPreview:
            model.managementPreview && adoption.managementPreviewRole ? importedByName(model.managementPreview) : model.managementPreview,
        access: model.access && adoptAccess(model.access, adoption),
    };
}

function adoptAccess(access: AccessModel, adoption: Adoption): AccessModel {
    const accountsOf = new Map(adoption.roles.map((r) => [r.name, new Set(r.accounts.map((a) => a.id))]));
    return {
        ...access,
        users: access.users.map((u) => (adoption.users.includes(u.spec.name) ? { ...u, importId: u.spec.name } : u)),
        groups: access.groups.map((g) => (adoption.groups.includes(g.name) ? { ...g, importId: g.name } : g)),
        saml: access.saml.map((p) => (adoption.saml.includes(p.name) ? { ...p, importId: p.arn } : p)),
        oidc: access.oidc.map((p) => (adoption.oidc.includes(p.name) ? { ...p, importId: p.arn } : p)),
        teams: access.teams.map((t) => (adoption.teams.includes(t.team.name) ? { ...t, role: importedByName(t.role) } : t)),
        memberRoles: access.memberRoles.map((m) => {
            const adopted = accountsOf.get(m.spec.name);
            return adopted ? { ...m, copies: m.copies.map((c) => (adopted.has(c.account.id) ? importedByName(c) : c)) } : m;
        }),
    };
}
