import { Account, Organization, resolveMember } from "./organization";
import { ConfigValue } from "./reader";

/**
 * A read-only role in the management account for CI previews (stack `mgmt`):
 * a `pulumi preview` of either stack reads IAM, Organizations and Identity
 * Center there. It trusts exactly the access account's preview team role
 * (`org-access:previewRole` of the access stack), never a wildcard.
 */
export interface ManagementPreviewRole {
    /** The administrative access account, where the preview team role lives. */
    readonly accessAccount: Account;
}

/** Names shared by the two stacks, so each builds the other's ARN without a lookup. */
export const MANAGEMENT_PREVIEW_ROLE_NAME = "OrgAccessPreview";

export function parseManagementPreviewRole(value: ConfigValue, org: Organization): ManagementPreviewRole {
    const o = value.object(["accessAccount"]);
    return { accessAccount: resolveMember(org, o.required("accessAccount")) };
}
