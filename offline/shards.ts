/**
 * Shards, when member roles keep a provider per account: for each stack over its
 * provider budget, stack files that split its member accounts into stacks that fit.
 *
 * A shard is a range of account names. The big stack keeps the first range, and
 * each further range becomes a stack named after the account it starts with
 * (`<stack>-from-<account>`), listing its accounts by name in
 * `org-access:deploy.memberAccounts`. Names never depend on a count or an index,
 * so they are stable: adding an account renames nothing and moves no account that
 * is already in a stack; each range is filled to `SHARD_FILL` of the budget, so the
 * accounts added later into a range fit in it (docs/runbook.md, "Shards").
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { NAMESPACE } from "../config/stack";
import { modelOf, Plan } from "./plan";
import { keyOf } from "./planned-entities";
import { MEMBER_ROLES_KEY, ProviderProcesses } from "./provider-processes";
import { configFileFor, readProject } from "./stack-files";
import { StackFileError } from "./yaml-errors";

/** How full a range is made, of the budget: the rest is room for accounts added later into the range. */
export const SHARD_FILL = 0.8;

/** One stack file the proposal writes or rewrites. */
export interface ShardStack {
    readonly stack: string;
    /** Its member accounts by name, sorted. */
    readonly memberAccounts: readonly string[];
    /** The provider processes it will start: the stack's own (fixed) ones plus its accounts'. */
    readonly processes: number;
}

/** What one over-budget stack becomes. */
export interface ShardProposal {
    /** The stack over budget. */
    readonly stack: string;
    readonly budget: number;
    /** Its processes before sharding. */
    readonly processes: number;
    /** Its processes that do not move with member accounts (identities, the customer role, shared providers). */
    readonly fixed: number;
    /** The stack itself, with the first range (possibly none) of its member accounts. */
    readonly kept: ShardStack;
    /** The new stacks, in name order of their ranges. */
    readonly shards: readonly ShardStack[];
    /** What the stack deploys besides member roles, which its rewritten `deploy` keeps. */
    readonly deploys: Readonly<Record<"customerAccess" | "managementPreviewRole" | "identity", boolean>>;
    /** Set when no split fits: the fixed part alone is over the budget. */
    readonly unfit?: string;
}

/** The shard stack whose range starts at `account`. */
export const shardName = (stack: string, account: string) => `${stack}-from-${account}`;

/**
 * Splits one over-budget stack's member accounts into name ranges that fit. Pure: reads the stack's
 * provider count (which accounts' providers only member roles use) and its model (account names).
 */
export function proposeShards(plan: Plan, count: ProviderProcesses): ShardProposal {
    const model = modelOf(plan);
    const costs = Object.entries(count.memberRoleProviders)
        .map(([id, processes]) => ({ name: model.accountName(id), processes }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const fixed = count.processes - costs.reduce((n, c) => n + c.processes, 0);
    // Member accounts whose providers the stack keeps anyway (the access account's) stay: moving them saves nothing.
    const scope = model.deploy.memberAccounts ?? model.organization.members;
    const movable = new Set(costs.map((c) => c.name));
    const free = (model.access ? scope.filter((a) => !movable.has(a.name) && inScopeOfRoles(plan, a.id)) : []).map((a) => a.name);
    const fill = Math.max(1, Math.floor(count.budget * SHARD_FILL));
    const ranges: { names: string[]; processes: number }[] = [{ names: [], processes: fixed }];
    for (const c of costs) {
        const last = ranges[ranges.length - 1];
        if (last.processes + c.processes <= fill) {
            last.names.push(c.name);
            last.processes += c.processes;
        } else {
            ranges.push({ names: [c.name], processes: c.processes });
        }
    }
    const [first, ...rest] = ranges;
    return {
        stack: plan.stack,
        budget: count.budget,
        processes: count.processes,
        fixed,
        kept: { stack: plan.stack, memberAccounts: [...free, ...first.names].sort(), processes: first.processes },
        shards: rest.map((r) => ({ stack: shardName(plan.stack, r.names[0]), memberAccounts: r.names, processes: r.processes })),
        deploys: {
            customerAccess: model.deploy.customerAccess,
            managementPreviewRole: model.deploy.managementPreviewRole,
            identity: model.deploy.identity,
        },
        unfit:
            fixed > count.budget
                ? `its own ${fixed} provider processes (not member roles') are over the budget of ${count.budget} before any member account`
                : undefined,
    };
}

/** Whether member roles of the plan land in this account (its copies, as planned). */
function inScopeOfRoles(plan: Plan, accountId: string): boolean {
    return plan.resources.some((r) => r.custom && r.accountId === accountId && keyOf(r) === MEMBER_ROLES_KEY);
}

/** The proposals for every stack over its budget whose member accounts can move. */
export function proposeAllShards(plans: ReadonlyMap<string, Plan>, counts: readonly ProviderProcesses[]): ShardProposal[] {
    return counts
        .filter((c) => c.processes > c.budget && Object.keys(c.memberRoleProviders).length > 0)
        .map((c) => proposeShards(plans.get(c.stack) as Plan, c));
}

/** One line per stack of a proposal. */
export function renderProposal(p: ShardProposal): string[] {
    const accounts = (s: ShardStack) =>
        s.memberAccounts.length === 0
            ? "no member accounts"
            : `${s.memberAccounts.length} member account${s.memberAccounts.length === 1 ? "" : "s"} ${s.memberAccounts[0]}..${s.memberAccounts[s.memberAccounts.length - 1]}`;
    return [
        `stack ${p.stack}: ${p.processes} provider processes over the budget of ${p.budget}; in ranges of account names filled to ${Math.round(SHARD_FILL * 100)}%:`,
        `  ${p.kept.stack} keeps ${accounts(p.kept)}: ${p.kept.processes} processes`,
        ...p.shards.map((s) => `  ${s.stack}: ${accounts(s)}: ${s.processes} processes`),
        ...(p.unfit ? [`  still over budget: ${p.unfit}`] : []),
    ];
}

/** Keys a shard reads from the project config; in a stack file, a shard (which holds only `deploy`) would not see them. */
const SHARED_KEYS = ["organization", "accessAccount", "roles", "teams", "identity", "regions", "identityCenter", "previewRole"];

/** A stack file's leading comment lines, kept when the file is rewritten (js-yaml drops comments). */
function leadingComments(text: string): string {
    const lines = text.split("\n");
    const end = lines.findIndex((l) => !l.startsWith("#"));
    return lines.slice(0, end < 0 ? lines.length : end).join("\n");
}

/**
 * Writes a proposal into `projectDir`: a `Pulumi.<shard>.yaml` per shard with only
 * `org-access:deploy.memberAccounts`, and the stack's own file with its `deploy`
 * narrowed to what it keeps. Refuses (one line, nothing written) when a shard
 * stack file exists already or when the stack's file holds config that shards read
 * from the project (they would not see it). Returns the files written.
 */
export function writeShards(projectDir: string, proposal: ShardProposal): string[] {
    const project = readProject(projectDir);
    const ownFile = configFileFor(proposal.stack, projectDir);
    const own = yaml.load(fs.readFileSync(ownFile, "utf8")) as { config?: Record<string, unknown> };
    const config = own.config ?? {};
    const local = SHARED_KEYS.map((k) => `${NAMESPACE}:${k}`).filter((k) => k in config);
    if (local.length > 0) {
        throw new StackFileError(
            ownFile,
            `${local.join(", ")} ${local.length === 1 ? "is" : "are"} set in this stack file, where shard stacks would not see ${local.length === 1 ? "it" : "them"}: move ${local.length === 1 ? "it" : "them"} to ${path.join(projectDir, "Pulumi.yaml")}'s config (under value:), which every stack reads, then run the command again`,
        );
    }
    for (const shard of proposal.shards) {
        if (project.stacks.includes(shard.stack)) {
            throw new StackFileError(
                configFileFor(shard.stack, projectDir),
                `stack ${shard.stack} exists already; the proposal would overwrite it`,
            );
        }
    }
    // The parts the stack deploys today (from its effective config, the project's included), and the accounts it keeps.
    const parts = Object.fromEntries(Object.entries(proposal.deploys).filter(([, deployed]) => deployed));
    const written: string[] = [];
    const ownText = fs.readFileSync(ownFile, "utf8");
    const rewritten = {
        ...own,
        config: { ...config, [`${NAMESPACE}:deploy`]: { ...parts, memberAccounts: [...proposal.kept.memberAccounts] } },
    };
    fs.writeFileSync(ownFile, joinComments(leadingComments(ownText), yaml.dump(rewritten, { lineWidth: 140, flowLevel: 3 })));
    written.push(ownFile);
    for (const shard of proposal.shards) {
        const file = configFileFor(shard.stack, projectDir);
        const header = [
            `# A member-role shard of stack ${proposal.stack}, written by \`npm run shards\`: the member roles of the accounts`,
            `# from ${shard.memberAccounts[0]} on in name order, within org-access:providerBudget (${proposal.budget} provider processes).`,
            '# An account added later whose name falls in this range belongs here (docs/runbook.md, "Shards").',
        ].join("\n");
        const body = { config: { [`${NAMESPACE}:deploy`]: { memberAccounts: [...shard.memberAccounts] } } };
        fs.writeFileSync(file, joinComments(header, yaml.dump(body, { lineWidth: 140, flowLevel: 3 })));
        written.push(file);
    }
    return written;
}

function joinComments(comments: string, body: string): string {
    return comments.length > 0 ? `${comments}\n${body}` : body;
}
