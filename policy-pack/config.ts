// Pack configuration shared by the policies: one pack serves the whole organization, and each
// stack's policy config names the organization's management and access accounts.
//
// The Pulumi CLI validates config against `configSchema` and fills in defaults before calling
// `Configure`, but other callers (the in-repo policy check, tests) may not, so readers validate
// again and apply the same defaults.

import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { isRecord } from "./documents";

export const ACCOUNT_ID_PATTERN = "^[0-9]{12}$";
export const ORGANIZATION_ID_PATTERN = "^o-[a-z0-9]{10,32}$";

export const managementAccountIdsProperty: PolicyConfigJSONSchema = {
    type: "array",
    items: { type: "string", pattern: ACCOUNT_ID_PATTERN },
    uniqueItems: true,
    default: [],
    description: "IDs of the organization's management account(s).",
};

export const accessAccountIdsProperty: PolicyConfigJSONSchema = {
    type: "array",
    items: { type: "string", pattern: ACCOUNT_ID_PATTERN },
    uniqueItems: true,
    default: [],
    description: "IDs of the account(s) that hold the organization's human and CI access identities.",
};

export const organizationIdProperty: PolicyConfigJSONSchema = {
    type: "string",
    pattern: ORGANIZATION_ID_PATTERN,
    description: "The organization ID (o-...). When set, organization conditions must name this organization.",
};

const ACCOUNT_ID = new RegExp(ACCOUNT_ID_PATTERN);
const ORGANIZATION_ID = new RegExp(ORGANIZATION_ID_PATTERN);

export interface OrganizationConfig {
    readonly managementAccountIds: readonly string[];
    readonly accessAccountIds: readonly string[];
    readonly organizationId?: string;
}

function accountIdList(config: Record<string, unknown>, name: string): string[] {
    const value = config[name];
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && ACCOUNT_ID.test(item))) {
        throw new Error(`policy config ${name} must be a list of 12-digit account IDs, got ${JSON.stringify(value)}`);
    }
    return value;
}

/** Reads the organization properties from a policy's config (as returned by `getConfig()`). */
export function readOrganizationConfig(raw: unknown): OrganizationConfig {
    const config = isRecord(raw) ? raw : {};
    const organizationId = config.organizationId;
    if (organizationId !== undefined && (typeof organizationId !== "string" || !ORGANIZATION_ID.test(organizationId))) {
        throw new Error(`policy config organizationId must match ${ORGANIZATION_ID_PATTERN}, got ${JSON.stringify(organizationId)}`);
    }
    const managementAccountIds = accountIdList(config, "managementAccountIds");
    const accessAccountIds = accountIdList(config, "accessAccountIds");
    // A management account that doubles as the access account defeats the separation every
    // account-scoped rule relies on, so such a config is an error rather than a warning.
    const both = managementAccountIds.filter((id) => accessAccountIds.includes(id));
    if (both.length > 0) {
        throw new Error(`policy config lists ${both.join(", ")} as both a management and an access account`);
    }
    return { managementAccountIds, accessAccountIds, organizationId };
}

/** Reads an integer option within bounds, falling back to its default when unset. */
export function readIntegerOption(raw: unknown, name: string, bounds: { min: number; max: number; default: number }): number {
    const value = isRecord(raw) ? raw[name] : undefined;
    if (value === undefined) {
        return bounds.default;
    }
    if (typeof value !== "number" || !Number.isInteger(value) || value < bounds.min || value > bounds.max) {
        throw new Error(`policy config ${name} must be an integer from ${bounds.min} to ${bounds.max}, got ${JSON.stringify(value)}`);
    }
    return value;
}

/** Reads a list-of-strings option, falling back to its default when unset. */
export function readStringListOption(raw: unknown, name: string, fallback: readonly string[]): readonly string[] {
    const value = isRecord(raw) ? raw[name] : undefined;
    if (value === undefined) {
        return fallback;
    }
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
        throw new Error(`policy config ${name} must be a list of strings, got ${JSON.stringify(value)}`);
    }
    return value;
}

/**
 * A Pulumi type token, exactly: `aws:ec2/vpc:Vpc`, `aws-native:ec2:Vpc`. Patterns would admit more
 * than was meant.
 */
export const TYPE_TOKEN_PATTERN = "^[a-z0-9-]+:[A-Za-z0-9/]+:[A-Za-z0-9]+$";
const TYPE_TOKEN = new RegExp(TYPE_TOKEN_PATTERN);

export const allowedTypesProperty: PolicyConfigJSONSchema = {
    type: "array",
    items: { type: "string", pattern: TYPE_TOKEN_PATTERN },
    uniqueItems: true,
    default: [],
    description:
        "Resource types (exact Pulumi type tokens, e.g. aws:ec2clientvpn/endpoint:Endpoint) the access account may hold " +
        "besides IAM, IAM Identity Center, identity providers and KMS keys: the small regional resources a VPN or " +
        "SSM-based access path needs. Compute, data stores, log and metric sinks, VPC workloads and resources that " +
        "deploy others (stacks, StackSets, Service Catalog) cannot be listed.",
};

/**
 * Reads `allowedTypes`: exact type tokens, none of them a type the access account refuses
 * whatever the config says. `forbidden` says why a type cannot be listed (or undefined).
 */
export function readAllowedTypes(
    raw: unknown,
    forbidden: (type: string) => string | undefined,
    account: "access" | "management" = "access",
): readonly string[] {
    const types = readStringListOption(raw, "allowedTypes", []);
    const malformed = types.filter((type) => !TYPE_TOKEN.test(type));
    if (malformed.length > 0) {
        throw new Error(`policy config allowedTypes must list exact type tokens such as aws:ec2/vpc:Vpc, got ${JSON.stringify(malformed)}`);
    }
    const refused = types.flatMap((type) => {
        const category = forbidden(type);
        return category === undefined ? [] : [`${type} (${category})`];
    });
    if (refused.length > 0) {
        throw new Error(`policy config allowedTypes cannot admit ${refused.join(", ")} into the ${account} account`);
    }
    return types;
}
