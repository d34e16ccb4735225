/**
 * Renders who a trust policy admits, in words, for `npm run plan`. It reads the
 * same JSON document the role receives, so what the reviewer sees is what AWS gets.
 */
interface Statement {
    Effect?: string;
    Principal?: unknown;
    Action?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
}

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

export function describeTrust(policyJson: string | object): string[] {
    const doc = (typeof policyJson === "string" ? JSON.parse(policyJson) : policyJson) as { Statement?: unknown };
    const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Statement[];
    return statements.filter((s) => s && s.Effect === "Allow").map(describeStatement);
}

function describeStatement(s: Statement): string {
    const who = describePrincipal(s.Principal);
    const actions = list(s.Action).join(", ");
    const conditions = Object.entries(s.Condition ?? {}).flatMap(([op, byKey]) =>
        Object.entries(byKey).map(([key, value]) => `${key} ${OPERATOR_WORDS[op] ?? op} ${list(value).join(" | ")}`),
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
        .map(([kind, values]) => list(values).map((v) => (v === "*" ? `any ${kind} principal` : v)).join(", "))
        .join(", ");
}

function list(value: unknown): string[] {
    return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}
