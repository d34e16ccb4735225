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
import { deployedResources, modelOf, Plan } from "./plan";
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
 * The stack a shard was split from (`shardName`'s inverse; a stack that is no shard is its own). Stack files
 * record no parent, so an existing shard's is read from the name this module gave it.
 */
const shardFamily = (stack: string) => stack.replace(/-from-.*$/, "");

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
    const ownText = fs.readFileSync(ownFile, "utf8");
    const own = yaml.load(ownText) as { config?: Record<string, unknown> };
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
    const written = [writeStackDeploy(ownFile, proposal.deploys, proposal.kept.memberAccounts, "", ownText)];
    for (const shard of proposal.shards) {
        const file = configFileFor(shard.stack, projectDir);
        writeStackDeploy(file, NOTHING_ELSE, shard.memberAccounts, shardHeader(proposal.stack, shard.memberAccounts[0], proposal.budget));
        written.push(file);
    }
    return written;
}

type Parts = Readonly<Record<"customerAccess" | "managementPreviewRole" | "identity", boolean>>;
const NOTHING_ELSE: Parts = { customerAccess: false, managementPreviewRole: false, identity: false };

function shardHeader(stack: string, first: string, budget: number): string {
    return [
        `# A member-role shard of stack ${stack}, written by \`npm run shards\`: the member roles of the accounts`,
        `# from ${first} on in name order, within org-access:providerBudget (${budget} provider processes).`,
        '# An account added later whose name falls in this range belongs here (docs/runbook.md, "Shards").',
    ].join("\n");
}

/**
 * Sets a stack file's `org-access:deploy` to the parts it deploys (the true ones) and its member
 * accounts by name, keeping its other config and its leading comments (or writing `header` for a
 * new file). `text` is the file as it stands, when the caller has read it already. Returns the file.
 */
function writeStackDeploy(
    file: string,
    parts: Parts,
    memberAccounts: readonly string[],
    header = "",
    text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "",
): string {
    const doc = (text ? yaml.load(text) : {}) as { config?: Record<string, unknown> };
    const deploy = { ...Object.fromEntries(Object.entries(parts).filter(([, deployed]) => deployed)), memberAccounts: [...memberAccounts] };
    const body = { ...doc, config: { ...(doc.config ?? {}), [`${NAMESPACE}:deploy`]: deploy } };
    fs.writeFileSync(file, joinComments(text ? leadingComments(text) : header, yaml.dump(body, { lineWidth: 140, flowLevel: 3 })));
    return file;
}

/**
 * Member accounts that roles select (each stack's model has every role's copies) but no stack
 * deploys member roles into (none of its planned member-role resources, nor of the roles its stack sets
 * deliver, sits there): an account added to the organization after its member accounts were split across stacks.
 */
export function undeployedMemberAccounts(plans: readonly Plan[]): string[] {
    const selected = new Map<string, string>();
    for (const plan of plans) {
        for (const role of modelOf(plan).access?.memberRoles ?? []) {
            for (const copy of role.copies) selected.set(copy.account.id, copy.account.name);
        }
    }
    const deployed = new Set(
        plans.flatMap((p) =>
            deployedResources(p)
                .filter((r) => r.custom && keyOf(r) === MEMBER_ROLES_KEY)
                .map((r) => r.accountId),
        ),
    );
    return [...selected]
        .filter(([id]) => !deployed.has(id))
        .map(([, name]) => name)
        .sort(byName);
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Where undeployed accounts go: the stacks whose name ranges hold them, or new shards. */
export interface AccountAssignment {
    readonly accounts: readonly string[];
    /** Every stack whose member accounts change, with its whole new list; `created` for new shard stacks. */
    readonly stacks: readonly (ShardStack & {
        readonly created: boolean;
        /** The stack its shards are split from (itself when it is no shard). */
        readonly family: string;
        readonly deploys: Parts;
        readonly budget: number;
    })[];
}

/**
 * Assigns undeployed accounts to the stack whose range holds each name: the stack with explicit member
 * accounts whose first account name is the greatest at or before it (or the first stack), when that
 * stack stays within its budget; else a new shard of that stack's family, named after the account.
 * Existing accounts never move, so adding accounts keeps every stack's name and contents.
 */
export function assignAccounts(
    plans: readonly Plan[],
    counts: readonly ProviderProcesses[],
    accounts: readonly string[],
): AccountAssignment | undefined {
    const ranges = plans
        .filter((p) => modelOf(p).deploy.memberAccounts !== undefined)
        .map((p) => {
            const model = modelOf(p);
            const names = (model.deploy.memberAccounts ?? []).map((a) => a.name).sort(byName);
            const count = counts.find((c) => c.stack === p.stack);
            const roles = p.resources.some((r) => r.custom && keyOf(r) === MEMBER_ROLES_KEY);
            return {
                stack: p.stack,
                family: shardFamily(p.stack),
                names,
                start: names[0],
                processes: count?.processes ?? 0,
                budget: count?.budget ?? 0,
                roles,
                deploys: {
                    customerAccess: model.deploy.customerAccess,
                    managementPreviewRole: model.deploy.managementPreviewRole,
                    identity: model.deploy.identity,
                } as Parts,
                created: false,
            };
        })
        .filter((r) => r.roles && r.start !== undefined);
    if (accounts.length === 0 || ranges.length === 0) return undefined;
    const changed = new Set<string>();
    for (const name of accounts) {
        const sorted = [...ranges].sort((a, b) => byName(a.start, b.start));
        const home = [...sorted].reverse().find((r) => byName(r.start, name) <= 0) ?? sorted[0];
        // One provider per account (accounts/providers.ts): the cost of one more member account.
        if (home.processes + 1 <= home.budget) {
            home.names.push(name);
            home.processes += 1;
            changed.add(home.stack);
        } else {
            const stack = shardName(home.family, name);
            ranges.push({
                stack,
                family: home.family,
                names: [name],
                start: name,
                processes: 1,
                budget: home.budget,
                roles: true,
                deploys: NOTHING_ELSE,
                created: true,
            });
            changed.add(stack);
        }
    }
    return {
        accounts,
        stacks: ranges
            .filter((r) => changed.has(r.stack))
            .map((r) => ({
                stack: r.stack,
                memberAccounts: [...r.names].sort(byName),
                processes: r.processes,
                created: r.created,
                family: r.family,
                deploys: r.deploys,
                budget: r.budget,
            })),
    };
}

/** Writes an assignment: rewrites the stacks that take accounts, creates the new shards. Returns the files. */
export function writeAssignment(projectDir: string, assignment: AccountAssignment): string[] {
    return assignment.stacks.map((s) =>
        writeStackDeploy(
            configFileFor(s.stack, projectDir),
            s.deploys,
            s.memberAccounts,
            s.created ? shardHeader(s.family, s.memberAccounts[0], s.budget) : "",
        ),
    );
}

/** Lines for an assignment. */
export function renderAssignment(a: AccountAssignment): string[] {
    return [
        `${a.accounts.length} member account${a.accounts.length === 1 ? "" : "s"} no stack deploys member roles into (${a.accounts.slice(0, 5).join(", ")}${a.accounts.length > 5 ? ", ..." : ""}), assigned by name range:`,
        ...a.stacks.map(
            (s) => `  ${s.stack}${s.created ? " (new)" : ""}: ${s.memberAccounts.length} member accounts, ${s.processes} processes`,
        ),
    ];
}

function joinComments(comments: string, body: string): string {
    return comments.length > 0 ? `${comments}\n${body}` : body;
}
