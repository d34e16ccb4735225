/**
 * Renders who a trust policy admits, in words, for `npm run plan`. It reads the
 * same JSON document the role receives, so what the reviewer sees is what AWS gets.
 */
import { ReadStatement, statementsOf, valuesOf } from "../iam/documents";

const OPERATOR_WORDS: Record<string, string> = {
    StringEquals: "=",
    StringNotEquals: "≠",
    StringLike: "like",
    StringNotLike: "not like",
    ArnEquals: "=",
    ArnLike: "like",
    Bool: "=",
    NumericLessThan: "<",
    NumericLessThanEquals: "≤",
};

/** One line per Allow statement, then one per Deny statement ("refused: ..."), which overrides them. */
export function describeTrust(trustPolicy: object): string[] {
    const statements = statementsOf(trustPolicy);
    return [
        ...statements.filter((s) => s.Effect === "Allow").map(describeStatement),
        ...statements.filter((s) => s.Effect === "Deny").map((s) => `refused: ${describeStatement(s)}`),
    ];
}

/** `BoolIfExists` reads as `Bool` whose condition also holds when the key is absent. */
function describeCondition(operator: string, key: string, value: unknown): string {
    const ifExists = operator.endsWith("IfExists");
    const base = ifExists ? operator.slice(0, -"IfExists".length) : operator;
    return `${key} ${OPERATOR_WORDS[base] ?? base} ${valuesOf(value).join(" | ")}${ifExists ? " (or absent)" : ""}`;
}

function describeStatement(s: ReadStatement): string {
    const who = describePrincipal(s.Principal);
    const actions = valuesOf(s.Action).join(", ");
    const conditions = Object.entries(s.Condition ?? {}).flatMap(([op, byKey]) =>
        Object.entries(byKey).map(([key, value]) => describeCondition(op, key, value)),
    );
    return `${who} via ${actions}${conditions.length ? ` when ${conditions.join(" and ")}` : ""}`;
}

function describePrincipal(principal: unknown): string {
    if (principal === "*") {
        return "anyone";
    }
    if (typeof principal !== "object" || principal === null) {
        return "nobody";
    }
    return Object.entries(principal as Record<string, unknown>)
        .map(([kind, values]) =>
            valuesOf(values)
                .map((v) => (v === "*" ? `any ${kind} principal` : v))
                .join(", "),
        )
        .join(", ");
}
