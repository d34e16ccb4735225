/**
 * The policy pack's config file, generated from the organization's config: one source of ids. Every
 * stack of the project must name the same organization and management account (they share the
 * project's `organization`); the access accounts are those the stacks name. `npm run pack-config`
 * writes it; the workflows pass it to `pulumi preview/up --policy-pack-config`, and
 * `policy-pack/config.example.json` is this repository's copy (checked by `npm run docs:check`).
 */
import { ConfigError } from "../config/errors";
import { parseStackConfig } from "../config/stack";
import { readStackConfig, stackNames } from "./stack-files";
import { buildOrganizationModel } from "../model/organization";
import { CUSTOMER_JOBS } from "../model/customer-access-jobs";
import { DEPLOY_CHAIN_ACTIONS } from "../model/deploy-identity";
import { deployActions, MEMBER_ROLE_TYPES } from "../model/deploy-permissions";
import { deployPrincipalPatterns } from "../model/organization-policies";
import type { DeployPrincipal } from "../policy-pack/policies/organization-policies";

/** The pack's settings that are choices, not ids: the same in every organization unless edited here. */
const PACK_SETTINGS = {
    allowedTypes: [] as string[],
    subjectRequiredIssuers: ["token.actions.githubusercontent.com", "gitlab.com", "app.terraform.io", "agent.buildkite.com"],
    // IAM's default trust-policy quota (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
    maxTrustPolicyCharacters: 2048,
};

export interface PackIds {
    readonly organizationId: string;
    readonly managementAccountIds: readonly string[];
    readonly accessAccountIds: readonly string[];
    /** The deploy identity in member accounts and the calls it makes: no organization policy may deny them. */
    readonly deployPrincipals: readonly DeployPrincipal[];
}

/**
 * The deploy identity as the organization policies meet it (member accounts only: SCPs and RCPs do not
 * bind the management account): with `org-access:deployIdentity`, `org-access-deploy` in the access
 * account (its own actions, and chaining into every `OrgAccessDeploy`) and `OrgAccessDeploy` in the other
 * member accounts; without it, the organization's `deployRoleName` managing member roles.
 */
function deployPrincipalsOf(config: ReturnType<typeof parseStackConfig>): DeployPrincipal[] {
    const identity = buildOrganizationModel(config).deployIdentity;
    if (identity === undefined) {
        const [arn, stackSets] = deployPrincipalPatterns(config.organization, config.access, undefined);
        return [
            { arn, actions: deployActions(MEMBER_ROLE_TYPES) },
            { arn: stackSets, actions: deployActions(MEMBER_ROLE_TYPES) },
        ];
    }
    const [member, access, stackSets] = deployPrincipalPatterns(config.organization, config.access, config.deployIdentity);
    return [
        { arn: access, actions: [...new Set([...deployActions(identity.types.access), ...DEPLOY_CHAIN_ACTIONS])].sort() },
        { arn: member, actions: deployActions(identity.types.member) },
        // StackSets' execution role creates the deploy identity's roles and stack-set-delivered member roles.
        { arn: stackSets, actions: deployActions(MEMBER_ROLE_TYPES) },
    ];
}

/** Every action of the customer role's jobs: what an allow-list SCP must keep for the delegated administrators in member accounts. */
export function customerJobActions(): string[] {
    return [...new Set(CUSTOMER_JOBS.flatMap((job) => job.calls.map((c) => c.action)))].sort();
}

/** The ids every stack of `projectDir` names; a stack naming another organization is an error naming it. */
export function packIds(projectDir: string): PackIds {
    let ids: { organizationId: string; management: string; first: string } | undefined;
    let deployPrincipals: DeployPrincipal[] = [];
    const access = new Set<string>();
    for (const stack of stackNames(projectDir)) {
        const config = parseStackConfig(readStackConfig(stack, { projectDir }), projectDir);
        const org = config.organization;
        if (ids === undefined) {
            ids = { organizationId: org.id, management: org.management.id, first: stack };
        } else if (ids.organizationId !== org.id || ids.management !== org.management.id) {
            throw new ConfigError(
                "org-access:organization",
                `stack ${stack} names organization ${org.id} (management ${org.management.id}), stack ${ids.first} ${ids.organizationId} (management ${ids.management}): one pack config serves one organization`,
            );
        }
        if (config.access) {
            access.add(config.access.account.id);
        }
        if (deployPrincipals.length === 0 || config.deployIdentity) {
            deployPrincipals = deployPrincipalsOf(config);
        }
    }
    if (ids === undefined) {
        throw new ConfigError("Pulumi.yaml", `no stacks in ${projectDir}`);
    }
    return {
        organizationId: ids.organizationId,
        managementAccountIds: [ids.management],
        accessAccountIds: [...access].sort(),
        deployPrincipals,
    };
}

/** The file's content, formatted as the checked-in copy. */
export function packConfigText(ids: PackIds): string {
    const config = {
        "no-wildcard-principals": { organizationId: ids.organizationId },
        "no-compute-in-management-account": { managementAccountIds: ids.managementAccountIds, allowedTypes: PACK_SETTINGS.allowedTypes },
        "management-account-not-access-account": {
            managementAccountIds: ids.managementAccountIds,
            accessAccountIds: ids.accessAccountIds,
        },
        "access-account-holds-access-only": { accessAccountIds: ids.accessAccountIds, allowedTypes: PACK_SETTINGS.allowedTypes },
        "federated-trust-conditions": { subjectRequiredIssuers: PACK_SETTINGS.subjectRequiredIssuers },
        "policy-size-quotas": { maxTrustPolicyCharacters: PACK_SETTINGS.maxTrustPolicyCharacters },
        "known-iam-actions": "advisory",
        "providers-pin-account": "advisory",
        "organization-policies-keep-deployers": {
            organizationId: ids.organizationId,
            deployPrincipals: ids.deployPrincipals,
            customerActions: customerJobActions(),
        },
    };
    return `${JSON.stringify(config, null, 2)}\n`;
}
