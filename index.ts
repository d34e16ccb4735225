import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IdentityCenterDelegatedAdmin } from "./accounts/identity-center";
import { OrganizationPolicies } from "./accounts/organization-policies";
import { AccountProviders } from "./accounts/providers";
import { RegistrationWaves } from "./accounts/registration-waves";
import { loadStackConfig } from "./config/load";
import { deploySessionName } from "./config/session-names";
import { limitStackCapture } from "./config/runtime";
import { StackConfig } from "./config/stack";
import { buildOrganizationModel, deploysAccess, OrganizationModel } from "./model/organization";
import { accessGraph, accessMatrix } from "./outputs/matrix";
import { renderMatrix, renderMermaid } from "./outputs/matrix-render";
import { customerAccessLinks, identityCenterProfiles, samlOutputs, teamOutputs, userAwsConfigs } from "./outputs/profiles";
import { AdministrativeAccess } from "./roles/administrative-access";
import { CustomerAccessRole } from "./roles/customer-access";
import { AccessDeployIdentity, ManagementDeployIdentity } from "./roles/deploy-identity";
import { ManagementPreviewReader } from "./roles/management-preview";

/**
 * The program, as a function of the validated config. `pulumi up` calls it with
 * no argument (Pulumi's Node runtime runs a module that exports a function), so
 * it reads and validates the stack's config itself; the offline plan validates
 * first and passes the config and the model in, so its report reads the very
 * model the resources were built from.
 */
export = function orgAccess(
    config: StackConfig = loadStackConfig(),
    model: OrganizationModel = buildOrganizationModel(config),
    waves: RegistrationWaves = new RegistrationWaves(),
) {
    // 0. Keep the SDK's per-promise stack capture cheap (see config/runtime.ts).
    limitStackCapture();

    // 1. The organization model (the parameter above): every document and ARN, built once from the validated config.

    // 2. Providers: one per account, pinned with allowedAccountIds, made on first use. Their deploy-role
    // session name comes from the stack's name, checked against STS's limits before anything is registered.
    const sessionName = deploySessionName(pulumi.getStack());
    const providers = new AccountProviders({
        organization: config.organization,
        region: model.region,
        project: pulumi.getProject(),
        stack: pulumi.getStack(),
        sessionName,
        settings: config.awsProvider,
        roles: { providerRoles: config.providerRoles, deployIdentity: config.deployIdentity, accessAccount: config.access?.account },
    });

    // 2a. Registration waves (the parameter above): per-account resources are sent in bounded waves, so
    // the SDK's state per registration in flight does not grow with the organization (accounts/registration-waves.ts).

    // 3. The management-account customer role (stack `mgmt`).
    const customer =
        model.customerAccess && config.deploy.customerAccess
            ? new CustomerAccessRole("customer-access", { customer: model.customerAccess, providers })
            : undefined;

    // 3a. What the management account holds beside the customer role, deployed with it: Identity Center's delegated
    // administrator and the organization policies (SCP, RCP). The management-account provider is made only when used.
    const withCustomerAccess = <M, C>(part: M | undefined, make: (part: M, provider: aws.Provider) => C): C | undefined =>
        part !== undefined && config.deploy.customerAccess ? make(part, providers.forAccount(config.organization.management)) : undefined;
    const delegation = withCustomerAccess(
        model.identityCenterDelegation,
        (delegation, provider) => new IdentityCenterDelegatedAdmin("identity-center-delegated-admin", { delegation, provider }),
    );
    const organizationPolicies = withCustomerAccess(
        model.organizationPolicies,
        (policies, provider) => new OrganizationPolicies("organization-policies", { policies, provider }),
    );

    // 3b. The management account's read-only role for CI previews (stack `mgmt`, optional).
    const previewReader =
        model.managementPreview && config.deploy.managementPreviewRole
            ? new ManagementPreviewReader("management-preview", {
                  role: model.managementPreview,
                  provider: providers.forAccount(model.managementPreview.account),
              })
            : undefined;

    // 3c. The deploy identity: org-access-deploy in the access account (with `identity`); OrgAccessDeploy in the
    // management account and, through a StackSet run from there, in every member account (with `customerAccess`).
    const identity = model.deployIdentity;
    const accessDeployer =
        identity && config.deploy.identity
            ? new AccessDeployIdentity("deploy-identity", { identity, provider: providers.forAccount(identity.access.account) })
            : undefined;
    const managementDeployer =
        identity && config.deploy.customerAccess
            ? new ManagementDeployIdentity("deploy-identity-management", {
                  identity,
                  provider: providers.forAccount(identity.management.account),
              })
            : undefined;

    // 4. The administrative access account: identities, team roles, member roles (stack `access`).
    const adminAccess =
        model.access && deploysAccess(model)
            ? new AdministrativeAccess("access", {
                  access: model.access,
                  providers,
                  waves,
                  identityCenterAfter: delegation ? [delegation.registration] : [],
                  managementAccount: config.organization.management,
              })
            : undefined;

    // 5. Outputs, read from the model. A stack without a section exports null: Pulumi warns on undefined outputs.
    const accountName = (id: string) => model.accountName(id);
    const entryRoles = identity && accessDeployer ? [{ ...identity.access, managedPolicyArns: [] }] : [];
    const matrix = model.access && accessMatrix(accessGraph(model.access, entryRoles));
    const outputs = {
        customerAccess:
            customer && model.customerAccess
                ? {
                      roleArn: customer.roleArn,
                      ...customerAccessLinks(model.customerAccess, model.organization.partition),
                      trustPolicy: customer.trustPolicy,
                      permissions: customer.permissions,
                      configAggregatorRoleArn: customer.aggregatorRoleArn,
                  }
                : null,
        managementPreviewRoleArn: previewReader ? previewReader.roleArn : null,
        organizationPolicies: organizationPolicies ? organizationPolicies.names : null,
        // What CI signs in with (.github/workflows/*.yml read it from the organization plan's JSON).
        deployIdentity:
            identity && (accessDeployer || managementDeployer)
                ? {
                      roleArn: identity.access.arn,
                      subjects: identity.subjects,
                      previewRoleArn: model.access?.teams.find((t) => t.team.name === model.access?.config.preview?.team)?.role.arn ?? null,
                      managementRoleArn: managementDeployer ? managementDeployer.roleArn : null,
                      memberRoleName: identity.member.name,
                      region: model.region,
                  }
                : null,
        access:
            adminAccess && model.access && matrix
                ? {
                      accountId: adminAccess.accountId,
                      teams: teamOutputs(model.access),
                      awsConfig: userAwsConfigs(model.access, model.customerAccess),
                      saml: samlOutputs(model.access),
                      identityCenterAwsConfig: identityCenterProfiles(model.access),
                      matrix: renderMatrix(matrix, accountName),
                      mermaid: renderMermaid(matrix, accountName),
                  }
                : null,
    };
    // Pulumi's Node runtime awaits the program's promise, so the last waves are registered before the stack's outputs.
    return waves.done().then(() => outputs);
};
