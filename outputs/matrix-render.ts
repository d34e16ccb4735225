/** The access matrix for people: one line per path, and a Mermaid flowchart. */
import { Entry, MatrixRow } from "./matrix";

/** The matrix as text lines, one per path, accounts by name. */
export function renderMatrix(rows: readonly MatrixRow[], accountName: (id: string) => string): string[] {
    const describe = (e: Entry) => {
        const kind = { user: "IAM user", saml: "SAML", oidc: "OIDC", "identity-center": "Identity Center" }[e.kind];
        return `${kind} ${e.who}${e.when ? ` (${e.when})` : ""}`;
    };
    return rows.map((r) => {
        const target = r.role ? `${r.role} @ ${accountName(r.accountId ?? "")}` : "(no member roles)";
        return `${describe(r.entry)} -> team ${r.team} -> ${target}`;
    });
}

/** A Mermaid flowchart: entries -> teams -> member roles -> accounts. */
export function renderMermaid(rows: readonly MatrixRow[], accountName: (id: string) => string): string {
    const ids = new Map<string, string>();
    const nodes: string[] = [];
    const edges = new Set<string>();
    const node = (key: string, label: string, shape: "([" | "[" | "[[" | "{{") => {
        let id = ids.get(key);
        if (!id) {
            id = `n${ids.size}`;
            ids.set(key, id);
            const close = { "([": "])", "[": "]", "[[": "]]", "{{": "}}" }[shape];
            nodes.push(`    ${id}${shape}"${label.replace(/"/g, "#quot;")}"${close}`);
        }
        return id;
    };
    for (const r of rows) {
        const kind = { user: "user", saml: "SAML", oidc: "OIDC", "identity-center": "Identity Center" }[r.entry.kind];
        const who = node(`entry:${r.entry.kind}:${r.entry.who}`, `${kind}: ${r.entry.who}`, "([");
        const team = node(`team:${r.team}`, `team ${r.team}`, "[");
        edges.add(`    ${who} --> ${team}`);
        if (r.role && r.accountId) {
            const role = node(`role:${r.role}`, r.role, "[[");
            const account = node(`account:${r.accountId}`, `${accountName(r.accountId)} (${r.accountId})`, "{{");
            edges.add(`    ${team} --> ${role}`);
            edges.add(`    ${role} --> ${account}`);
        }
    }
    return ["flowchart LR", ...nodes, ...edges].join("\n");
}
