import { checkProviderSessionNames } from "./session-names";
import * as path from "path";
import { AwsProviderSettings, parseAwsProviderSettings } from "./aws-provider-settings";
import { AccessConfig, parseAccess } from "./access";
import { AcceptedAlert, parseAcceptedAlerts } from "./accepted-alerts";
import { Adoption, parseAdoption } from "./adopt";
import { CustomerAccess, parseCustomerAccess } from "./customer-access";
import {
    checkGithubAudience,
    checkPreviewRepository,
    DeployIdentity,
    parseDeployIdentity,
    parseProviderRoles,
    ProviderRoles,
} from "./deploy-identity";
import { ManagementPreviewRole, parseManagementPreviewRole } from "./management-preview";
import { checkStackSetScope, MemberRoleDelivery, memberRoleStackSets, parseMemberRoleDelivery } from "./member-role-delivery";
import { StackDeploy, parseDeploy } from "./deploy";
import { ConfigError, show } from "./errors";
import { Organization, parseOrganization } from "./organization";
import { checkRegionPartition } from "./partition";
import { regionName } from "./regions";
import { ConfigValue } from "./reader";
import { checkConfigKeys } from "./namespaces";
import { checkRoleNames } from "./role-names";
import { checkCustomerPrincipals } from "./principals";
import { OrganizationPoliciesConfig, parseOrganizationPolicies } from "./organization-policies";
import { parseProviderBudget, ProviderBudget } from "./provider-budget";

/** The Pulumi config namespace of this project. */
export const NAMESPACE = "org-access";

/** Everything the program needs, validated. Built before any resource exists. */
export interface StackConfig {
    readonly region: string;
    readonly organization: Organization;
    /** Present in the `mgmt` stack: the management-account customer role. */
    readonly customerAccess?: CustomerAccess;
    /** Stack `mgmt`, optional: a read-only role in the management account for CI previews. */
    readonly managementPreviewRole?: ManagementPreviewRole;
    /** Present in the `access` stack: the administrative access account. */
    readonly access?: AccessConfig;
    /** What this stack deploys of the above. */
    readonly deploy: StackDeploy;
    /** Existing IAM entities the first `pulumi up` adopts (`org-access:adopt`, config/adopt.ts). */
    readonly adopt?: Adoption;
    /** The stack's other `aws:` config, which every per-account provider carries (config/aws-provider-settings.ts). */
    readonly awsProvider: AwsProviderSettings;
    /** The identity CI deploys with, made by this program (`org-access:deployIdentity`, config/deploy-identity.ts). */
    readonly deployIdentity?: DeployIdentity;
    /** Which role every provider assumes in this run (`org-access:providerRoles`): deploy, preview or bootstrap. */
    readonly providerRoles: ProviderRoles;
    /** Alerts confirmed as deliberate: the plan counts them apart (config/accepted-alerts.ts). */
    readonly acceptedAlerts: readonly AcceptedAlert[];
    /** How member roles reach their accounts (`org-access:memberRoleDelivery`): per-account providers, or stack sets. */
    readonly memberRoleDelivery: MemberRoleDelivery;
    /** SCPs and RCPs the stack that deploys the customer role attaches (`org-access:organizationPolicies`). */
    readonly organizationPolicies?: OrganizationPoliciesConfig;
    /** The provider processes this stack may start (`org-access:providerBudget`, `org-access:providerProcessMemoryMiB`; config/provider-budget.ts). */
    readonly providerBudget: ProviderBudget;
}

/** Top-level keys under `org-access:`; any other key is a typo or a stale setting. */
export const KNOWN_KEYS = [
    "organization",
    "customerAccess",
    "accessAccount",
    "regions",
    "identity",
    "teams",
    "roles",
    "identityCenter",
    "previewRole",
    "deploy",
    "managementPreviewRole",
    "adopt",
    "deployIdentity",
    "providerRoles",
    "acceptedAlerts",
    "memberRoleDelivery",
    "organizationPolicies",
    "providerBudget",
    "providerProcessMemoryMiB",
] as const;

/** Where relative paths in config (`metadataFile`) start: the project directory. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/**
 * Validates the full flat Pulumi config map (`{"org-access:organization": "<json>", ...}`),
 * as `pulumi.runtime.allConfig()` returns it. Pure: throws `ConfigError` on the first problem.
 */
export function parseStackConfig(allConfig: Readonly<Record<string, string>>, projectDir: string = PROJECT_DIR): StackConfig {
    checkConfigKeys(allConfig, NAMESPACE);
    const values = namespaceValues(allConfig);
    const at = (key: string) => new ConfigValue(`${NAMESPACE}:${key}`, values.get(key));

    const awsProvider = parseAwsProviderSettings(allConfig);
    checkProviderSessionNames(awsProvider.values);
    const regionValue = new ConfigValue("aws:region", allConfig["aws:region"]);
    const region = regionValue.present ? regionName(regionValue) : "us-east-1";

    const organization = parseOrganization(at("organization"));
    if (regionValue.present) {
        checkRegionPartition(regionValue, region, organization.partition);
    }
    const customerAccessValue = at("customerAccess");
    const customerAccess = customerAccessValue.present ? parseCustomerAccess(customerAccessValue, organization, region) : undefined;
    const access = parseAccess(
        {
            accessAccount: at("accessAccount"),
            regions: at("regions"),
            identity: at("identity"),
            teams: at("teams"),
            roles: at("roles"),
            identityCenter: at("identityCenter"),
            previewRole: at("previewRole"),
        },
        organization,
        projectDir,
        region,
    );
    const previewValue = at("managementPreviewRole");
    const managementPreviewRole = previewValue.present ? parseManagementPreviewRole(previewValue, organization) : undefined;
    const deploy = parseDeploy(at("deploy"), organization, {
        customerAccess: customerAccess !== undefined,
        managementPreviewRole: managementPreviewRole !== undefined,
        access: access !== undefined,
    });
    const deliveryValue = at("memberRoleDelivery");
    const memberRoleDelivery = parseMemberRoleDelivery(deliveryValue);
    const stackSets =
        access && memberRoleDelivery === "stacksets"
            ? memberRoleStackSets(organization, access.account, access.roles, deliveryValue)
            : undefined;
    if (stackSets) {
        checkStackSetScope(at("deploy").key, deploy.memberAccounts, stackSets);
    }
    const deployedAccess = access && {
        ...access,
        deploy: { identity: deploy.identity, memberAccounts: deploy.memberAccounts },
        ...(stackSets ? { stackSets } : {}),
    };
    const adoptValue = at("adopt");
    const adopt = adoptValue.present
        ? parseAdoption(adoptValue, {
              organization,
              access: deployedAccess,
              customerAccess: deploy.customerAccess ? customerAccess : undefined,
              managementPreviewRole: deploy.managementPreviewRole ? managementPreviewRole : undefined,
          })
        : undefined;
    const deployIdentityValue = at("deployIdentity");
    const deployIdentity = deployIdentityValue.present ? parseDeployIdentity(deployIdentityValue, access?.account) : undefined;
    if (deployIdentity && access) {
        checkPreviewRepository(deployIdentity, access.preview?.repository);
        checkGithubAudience(access.identity.oidc);
    }
    const providerRoles = parseProviderRoles(at("providerRoles"), access?.preview !== undefined);
    if (providerRoles === "preview" && (deploy.customerAccess || deploy.managementPreviewRole) && !managementPreviewRole) {
        at("providerRoles").fail(
            "is preview, but org-access:managementPreviewRole is not set (it makes OrgAccessPreview in the management account, which this stack reads)",
        );
    }
    const acceptedAlerts = parseAcceptedAlerts(at("acceptedAlerts"));
    const organizationPolicies = parseStackOrganizationPolicies(at("organizationPolicies"), organization, access !== undefined);
    const providerBudget = parseProviderBudget(at("providerBudget"), at("providerProcessMemoryMiB"));
    const config = {
        region,
        organization,
        customerAccess,
        access: deployedAccess,
        managementPreviewRole,
        deploy,
        adopt,
        awsProvider,
        deployIdentity,
        providerRoles,
        acceptedAlerts,
        memberRoleDelivery,
        organizationPolicies,
        providerBudget,
    };
    checkRoleNames(config);
    checkCustomerPrincipals(config);
    return config;
}

/**
 * `org-access:organizationPolicies`, when set: the stack that deploys the customer role attaches them
 * (with the management account's provider; the organization plan reports a project where no stack
 * does), and the users rule needs the access account.
 */
function parseStackOrganizationPolicies(
    value: ConfigValue,
    organization: Organization,
    hasAccess: boolean,
): OrganizationPoliciesConfig | undefined {
    if (!value.present) return undefined;
    const policies = parseOrganizationPolicies(value, organization);
    if (policies.iamUsersOnlyInAccessAccount && !hasAccess) {
        new ConfigValue(`${value.key}.iamUsersOnlyInAccessAccount`, true).fail(
            "needs org-access:accessAccount (the one account where IAM users may exist)",
        );
    }
    return policies;
}

/** Our namespace's keys with their values decoded; unknown keys are rejected. */
function namespaceValues(allConfig: Readonly<Record<string, string>>): Map<string, unknown> {
    const values = new Map<string, unknown>();
    for (const [fullKey, text] of Object.entries(allConfig)) {
        if (!fullKey.startsWith(`${NAMESPACE}:`)) {
            continue;
        }
        const key = fullKey.slice(NAMESPACE.length + 1);
        if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
            throw new ConfigError(fullKey, `unknown key (known keys: ${KNOWN_KEYS.join(", ")})`);
        }
        values.set(key, decode(fullKey, text));
    }
    return values;
}

/** Structured values arrive as JSON text; plain strings arrive as they are. */
function decode(fullKey: string, text: string): unknown {
    const trimmed = text.trimStart();
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
        return text;
    }
    try {
        return JSON.parse(text);
    } catch {
        throw new ConfigError(fullKey, `is not valid structured config: ${show(text)}`);
    }
}
