import * as pulumi from "@pulumi/pulumi";
import { buildOrganization } from "../analysis/organization";
import { reachOf } from "../analysis/reach";
import { acceptAlerts, renderAudience, renderGrid, renderPaths } from "../analysis/grid";
import { AcceptedAlert, parseAcceptedAlerts } from "../config/accepted-alerts";
import { ConfigValue } from "../config/reader";
import { NAMESPACE } from "../config/stack";
import { partitionOfRegion } from "../config/partition";
import { deploysAccess } from "../model/organization";
import { deployedResources, modelOf, Plan, PlannedResource } from "./plan";
import { describeTrust } from "./trust-summary";
import { Doc, IamEntities, IamEntity, IamGroup, IamRole, IamUser } from "../iam/entities";
import { groupArn, roleArn, userArn } from "../iam/arns";
import { describeProviderProcesses, providerProcessesOf } from "./provider-processes";

/** The `--json` shape of `npm run plan`. */
export interface PlanJson {
    stack: string;
    organizationId: string;
    /** `importId`: the existing resource the plan adopts (`org-access:adopt`), absent when it creates one. */
    resources: {
        urn: string;
        type: string;
        name: string;
        accountId?: string;
        region?: string;
        importId?: string;
        inputs: Record<string, unknown>;
    }[];
    iam: IamEntities;
    outputs: Record<string, unknown>;
}

const parseDoc = (value: unknown): Doc => (typeof value === "string" ? (JSON.parse(value) as Doc) : (value as Doc));
const str = (value: unknown): string => (typeof value === "string" ? value : "");
/** An entity of the plan: its ARN, in the partition of its provider's region, and its inline policies. */
function entityOf(
    r: { accountId?: string; region?: string },
    kind: "role" | "group" | "user",
    name: string,
    path: unknown,
    inline: (accountId: string | undefined, name: string) => PlannedResource[],
): IamEntity {
    const build = { role: roleArn, group: groupArn, user: userArn }[kind];
    return {
        accountId: r.accountId,
        name,
        arn: build(`${r.accountId}`, name, typeof path === "string" ? path : "/", r.region ? partitionOfRegion(r.region) : "aws"),
        policies: inline(r.accountId, name).map((p) => parseDoc(p.inputs.policy)),
    };
}

/** IAM entities the plan creates or changes, with their documents as objects. */
export function iamView(resources: readonly PlannedResource[]): PlanJson["iam"] {
    const custom = resources.filter((r) => r.custom);
    const ofType = (type: string) => custom.filter((r) => r.type === type);
    const entityKey = (accountId: string | undefined, name: string) => `${accountId}/${name}`;
    /** Resources of `type` grouped by the entity their `field` input names, built once. */
    const attachedBy = (type: string, field: string) => {
        const byEntity = new Map<string, PlannedResource[]>();
        for (const r of ofType(type)) {
            const key = entityKey(r.accountId, str(r.inputs[field]));
            byEntity.set(key, [...(byEntity.get(key) ?? []), r]);
        }
        return (accountId: string | undefined, name: string) => byEntity.get(entityKey(accountId, name)) ?? [];
    };
    const rolePolicies = attachedBy("aws:iam/rolePolicy:RolePolicy", "role");
    const roleAttachments = attachedBy("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "role");
    const groupPolicies = attachedBy("aws:iam/groupPolicy:GroupPolicy", "group");
    const groupAttachments = attachedBy("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "group");
    const userMemberships = attachedBy("aws:iam/userGroupMembership:UserGroupMembership", "user");
    const userPolicies = attachedBy("aws:iam/userPolicy:UserPolicy", "user");

    const roles = ofType("aws:iam/role:Role").map((r): IamRole => {
        const name = str(r.inputs.name);
        return {
            ...entityOf(r, "role", name, r.inputs.path, rolePolicies),
            trustPolicy: parseDoc(r.inputs.assumeRolePolicy),
            managedPolicyArns: roleAttachments(r.accountId, name).map((p) => str(p.inputs.policyArn)),
            ...(typeof r.inputs.permissionsBoundary === "string" ? { permissionsBoundary: r.inputs.permissionsBoundary } : {}),
        };
    });

    // Groups the plan creates, and groups it only attaches policies to.
    const groupKeys = new Map<string, { accountId?: string; region?: string; name: string; path?: unknown }>();
    for (const g of ofType("aws:iam/group:Group")) {
        groupKeys.set(entityKey(g.accountId, str(g.inputs.name)), {
            accountId: g.accountId,
            region: g.region,
            name: str(g.inputs.name),
            path: g.inputs.path,
        });
    }
    for (const p of [...ofType("aws:iam/groupPolicy:GroupPolicy"), ...ofType("aws:iam/groupPolicyAttachment:GroupPolicyAttachment")]) {
        const key = entityKey(p.accountId, str(p.inputs.group));
        if (!groupKeys.has(key)) {
            groupKeys.set(key, { accountId: p.accountId, region: p.region, name: str(p.inputs.group) });
        }
    }
    const groups = [...groupKeys.values()].map((g): IamGroup => ({
        ...entityOf(g, "group", g.name, g.path, groupPolicies),
        managedPolicyArns: groupAttachments(g.accountId, g.name).map((p) => str(p.inputs.policyArn)),
    }));

    const users = ofType("aws:iam/user:User").map((u): IamUser => {
        const name = str(u.inputs.name);
        return {
            ...entityOf(u, "user", name, u.inputs.path, userPolicies),
            groups: userMemberships(u.accountId, name).flatMap((m) => (Array.isArray(m.inputs.groups) ? m.inputs.groups.map(str) : [])),
        };
    });
    return { roles, groups, users };
}

/** What the plan JSON shows for a secret input (`aws:accessKey`, passed to providers as a Pulumi secret). */
export const REDACTED_SECRET = "[secret]";

/** A value with every Pulumi secret replaced by `REDACTED_SECRET`: plan JSON is for review and CI artifacts, not for credentials. */
export function withoutSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(withoutSecrets);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const record = value as Record<string, unknown>;
    if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
        return REDACTED_SECRET;
    }
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, withoutSecrets(inner)]));
}

export function toPlanJson(plan: Plan, iam: PlanJson["iam"] = iamView(deployedResources(plan))): PlanJson {
    return {
        stack: plan.stack,
        organizationId: modelOf(plan).organization.id,
        resources: plan.resources
            .filter((r) => r.custom)
            .map((r) => ({
                urn: r.urn,
                type: r.type,
                name: r.name,
                accountId: r.accountId,
                region: r.region,
                importId: r.importId,
                inputs: withoutSecrets(r.inputs) as Record<string, unknown>,
            })),
        iam,
        outputs: plan.outputs,
    };
}

/** The human-readable plan: resources by account, then who may assume each role. */
export function renderPlan(plan: Plan, iam: PlanJson["iam"] = iamView(deployedResources(plan)), options: { paths?: boolean } = {}): string {
    return reportPlan(plan, iam, options).text;
}

/** Alerts `org-access:acceptedAlerts` of the plan's config accepts (validated with the rest of the config when the plan ran). */
export function acceptedAlertsOf(plan: Plan): AcceptedAlert[] {
    const text = plan.config[`${NAMESPACE}:acceptedAlerts`];
    return parseAcceptedAlerts(new ConfigValue(`${NAMESPACE}:acceptedAlerts`, text === undefined ? undefined : JSON.parse(text)));
}

/** The human-readable plan, and how many of its alerts no `org-access:acceptedAlerts` entry accepts (for `--strict`). */
export function reportPlan(
    plan: Plan,
    iam: PlanJson["iam"] = iamView(deployedResources(plan)),
    options: { paths?: boolean } = {},
): { text: string; alerts: number } {
    const model = modelOf(plan);
    const lines: string[] = [`Stack ${plan.stack} (organization ${model.organization.id})`];
    const byAccount = new Map<string, PlannedResource[]>();
    for (const r of plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))) {
        const key = r.accountId ?? "unknown";
        byAccount.set(key, [...(byAccount.get(key) ?? []), r]);
    }
    for (const [accountId, resources] of byAccount) {
        lines.push(
            "",
            `  account ${accountId === "unknown" ? "?" : model.accountName(accountId)} (${accountId}): ${resources.length} resources`,
        );
        for (const r of resources) {
            lines.push(
                `    ${r.importId ? "=" : "+"} ${r.type} ${r.name}${r.protect ? " [protected]" : ""}${r.importId ? ` [import ${r.importId}]` : ""}`,
            );
        }
    }
    const delivered = (plan.delivered ?? []).filter((r) => r.type === "aws:iam/role:Role");
    if (delivered.length > 0) {
        const accounts = new Set(delivered.map((r) => r.accountId)).size;
        lines.push("", `  delivered by stack sets (CloudFormation creates them): ${delivered.length} roles in ${accounts} member accounts`);
    }
    const roles = iam.roles;
    if (roles.length > 0) {
        lines.push("", "  Who may assume each role:");
        for (const role of roles) {
            lines.push(`    ${role.arn}`);
            for (const line of describeTrust(role.trustPolicy)) {
                lines.push(`      - ${line}`);
            }
        }
    }
    lines.push(...renderDeployIdentity(plan));
    // Reach of this stack alone (analysis/): the organization plan shows reach across stacks.
    const name = (id: string) => model.accountName(id);
    const org = buildOrganization([toPlanJson(plan, iam)], name, model.organization.management.id);
    const reach = acceptAlerts(reachOf(org), acceptedAlertsOf(plan));
    lines.push("", `  Reach from this stack's documents alone (${plan.stack}):`, ...renderGrid(reach, name).map((l) => `    ${l}`));
    if (options.paths) {
        lines.push("", "  Paths:", ...renderPaths(reach, name).map((l) => `    ${l}`));
    }
    if (model.customerAccess && model.deploy.customerAccess) {
        lines.push("", ...renderAudience(org, reach, model.customerAccess.role.arn, name).map((l) => `  ${l}`));
    }
    for (const problem of reach.problems) {
        lines.push(`  reach: ${problem}`);
    }
    for (const a of model.access && deploysAccess(model) ? (model.access.config.identityCenter?.assignments ?? []) : []) {
        const targets = a.accounts.map((t) => t.name).join(", ");
        const group = "id" in a.group ? a.group.id : `"${a.group.displayName}" (by display name, looked up at deploy)`;
        lines.push(`  Identity Center group ${group} -> permission set ${a.permissionSet} @ ${targets} (from config)`);
    }
    return { text: lines.join("\n"), alerts: reach.alerts.length };
}

/** How CI signs in (org-access:deployIdentity) and the role each of this stack's providers assumes (org-access:providerRoles). */
function renderDeployIdentity(plan: Plan): string[] {
    const model = modelOf(plan);
    const identity = model.deployIdentity;
    const lines: string[] = [];
    if (identity) {
        const set = identity.stackSet;
        lines.push(
            "",
            "  Deploy identity (org-access:deployIdentity):",
            `    CI signs in: GitHub OIDC ${identity.subjects.join(" | ")} -> ${identity.access.arn}`,
            `    which may assume ${identity.management.arn}, and ${identity.member.name} in every account of ${set.organizationalUnitIds.join(", ")} but ${identity.access.account.name} (stack set ${set.name}, held by a stack of the management account)`,
        );
    }
    const providers = plan.resources.filter((r) => r.type === "pulumi:providers:aws");
    if (providers.length > 0) {
        lines.push("", `  Providers assume (org-access:providerRoles: ${plan.config["org-access:providerRoles"] ?? "deploy"}):`);
        for (const r of providers) {
            const text = r.inputs.assumeRoles;
            const arn = typeof text === "string" ? (JSON.parse(text) as { roleArn?: string }[])[0]?.roleArn : undefined;
            lines.push(`    ${model.accountName(r.accountId ?? "?")}: ${arn ?? "the credentials the run starts with"}`);
        }
    }
    // What the engine starts, which the mock runtime does not (offline/provider-processes.ts).
    lines.push("", `  Engine (pulumi up): ${describeProviderProcesses(providerProcessesOf(plan))}`);
    return lines;
}
