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

export function describeTrust(trustPolicy: object): string[] {
    return statementsOf(trustPolicy)
        .filter((s) => s.Effect === "Allow")
        .map(describeStatement);
}

function describeStatement(s: ReadStatement): string {
    const who = describePrincipal(s.Principal);
    const actions = valuesOf(s.Action).join(", ");
    const conditions = Object.entries(s.Condition ?? {}).flatMap(([op, byKey]) =>
        Object.entries(byKey).map(([key, value]) => `${key} ${OPERATOR_WORDS[op] ?? op} ${valuesOf(value).join(" | ")}`),
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
