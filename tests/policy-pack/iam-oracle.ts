// An independent IAM evaluator used as an oracle for the pack's condition analysis. It is AGPL
// licensed, so only tests import it; the pack never does.

import { runSimulation } from "@cloud-copilot/iam-simulate";

export const OUR_ORG = "o-ourorg12345";
export const FOREIGN_ORG = "o-outsider9999";
export const OUR_ACCOUNT = "111111111111";
export const FOREIGN_ACCOUNT = "999999999999";

interface Caller {
    readonly principal: string;
    readonly context: Record<string, string | string[]>;
}

/** Principals of another organization, of no organization, and a service acting for another org. */
const OUTSIDERS: readonly Caller[] = [
    {
        principal: `arn:aws:iam::${FOREIGN_ACCOUNT}:role/outsider`,
        context: {
            "aws:PrincipalOrgID": FOREIGN_ORG,
            "aws:PrincipalAccount": FOREIGN_ACCOUNT,
            "aws:PrincipalOrgPaths": [`${FOREIGN_ORG}/r-zz99/ou-zz99-99999999/`],
        },
    },
    { principal: `arn:aws:iam::${FOREIGN_ACCOUNT}:role/no-org`, context: { "aws:PrincipalAccount": FOREIGN_ACCOUNT } },
    { principal: "sns.amazonaws.com", context: { "aws:SourceAccount": FOREIGN_ACCOUNT, "aws:SourceOrgID": FOREIGN_ORG } },
];

const INSIDERS: readonly Caller[] = [
    {
        principal: `arn:aws:iam::${OUR_ACCOUNT}:role/insider`,
        context: {
            "aws:PrincipalOrgID": OUR_ORG,
            "aws:PrincipalAccount": OUR_ACCOUNT,
            "aws:PrincipalOrgPaths": [`${OUR_ORG}/r-ab12/ou-ab12-11111111/`],
        },
    },
    { principal: "sns.amazonaws.com", context: { "aws:SourceAccount": OUR_ACCOUNT, "aws:SourceOrgID": OUR_ORG } },
];

async function isAllowed(statement: object, caller: Caller): Promise<boolean> {
    const result = await runSimulation(
        {
            request: {
                principal: caller.principal,
                action: "sqs:SendMessage",
                resource: { resource: "arn:aws:sqs:us-east-1:222222222222:queue", accountId: "222222222222" },
                contextVariables: caller.context,
            },
            identityPolicies: [{ name: "all", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: { Version: "2012-10-17", Statement: [{ Action: "sqs:SendMessage", Resource: "*", ...statement }] },
        },
        {},
    );
    if (result.resultType === "error") {
        throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
    }
    return result.overallResult === "Allowed";
}

/** Does the statement (as a queue policy) let in some principal outside our organization? */
export async function admitsOutsider(statement: object): Promise<boolean> {
    for (const caller of OUTSIDERS) {
        if (await isAllowed(statement, caller)) {
            return true;
        }
    }
    return false;
}

/** Does the statement let in some principal of our organization? */
export async function admitsInsider(statement: object): Promise<boolean> {
    for (const caller of INSIDERS) {
        if (await isAllowed(statement, caller)) {
            return true;
        }
    }
    return false;
}
