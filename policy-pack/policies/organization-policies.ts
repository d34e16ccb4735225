// Rule family: organization policies (SCPs and RCPs, `aws:organizations/policy:Policy`). An SCP that
// locks out the deploy role is the classic organization outage, and an allow-list SCP that drops a
// service quietly stops what the organization runs in member accounts. Both are judged by the one
// evaluator (../evaluator.ts), from the policy's content as it will be attached:
// - no Deny statement may certainly apply to a call of the deploy identity (each principal with the
//   actions it makes, from the pack config): the deploy identity's own context is known, every other
//   key is left to the request, so a Deny that some request escapes is not flagged;
// - an SCP with Allow statements that do not allow everything (an allow-list) must allow every action
//   the customer role's jobs need in member accounts (`customerActions`).
// SCP evaluation: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html;
// RCP evaluation: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html.

import { ResourceValidationPolicy } from "@pulumi/policy";
import { isRecord } from "../documents";
import { assumedRoleSessionKeys, readStatements, RequestContext, Statement, statementsAllow } from "../evaluator";
import { accountOfArn } from "../arns";
import { statementCoversAction } from "../wildcards";
import { organizationIdProperty } from "../config";

export const ORGANIZATION_POLICY_TYPE = "aws:organizations/policy:Policy";

/** A principal of the deploy identity and the actions it makes: `arn` may have `*` for the account. */
export interface DeployPrincipal {
    readonly arn: string;
    readonly actions: readonly string[];
}

export interface OrganizationPolicyRuleConfig {
    readonly organizationId?: string;
    readonly deployPrincipals: readonly DeployPrincipal[];
    readonly customerActions: readonly string[];
}

/** The account a symbolic deploy principal stands in (an ARN with `*` for its account). */
export const SYMBOLIC_ACCOUNT = "000000000000";

function readConfig(raw: unknown): OrganizationPolicyRuleConfig {
    const config = isRecord(raw) ? raw : {};
    const strings = (v: unknown, name: string): string[] => {
        if (v === undefined) return [];
        if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
            throw new Error(`policy config ${name} must be a list of strings, got ${JSON.stringify(v)}`);
        }
        return v;
    };
    const principals = config.deployPrincipals ?? [];
    if (!Array.isArray(principals) || !principals.every((p) => isRecord(p) && typeof p.arn === "string")) {
        throw new Error(`policy config deployPrincipals must be a list of { arn, actions }, got ${JSON.stringify(principals)}`);
    }
    return {
        organizationId: typeof config.organizationId === "string" ? config.organizationId : undefined,
        deployPrincipals: principals.map((p, i) => ({ arn: String(p.arn), actions: strings(p.actions, `deployPrincipals[${i}].actions`) })),
        customerActions: strings(config.customerActions, "customerActions"),
    };
}

/** A resource a statement names, made concrete: `*` becomes a symbolic account or name, so the probe lands inside it. */
function probeResources(s: Statement): string[] {
    const named = s.resources ?? [];
    const concrete = named.filter((r) => r !== "*").map((r) => r.replace(/\*/g, "0").replace(/\?/g, "0"));
    return named.includes("*") || s.notResources !== undefined || concrete.length === 0 ? [...concrete, "*"] : concrete;
}

/** The deploy principal's own session: who it is; every other key the request's to choose. */
function deployContext(principal: DeployPrincipal, organizationId: string | undefined): { arn: string; context: RequestContext } {
    const arn = principal.arn.replace(/:iam::\*:/, `:iam::${SYMBOLIC_ACCOUNT}:`);
    const account = accountOfArn(arn) ?? SYMBOLIC_ACCOUNT;
    return {
        arn,
        context: new RequestContext(assumedRoleSessionKeys(arn, account, organizationId)),
    };
}

/** The deploy calls each Deny statement certainly denies: `<principal>: <action>` for each. */
export function deploymentDenials(statements: readonly Statement[], config: OrganizationPolicyRuleConfig): string[] {
    const found: string[] = [];
    for (const s of statements.filter((x) => x.effect === "Deny")) {
        for (const principal of config.deployPrincipals) {
            const { context } = deployContext(principal, config.organizationId);
            const denied = principal.actions.filter((action) =>
                probeResources(s).some((resource) => statementsAllow([s], action, resource, context.forAction(action)).denied === true),
            );
            if (denied.length > 0) {
                found.push(
                    `${s.sid ? `statement ${s.sid}` : "a Deny statement"} denies ${principal.arn} ${denied.slice(0, 3).join(", ")}${denied.length > 3 ? ` (and ${denied.length - 3} more)` : ""}`,
                );
            }
        }
    }
    return found;
}

/** The customer actions an allow-list SCP does not allow; empty for a deny-list (an Allow of every action). */
export function droppedCustomerActions(statements: readonly Statement[], customerActions: readonly string[]): string[] {
    const allows = statements.filter((s) => s.effect === "Allow" && s.conditions.length === 0);
    if (
        statements.every((s) => s.effect !== "Allow") ||
        allows.some((s) => statementCoversAction(s, "*") || statementCoversAction(s, "any:Action"))
    ) {
        return [];
    }
    return customerActions.filter((action) => !allows.some((s) => statementCoversAction(s, action)));
}

export const organizationPoliciesKeepDeployers: ResourceValidationPolicy = {
    name: "organization-policies-keep-deployers",
    description:
        "SCPs and RCPs: no Deny stops a call the deploy identity makes, and no allow-list SCP drops an action the customer " +
        "role's jobs need in member accounts.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            organizationId: organizationIdProperty,
            deployPrincipals: {
                type: "array",
                default: [],
                description: "The deploy identity: each role ARN (`*` for any account) and the actions it calls.",
                items: {
                    type: "object",
                    properties: { arn: { type: "string" }, actions: { type: "array", items: { type: "string" } } },
                    required: ["arn", "actions"],
                },
            },
            customerActions: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Actions the customer role's jobs need in member accounts, which an allow-list SCP must keep.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== ORGANIZATION_POLICY_TYPE) return;
        const type = args.props.type;
        const content = args.props.content;
        if ((type !== "SERVICE_CONTROL_POLICY" && type !== "RESOURCE_CONTROL_POLICY") || typeof content !== "string") return;
        const config = readConfig(args.getConfig());
        const problems: string[] = [];
        const statements = readStatements(content, problems, `${args.name} content`);
        for (const p of problems) reportViolation(p);
        for (const denial of deploymentDenials(statements, config)) {
            reportViolation(`${type} '${args.name}': ${denial}, a call of the deploy identity: the next deploy would fail`);
        }
        if (type === "SERVICE_CONTROL_POLICY") {
            const dropped = droppedCustomerActions(statements, config.customerActions);
            if (dropped.length > 0) {
                reportViolation(
                    `SCP '${args.name}' is an allow-list that does not allow ${dropped.slice(0, 5).join(", ")}${dropped.length > 5 ? ` (and ${dropped.length - 5} more)` : ""}, which the customer role's jobs need in member accounts`,
                );
            }
        }
    },
};
