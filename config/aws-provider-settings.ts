import { ConfigError, show } from "./errors";
import { ConfigValue } from "./reader";
import { regionName } from "./regions";

/**
 * The stack's `aws:` config, carried to every per-account provider.
 *
 * Pulumi applies `aws:` config to the default provider only; a program's own
 * `aws.Provider` resources see none of it. Every resource here has an explicit,
 * per-account provider, so without this, `aws:profile` (or a proxy, retry or
 * endpoint setting) would be accepted and silently not used. Keys the program
 * sets itself are errors that say what to set instead.
 */
export interface AwsProviderSettings {
    /** Provider arguments by name (`profile`, `maxRetries`, ...), typed as `@pulumi/aws` types them. */
    readonly values: Readonly<Record<string, unknown>>;
    /** Arguments that are credentials: passed as Pulumi secrets, so the state never holds them in plain text. */
    readonly secrets: readonly string[];
    /** `aws:defaultTags`' tags, which every provider carries next to the program's own. */
    readonly extraTags: Readonly<Record<string, string>>;
}

/** Keys the program sets on every provider itself, and what to set instead. */
const OWNED_KEYS: Readonly<Record<string, string>> = {
    allowedAccountIds: "is set by the program: every provider is pinned to its own account (org-access:organization.accounts)",
    forbiddenAccountIds: "is set by the program: every provider is pinned to its own account (org-access:organization.accounts)",
    assumeRoles:
        "is set by the program: each account's provider assumes org-access:organization.deployRoleName (managementDeployRoleName in the management account); set those instead",
};

/** Static credentials: sent to providers as secrets. */
const CREDENTIAL_KEYS: readonly string[] = ["accessKey", "secretKey", "token"];

type JsonKind = "boolean" | "number" | "string[]" | "object" | "object[]";

/**
 * Provider config keys whose value is not a string, and the JSON type it has,
 * as `@pulumi/aws/config/vars` reads them (`getObject`, which parses JSON);
 * `tests/aws-provider-settings.test.ts` checks this table against those getters.
 * Every other key is a string.
 */
export const AWS_JSON_KEYS: Readonly<Record<string, JsonKind>> = {
    allowedAccountIds: "string[]",
    assumeRoleWithWebIdentity: "object",
    assumeRoles: "object[]",
    defaultTags: "object",
    endpoints: "object[]",
    forbiddenAccountIds: "string[]",
    ignoreTags: "object",
    insecure: "boolean",
    maxRetries: "number",
    s3UsePathStyle: "boolean",
    sharedConfigFiles: "string[]",
    sharedCredentialsFiles: "string[]",
    skipCredentialsValidation: "boolean",
    skipMetadataApiCheck: "boolean",
    skipRegionValidation: "boolean",
    skipRequestingAccountId: "boolean",
    tokenBucketRateLimiterCapacity: "number",
    useDualstackEndpoint: "boolean",
    useFipsEndpoint: "boolean",
    userAgents: "string[]",
};

/** Tags every provider sets (accounts/providers.ts `defaultTags`); `aws:defaultTags` may not set them. */
export const PROGRAM_TAG_KEYS: readonly string[] = ["org-access:project", "org-access:stack", "managed-by"];

/**
 * Reads every `aws:` key but `region` (the providers' default region, read with
 * the rest of the stack config). Pure: throws `ConfigError` naming the key and value.
 * Keys outside the provider's schema were already rejected (config/namespaces.ts).
 */
export function parseAwsProviderSettings(allConfig: Readonly<Record<string, string>>): AwsProviderSettings {
    const values: Record<string, unknown> = {};
    const secrets: string[] = [];
    let extraTags: Record<string, string> = {};
    for (const fullKey of Object.keys(allConfig).sort()) {
        if (!fullKey.startsWith("aws:") || fullKey === "aws:region") {
            continue;
        }
        const key = fullKey.slice("aws:".length);
        const raw = allConfig[fullKey];
        if (key in OWNED_KEYS) {
            throw new ConfigError(fullKey, `${show(jsonOrText(raw))} ${OWNED_KEYS[key]}`);
        }
        const value = typedValue(fullKey, key, raw);
        if (key === "stsRegion") {
            // The other region a provider takes: a typo fails every STS call of the deploy (config/regions.ts).
            regionName(new ConfigValue(fullKey, value));
        }
        if (key === "defaultTags") {
            extraTags = defaultTagsOf(fullKey, value);
            continue;
        }
        values[key] = value;
        if (CREDENTIAL_KEYS.includes(key)) {
            secrets.push(key);
        }
    }
    return { values, secrets, extraTags };
}

/** A structured value as Pulumi stores it (JSON text), for messages; the text itself when it is not JSON. */
function jsonOrText(raw: string): unknown {
    try {
        return JSON.parse(raw) as unknown;
    } catch {
        return raw;
    }
}

/** Each JSON type a provider key may have: what fits it, and how a message names it. */
const JSON_KINDS: Readonly<Record<JsonKind, { readonly fits: (value: unknown) => boolean; readonly what: string }>> = {
    boolean: { fits: (v) => typeof v === "boolean", what: "true or false" },
    number: { fits: (v) => typeof v === "number" && Number.isFinite(v), what: "a number" },
    "string[]": { fits: (v) => Array.isArray(v) && v.every((s) => typeof s === "string"), what: "a list of strings" },
    object: { fits: (v) => isPlainObject(v), what: "an object" },
    "object[]": { fits: (v) => Array.isArray(v) && v.every(isPlainObject), what: "a list of objects" },
};

function typedValue(fullKey: string, key: string, raw: string): unknown {
    const kind = AWS_JSON_KEYS[key];
    if (kind === undefined) {
        return raw;
    }
    // Text that is not JSON stays a string, which fits no JSON kind.
    const value = jsonOrText(raw);
    if (!JSON_KINDS[kind].fits(value)) {
        throw new ConfigError(fullKey, `${show(raw)} is not ${JSON_KINDS[kind].what}`);
    }
    return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function defaultTagsOf(fullKey: string, value: unknown): Record<string, string> {
    const record = value as Record<string, unknown>;
    const unknownKeys = Object.keys(record).filter((k) => k !== "tags");
    if (unknownKeys.length > 0) {
        throw new ConfigError(fullKey, `has ${show(unknownKeys[0])}; only "tags" is read`);
    }
    const tags = record.tags ?? {};
    if (!isPlainObject(tags) || !Object.values(tags).every((v) => typeof v === "string")) {
        throw new ConfigError(`${fullKey}.tags`, `${show(tags)} is not an object of string tag values`);
    }
    const taken = Object.keys(tags).find((k) => PROGRAM_TAG_KEYS.includes(k));
    if (taken !== undefined) {
        throw new ConfigError(`${fullKey}.tags`, `${show(taken)} is a tag the program sets on everything it creates`);
    }
    return tags as Record<string, string>;
}
