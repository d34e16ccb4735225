/**
 * The one matcher for IAM's wildcards, for actions and for ARNs and string values: `*` matches any
 * run of characters (none included), `?` exactly one. Action names compare without regard to case
 * (`s3:getobject` is `s3:GetObject`); ARNs and string condition values with it, as `ArnLike` and
 * `StringLike` do. IAM User Guide, "IAM JSON policy elements: Action" and "Condition operators"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * The pack, the evaluator and the program (through iam/documents.ts) all match with it.
 */
import { PolicyStatement } from "./documents";
import { StringMemo } from "./memo";

/** Compiled patterns, by case rule and pattern: policies match the same few patterns over and over. */
const COMPILED = new StringMemo<RegExp>(4096);

/** Does `value` match the wildcard `pattern`? Case-sensitive unless `ignoreCase` (actions). */
export function glob(pattern: string, value: string, ignoreCase = false): boolean {
    if (!/[*?]/.test(pattern)) {
        return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
    }
    return COMPILED.get(`${ignoreCase ? "i" : "s"}${pattern}`, () => compile(pattern, ignoreCase)).test(value);
}

function compile(pattern: string, ignoreCase: boolean): RegExp {
    const body = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${body}$`, ignoreCase ? "i" : "");
}

/** True when an action pattern (`s3:Get*`, `sts:AssumeRole`, `*`) matches a concrete action; case does not matter. */
export function actionMatches(pattern: string, action: string): boolean {
    return glob(pattern, action, true);
}

/** Does the statement cover the action: one of its `Action` patterns, or none of its `NotAction` patterns, matches it? */
export function statementCoversAction(statement: PolicyStatement, action: string): boolean {
    if (statement.actions !== undefined) return statement.actions.some((pattern) => actionMatches(pattern, action));
    if (statement.notActions !== undefined) return !statement.notActions.some((pattern) => actionMatches(pattern, action));
    return false;
}
