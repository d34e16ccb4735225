// Pure analysis of IAM `Condition` blocks: does a statement's condition *guarantee* that a given
// context key is present and carries an acceptable value? The answer has to be exact in both
// directions, so the rules below follow the IAM evaluation logic:
//
// - Operators in a block are ANDed, keys under an operator are ANDed, values of a key are ORed.
//   So ONE restricting (operator, key) clause restricts the statement, and within that clause
//   EVERY value must be acceptable (one wildcard value re-opens it).
// - Negated operators (`StringNotEquals`, `StringNotLike`, `ArnNotLike`, ...) admit every value
//   except the listed ones, so they never restrict to a value.
// - `...IfExists` matches when the key is absent, so it never guarantees the key.
// - `ForAllValues:` is true when the key is absent or its set is empty, so it never restricts.
//   Both count again when another clause requires the key to be present (`Null` false, the
//   documented idiom for ForAllValues with Allow; `ForAnyValue:`; a plain positive operator).
//   Found by the differential test (principal-fuzz.test.ts).
//   `ForAnyValue:` is false when the key is absent, so it restricts like the plain operator.
// - `Null` only tests presence, never a value.
// - Condition KEYS are case-insensitive; operator names are matched exactly (an operator we do not
//   recognise is treated as not restricting, which fails closed).

import { ConditionClause } from "./documents";

export const WILDCARD_CHARACTERS = /[*?]/;

export interface ParsedOperator {
    readonly setOperator?: "ForAnyValue" | "ForAllValues";
    /** The operator without set prefix and without `IfExists`, e.g. `StringLike`. */
    readonly base: string;
    readonly ifExists: boolean;
}

export function parseConditionOperator(operator: string): ParsedOperator {
    let rest = operator;
    let setOperator: ParsedOperator["setOperator"];
    for (const prefix of ["ForAnyValue", "ForAllValues"] as const) {
        if (rest.startsWith(`${prefix}:`)) {
            setOperator = prefix;
            rest = rest.slice(prefix.length + 1);
        }
    }
    const ifExists = rest.endsWith("IfExists");
    const base = ifExists ? rest.slice(0, -"IfExists".length) : rest;
    return { setOperator, base, ifExists };
}

const NEGATED_OPERATORS: ReadonlySet<string> = new Set([
    "StringNotEquals",
    "StringNotEqualsIgnoreCase",
    "StringNotLike",
    "ArnNotEquals",
    "ArnNotLike",
    "NumericNotEquals",
    "DateNotEquals",
    "NotIpAddress",
]);

/** String operators that restrict a key to the listed values (or patterns). */
export const POSITIVE_STRING_OPERATORS: readonly string[] = ["StringEquals", "StringEqualsIgnoreCase", "StringLike"];

/** Describes what a clause must look like to satisfy a requirement on one context key. */
export interface KeyRequirement {
    /** Context keys that satisfy the requirement (any case). */
    readonly keys: readonly string[];
    /** Base operators (without set prefix / IfExists) that can restrict this key. */
    readonly operators: readonly string[];
    /** Returns why a value does not restrict enough, or undefined when it is acceptable. */
    readonly valueProblem: (value: string, key: string) => string | undefined;
}

export type RequirementResult =
    | { readonly satisfied: true; readonly clause: ConditionClause }
    /** `problems` explains each clause on a required key that came close but does not count. */
    | { readonly satisfied: false; readonly problems: readonly string[] };

/**
 * Keys the statement requires to be present, because a clause on them is false when the key is
 * absent: `"Null": {"key": "false"}`, any `ForAnyValue:` operator, and any plain positive operator
 * (without `IfExists`). Conditions are ANDed, so such a key is in every request the statement
 * admits, and the two absent-key escapes (`...IfExists`, `ForAllValues:`) are closed: `Null` is
 * AWS's documented idiom for `ForAllValues` with Allow.
 */
export function keysRequiredPresent(conditions: readonly ConditionClause[]): ReadonlySet<string> {
    const keys = new Set<string>();
    for (const clause of conditions) {
        const { setOperator, base, ifExists } = parseConditionOperator(clause.operator);
        const requiresPresence =
            base === "Null"
                ? clause.values.length > 0 && clause.values.every((value) => value.toLowerCase() === "false")
                : !ifExists && (setOperator === "ForAnyValue" || (setOperator === undefined && !NEGATED_OPERATORS.has(base)));
        if (requiresPresence) {
            keys.add(clause.key.toLowerCase());
        }
    }
    return keys;
}

/**
 * Why a clause on one of the required keys does not satisfy the requirement, if it doesn't.
 * `presentKeys` (lower case) are keys another clause of the statement requires to be present.
 */
export function clauseProblem(
    clause: ConditionClause,
    requirement: KeyRequirement,
    presentKeys: ReadonlySet<string> = new Set(),
): string | undefined {
    const { setOperator, base, ifExists } = parseConditionOperator(clause.operator);
    const where = `${clause.operator} on ${clause.key}`;
    if (NEGATED_OPERATORS.has(base)) {
        return `${where} is negated and admits every value except those listed`;
    }
    if (base === "Null") {
        return `${where} only tests whether the key is present`;
    }
    const present = presentKeys.has(clause.key.toLowerCase());
    if (ifExists && !present) {
        return `${where} also matches when the key is absent`;
    }
    if (setOperator === "ForAllValues" && !present) {
        return `${where} is true when the key is absent or empty (unless a Null condition requires the key)`;
    }
    if (!requirement.operators.includes(base)) {
        return `${where} cannot restrict this key (expected ${requirement.operators.join(" or ")})`;
    }
    if (clause.values.length === 0) {
        return `${where} lists no values`;
    }
    for (const value of clause.values) {
        const problem = requirement.valueProblem(value, clause.key);
        if (problem !== undefined) {
            return `${where}: ${problem}`;
        }
    }
    return undefined;
}

/** Does some clause of the condition block satisfy the requirement? */
export function findRestrictingClause(conditions: readonly ConditionClause[], requirement: KeyRequirement): RequirementResult {
    const wanted = new Set(requirement.keys.map((key) => key.toLowerCase()));
    const problems: string[] = [];
    const presentKeys = keysRequiredPresent(conditions);
    for (const clause of conditions) {
        if (!wanted.has(clause.key.toLowerCase())) {
            continue;
        }
        const problem = clauseProblem(clause, requirement, presentKeys);
        if (problem === undefined) {
            return { satisfied: true, clause };
        }
        problems.push(problem);
    }
    return { satisfied: false, problems };
}

// ------------------------------------------------------------------------------------------------
// Organization scoping: the keys that confine a wildcard principal to our organization.
// ------------------------------------------------------------------------------------------------

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ORGANIZATION_PATH_PREFIX = /^(o-[a-z0-9]{10,32})\//;
const ACCOUNT_ID = /^[0-9]{12}$/;

export const ORGANIZATION_SCOPING_KEYS: readonly string[] = [
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:SourceAccount",
    "aws:SourceOrgID",
];

/**
 * Why a value on an organization-scoping key does not pin an organization or account.
 * Wildcards count as wildcards even under `StringEquals` (where AWS compares them literally): such
 * a value is a mistake either way, and failing closed is the safe reading.
 *
 * @param organizationId when configured, org IDs and org paths must name this organization.
 */
export function organizationScopeValueProblem(value: string, key: string, organizationId?: string): string | undefined {
    const quoted = JSON.stringify(value);
    switch (key.toLowerCase()) {
        case "aws:principalorgid":
        case "aws:sourceorgid":
            if (!ORGANIZATION_ID.test(value)) {
                return `value ${quoted} is not a complete organization ID (o-...)`;
            }
            if (organizationId !== undefined && value !== organizationId) {
                return `value ${quoted} names a different organization than ${organizationId}`;
            }
            return undefined;
        case "aws:principalorgpaths": {
            const match = ORGANIZATION_PATH_PREFIX.exec(value);
            if (match === null) {
                return `value ${quoted} does not start with a complete organization ID followed by "/"`;
            }
            if (organizationId !== undefined && match[1] !== organizationId) {
                return `value ${quoted} is a path in a different organization than ${organizationId}`;
            }
            return undefined;
        }
        case "aws:principalaccount":
        case "aws:sourceaccount":
            return ACCOUNT_ID.test(value) ? undefined : `value ${quoted} is not a 12-digit account ID`;
        default:
            return `${key} does not scope principals`;
    }
}

export function organizationScopeRequirement(organizationId?: string): KeyRequirement {
    return {
        keys: ORGANIZATION_SCOPING_KEYS,
        operators: POSITIVE_STRING_OPERATORS,
        valueProblem: (value, key) => organizationScopeValueProblem(value, key, organizationId),
    };
}

/** A value that consists only of wildcard characters (`*`, `?*`, ...) or is empty. */
export function isBareWildcard(value: string): boolean {
    return value.replace(/[*?]/g, "") === "";
}
