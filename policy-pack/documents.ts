// Typed model of IAM policy documents (identity, trust and resource policies) and the pure
// functions that parse them. Pulumi hands documents to the pack either as JSON strings (the usual
// `JSON.stringify(...)` / `aws.iam.getPolicyDocument(...).json`) or as plain objects (the
// `aws.iam.PolicyDocument` input type), so everything here accepts both.

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

export type ParseResult =
    | { readonly ok: true; readonly document: PolicyDocument }
    | { readonly ok: false; readonly reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `"a"` or `["a", "b"]` as a list; anything else is a shape error. */
function stringList(value: unknown, what: string): string[] {
    const items = Array.isArray(value) ? value : [value];
    return items.map(item => {
        if (typeof item !== "string") {
            throw new ShapeError(`${what} must be a string or a list of strings, got ${JSON.stringify(item)}`);
        }
        return item;
    });
}

/** Condition values may be strings, numbers or booleans (e.g. `"aws:MultiFactorAuthPresent": true`). */
function conditionValueList(value: unknown, what: string): string[] {
    const items = Array.isArray(value) ? value : [value];
    return items.map(item => {
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

/** IAM globbing: `*` any run of characters, `?` exactly one; comparison is case-insensitive. */
export function globToRegExp(pattern: string): RegExp {
    const body = pattern
        .split("")
        .map(character => {
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
        return statement.actions.some(pattern => actionPatternMatches(pattern, action));
    }
    if (statement.notActions !== undefined) {
        return !statement.notActions.some(pattern => actionPatternMatches(pattern, action));
    }
    return false;
}

/** Action names written literally (not via a wildcard) in the statement's `Action`. */
export function namesActionLiterally(statement: PolicyStatement, action: string): boolean {
    return (statement.actions ?? []).some(name => name.toLowerCase() === action.toLowerCase());
}
