// Rule family: the management account holds the organization, nothing else. SCPs do not apply to
// it (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html),
// so anything running or signing in there escapes the organization's guardrails.
//
// Design: an allow-list (`management-types.ts`), for both AWS providers. Resources that deploy
// other resources (CloudFormation stacks and StackSets, conformance packs, Service Catalog) count
// as what they deploy, or are violations when that cannot be known. Where a resource's account
// cannot be known at all (an unpinned provider, no provider), compute and access identities fail
// closed: they might be landing in the management account.

import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { accountsAmong, PIN_THE_PROVIDER, resourceAccounts, ResourceAccounts } from "../accounts";
import {
    accessAccountIdsProperty,
    managementAccountIdsProperty,
    readAllowedTypes,
    readOrganizationConfig,
    TYPE_TOKEN_PATTERN,
} from "../config";
import { classifyForManagementAccount, forbiddenInManagementAccount } from "../management-types";
import { isAccessIdentity, isCompute } from "../resource-types";
import { nestedDeployment, opaqueTemplateResource } from "../templates";

/** Packages whose resources are deployed into an AWS account through a provider. */
const AWS_PACKAGES: readonly string[] = ["aws", "aws-native"];

function isAwsResource(type: string): boolean {
    return AWS_PACKAGES.includes(type.split(":")[0]);
}

interface Placement {
    readonly accounts: ResourceAccounts;
    /** Management accounts (per config) the resource is or may be deployed into. */
    readonly ids: readonly string[];
    readonly where: string;
}

/** The management accounts (per config) this resource's provider deploys into, if any. */
function placementOf(args: ResourceValidationArgs, managementAccountIds: readonly string[]): Placement {
    const accounts = resourceAccounts(args.provider?.props);
    const ids = accountsAmong(accounts, managementAccountIds);
    // With several allowedAccountIds the resource lands in whichever the credentials reach.
    const where = accounts.known && accounts.accountIds.length > 1 ? "may be deployed into" : "is deployed into";
    const source = accounts.known ? ` (provider ${accounts.source})` : "";
    return { accounts, ids, where: `${where} management account ${ids.join(", ")}${source}` };
}

/**
 * A stack set instance with service-managed targets (OUs or the root, no `accountId`) deploys its stack
 * set's template into the targets' member accounts, never into the management account: "StackSets doesn't
 * deploy stack instances to the organization's management account, even if the management account is in
 * your organization or in an OU in your organization"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-associate-stackset-with-org.html).
 * The template itself is judged on the StackSet resource, which carries it.
 */
export function deploysOnlyIntoMembers(type: string, props: Record<string, unknown>): boolean {
    if (type !== "aws:cloudformation/stackSetInstance:StackSetInstance" || props.accountId !== undefined) {
        return false;
    }
    const targets = props.deploymentTargets;
    const ous = typeof targets === "object" && targets !== null ? (targets as Record<string, unknown>).organizationalUnitIds : undefined;
    return Array.isArray(ous) && ous.length > 0;
}

/**
 * Why a deploying resource's contents do not belong in the management account: the template
 * resources that are not allowed, or why its contents cannot be known. Empty when they all belong.
 */
export function nestedProblems(type: string, props: Record<string, unknown>, allowedTypes: readonly string[]): string[] {
    if (deploysOnlyIntoMembers(type, props)) {
        return [];
    }
    const deployment = nestedDeployment(type, props);
    if (deployment === undefined) {
        return [];
    }
    if (!deployment.known) {
        return [`it deploys resources the pack cannot know: ${deployment.reason}`];
    }
    const problems: string[] = [];
    for (const resource of deployment.resources) {
        // A StackSet whose inline template the pack read counts as what it deploys: those resources follow
        // it in the list and are judged as if in this account, as a top-level StackSet's template is here
        // (conservative: a self-managed StackSet may target this account, a service-managed one never does).
        if (resource.stackSet?.expanded) {
            continue;
        }
        const opaque = opaqueTemplateResource(resource);
        if (opaque !== undefined) {
            problems.push(opaque);
            continue;
        }
        const nativeType = resource.nativeType ?? resource.cfnType;
        const verdict = classifyForManagementAccount(nativeType, allowedTypes);
        if (!verdict.allowed) {
            problems.push(`${resource.logicalId} (${resource.cfnType}) is ${verdict.category}`);
        }
    }
    return problems.length === 0 ? [] : [`its template deploys ${problems.join(", ")}`];
}

/** Does a deploying resource's template hold compute (or is it unknowable, which may hide compute)? */
function deploysCompute(type: string, props: Record<string, unknown>): boolean {
    const deployment = nestedDeployment(type, props);
    if (deployment === undefined) {
        return false;
    }
    return (
        !deployment.known ||
        deployment.resources.some((r) => opaqueTemplateResource(r) !== undefined || isCompute(r.nativeType ?? r.cfnType))
    );
}

export const managementAllowedTypesProperty = {
    type: "array" as const,
    items: { type: "string" as const, pattern: TYPE_TOKEN_PATTERN },
    uniqueItems: true,
    default: [],
    description:
        "Resource types (exact Pulumi type tokens, aws: or aws-native:) the management account may hold besides " +
        "organization-level services and the program's IAM. Compute, access identities and resources that deploy others " +
        "(stacks, StackSets, Service Catalog: they count as what they deploy) cannot be listed.",
};

export const noComputeInManagementAccount: ResourceValidationPolicy = {
    name: "no-compute-in-management-account",
    description:
        "The management account holds the organization and nothing else (an allow-list, aws and aws-native): " +
        "Organizations, CloudTrail, Config (not remediation), Security Hub, GuardDuty, Inspector, Access Analyzer, " +
        "Detective, Macie, cost allocation tags, account settings, IAM roles and policies, IAM Identity Center, the " +
        "Firewall Manager admin association, plus allowedTypes. Compute of any service, and any type not listed, " +
        "fails: service control policies do not restrict the management account. CloudFormation stacks and StackSets, " +
        "conformance packs and Service Catalog count as what they deploy. Compute on a provider whose account cannot be " +
        "known fails too.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { managementAccountIds: managementAccountIdsProperty, allowedTypes: managementAllowedTypesProperty },
        required: ["managementAccountIds"],
    },
    validateResource: (args, reportViolation) => {
        // Access identities are management-account-not-access-account's to report.
        if (!isAwsResource(args.type) || isAccessIdentity(args.type)) {
            return;
        }
        // The config is read (and validated) for every resource: a bad config fails every analysis.
        const config = args.getConfig();
        const { managementAccountIds } = readOrganizationConfig(config);
        const allowedTypes = readAllowedTypes(config, forbiddenInManagementAccount, "management");
        if (managementAccountIds.length === 0) {
            return;
        }
        const classification = classifyForManagementAccount(args.type, allowedTypes);
        if (classification.allowed) {
            return;
        }
        const placement = placementOf(args, managementAccountIds);
        if (placement.accounts.known && placement.ids.length === 0) {
            return;
        }
        // Templates are read only for resources that may land in the management account.
        const deploys = classification.category === "deploys other resources";
        if (!placement.accounts.known) {
            if (isCompute(args.type) || (deploys && deploysCompute(args.type, args.props))) {
                reportViolation(
                    `${args.type} '${args.name}' ${deploys ? "may deploy compute" : "is compute"} and ${placement.accounts.reason}, so it ` +
                        `may be deployed into the management account, where service control policies do not apply; ${PIN_THE_PROVIDER}`,
                );
            }
            return;
        }
        if (deploys) {
            const nested = nestedProblems(args.type, args.props, allowedTypes);
            if (nested.length > 0) {
                reportViolation(
                    `${args.type} '${args.name}' ${placement.where}, and ${nested.join("; ")}; deploy workloads into a member account`,
                );
            }
            return;
        }
        const what = classification.category === "compute" ? "is compute" : "is not an organization-level resource";
        const remedy =
            classification.category === "compute"
                ? "run workloads in a member account"
                : "deploy it into a member account, or list the type in allowedTypes if the organization needs it here";
        reportViolation(`${args.type} '${args.name}' ${what} and ${placement.where}; ${remedy}`);
    },
};

export const managementAccountNotAccessAccount: ResourceValidationPolicy = {
    name: "management-account-not-access-account",
    description:
        "The management account holds no access identities (aws and aws-native): no IAM users or their credentials, " +
        "policies and group memberships, and no SAML or OIDC identity providers. People and pipelines sign in to " +
        "the access account and assume roles from there. An access identity whose account cannot be known fails too.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            managementAccountIds: managementAccountIdsProperty,
            accessAccountIds: accessAccountIdsProperty,
        },
        required: ["managementAccountIds"],
    },
    validateResource: (args, reportViolation) => {
        if (!isAccessIdentity(args.type)) {
            return;
        }
        const { managementAccountIds, accessAccountIds } = readOrganizationConfig(args.getConfig());
        if (managementAccountIds.length === 0) {
            return;
        }
        const placement = placementOf(args, managementAccountIds);
        const instead = accessAccountIds.length > 0 ? `the access account ${accessAccountIds.join(", ")}` : "the access account";
        if (!placement.accounts.known) {
            reportViolation(
                `${args.type} '${args.name}' is an access identity and ${placement.accounts.reason}, so it may be created in ` +
                    `the management account; ${PIN_THE_PROVIDER} (${instead})`,
            );
            return;
        }
        if (placement.ids.length > 0) {
            reportViolation(`${args.type} '${args.name}' is an access identity and ${placement.where}; create it in ${instead}`);
        }
    },
};
