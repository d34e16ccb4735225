/**
 * Reach, for people: a grid (entry identities down, accounts across by name,
 * each cell naming the roles reached, `!` on alerted ones) with the alerts
 * first; every path on request; a Mermaid graph; and, for a management-account
 * role, who can reach it, naming principals, groups and accounts.
 */
import { AcceptedAlert, isAccepted } from "../config/accepted-alerts";
import { Organization } from "./organization";
import { identityAllows, readStatements, RequestContext } from "../iam/evaluator";
import { mayAssume, ReachAlert, ReachResult } from "./reach";
import { parseArn } from "../iam/arns";

export type AccountName = (id: string) => string;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const accountOf = (arn: string) => ROLE_ARN.exec(arn)?.[1] ?? "";
const roleName = (arn: string) => ROLE_ARN.exec(arn)?.[2] ?? arn;

/** `Administrator @ prod` for a role ARN. */
export function shortRole(arn: string, accountName: AccountName): string {
    const m = ROLE_ARN.exec(arn);
    return m ? `${m[2]} @ ${accountName(m[1])}` : arn;
}

/** Replaces every role ARN in a text with its short form. */
function shorten(text: string, accountName: AccountName): string {
    return text.replace(/arn:aws[a-z-]*:iam::\d{12}:role\/[^\s,;]+/g, (arn) => shortRole(arn, accountName));
}

function table(rows: string[][]): string[] {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
    return rows.map((r) =>
        r
            .map((c, i) => c.padEnd(widths[i]))
            .join(" | ")
            .trimEnd(),
    );
}

/** Alerts grouped so that a thousand copies of one role read as one line. */
export function renderAlerts(result: ReachResult, accountName: AccountName): string[] {
    const groups = new Map<string, { alert: ReachAlert; accounts: string[] }>();
    for (const a of result.alerts) {
        const fromRole = a.from.startsWith("role:") ? a.from.slice("role:".length) : undefined;
        const from = fromRole ? `role ${roleName(fromRole)}` : a.from;
        const path = a.path.map((arn) => shortRole(arn, accountName)).join(" -> ");
        const why = shorten(fromRole ? a.why.replace(fromRole, roleName(fromRole)) : a.why, accountName);
        const key = `${from}\u0000${path}\u0000${why}`;
        const group = groups.get(key) ?? { alert: { ...a, from, why }, accounts: [] };
        if (fromRole) group.accounts.push(accountName(accountOf(fromRole)));
        groups.set(key, group);
    }
    return [...groups.values()].map(({ alert, accounts }) => {
        const where =
            accounts.length === 0
                ? ""
                : ` @ ${accounts.slice(0, 3).join(", ")}${accounts.length > 3 ? ` and ${accounts.length - 3} more` : ""}`;
        const path = alert.path.map((arn) => shortRole(arn, accountName)).join(" -> ");
        return `! ${alert.from}${where} -> ${path}: ${alert.why}`;
    });
}

/** The one line that says, where alerts print, what an alert is and what to do about one. */
export const ALERTS_EXPLAINED =
    "an alert is a path a reviewer should confirm, not an error (docs/reach.md); `npm run plan -- --strict` exits 1 on any. Remove the path, or keep a deliberate one: list it in org-access:acceptedAlerts as { to: <role ARN>, from: <entry>, reason }";

/** Each entry of `org-access:acceptedAlerts` with the alerts of this plan it accepts. */
export interface AcceptedUse {
    readonly entry: AcceptedAlert;
    readonly alerts: number;
}

/** A reach result with the alerts `accepted` covers set apart: the plan lists them with their reasons, but marks and fails on the others only. */
export function acceptAlerts(
    result: ReachResult,
    accepted: readonly AcceptedAlert[],
): ReachResult & { readonly accepted: readonly AcceptedUse[] } {
    return {
        ...result,
        alerts: result.alerts.filter((a) => !isAccepted(accepted, a)),
        accepted: accepted.map((entry) => ({ entry, alerts: result.alerts.filter((a) => isAccepted([entry], a)).length })),
    };
}

/**
 * The grid: one row per entry identity, one column per account (management
 * first, then by name), cells listing the roles reached there. Accounts whose
 * columns are identical are merged when there are more than `maxColumns`.
 */
export function renderGrid(
    result: ReachResult & { readonly accepted?: readonly AcceptedUse[] },
    accountName: AccountName,
    maxColumns = 8,
): string[] {
    const alerted = new Set(result.alerts.map((a) => `${a.from}\u0000${a.to}`));
    const cells = new Map<string, Map<string, string[]>>();
    const accounts = new Set<string>();
    for (const r of result.reach) {
        const account = accountOf(r.to);
        accounts.add(account);
        const row = cells.get(r.from) ?? new Map<string, string[]>();
        row.set(account, [...(row.get(account) ?? []), `${roleName(r.to)}${alerted.has(`${r.from}\u0000${r.to}`) ? "!" : ""}`]);
        cells.set(r.from, row);
    }
    const mgmt = result.managementAccountId;
    const ordered = [...accounts].sort((a, b) => {
        if (a === mgmt || b === mgmt) return a === mgmt ? -1 : 1;
        const [x, y] = [accountName(a), accountName(b)];
        return x < y ? -1 : x > y ? 1 : 0;
    });
    const cell = (entry: string, account: string) => [...new Set(cells.get(entry)?.get(account) ?? [])].sort().join(", ");
    const entries = result.entries;
    let columns = ordered.map((a) => ({ label: accountName(a), accounts: [a] }));
    if (columns.length > maxColumns) {
        const merged = new Map<string, { label: string; accounts: string[] }>();
        for (const a of ordered) {
            const key = entries.map((e) => cell(e, a)).join("\u0000");
            const col = merged.get(key) ?? { label: "", accounts: [] };
            col.accounts.push(a);
            merged.set(key, col);
        }
        columns = [...merged.values()].map((c) => ({
            ...c,
            label: c.accounts.length === 1 ? accountName(c.accounts[0]) : `${accountName(c.accounts[0])} +${c.accounts.length - 1} like it`,
        }));
    }
    const lines: string[] = [];
    const alerts = renderAlerts(result, accountName);
    const uses = (result.accepted ?? []).filter((u) => u.alerts > 0);
    const count = uses.reduce((n, u) => n + u.alerts, 0);
    const accepted = count > 0 ? ` (${count} accepted in org-access:acceptedAlerts)` : "";
    lines.push(
        alerts.length === 0 ? `Alerts: none${accepted}` : `Alerts (${alerts.length})${accepted}: ${ALERTS_EXPLAINED}`,
        ...alerts.map((a) => `  ${a}`),
        ...uses.map(
            (u) =>
                `  = ${shortRole(u.entry.to, accountName)} from ${u.entry.from ?? "every entry"} (${u.alerts} accepted): ${u.entry.reason}`,
        ),
    );
    if (entries.length === 0) {
        lines.push("Reach: no entry identities in this plan");
        return lines;
    }
    // Break-glass entries are shown apart, after the others, each marked: they are the emergency path.
    const breakGlass = new Set(result.breakGlass ?? []);
    const rowEntries = [...entries.filter((e) => !breakGlass.has(e)), ...entries.filter((e) => breakGlass.has(e))];
    const label = (e: string) => (breakGlass.has(e) ? `${e} [break-glass]` : e);
    const rows = [
        ["entry", ...columns.map((c) => c.label)],
        ...rowEntries.map((e) => [label(e), ...columns.map((c) => cell(e, c.accounts[0]) || "-")]),
    ];
    lines.push(
        `Reach (roles each entry identity can end up in; ! = alert${breakGlass.size > 0 ? "; [break-glass] = emergency IAM users, hardware MFA only" : ""}):`,
        ...table(rows).map((l) => `  ${l}`),
    );
    return lines;
}

/** Every path, one line each (`npm run plan -- --paths`). */
export function renderPaths(result: ReachResult, accountName: AccountName): string[] {
    return result.reach.map((r) => `${r.from}: ${r.path.map((arn) => shortRole(arn, accountName)).join(" -> ")}`);
}

/**
 * A Mermaid flowchart of reach: entry identities, then roles grouped by
 * account (the management account included), edges along every path, and
 * alert edges dashed with a label and drawn in red.
 */
export function renderReachMermaid(result: ReachResult, accountName: AccountName): string {
    const ids = new Map<string, string>();
    const id = (key: string) => {
        let v = ids.get(key);
        if (!v) ids.set(key, (v = `n${ids.size}`));
        return v;
    };
    const label = (text: string) => `"${text.replace(/"/g, "#quot;")}"`;
    const entryNodes = new Set<string>();
    const byAccount = new Map<string, Set<string>>();
    const edges = new Map<string, boolean>();
    const alertEdges = new Set(
        result.alerts
            .filter((a) => !a.from.startsWith("role:"))
            .map((a) => `${a.path.length > 1 ? a.path[a.path.length - 2] : a.from}\u0000${a.to}`),
    );
    for (const r of result.reach) {
        entryNodes.add(r.from);
        let prev = r.from;
        for (const arn of r.path) {
            const account = accountOf(arn);
            byAccount.set(account, (byAccount.get(account) ?? new Set()).add(arn));
            const key = `${prev}\u0000${arn}`;
            edges.set(key, edges.get(key) || (alertEdges.has(key) && arn === r.to));
            prev = arn;
        }
    }
    const lines = ["flowchart LR"];
    for (const e of [...entryNodes].sort()) lines.push(`    ${id(e)}([${label(e)}])`);
    const mgmt = result.managementAccountId;
    const accounts = [...byAccount.keys()].sort((a, b) => (a === mgmt ? -1 : b === mgmt ? 1 : accountName(a) < accountName(b) ? -1 : 1));
    if (mgmt !== undefined && !byAccount.has(mgmt)) accounts.unshift(mgmt);
    for (const account of accounts) {
        lines.push(
            `    subgraph ${id(`account:${account}`)}[${label(`${accountName(account)} (${account})${account === mgmt ? " management account" : ""}`)}]`,
        );
        for (const arn of [...(byAccount.get(account) ?? [])].sort()) lines.push(`        ${id(arn)}[${label(roleName(arn))}]`);
        lines.push("    end");
    }
    const red: number[] = [];
    [...edges.entries()].forEach(([key, alert], i) => {
        const [from, to] = key.split("\u0000");
        lines.push(alert ? `    ${id(from)} -.->|alert| ${id(to)}` : `    ${id(from)} --> ${id(to)}`);
        if (alert) red.push(i);
    });
    if (red.length > 0) lines.push(`    linkStyle ${red.join(",")} stroke:#d00,stroke-width:2px`);
    return lines.join("\n");
}

/**
 * Who can reach a role (the management account's customer role): the
 * principals, accounts and organization its trust names, the groups whose
 * policies let their members assume it, and the entry identities that reach it.
 */
/** The ARNs (or patterns) a statement's positive `aws:PrincipalArn` condition narrows its principals to. */
function principalArnsOf(s: {
    readonly conditions: readonly { readonly key: string; readonly operator: string; readonly values: readonly string[] }[];
}): string[] {
    return s.conditions.filter((c) => c.key.toLowerCase() === "aws:principalarn" && !/Not/.test(c.operator)).flatMap((c) => [...c.values]);
}

export function renderAudience(org: Organization, result: ReachResult, roleArn: string, accountName: AccountName): string[] {
    const role = org.roles.get(roleArn);
    if (!role) return [];
    const lines: string[] = [`Who can reach ${shortRole(roleArn, accountName)}:`];
    const name = (id: string) => `${accountName(id)} (${id})`;
    // A principal the trust names but IAM refuses (its own policies do not allow the hop) is not an audience.
    const principalLine = (arn: string) =>
        mayAssume(org, arn, roleArn) === false
            ? `  - principal ${arn}: trusted, but its own policies do not allow sts:AssumeRole on it, so IAM refuses it`
            : `  - principal ${arn}`;
    for (const s of role.shape.trust.filter(
        (x) => x.effect === "Allow" && (x.actions ?? []).some((a) => /^sts:AssumeRole$|^sts:\*$|^\*$/i.test(a)),
    )) {
        const accountsIn = s.conditions
            .filter((c) => c.key.toLowerCase() === "aws:principalaccount")
            .map((c) => `${/Not/.test(c.operator) ? "except " : ""}${c.values.map(name).join(", ")}`);
        const orgs = s.conditions.filter((c) => c.key.toLowerCase() === "aws:principalorgid").flatMap((c) => c.values);
        const narrowed = principalArnsOf(s);
        const principals = s.principal === "*" ? ["*"] : (s.principal?.AWS ?? []);
        for (const p of principals) {
            const root = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(p)?.[1] ?? (/^\d{12}$/.test(p) ? p : undefined);
            if (p === "*") {
                const scope = orgs.length > 0 ? `organization ${orgs.join(", ")}` : "any AWS account";
                lines.push(
                    `  - any principal in ${scope}${accountsIn.length > 0 ? `, accounts ${accountsIn.join("; ")}` : ""}, that holds sts:AssumeRole on it`,
                );
            } else if (root && narrowed.length > 0) {
                // The account as principal, narrowed to exact ARNs or patterns by aws:PrincipalArn.
                for (const arn of narrowed.filter((a) => parseArn(a)?.account === root)) {
                    lines.push(/[*?]/.test(arn) ? `  - principals of account ${name(root)} matching ${arn}` : principalLine(arn));
                }
            } else if (root) {
                lines.push(`  - any principal of account ${name(root)} that holds sts:AssumeRole on it`);
            } else {
                lines.push(principalLine(p));
            }
        }
    }
    // Accounts the trust admits as a whole: a root principal, or a positive aws:PrincipalAccount list.
    const wholeAccounts = new Set<string>();
    for (const s of role.shape.trust.filter((x) => x.effect === "Allow")) {
        for (const p of s.principal === "*" || principalArnsOf(s).length > 0 ? [] : (s.principal?.AWS ?? [])) {
            const root = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(p)?.[1] ?? (/^\d{12}$/.test(p) ? p : undefined);
            if (root) wholeAccounts.add(root);
        }
        for (const c of s.conditions) {
            if (c.key.toLowerCase() === "aws:principalaccount" && !/Not/.test(c.operator)) c.values.forEach((v) => wholeAccounts.add(v));
        }
    }
    const context = new RequestContext();
    for (const g of org.groups) {
        const statements = g.policies.flatMap((d) => readStatements(d));
        if (!identityAllows(statements, undefined, "sts:AssumeRole", roleArn, context).allowed) continue;
        const members = org.users.filter((u) => u.accountId === g.accountId && u.groups.includes(g.name)).map((u) => u.name);
        lines.push(
            `  - group ${g.name} @ ${name(g.accountId ?? "")}: its policy allows sts:AssumeRole on it; members ${members.length > 0 ? members.join(", ") : "not in this plan (every user added to the group)"}`,
        );
        if (g.accountId !== undefined && wholeAccounts.has(g.accountId)) {
            lines.push(
                `    note: the trust admits all of ${name(g.accountId)} for this group, so any other principal there that holds sts:AssumeRole on it gets in too`,
            );
        }
    }
    const reaching = result.reach.filter((r) => r.to === roleArn);
    for (const r of reaching)
        lines.push(
            `  - ${r.from} via ${
                r.path
                    .slice(0, -1)
                    .map((a) => shortRole(a, accountName))
                    .join(" -> ") || "(directly)"
            }`,
        );
    const fromRoles = result.alerts.filter((a) => a.to === roleArn && a.from.startsWith("role:"));
    if (fromRoles.length > 0) {
        const names = [...new Set(fromRoles.map((a) => roleName(a.from.slice(5))))].sort();
        lines.push(
            `  - member-account roles that may assume it: ${names
                .map((n) => {
                    const count = fromRoles.filter((a) => roleName(a.from.slice(5)) === n).length;
                    return `${n} (${count} account${count === 1 ? "" : "s"})`;
                })
                .join(", ")}`,
        );
    }
    return lines;
}
