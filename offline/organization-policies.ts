/**
 * The organization policies (`org-access:organizationPolicies`) proven before deploy: the SCP and RCP
 * as reach applies them (each member account's levels, root to account), and the organization plan's
 * checks over them. Every decision is the one evaluator's (iam/evaluator.ts `guardrailsAllow`, reach's
 * `judgeHop` and `reachOf`):
 * - AWS's quotas (size, policies per target), as data rows with sources (model/organization-policies.ts);
 * - an intended path (granted by config, break-glass included) that the policies would deny is a problem;
 * - a call of the deploy identity (the actions its account's planned resources need,
 *   model/deploy-permissions.ts) that the SCP or RCP would deny is a problem;
 * - the paths the perimeter closes are shown: a principal outside the organization into any role of a
 *   member account whose trust admits it (one made by hand included), and the planned roles whose trust
 *   admits a foreign account.
 * SCPs and RCPs do not apply to the management account, SCPs not to service-linked roles; the plan says so.
 */
import { Account } from "../config/organization";
import { DEPLOY_ROLE_NAMES } from "../config/deploy-identity";
import { accountOfArn, accountOfPrincipal, roleArn } from "../iam/arns";
import { statementsOf, valuesOf } from "../iam/documents";
import { ABSENT, assumedRoleSessionKeys, guardrailsAllow, known, RequestContext } from "../iam/evaluator";
import { DEPLOY_ACTIONS, deployActions } from "../model/deploy-permissions";
import { DEPLOY_CHAIN_ACTIONS } from "../model/deploy-identity";
import { OrganizationModel } from "../model/organization";
import {
    ORGANIZATION_POLICY_QUOTAS,
    OrganizationPoliciesModel,
    organizationPolicyList,
    STACKSETS_EXECUTION_ROLE,
} from "../model/organization-policies";
import { OrganizationPolicies, ReadPolicies, readOrganizationPolicies } from "../analysis/organization";
import { judgeHop, ReachResult } from "../analysis/reach";
import { Problem } from "./deploy-dependencies";
import { deployedResources, Plan } from "./plan";
import { iamView } from "./report";

/** The config key every problem here names. */
export const POLICIES_KEY = "org-access:organizationPolicies";

/**
 * `FullAWSAccess`, the SCP AWS attaches to every root, OU and account when SCPs are enabled
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).
 * The plan assumes it stays attached at every level: a level without it allows nothing.
 */
export const FULL_AWS_ACCESS = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } as const;

/** The OU paths from the root down to an account's own OU: `workloads`, `workloads/prod`. */
function ouPath(account: Account): string[] {
    const parts = account.ou?.split("/") ?? [];
    return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * The organization policies of the model as reach takes them (analysis/organization.ts
 * `OrganizationPolicies`): for each member account, one level for the root, one per OU on its path
 * and one for the account, each SCP level holding FullAWSAccess and the program's SCP where it is
 * attached, each RCP level the program's RCP where it is attached. The management account is not
 * listed: neither applies to it.
 */
export function reachPolicies(model: OrganizationModel): OrganizationPolicies | undefined {
    const policies = model.organizationPolicies;
    if (policies === undefined) return undefined;
    const targeted = new Set(policies.targets.map((t) => t.key));
    const levels = (account: Account, doc: object | undefined, base: readonly object[]) =>
        ["root", ...ouPath(account), account.id].map((level) => [...base, ...(doc !== undefined && targeted.has(level) ? [doc] : [])]);
    const scp: Record<string, (readonly object[])[]> = {};
    const rcp: Record<string, (readonly object[])[]> = {};
    for (const account of model.organization.members) {
        scp[account.id] = levels(account, policies.scp?.document, [FULL_AWS_ACCESS]);
        if (policies.rcp) rcp[account.id] = levels(account, policies.rcp.document, []);
    }
    return { serviceControlPolicies: scp, resourceControlPolicies: rcp };
}

/** Where the problems go: the stack that deploys the policies (with the customer role), or the first. */
export function policiesStack(plans: readonly Plan[]): Plan | undefined {
    return (
        plans.find((p) => p.model?.organizationPolicies && p.model.deploy.customerAccess) ??
        plans.find((p) => p.model?.organizationPolicies)
    );
}

/** Each policy's size, and the policies of each type on each target, against AWS's quotas. */
export function policyQuotaProblems(stack: string, policies: OrganizationPoliciesModel): Problem[] {
    const problems: Problem[] = [];
    for (const quota of ORGANIZATION_POLICY_QUOTAS) {
        const ours = organizationPolicyList(policies).filter((p) => p.type === quota.type);
        for (const policy of ours) {
            const size = JSON.stringify(policy.document).length;
            if (size > quota.maxCharacters) {
                problems.push({
                    stack,
                    key: POLICIES_KEY,
                    message: `${quota.what} ${policy.name} is ${size} characters, over AWS's quota of ${quota.maxCharacters} (${quota.source}): switch a policy off, or name fewer roles`,
                });
            }
        }
        if (ours.length + 1 > quota.perTarget) {
            problems.push({
                stack,
                key: POLICIES_KEY,
                message: `${ours.length} ${quota.what}s and ${quota.awsManaged} on each target, over AWS's quota of ${quota.perTarget} (${quota.source})`,
            });
        }
    }
    return problems;
}

/** One line per policy: its size, and the policies of its type on each target, against the quotas. */
export function renderQuotas(policies: OrganizationPoliciesModel): string[] {
    const list = organizationPolicyList(policies);
    return list.map((policy) => {
        const quota = ORGANIZATION_POLICY_QUOTAS.find((q) => q.type === policy.type)!;
        const perTarget = list.filter((p) => p.type === policy.type).length + 1;
        return `${quota.what} ${policy.name}: ${JSON.stringify(policy.document).length} of ${quota.maxCharacters} characters; ${perTarget} of ${quota.perTarget} ${quota.what}s on each target with ${quota.awsManaged} (${quota.source})`;
    });
}

/** The paths no alert calls "not granted": what config (and break-glass) asked for. */
function intendedPaths(result: ReachResult): Map<string, readonly string[]> {
    const notGranted = new Set(result.alerts.filter((a) => a.why.includes("not granted")).map((a) => `${a.from} ${a.to}`));
    return new Map(result.reach.filter((r) => !notGranted.has(`${r.from} ${r.to}`)).map((r) => [`${r.from} ${r.to}`, r.path]));
}

/**
 * Intended paths reach finds without the policies and not with them: each a problem. `without` and
 * `within` are reach over the same plans, without and with the organization policies.
 */
export function lostIntendedPaths(stack: string, without: ReachResult, within: ReachResult, name: (arn: string) => string): Problem[] {
    const kept = new Set(within.reach.map((r) => `${r.from} ${r.to}`));
    return [...intendedPaths(without)]
        .filter(([key]) => !kept.has(key))
        .map(([key, path]) => ({
            stack,
            key: POLICIES_KEY,
            message: `${key.split(" ")[0]} -> ${name(key.split(" ")[1])} is granted by config (${path.map(name).join(" -> ")}), but the organization policies deny it: fix the policy or the grant`,
        }));
}

/** Paths reach finds without the policies and not with them that nobody asked for: what the policies close in the plan. */
export function closedReach(without: ReachResult, within: ReachResult): { from: string; to: string }[] {
    const kept = new Set(within.reach.map((r) => `${r.from} ${r.to}`));
    const intended = intendedPaths(without);
    return without.reach.filter((r) => !kept.has(`${r.from} ${r.to}`) && !intended.has(`${r.from} ${r.to}`));
}

/** The session of a deploy role as the guardrails see it. */
function deployContext(arn: string, orgId: string, resourceAccount: string): RequestContext {
    const account = accountOfArn(arn);
    if (account === undefined) throw new Error(`deploy principal ${arn} names no account`);
    return new RequestContext({
        ...assumedRoleSessionKeys(arn, account, orgId),
        "aws:ResourceAccount": known(resourceAccount),
        "aws:ResourceOrgID": known(orgId),
        "aws:SourceIdentity": ABSENT,
    });
}

/**
 * The role that deploys into a member account: with the deploy identity, `org-access-deploy` in the
 * access account and `OrgAccessDeploy` elsewhere; without it, the organization's `deployRoleName`.
 */
function deployRoleIn(model: OrganizationModel, account: Account): string {
    const org = model.organization;
    const identity = model.deployIdentity;
    if (identity === undefined) return roleArn(account.id, org.deployRoleName, "/", org.partition);
    return account.id === identity.access.account.id
        ? identity.access.arn
        : roleArn(account.id, DEPLOY_ROLE_NAMES.account, "/", org.partition);
}

/**
 * Every call of the deploy identity the policies would deny: in each member account, the actions the
 * planned resources of that account need (the deploy table's rows for their types), on each IAM entity
 * planned there (and `*` for calls on no IAM entity); and the hop from `org-access-deploy` into each
 * `OrgAccessDeploy` (sts:AssumeRole, sts:TagSession), which the target's RCP judges too.
 */
export function deniedDeployCalls(stack: string, model: OrganizationModel, plans: readonly Plan[], policies: ReadPolicies): Problem[] {
    const problems: Problem[] = [];
    const org = model.organization;
    const withRow = new Set(DEPLOY_ACTIONS.map((r) => r.type));
    for (const account of org.members) {
        const planned = plans.flatMap((p) => deployedResources(p).filter((r) => r.accountId === account.id && r.custom));
        if (!planned.some((r) => withRow.has(r.type))) continue;
        const types = new Set(
            plans.flatMap((p) =>
                p.resources.filter((r) => r.accountId === account.id && r.custom && withRow.has(r.type)).map((r) => r.type),
            ),
        );
        const iam = plans.map((p) => iamView(p.resources.filter((r) => r.accountId === account.id)));
        const entities = iam.flatMap((v) => [...v.roles, ...v.users, ...v.groups].map((e) => e.arn));
        const principal = deployRoleIn(model, account);
        const guardrails = { scp: policies.scp.get(account.id), rcp: undefined };
        const denied = new Set<string>();
        for (const action of deployActions(types)) {
            const resources = action.startsWith("iam:") && entities.length > 0 ? entities : ["*"];
            for (const resource of resources) {
                if (!guardrailsAllow(guardrails, action, resource, deployContext(principal, org.id, account.id).forAction(action))) {
                    denied.add(`${action} on ${resource}`);
                }
            }
        }
        // Roles a stack set delivers are created by StackSets' execution role in the account, which SCPs bind too.
        const delivered = plans.flatMap((p) => (p.delivered ?? []).filter((r) => r.accountId === account.id && withRow.has(r.type)));
        if (delivered.length > 0) {
            const executionRole = roleArn(account.id, STACKSETS_EXECUTION_ROLE.replace("*", "0123abcd"), "/", org.partition);
            const roles = iamView(delivered).roles.map((r) => r.arn);
            for (const action of deployActions(new Set(delivered.map((r) => r.type)))) {
                for (const resource of action.startsWith("iam:") && roles.length > 0 ? roles : ["*"]) {
                    if (
                        !guardrailsAllow(guardrails, action, resource, deployContext(executionRole, org.id, account.id).forAction(action))
                    ) {
                        denied.add(`${action} on ${resource} by ${executionRole}`);
                    }
                }
            }
        }
        const identity = model.deployIdentity;
        if (identity && account.id !== identity.access.account.id && identity.types.member.length > 0) {
            const chain = { scp: policies.scp.get(identity.access.account.id), rcp: policies.rcp.get(account.id) };
            for (const action of DEPLOY_CHAIN_ACTIONS) {
                const context = deployContext(identity.access.arn, org.id, account.id).forAction(action);
                if (!guardrailsAllow(chain, action, principal, context)) denied.add(`${action} on ${principal} by ${identity.access.arn}`);
            }
        }
        if (denied.size > 0) {
            const list = [...denied];
            problems.push({
                stack,
                key: POLICIES_KEY,
                message: `the deploy identity ${principal} is denied ${list.slice(0, 3).join(", ")}${list.length > 3 ? ` (and ${list.length - 3} more)` : ""} in ${account.name}: the next deploy there would fail`,
            });
        }
    }
    return problems;
}

/** A principal of an account in no organization, for the perimeter's symbolic probes. */
export const OUTSIDE_ACCOUNT = "999999999999";

/**
 * What the perimeter closes, judged by reach's `judgeHop` without and with the policies:
 * - in each member account under the RCP, a role whose trust admits a principal of an outside account
 *   (a role made by hand, say): shown once, with the accounts, when the RCP closes it;
 * - each planned role of a member account whose trust names a foreign account or `*`: the principal
 *   and the role, when the RCP closes it.
 * And what it leaves open on purpose: the declared external accounts.
 */
export function closedByPerimeter(model: OrganizationModel, plans: readonly Plan[], policies: OrganizationPolicies): string[] {
    const org = model.organization;
    const inOrg = new Set([org.management.id, ...org.members.map((a) => a.id)]);
    const organizationIdOf = (id: string | undefined) => (id !== undefined && inOrg.has(id) ? org.id : undefined);
    const allowAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] };
    const trusting = (principal: string) => ({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }],
    });
    const hop = (caller: string, target: string, trust: object, withPolicies: boolean) =>
        judgeHop(
            { arn: caller, organizationId: organizationIdOf(accountOfArn(caller)) },
            [allowAll],
            undefined,
            target,
            trust,
            withPolicies ? { managementAccountId: org.management.id, policies, organizationIdOf } : undefined,
        ).allowed;
    const closes = (caller: string, target: string, trust: object) =>
        hop(caller, target, trust, false) && !hop(caller, target, trust, true);
    const lines: string[] = [];
    const outsider = roleArn(OUTSIDE_ACCOUNT, "any", "/", org.partition);
    const closedIn = org.members.filter((a) => closes(outsider, roleArn(a.id, "made-by-hand", "/", org.partition), trusting(outsider)));
    if (closedIn.length > 0) {
        lines.push(
            `closed: a principal of an account outside the organization -> any role whose trust admits it (one made by hand included), in ${closedIn.length} of ${org.members.length} member accounts (${closedIn.map((a) => a.name).join(", ")})`,
        );
    }
    const externals = model.organizationPolicies?.externalAccounts ?? [];
    for (const external of externals) {
        const caller = roleArn(external, "any", "/", org.partition);
        const open = org.members.filter((a) => hop(caller, roleArn(a.id, "made-by-hand", "/", org.partition), trusting(caller), true));
        lines.push(
            `open on purpose: declared external account ${external} (organization.externalPrincipals) -> roles that trust it, in ${open.length} member accounts`,
        );
    }
    for (const plan of plans) {
        for (const role of iamView(deployedResources(plan)).roles) {
            const account = role.accountId ?? accountOfArn(role.arn);
            if (!org.members.some((a) => a.id === account)) continue;
            const foreign = statementsOf(role.trustPolicy)
                .filter((s) => s.Effect === "Allow")
                .flatMap((s) => (s.Principal === "*" ? ["*"] : valuesOf((s.Principal as { AWS?: unknown } | undefined)?.AWS)))
                .filter((p) => {
                    const account = p === "*" ? undefined : (accountOfPrincipal(p) ?? accountOfArn(p));
                    return p === "*" || (account !== undefined && !inOrg.has(account));
                });
            for (const principal of new Set(foreign)) {
                // An account principal (or `*`) admits any role of that account (or of an outside one).
                const wholeAccount = principal === "*" ? OUTSIDE_ACCOUNT : accountOfPrincipal(principal);
                const caller = wholeAccount !== undefined ? roleArn(wholeAccount, "any", "/", org.partition) : principal;
                if (closes(caller, role.arn, role.trustPolicy)) {
                    lines.push(`closed: ${principal} -> ${role.arn} (its trust admits it; the perimeter denies it)`);
                }
            }
        }
    }
    return lines;
}

/** What the plan says about the policies besides problems: where they apply, and where they do not. */
export function renderExemptions(model: OrganizationModel): string[] {
    const org = model.organization;
    const policies = model.organizationPolicies!;
    return [
        `attached to ${policies.targets.map((t) => `${t.key} (${t.id})`).join(", ")}: ${organizationPolicyList(policies)
            .map((p) => p.name)
            .join(", ")}`,
        `not covered: the management account ${org.management.id} (SCPs and RCPs never apply to it: the customer role, the preview reader and OrgAccessDeploy there are outside them), and service-linked roles (SCPs never apply to them)`,
        ...(policies.rcp
            ? [
                  "before the first deploy: enable the RCP policy type on the root (docs/organization-policies.md); this program does not manage the Organization resource",
              ]
            : []),
    ];
}

/** Reads the policies for `judgeHop`-free checks (the deploy calls); unreadable ones are problems. */
export function readReachPolicies(policies: OrganizationPolicies, stack: string): { read: ReadPolicies; problems: Problem[] } {
    const messages: string[] = [];
    const read = readOrganizationPolicies(policies, messages);
    return { read, problems: messages.map((message) => ({ stack, key: POLICIES_KEY, message })) };
}
