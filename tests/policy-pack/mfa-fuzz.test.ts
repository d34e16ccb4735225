// The pack's MFA rule (trusted-users-require-mfa) against an independent IAM evaluator
// (@cloud-copilot/iam-simulate, tests only), with the same symbolic callers the rule asks its own
// evaluator about: a user of each account a statement may admit, with long-term keys (no
// aws:MultiFactorAuthPresent at all) and with a session signed in without MFA ("false").
//
// Random trust documents: one Allow statement (a user ARN, an account root or bare id, "*",
// {"AWS":"*"}, a role ARN, NotPrincipal; MFA clauses in every operator form; aws:PrincipalArn
// patterns for users and roles; organization and account conditions; sts:AssumeRole, sts:* or only
// sts:TagSession) and sometimes a Deny. For every symbolic caller, the pack's answer "does this
// user get in without MFA" must equal the simulator's decision on the same request.
//
// MFA_FUZZ_RUNS (default 300) sets the count; `npm run fuzz` runs 10,000.

import { expect } from "chai";
import fc from "fast-check";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { parsePolicyDocument, PolicyStatement } from "../../policy-pack/documents";
import { admitsUser, symbolicUsers, SymbolicUser, userTrustRequiresMfa } from "../../policy-pack/verdicts";

const RUNS = Number(process.env.MFA_FUZZ_RUNS ?? 300);
const ORG = "o-ourorg12345";
const ACCOUNTS = ["111111111111", "222222222222"];
/** The role's own account: no symbolic caller is in it, so the trust alone decides for callers whose policies allow. */
const ROLE_ACCOUNT = "777777777777";
const ROLE = `arn:aws:iam::${ROLE_ACCOUNT}:role/Target`;

const account = fc.constantFrom(...ACCOUNTS);
const principal = fc.oneof(
    account.map((a) => ({ Principal: { AWS: `arn:aws:iam::${a}:user/alice` } })),
    account.map((a) => ({ Principal: { AWS: `arn:aws:iam::${a}:root` } })),
    account.map((a) => ({ Principal: { AWS: a } })),
    account.map((a) => ({ Principal: { AWS: `arn:aws:iam::${a}:role/ci` } })),
    fc.constant({ Principal: "*" }),
    fc.constant({ Principal: { AWS: "*" } }),
    account.map((a) => ({ NotPrincipal: { AWS: `arn:aws:iam::${a}:role/ci` } })),
);
type Block = Record<string, Record<string, unknown>>;
const mfaClause: fc.Arbitrary<Block> = fc.constantFrom<Block>(
    {},
    { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    { Bool: { "aws:MultiFactorAuthPresent": "false" } },
    { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } },
    { Null: { "aws:MultiFactorAuthPresent": "false" } },
    { Null: { "aws:MultiFactorAuthPresent": "true" } },
    { NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } },
    { NumericLessThanIfExists: { "aws:MultiFactorAuthAge": "3600" } },
);
const arnClause: fc.Arbitrary<Block> = fc.oneof(
    fc.constant({}),
    account.map((a) => ({ ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${a}:user/*` } })),
    fc.constant({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/*" } }),
    fc.constant({ ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" } }),
    fc.constant({ ArnLikeIfExists: { "aws:PrincipalArn": "arn:aws:iam::*:role/*" } }),
    account.map((a) => ({ ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${a}:user/alice` } })),
);
const scopeClause: fc.Arbitrary<Block> = fc.oneof(
    fc.constant({}),
    fc.constant({ StringEquals: { "aws:PrincipalOrgID": ORG } }),
    account.map((a) => ({ StringEquals: { "aws:PrincipalAccount": a } })),
    account.map((a) => ({ StringNotEquals: { "aws:PrincipalAccount": a } })),
);
const action = fc.constantFrom("sts:AssumeRole", "sts:*", ["sts:AssumeRole", "sts:TagSession"], "sts:TagSession");
const deny = fc.oneof(
    fc.constant(undefined),
    fc.constant({
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "sts:AssumeRole",
        Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" }, BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
    }),
    fc.constant({
        Effect: "Deny",
        Principal: "*",
        Action: "sts:AssumeRole",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } },
    }),
);

/** Conditions merged per operator (two clauses of one operator become one block with both keys). */
function merge(...blocks: Block[]): Block {
    const out: Block = {};
    for (const block of blocks) for (const [op, keys] of Object.entries(block)) out[op] = { ...(out[op] ?? {}), ...keys };
    return out;
}

const trustCase = fc
    .record({ principal, mfa: mfaClause, arn: arnClause, scope: scopeClause, action, deny })
    .map(({ principal, mfa, arn, scope, action, deny }) => {
        const condition = merge(mfa, arn, scope);
        const allow = {
            Sid: "Fuzzed",
            Effect: "Allow",
            ...principal,
            Action: action,
            ...(Object.keys(condition).length ? { Condition: condition } : {}),
        };
        return { Version: "2012-10-17", Statement: deny ? [allow, deny] : [allow] };
    });

async function simulatorAdmits(trust: object, user: SymbolicUser, mfa: "absent" | "false"): Promise<boolean> {
    const simulation = {
        request: {
            principal: user.arn,
            action: "sts:AssumeRole",
            resource: { resource: ROLE, accountId: ROLE_ACCOUNT },
            contextVariables: {
                "aws:PrincipalArn": user.arn,
                "aws:PrincipalAccount": user.accountId,
                "aws:PrincipalOrgID": ORG,
                "aws:PrincipalType": "User",
                "aws:username": user.name,
                ...(mfa === "false" ? { "aws:MultiFactorAuthPresent": "false" } : {}),
            },
        },
        identityPolicies: [
            { name: "all", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } },
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: trust,
    } as unknown as Simulation;
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
    return result.overallResult === "Allowed";
}

describe("trusted-users-require-mfa agrees with an IAM evaluator, caller by caller", function () {
    this.timeout(0);

    it(`${RUNS} random trusts: the same users get in without MFA`, async () => {
        let flagged = 0;
        let callers = 0;
        await fc.assert(
            fc.asyncProperty(trustCase, async (trust) => {
                const parsed = parsePolicyDocument(trust);
                expect(parsed.ok, JSON.stringify(trust)).to.equal(true);
                if (!parsed.ok) return;
                const statements: readonly PolicyStatement[] = parsed.document.statements;
                const [allow, ...denies] = statements;
                let someoneWithoutMfa = false;
                for (const user of symbolicUsers(allow, denies)) {
                    for (const mfa of ["absent", "false"] as const) {
                        callers++;
                        const pack = admitsUser(statements, user, mfa);
                        const simulator = await simulatorAdmits(trust, user, mfa);
                        expect(pack, `${user.arn} (MFA ${mfa}) into ${JSON.stringify(trust)}`).to.equal(simulator);
                        someoneWithoutMfa ||= simulator;
                    }
                }
                const verdict = userTrustRequiresMfa(allow, denies);
                expect(verdict !== undefined && !verdict.satisfied, `rule verdict on ${JSON.stringify(trust)}`).to.equal(someoneWithoutMfa);
                if (someoneWithoutMfa) flagged++;
            }),
            { numRuns: RUNS, seed: 21 },
        );
        if (process.env.FUZZ_VERBOSE) console.log(`  ${RUNS} trusts, ${callers} callers, ${flagged} flagged`);
        // The generator reaches both verdicts.
        expect(flagged).to.be.greaterThan(RUNS / 20);
        expect(flagged).to.be.lessThan(RUNS);
    });
});
