// The one reader of untyped IAM policy documents (identity, trust and resource policies): the
// typed model, the pure functions that parse it, and the loose readers (`isRecord`,
// `statementsOf`, `valuesOf`) for code that inspects a document of unknown origin. Pulumi hands
// documents to the pack either as JSON strings (the usual `JSON.stringify(...)` /
// `aws.iam.getPolicyDocument(...).json`) or as plain objects (the `aws.iam.PolicyDocument` input
// type, and every `aws-native` document, typed `any`), so everything here accepts both.
//
// Self-contained on purpose: the pack imports nothing from the program, and the program may import
// these readers instead of keeping its own.

import { StringMemo } from "./memo";

export type Effect = "Allow" | "Deny";

/** `"*"` or a map from principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`) to values. */
export type PrincipalBlock = "*" | Readonly<Record<string, readonly string[]>>;

/** One (operator, key) pair of a `Condition` block with its values, all rendered as strings. */
export interface ConditionClause {
    readonly operator: string;
    readonly key: string;
    readonly values: readonly string[];
}

export interface PolicyStatement {
    /** 1-based position in the document, used to name statements that have no `Sid`. */
    readonly position: number;
    readonly sid?: string;
    readonly effect: Effect;
    readonly principal?: PrincipalBlock;
    readonly notPrincipal?: PrincipalBlock;
    readonly actions?: readonly string[];
    readonly notActions?: readonly string[];
    /** `Resource`, each value as a string (a trust policy has none). */
    readonly resources?: readonly string[];
    readonly notResources?: readonly string[];
    readonly conditions: readonly ConditionClause[];
}

export interface PolicyDocument {
    readonly statements: readonly PolicyStatement[];
}

export type ParseResult = { readonly ok: true; readonly document: PolicyDocument } | { readonly ok: false; readonly reason: string };

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ------------------------------------------------------------------------------------------------
// Loose readers: a document of unknown origin, read field by field.
// ------------------------------------------------------------------------------------------------

/**
 * A statement as read back from a document of unknown origin: every field optional and untyped
 * until inspected. The program reads it through iam/documents.ts, which re-exports it.
 */
export interface ReadStatement {
    readonly Sid?: unknown;
    readonly Effect?: unknown;
    readonly Principal?: unknown;
    readonly NotPrincipal?: unknown;
    readonly Action?: unknown;
    readonly NotAction?: unknown;
    readonly Resource?: unknown;
    readonly NotResource?: unknown;
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * The statements of a document, whether `Statement` is one object or a list; none when it has no
 * `Statement`. Accepts the document as an object or as its JSON text (unreadable text: none).
 */
export function statementsOf(doc: unknown): ReadStatement[] {
    let value = doc;
    if (typeof doc === "string") {
        try {
            value = JSON.parse(doc);
        } catch {
            return [];
        }
    }
    if (!isRecord(value)) {
        return [];
    }
    const statements = value.Statement;
    if (statements === undefined || statements === null) {
        return [];
    }
    return (Array.isArray(statements) ? statements : [statements]).filter(isRecord);
}

/** A policy field that may be one value or a list, as strings (`undefined`: none). */
export function valuesOf(value: unknown): string[] {
    return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * A field of a resource's inputs or of a template's `Properties`, matched without regard to case:
 * Pulumi's camelCase (`principalOrgId`), CloudFormation's PascalCase (`PrincipalOrgID`).
 */
export function fieldOf(record: Record<string, unknown>, name: string): unknown {
    if (name in record) {
        return record[name];
    }
    const wanted = name.toLowerCase();
    for (const key of Object.keys(record)) {
        if (key.toLowerCase() === wanted) {
            return record[key];
        }
    }
    return undefined;
}

/** `"a"` or `["a", "b"]` as a list; every other item is a shape problem, reported and left out. */
function stringList(value: unknown, what: string, problems: string[]): string[] {
    const items = Array.isArray(value) ? value : [value];
    return items.flatMap((item) => {
        if (typeof item !== "string") {
            problems.push(`${what} must be a string or a list of strings, got ${JSON.stringify(item)}`);
            return [];
        }
        return [item];
    });
}

/** Condition values may be strings, numbers or booleans (e.g. `"aws:MultiFactorAuthPresent": true`). */
function conditionValueList(value: unknown, what: string, problems: string[]): string[] {
    const items = Array.isArray(value) ? value : [value];
    return items.flatMap((item) => {
        if (typeof item === "string" || typeof item === "number" || typeof item === "boolean") {
            return [String(item)];
        }
        problems.push(`${what} values must be strings, numbers or booleans, got ${JSON.stringify(item)}`);
        return [];
    });
}

function parsePrincipal(value: unknown, what: string, problems: string[]): PrincipalBlock | undefined {
    if (value === "*") {
        return "*";
    }
    if (!isRecord(value)) {
        problems.push(`${what} must be "*" or an object, got ${JSON.stringify(value)}`);
        return undefined;
    }
    const block: Record<string, readonly string[]> = {};
    for (const [principalType, values] of Object.entries(value)) {
        block[principalType] = stringList(values, `${what}.${principalType}`, problems);
    }
    return block;
}

function parseConditions(value: unknown, what: string, problems: string[]): ConditionClause[] {
    if (value === undefined) {
        return [];
    }
    if (!isRecord(value)) {
        problems.push(`${what} must be an object`);
        return [];
    }
    const clauses: ConditionClause[] = [];
    for (const [operator, keys] of Object.entries(value)) {
        if (!isRecord(keys)) {
            problems.push(`${what}.${operator} must be an object of condition keys`);
            continue;
        }
        for (const [key, values] of Object.entries(keys)) {
            clauses.push({ operator, key, values: conditionValueList(values, `${what}.${operator}.${key}`, problems) });
        }
    }
    return clauses;
}

/** One statement, read; each shape problem is reported with its path (`Statement #2 Principal.AWS`). */
function parseStatement(raw: unknown, position: number, problems: string[]): PolicyStatement | undefined {
    const what = `Statement #${position}`;
    if (!isRecord(raw)) {
        problems.push(`${what} must be an object`);
        return undefined;
    }
    const effect = raw.Effect;
    if (effect !== "Allow" && effect !== "Deny") {
        problems.push(`${what} has Effect ${JSON.stringify(effect)}; expected "Allow" or "Deny"`);
    }
    const sid = raw.Sid;
    if (sid !== undefined && typeof sid !== "string") {
        problems.push(`${what} has a non-string Sid`);
    }
    return {
        position,
        sid: sid === "" || typeof sid !== "string" ? undefined : sid,
        effect: effect === "Deny" ? "Deny" : "Allow",
        principal: raw.Principal === undefined ? undefined : parsePrincipal(raw.Principal, `${what} Principal`, problems),
        notPrincipal: raw.NotPrincipal === undefined ? undefined : parsePrincipal(raw.NotPrincipal, `${what} NotPrincipal`, problems),
        actions: raw.Action === undefined ? undefined : stringList(raw.Action, `${what} Action`, problems),
        notActions: raw.NotAction === undefined ? undefined : stringList(raw.NotAction, `${what} NotAction`, problems),
        // Read as given, each value as a string: the pack's rules judge principals, not resources.
        ...(raw.Resource === undefined ? {} : { resources: valuesOf(raw.Resource) }),
        ...(raw.NotResource === undefined ? {} : { notResources: valuesOf(raw.NotResource) }),
        conditions: parseConditions(raw.Condition, `${what} Condition`, problems),
    };
}

/**
 * Parses a policy document given as a JSON string or an object. `Statement` may be one object or a
 * list. Every shape problem is reported, each with its path, in one reason; problems are returned,
 * not thrown, so that each policy decides whether an unreadable document is a violation (security
 * guardrails fail closed) or simply out of scope.
 */
export function parsePolicyDocument(raw: unknown): ParseResult {
    return typeof raw === "string" ? PARSED.get(raw, () => parseDocument(raw)) : parseDocument(raw);
}

/**
 * Parsed documents by their JSON text: the same trust or policy text recurs on every account's
 * copy of a role, and one parsed (immutable) document lets `DocumentMemo` verdicts be shared.
 */
const PARSED = new StringMemo<ParseResult>(1024);

function parseDocument(raw: unknown): ParseResult {
    let value: unknown = raw;
    if (typeof raw === "string") {
        try {
            value = JSON.parse(raw);
        } catch (e) {
            return { ok: false, reason: `it is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
        }
    }
    if (!isRecord(value)) {
        return { ok: false, reason: "it is not a JSON object" };
    }
    if (value.Statement === undefined) {
        return { ok: false, reason: "it has no Statement" };
    }
    const rawStatements = Array.isArray(value.Statement) ? value.Statement : [value.Statement];
    const problems: string[] = [];
    const statements = rawStatements.map((s, i) => parseStatement(s, i + 1, problems));
    if (problems.length > 0) {
        return { ok: false, reason: problems.join("; ") };
    }
    return { ok: true, document: { statements: statements.filter((s): s is PolicyStatement => s !== undefined) } };
}

/** `'TrustOrg'` for statements with a Sid, `#2` otherwise; used in every message. */
export function statementLabel(statement: PolicyStatement): string {
    return statement.sid !== undefined ? `'${statement.sid}'` : `#${statement.position}`;
}

/** Renders a principal block compactly for messages, e.g. `{"AWS":"*"}`. */
export function renderPrincipal(block: PrincipalBlock): string {
    if (block === "*") {
        return JSON.stringify("*");
    }
    const compact: Record<string, string | readonly string[]> = {};
    for (const [principalType, values] of Object.entries(block)) {
        compact[principalType] = values.length === 1 ? values[0] : values;
    }
    return JSON.stringify(compact);
}

/**
 * The policy text as AWS will receive it. Objects are serialised the way the AWS provider does
 * (plain JSON); strings are taken verbatim.
 */
export function policyText(raw: unknown): string | undefined {
    if (typeof raw === "string") {
        return raw;
    }
    if (raw === undefined || raw === null) {
        return undefined;
    }
    return JSON.stringify(raw);
}

/**
 * AWS measures policy size quotas in characters excluding white space, so a pretty-printed and a
 * minified document count the same.
 */
export function countNonWhitespaceCharacters(text: string): number {
    let count = 0;
    for (const character of text) {
        if (!/\s/u.test(character)) {
            count++;
        }
    }
    return count;
}

// ------------------------------------------------------------------------------------------------
// A found document, and the property names that hold one (resource-documents.ts finds them).
// ------------------------------------------------------------------------------------------------

/** A policy document found in a resource's inputs, named by its path (`inlinePolicies[0].policy`). */
export interface FoundDocument {
    readonly path: string;
    /** The document as found: an object, or the JSON text it was read from. */
    readonly raw: unknown;
    /** The parsed document, or why a value that claims to be a document cannot be read. */
    readonly parsed: ParseResult;
}

/**
 * Property names under which a string is meant to be a policy document (any case): `policy`,
 * `assumeRolePolicy`, `accessPolicies`, `policyDocument`, `keyPolicy`, `inlinePolicy`, ... A
 * string there that starts like JSON but does not parse is reported as unreadable, not skipped.
 */
export const POLICY_PROPERTY_NAME = /polic(y|ies)(document|text)?$/i;
