// Which AWS account a resource lands in, derived from its provider's inputs as the engine hands
// them to the pack, for both AWS providers. `@pulumi/aws` (`pulumi:providers:aws`) registers list-
// and object-valued provider inputs as JSON strings (`allowedAccountIds: "[\"111111111111\"]"`,
// `assumeRoles: "[{\"roleArn\":...}]"`); stack config for the default provider arrives the same
// way. `@pulumi/aws-native` (`pulumi:providers:aws-native`) takes `allowedAccountIds`,
// `assumeRole: {roleArn}` and `roleArn`
// (https://www.pulumi.com/registry/packages/aws-native/api-docs/provider/). Arrays and objects are
// accepted as well as their JSON text.

import { isRecord } from "./documents";
import { accountOfArn } from "./arns";
import { isUnknownValueError } from "./unknowns";

const ACCOUNT_ID = /^[0-9]{12}$/;

export type AccountSource = "allowedAccountIds" | "assumeRoles" | "assumeRole" | "roleArn" | "assumeRoleWithWebIdentity";

export type ResourceAccounts =
    /** The resource lands in one of `accountIds` (several only when allowedAccountIds lists several). */
    | { readonly known: true; readonly accountIds: readonly string[]; readonly source: AccountSource }
    | { readonly known: false; readonly reason: string };

/** A provider input that may be a JSON string or the value itself; `undefined` when unset. */
function decodeProviderInput(value: unknown): unknown {
    if (typeof value !== "string") {
        return value;
    }
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/** `allowedAccountIds` as a list of account IDs, or undefined when not set (or empty). */
export function allowedAccountIdsOf(providerProps: Record<string, unknown>): string[] | undefined {
    const decoded = decodeProviderInput(providerProps.allowedAccountIds);
    const list = typeof decoded === "string" ? [decoded] : decoded;
    if (!Array.isArray(list) || list.length === 0) {
        return undefined;
    }
    const ids = list.filter((item): item is string => typeof item === "string" && ACCOUNT_ID.test(item));
    return ids.length === list.length ? ids : undefined;
}

function lastAssumedRoleArn(providerProps: Record<string, unknown>): string | undefined {
    const decoded = decodeProviderInput(providerProps.assumeRoles);
    const chain = Array.isArray(decoded) ? decoded : decoded === undefined ? [] : [decoded];
    const last: unknown = chain[chain.length - 1];
    return isRecord(last) && typeof last.roleArn === "string" ? last.roleArn : undefined;
}

/** `roleArn` of an object-valued provider input (`assumeRole`, `assumeRoleWithWebIdentity`). */
function roleArnOf(providerProps: Record<string, unknown>, name: string): string | undefined {
    const decoded = decodeProviderInput(providerProps[name]);
    return isRecord(decoded) && typeof decoded.roleArn === "string" ? decoded.roleArn : undefined;
}

/** How to pin a provider, for messages where the account cannot be known. */
export const PIN_THE_PROVIDER =
    "pin the provider to its account with allowedAccountIds (aws and aws-native), or give it the role to assume " +
    "(aws: assumeRoles[].roleArn; aws-native: assumeRole.roleArn)";

/**
 * Resolves the account from provider inputs: `allowedAccountIds` (the provider refuses any other
 * account), else the account of the role the provider ends up in: the last of `assumeRoles` (aws),
 * `assumeRole.roleArn` (aws-native, and older aws), `roleArn` (aws-native), then
 * `assumeRoleWithWebIdentity.roleArn`.
 *
 * A provider input unknown during preview is not read as "unknown account": the engine's proxy
 * throws, and the policy reports that it cannot run yet (advisory during preview; at update time
 * the provider's inputs are known and the policy runs).
 */
export function resourceAccounts(providerProps: Record<string, unknown> | undefined): ResourceAccounts {
    if (providerProps === undefined) {
        return { known: false, reason: "the resource has no provider" };
    }
    const allowed = allowedAccountIdsOf(providerProps);
    if (allowed !== undefined) {
        return { known: true, accountIds: allowed, source: "allowedAccountIds" };
    }
    for (const [source, arn] of [
        ["assumeRoles", lastAssumedRoleArn(providerProps)],
        ["assumeRole", roleArnOf(providerProps, "assumeRole")],
        ["roleArn", typeof providerProps.roleArn === "string" ? providerProps.roleArn : undefined],
        ["assumeRoleWithWebIdentity", roleArnOf(providerProps, "assumeRoleWithWebIdentity")],
    ] as const) {
        const account = arn === undefined ? undefined : accountOfArn(arn);
        if (account !== undefined) {
            return { known: true, accountIds: [account], source };
        }
    }
    return { known: false, reason: "its provider neither sets allowedAccountIds nor assumes a role" };
}

/** The accounts among `candidates` that the resource may land in. */
export function accountsAmong(accounts: ResourceAccounts, candidates: readonly string[]): string[] {
    return accounts.known ? accounts.accountIds.filter((id) => candidates.includes(id)) : [];
}

/**
 * Does the provider pin an account? An `allowedAccountIds` value that is not known yet (computed
 * during preview) is set, so it pins.
 */
export function providerPinsAccount(providerProps: Record<string, unknown>): boolean {
    try {
        return allowedAccountIdsOf(providerProps) !== undefined;
    } catch (e) {
        if (isUnknownValueError(e)) {
            return true;
        }
        throw e;
    }
}
