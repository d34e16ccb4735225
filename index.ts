import * as pulumi from "@pulumi/pulumi";
import { AccountProviders } from "./accounts/providers";
import { loadStackConfig } from "./config/load";
import { CustomerAccessRole } from "./roles/customer-access";

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

// 4. Outputs.
export const customerAccess = customer && {
    roleArn: customer.roleArn,
    switchRoleUrl: customer.switchRoleUrl,
    cliProfile: customer.cliProfile,
    trustPolicy: customer.trustPolicy,
    permissions: customer.permissions,
};
