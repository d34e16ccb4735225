/**
 * No grant is lost across stacks. The customer role's trust admits a trusted
 * group's account, but a member of the group may assume the role only with the
 * group's grant: an inline policy on the group, attached by the stack that owns
 * the group (so its `GroupPoliciesExclusive` keeps it). That stack attaches it
 * only if its own config holds `org-access:customerAccess`; put the key in one
 * stack file only, and nobody attaches it. These checks find such a grant and
 * name both stacks and the key.
 */
import { ConfigError } from "../config/errors";
import { parseStackConfig } from "../config/stack";
import { buildOrganizationModel, GroupGrant, OrganizationModel } from "../model/organization";
import { Problem } from "./deploy-dependencies";
import { PlannedResource } from "./plan";
import { entityOf, str, T } from "./planned-entities";
import { readStackConfig, stackNames } from "./stack-files";
import { StackFileError } from "./yaml-errors";

/** One stack as the grant checks see it: its model and, when it was planned, its resources. */
export interface GrantStack {
    readonly stack: string;
    readonly model: OrganizationModel;
    readonly resources: readonly PlannedResource[];
}

/** `account/group/policy`: one inline policy on one group. IAM group names ignore case; policy names do not. */
const grantKey = (accountId: string | undefined, group: string, policyName: string) => `${accountId}/${group.toLowerCase()}/${policyName}`;
const keyOfGrant = (g: GroupGrant) => grantKey(g.account.id, g.group, g.policyName);

/** The grants a stack's customer role needs: none unless the stack deploys the role. */
function needed(model: OrganizationModel): readonly (GroupGrant & { readonly key: string })[] {
    return model.customerAccess && model.deploy.customerAccess ? model.customerAccess.requiredGrants : [];
}

/** Group inline policies among planned resources. */
function attachedIn(resources: readonly PlannedResource[]): Set<string> {
    return new Set(
        resources
            .filter((r) => r.custom && r.type === T.groupPolicy)
            .map((r) => grantKey(r.accountId, str(r.inputs.group), str(r.inputs.name))),
    );
}

/** The group inline policies a stack's model has it attach, without running the program. */
export function attachedByModel(model: OrganizationModel): Set<string> {
    const keys = new Set<string>();
    if (model.access && model.deploy.identity) {
        for (const group of model.access.groups) {
            for (const policyName of Object.keys(group.policies)) keys.add(grantKey(model.access.account.id, group.name, policyName));
        }
    }
    if (model.customerAccess && model.deploy.customerAccess) {
        model.customerAccess.groupGrants.forEach((g) => keys.add(keyOfGrant(g)));
    }
    return keys;
}

/** Whether a stack's model creates this group (the access setup's groups, when the stack deploys identities). */
function createsGroup(model: OrganizationModel, grant: GroupGrant): boolean {
    return (
        model.access !== undefined &&
        model.deploy.identity &&
        model.access.account.id === grant.account.id &&
        model.access.groups.some((g) => g.name.toLowerCase() === grant.group.toLowerCase())
    );
}

function lost(stack: string, grant: GroupGrant & { readonly key: string }, roleName: string, owner: string | undefined): Problem {
    const what = `the grant that lets group ${grant.group} of account ${grant.account.name} assume ${roleName} (inline policy ${grant.policyName} on the group)`;
    return {
        stack,
        key: grant.key,
        message: owner
            ? `${what} is attached by no stack: stack ${owner} creates the group but its config has no org-access:customerAccess; put org-access:customerAccess in the project config (Pulumi.yaml), which every stack reads, or in stack ${owner}'s file too`
            : `${what} is attached by no stack, and no stack creates the group: deploy org-access:identity (with the group) in some stack that also sees org-access:customerAccess`,
    };
}

/** The organization plan's check: every grant a deployed customer role needs is attached by some planned stack. */
export function lostGrants(stacks: readonly GrantStack[]): Problem[] {
    const attached = new Set(stacks.flatMap((s) => [...attachedIn(s.resources)]));
    const groupCreator = new Map<string, string>();
    for (const s of stacks) {
        for (const r of s.resources.filter((x) => x.custom && x.type === T.group)) {
            const entity = entityOf(r) as string;
            if (!groupCreator.has(entity)) groupCreator.set(entity, s.stack);
        }
    }
    return stacks.flatMap((s) =>
        needed(s.model)
            .filter((g) => !attached.has(keyOfGrant(g)))
            .map((g) =>
                lost(
                    s.stack,
                    g,
                    s.model.customerAccess?.role.name ?? "",
                    groupCreator.get(`${g.account.id}/group/${g.group.toLowerCase()}`),
                ),
            ),
    );
}

/**
 * The single-stack plan's check: a grant this stack needs but does not attach must be attached by
 * another stack of the project, judged from that stack's config and model (no program run). With
 * `--config-file` outside a project, or no such stack, it is a problem.
 */
export function grantsOutsideStack(stack: GrantStack, projectDir: string | undefined): Problem[] {
    const missing = needed(stack.model).filter((g) => !attachedIn(stack.resources).has(keyOfGrant(g)));
    if (missing.length === 0) return [];
    const others: GrantStack[] = [];
    for (const name of projectDir === undefined ? [] : stackNames(projectDir).filter((n) => n !== stack.stack)) {
        try {
            const model = buildOrganizationModel(parseStackConfig(readStackConfig(name, { projectDir }), projectDir));
            others.push({ stack: name, model, resources: [] });
        } catch (e) {
            // A stack whose own config is wrong attaches nothing; its plan reports that error itself.
            if (!(e instanceof ConfigError) && !(e instanceof StackFileError)) throw e;
        }
    }
    return missing
        .filter((g) => !others.some((o) => attachedByModel(o.model).has(keyOfGrant(g))))
        .map((g) => lost(stack.stack, g, stack.model.customerAccess?.role.name ?? "", others.find((o) => createsGroup(o.model, g))?.stack));
}
