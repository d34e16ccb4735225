// Rule family: the management account holds the organization, nothing else. SCPs do not apply to
// it, so anything running or logging in there escapes the organization's guardrails.

import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { accountsAmong, resourceAccounts } from "../accounts";
import { accessAccountIdsProperty, managementAccountIdsProperty, readOrganizationConfig } from "../config";
import { ACCESS_IDENTITY_RESOURCE_TYPES, COMPUTE_RESOURCE_TYPES } from "../resource-types";

/** The management accounts (per config) this resource's provider deploys into, if any. */
function managementAccountsOf(args: ResourceValidationArgs): { ids: string[]; where: string } {
    const config = readOrganizationConfig(args.getConfig());
    const accounts = resourceAccounts(args.provider?.props);
    const ids = accountsAmong(accounts, config.managementAccountIds);
    // With several allowedAccountIds the resource lands in whichever the credentials reach.
    const where = accounts.known && accounts.accountIds.length > 1 ? "may be deployed into" : "is deployed into";
    const source = accounts.known ? ` (provider ${accounts.source})` : "";
    return { ids, where: `${where} management account ${ids.join(", ")}${source}` };
}

export const noComputeInManagementAccount: ResourceValidationPolicy = {
    name: "no-compute-in-management-account",
    description:
        "The management account runs no compute (EC2, Auto Scaling, Lambda, ECS, EKS, Batch, Lightsail, " +
        "App Runner, Elastic Beanstalk, EMR, SageMaker, Glue, CodeBuild, GameLift, ...): service control " +
        "policies do not restrict it, so workloads there escape the organization's guardrails.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { managementAccountIds: managementAccountIdsProperty },
        required: ["managementAccountIds"],
    },
    validateResource: (args, reportViolation) => {
        if (!COMPUTE_RESOURCE_TYPES.has(args.type)) {
            return;
        }
        const { ids, where } = managementAccountsOf(args);
        if (ids.length > 0) {
            reportViolation(`${args.type} '${args.name}' is compute and ${where}; run workloads in a member account`);
        }
    },
};

export const managementAccountNotAccessAccount: ResourceValidationPolicy = {
    name: "management-account-not-access-account",
    description:
        "The management account holds no access identities: no IAM users or their credentials, policies and " +
        "group memberships, and no SAML or OIDC identity providers. People and pipelines sign in to the " +
        "access account and assume roles from there.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            managementAccountIds: managementAccountIdsProperty,
            accessAccountIds: accessAccountIdsProperty,
        },
        required: ["managementAccountIds"],
    },
    validateResource: (args, reportViolation) => {
        if (!ACCESS_IDENTITY_RESOURCE_TYPES.has(args.type)) {
            return;
        }
        const { ids, where } = managementAccountsOf(args);
        if (ids.length === 0) {
            return;
        }
        const { accessAccountIds } = readOrganizationConfig(args.getConfig());
        const instead = accessAccountIds.length > 0 ? `the access account ${accessAccountIds.join(", ")}` : "the access account";
        reportViolation(`${args.type} '${args.name}' is an access identity and ${where}; create it in ${instead}`);
    },
};
