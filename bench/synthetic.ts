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

export function syntheticConfig(members: number): Record<string, string> {
    const values: Record<string, unknown> = {
        organization: {
            id: SYNTHETIC_ORG_ID,
            managementAccountId: SYNTHETIC_MANAGEMENT,
            accounts: Array.from({ length: members }, (_, i) => memberAccount(i)),
        },
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
