import * as path from "path";
import { Flags, runCommand } from "../offline/cli";
import { planOrganization, renderProblems } from "../offline/organization-plan";
import { describeProviderProcesses } from "../offline/provider-processes";
import { renderAssignment, renderProposal, writeAssignment, writeShards } from "../offline/shards";
import { displayPath } from "../offline/yaml-errors";
import { PROJECT_DIR, readProject } from "../offline/stack-files";

/**
 * `npm run shards -- [--project DIR] [--write]`: plans the project as one organization and, for each
 * stack that would start more provider processes than `org-access:providerBudget`, proposes shard
 * stacks by ranges of account names (offline/shards.ts), and puts member accounts no stack deploys
 * (added since) into the stack whose range holds their name. With --write, writes them and narrows the
 * stack's `org-access:deploy.memberAccounts`, then plans the organization again to show it fits.
 */
export const SHARDS_COMMAND = {
    usage: "npm run shards --",
    description:
        "Proposes shard stacks for every stack of the project over its provider budget (org-access:providerBudget): ranges of member accounts by name, each within the budget; and member accounts no stack deploys (added since) into the stack whose range holds their name. With --write, writes Pulumi.<shard>.yaml files, narrows the big stack's org-access:deploy.memberAccounts, and plans the organization again (exit 1 if it still has problems).",
    flags: {
        project: { type: "string", value: "DIR", help: "the Pulumi project to read (default: this repository)" },
        write: { type: "boolean", help: "write the proposed stack files (default: print the proposal only)" },
    },
} as const;

export async function shardsMain(flags: Flags<typeof SHARDS_COMMAND.flags>): Promise<number> {
    const projectDir = path.resolve(flags.project ?? PROJECT_DIR);
    readProject(projectDir); // names the directory or its Pulumi.yaml in one line when either is wrong
    const organization = await planOrganization(projectDir);
    for (const p of organization.providerProcesses) console.log(`${p.stack}: ${describeProviderProcesses(p)}`);
    const assignment = organization.accountAssignment;
    if (organization.shardProposals.length === 0 && !assignment) {
        console.log("every stack is within its provider budget, and every member account is in a stack: nothing to do");
        return 0;
    }
    for (const proposal of organization.shardProposals) {
        for (const line of renderProposal(proposal)) console.log(line);
    }
    for (const line of assignment ? renderAssignment(assignment) : []) console.log(line);
    if (flags.write !== true) {
        console.log("(--write writes these stack files)");
        return 0;
    }
    const written = [
        ...organization.shardProposals.flatMap((proposal) => writeShards(projectDir, proposal)),
        ...(assignment ? writeAssignment(projectDir, assignment) : []),
    ];
    console.log(`wrote ${written.length} stack file${written.length === 1 ? "" : "s"}: ${written.map((f) => displayPath(f)).join(", ")}`);
    const after = await planOrganization(projectDir);
    const over = after.providerProcesses.filter((p) => p.processes > p.budget);
    console.log(
        `planned again: ${after.plans.size} stacks, ${over.length} over budget, ${after.problems.length} problem${after.problems.length === 1 ? "" : "s"}; deploy stages ${after.deployLevels.map((l) => l.length).join(" -> ")} stacks`,
    );
    for (const line of renderProblems(after.problems)) console.log(`  ${line}`);
    return after.problems.length === 0 ? 0 : 1;
}

if (require.main === module) {
    runCommand(SHARDS_COMMAND, shardsMain);
}
