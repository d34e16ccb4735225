// Which AWS account a resource lands in, derived from its provider's inputs as the engine hands
// them to the pack. `@pulumi/aws` registers list- and object-valued provider inputs as JSON
// strings (`allowedAccountIds: "[\"111111111111\"]"`, `assumeRoles: "[{\"roleArn\":...}]"`);
// stack config for the default provider arrives the same way. Arrays are accepted too.

import { accountOfArn } from "./principals";
import { isUnknownValueError } from "./unknowns";

const ACCOUNT_ID = /^[0-9]{12}$/;

export type AccountSource = "allowedAccountIds" | "assumeRoles" | "assumeRoleWithWebIdentity";

export type ResourceAccounts =
    /** The resource lands in one of `accountIds` (several only when allowedAccountIds lists several). */
    | { readonly known: true; readonly accountIds: readonly string[]; readonly source: AccountSource }
    | { readonly known: false; readonly reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

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

function webIdentityRoleArn(providerProps: Record<string, unknown>): string | undefined {
    const decoded = decodeProviderInput(providerProps.assumeRoleWithWebIdentity);
    return isRecord(decoded) && typeof decoded.roleArn === "string" ? decoded.roleArn : undefined;
}

/**
 * Resolves the account from provider inputs: `allowedAccountIds` (the provider refuses any other
 * account), else the account of the last role in `assumeRoles` (the chain ends there), else the
 * role of `assumeRoleWithWebIdentity`. Values unknown during preview make the account unknown.
 */
export function resourceAccounts(providerProps: Record<string, unknown> | undefined): ResourceAccounts {
    if (providerProps === undefined) {
        return { known: false, reason: "the resource has no provider" };
    }
    try {
        const allowed = allowedAccountIdsOf(providerProps);
        if (allowed !== undefined) {
            return { known: true, accountIds: allowed, source: "allowedAccountIds" };
        }
        for (const [source, arn] of [
            ["assumeRoles", lastAssumedRoleArn(providerProps)],
            ["assumeRoleWithWebIdentity", webIdentityRoleArn(providerProps)],
        ] as const) {
            const account = arn === undefined ? undefined : accountOfArn(arn);
            if (account !== undefined) {
                return { known: true, accountIds: [account], source };
            }
        }
        return { known: false, reason: "the provider neither sets allowedAccountIds nor assumes a role" };
    } catch (e) {
        if (isUnknownValueError(e)) {
            return { known: false, reason: `the provider's account is not known yet (${e.message})` };
        }
        throw e;
    }
}

/** The accounts among `candidates` that the resource may land in. */
export function accountsAmong(accounts: ResourceAccounts, candidates: readonly string[]): string[] {
    return accounts.known ? accounts.accountIds.filter(id => candidates.includes(id)) : [];
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
