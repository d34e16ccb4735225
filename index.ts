import * as pulumi from "@pulumi/pulumi";
import { AccountProviders } from "./accounts/providers";
import { AdministrativeAccess } from "./accounts/access-account";
import { loadStackConfig } from "./config/load";
import { limitStackCapture } from "./config/runtime";
import { CustomerAccessRole } from "./roles/customer-access";
import { ManagementPreviewReader } from "./roles/management-preview";

// 0. Keep the SDK's per-promise stack capture cheap (see config/runtime.ts).
limitStackCapture();

// 1. Config: validated in full before the first resource is registered.
const config = loadStackConfig();

// 2. Providers: one per account, pinned with allowedAccountIds, made on first use.
const providers = new AccountProviders({
    organization: config.organization,
    region: config.region,
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
});

// 3. The management-account customer role (stack `mgmt`).
const customer = config.customerAccess
    ? new CustomerAccessRole("customer-access", {
          organization: config.organization,
          access: config.customerAccess,
          providers,
      })
    : undefined;

// 3b. The management account's read-only role for CI previews (stack `mgmt`, optional).
const previewReader = config.managementPreviewRole
    ? new ManagementPreviewReader("management-preview", {
          organization: config.organization,
          preview: config.managementPreviewRole,
          provider: providers.forAccount(config.organization.management),
      })
    : undefined;

// 4. The administrative access account: identities, team roles, member roles (stack `access`).
const adminAccess = config.access
    ? new AdministrativeAccess("access", { organization: config.organization, config: config.access, providers })
    : undefined;

// 5. Outputs. A stack without a section exports null: Pulumi warns on undefined outputs.
export const customerAccess = customer
    ? {
          roleArn: customer.roleArn,
          switchRoleUrl: customer.switchRoleUrl,
          cliProfile: customer.cliProfile,
          trustPolicy: customer.trustPolicy,
          permissions: customer.permissions,
      }
    : null;

export const managementPreviewRoleArn = previewReader ? previewReader.roleArn : null;

export const access = adminAccess
    ? {
          accountId: adminAccess.accountId,
          teams: adminAccess.teams,
          awsConfig: adminAccess.awsConfig,
          identityCenterAwsConfig: adminAccess.identityCenterAwsConfig,
          matrix: adminAccess.matrixText,
          mermaid: adminAccess.mermaid,
      }
    : null;
