/**
 * Synthetic organizations for `npm run bench`: N member accounts with the
 * reference access config (an access account with two teams; Administrator and
 * ReadOnly in every member account) plus the management-account customer role,
 * trusted by exactly member-1's Administrator role (by ARN, as the repository's
 * example trusts prod-a's: its AdministratorAccess allows it the hop, which IAM
 * requires across accounts), as one stack's flat config. No `deploy`: the
 * stack deploys every section it has. It must stay deployable: `npm run bench`
 * runs the organization plan's checks and the policy pack over it at every size.
 */
import { roleArn } from "../iam/arns";

export const SYNTHETIC_ORG_ID = "o-bench00000a";
export const SYNTHETIC_MANAGEMENT = "100000000000";

/** Member account i (0-based); member 0 is the access account. */
export function memberAccount(i: number): { name: string; id: string } {
    return { name: i === 0 ? "access" : `member-${i}`, id: String(200000000000 + i) };
}

/**
 * Under `stacksets` delivery: the access account alone in `security`, every other member account in one of
 * `SYNTHETIC_UNITS` workload OUs in turn, each OU with an id of the Organizations API's shape. The OUs are the
 * same at every size of at least `SYNTHETIC_UNITS + 1` accounts, so stack sets grow only as CloudFormation's
 * limits split them (2,000 stack instances per stack set: config/cloudformation-quotas.ts), and no OU
 * outgrows that limit below 120,000 accounts.
 */
export const SYNTHETIC_UNITS = 60;
const SECURITY_OU = { path: "security", id: "ou-bnch-security" };
const unitPath = (u: number) => `workloads/unit-${String(u).padStart(2, "0")}`;
const ouOf = (i: number) => (i === 0 ? SECURITY_OU.path : unitPath(i % SYNTHETIC_UNITS));

/** The OUs the synthetic organization's accounts sit in, with their ids. */
export function syntheticUnits(members: number): { path: string; id: string }[] {
    const units = Array.from({ length: Math.min(SYNTHETIC_UNITS, members - 1) }, (_, k) => (k + 1) % SYNTHETIC_UNITS);
    return [
        SECURITY_OU,
        ...units.sort((a, b) => a - b).map((u) => ({ path: unitPath(u), id: `ou-bnch-unit00${String(u).padStart(2, "0")}` })),
    ];
}

/**
 * The synthetic stack's flat config. Under `stacksets` (`org-access:memberRoleDelivery`, issue #20 item 2) it
 * sets the key and puts every account in an OU (`syntheticUnits`), which the stack sets target.
 */
export function syntheticConfig(members: number, delivery: "providers" | "stacksets" = "providers"): Record<string, string> {
    const inOu = delivery === "stacksets";
    const values: Record<string, unknown> = {
        organization: {
            id: SYNTHETIC_ORG_ID,
            managementAccountId: SYNTHETIC_MANAGEMENT,
            accounts: Array.from({ length: members }, (_, i) => ({ ...memberAccount(i), ...(inOu ? { ou: ouOf(i) } : {}) })),
            ...(inOu ? { organizationalUnits: syntheticUnits(members) } : {}),
        },
        ...(inOu ? { memberRoleDelivery: "stacksets" } : {}),
        customerAccess: { trust: { principals: [roleArn(memberAccount(1).id, "Administrator")] } },
        accessAccount: "access",
        regions: ["us-east-1", "us-west-2"],
        identity: {
            users: [
                { name: "alice", groups: ["admins"] },
                { name: "bob", groups: ["readers"] },
            ],
        },
        teams: [
            { name: "admins", groups: ["admins"] },
            { name: "readers", groups: ["readers"] },
        ],
        roles: [
            { name: "Administrator", teams: ["admins"], accounts: "*", managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
            {
                name: "ReadOnly",
                teams: ["admins", "readers"],
                accounts: "*",
                managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            },
        ],
    };
    const flat: Record<string, string> = { "aws:region": "us-east-1" };
    for (const [key, value] of Object.entries(values)) {
        flat[`org-access:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return flat;
}

/**
 * The synthetic organization as a Pulumi project directory, as a user would keep it: every key in
 * `Pulumi.yaml`'s project config (structured values under `value:`), which every stack reads, with
 * `extra` keys of `org-access:`; and one stack file `Pulumi.<stack>.yaml` holding only `stackConfig`
 * (none by default: the stack deploys every section). What `npm run shards` and the organization plan read.
 */
export function syntheticProjectFiles(
    members: number,
    stack = "access",
    stackConfig: Record<string, unknown> = {},
    extra: Record<string, unknown> = {},
): Record<string, string> {
    const values: Record<string, unknown> = { ...namespaced(extra) };
    for (const [key, text] of Object.entries(syntheticConfig(members))) {
        values[key] = text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : text;
    }
    const config = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "object" ? { value: v } : v]));
    return {
        "Pulumi.yaml": JSON.stringify({ name: "org-access", runtime: "nodejs", config }, null, 2) + "\n",
        [`Pulumi.${stack}.yaml`]: JSON.stringify({ config: namespaced(stackConfig) }, null, 2) + "\n",
    };
}

const namespaced = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`org-access:${k}`, v]));
