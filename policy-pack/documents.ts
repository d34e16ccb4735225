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
 * until inspected (same shape as the program's `roles/documents.ts` `ReadStatement`).
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

/** `"a"` or `["a", "b"]` as a list; anything else is a shape error. */
function stringList(value: unknown, what: string): string[] {
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) => {
        if (typeof item !== "string") {
            throw new ShapeError(`${what} must be a string or a list of strings, got ${JSON.stringify(item)}`);
        }
        return item;
    });
}

/** Condition values may be strings, numbers or booleans (e.g. `"aws:MultiFactorAuthPresent": true`). */
function conditionValueList(value: unknown, what: string): string[] {
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) => {
        if (typeof item === "string" || typeof item === "number" || typeof item === "boolean") {
            return String(item);
        }
        throw new ShapeError(`${what} values must be strings, numbers or booleans, got ${JSON.stringify(item)}`);
    });
}

class ShapeError extends Error {}

function parsePrincipal(value: unknown, what: string): PrincipalBlock {
    if (value === "*") {
        return "*";
    }
    if (!isRecord(value)) {
        throw new ShapeError(`${what} must be "*" or an object, got ${JSON.stringify(value)}`);
    }
    const block: Record<string, readonly string[]> = {};
    for (const [principalType, values] of Object.entries(value)) {
        block[principalType] = stringList(values, `${what}.${principalType}`);
    }
    return block;
}

function parseConditions(value: unknown, what: string): ConditionClause[] {
    if (value === undefined) {
        return [];
    }
    if (!isRecord(value)) {
        throw new ShapeError(`${what} must be an object`);
    }
    const clauses: ConditionClause[] = [];
    for (const [operator, keys] of Object.entries(value)) {
        if (!isRecord(keys)) {
            throw new ShapeError(`${what}.${operator} must be an object of condition keys`);
        }
        for (const [key, values] of Object.entries(keys)) {
            clauses.push({ operator, key, values: conditionValueList(values, `${what}.${operator}.${key}`) });
        }
    }
    return clauses;
}

function parseStatement(raw: unknown, position: number): PolicyStatement {
    const what = `Statement #${position}`;
    if (!isRecord(raw)) {
        throw new ShapeError(`${what} must be an object`);
    }
    const effect = raw.Effect;
    if (effect !== "Allow" && effect !== "Deny") {
        throw new ShapeError(`${what} has Effect ${JSON.stringify(effect)}; expected "Allow" or "Deny"`);
    }
    const sid = raw.Sid;
    if (sid !== undefined && typeof sid !== "string") {
        throw new ShapeError(`${what} has a non-string Sid`);
    }
    return {
        position,
        sid: sid === "" ? undefined : sid,
        effect,
        principal: raw.Principal === undefined ? undefined : parsePrincipal(raw.Principal, `${what} Principal`),
        notPrincipal: raw.NotPrincipal === undefined ? undefined : parsePrincipal(raw.NotPrincipal, `${what} NotPrincipal`),
        actions: raw.Action === undefined ? undefined : stringList(raw.Action, `${what} Action`),
        notActions: raw.NotAction === undefined ? undefined : stringList(raw.NotAction, `${what} NotAction`),
        conditions: parseConditions(raw.Condition, `${what} Condition`),
    };
}

/**
 * Parses a policy document given as a JSON string or an object. `Statement` may be one object or a
 * list. Shape errors are returned, not thrown, so that each policy decides whether an unreadable
 * document is a violation (security guardrails fail closed) or simply out of scope.
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
    try {
        return { ok: true, document: { statements: rawStatements.map((s, i) => parseStatement(s, i + 1)) } };
    } catch (e) {
        if (e instanceof ShapeError) {
            return { ok: false, reason: e.message };
        }
        throw e;
    }
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

/** True when an action pattern (`s3:Get*`, `sts:AssumeRole`, `*`) matches a concrete action. */
export function actionPatternMatches(pattern: string, action: string): boolean {
    return globToRegExp(pattern).test(action);
}

/** Compiled patterns, by pattern: policies match the same few action names on every resource. */
const GLOBS = new StringMemo<RegExp>(4096);

/** IAM globbing: `*` any run of characters, `?` exactly one; comparison is case-insensitive. */
export function globToRegExp(pattern: string): RegExp {
    return GLOBS.get(pattern, () => compileGlob(pattern));
}

function compileGlob(pattern: string): RegExp {
    const body = pattern
        .split("")
        .map((character) => {
            if (character === "*") {
                return ".*";
            }
            if (character === "?") {
                return ".";
            }
            return character.replace(/[.+^${}()|[\]\\]/g, "\\$&");
        })
        .join("");
    return new RegExp(`^${body}$`, "i");
}

/** Does an Allow statement grant `action` (honouring `NotAction`)? */
export function statementCoversAction(statement: PolicyStatement, action: string): boolean {
    if (statement.actions !== undefined) {
        return statement.actions.some((pattern) => actionPatternMatches(pattern, action));
    }
    if (statement.notActions !== undefined) {
        return !statement.notActions.some((pattern) => actionPatternMatches(pattern, action));
    }
    return false;
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
