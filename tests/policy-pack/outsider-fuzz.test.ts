// The pack's outsider rule (no-wildcard-principals) against an independent IAM evaluator
// (@cloud-copilot/iam-simulate, tests only), caller by caller, with the same symbolic outsiders the
// rule asks its own evaluator about (verdicts.ts `outsiderCallers`): roles and IAM users of accounts
// the statement does not name, in no, another or a look-alike organization; an AWS service acting
// for such an account; an anonymous caller (resource policies only). The web-identity outsider is
// not compared: the simulator has no unsigned federated request.
//
// Random documents: a queue policy (sqs:SendMessage) or a role trust (sts:AssumeRole), one Allow
// statement with a wildcard principal (or NotPrincipal) and organization, account, ARN and
// caller-chosen conditions, sometimes a Deny. For every outsider, the pack's answer must equal the
// simulator's for some value of the keys the caller chooses (aws:SecureTransport,
// aws:MultiFactorAuthPresent), and the rule flags the statement exactly when some outsider gets in.
// Generated documents avoid the forms principal-fuzz.test.ts lists as known divergences (ArnLike "*",
// ForAnyValue with IfExists, a plain operator on aws:PrincipalOrgPaths).
//
// Permission grants (Lambda, layer and EventBridge permissions) are compared the same way: the
// statement AWS writes for a random grant (verdicts.ts `grantStatement`) as a function's resource
// policy, outsider by outsider, and `permissionExposure` flags the grant exactly when one gets in.
//
// OUTSIDER_FUZZ_RUNS (default 300) sets the count of each; `npm run fuzz` runs 10,000.

import { expect } from "chai";
import fc from "fast-check";
import { anonymousPrincipal, runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { parsePolicyDocument } from "../../policy-pack/documents";
import { PolicyStatement } from "../../policy-pack/documents";
import {
    creditedDenies,
    grantStatement,
    OutsiderCaller,
    outsiderAdmitted,
    outsiderCallers,
    permissionExposure,
    unscopedWildcardStatements,
} from "../../policy-pack/verdicts";
import { FOREIGN_ORG, OUR_ACCOUNT, OUR_ORG, TARGETS } from "./iam-oracle";

const RUNS = Number(process.env.OUTSIDER_FUZZ_RUNS ?? 300);
const OTHER_MEMBER = "222222222222";

type Block = Record<string, Record<string, string | string[]>>;
const kind = fc.constantFrom("queue" as const, "trust" as const);
const principal = fc.constantFrom<object>(
    { Principal: "*" },
    { Principal: { AWS: "*" } },
    { Principal: { AWS: ["*", `arn:aws:iam::${OUR_ACCOUNT}:root`] } },
    { NotPrincipal: { AWS: `arn:aws:iam::${OUR_ACCOUNT}:root` } },
);
const strings = (...values: string[]) =>
    fc.oneof(fc.constantFrom(...values), fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 }));
const clause: fc.Arbitrary<Block> = fc.oneof(
    fc
        .record({
            op: fc.constantFrom("StringEquals", "StringLike", "StringNotEquals", "StringEqualsIfExists", "StringNotLike"),
            key: fc.constantFrom("aws:PrincipalOrgID", "aws:SourceOrgID"),
            v: strings(OUR_ORG, "o-outsider9999", "o-*", "o-ourorg1234?", `${OUR_ORG}*`),
        })
        .map(({ op, key, v }) => ({ [op]: { [key]: v } })),
    fc
        .record({
            op: fc.constantFrom("ForAnyValue:StringLike", "ForAllValues:StringLike", "ForAnyValue:StringNotLike"),
            v: strings(`${OUR_ORG}/*`, "o-*/*", `${OUR_ORG}/r-ab12/*`),
        })
        .map(({ op, v }) => ({ [op]: { "aws:PrincipalOrgPaths": v } })),
    fc
        .record({
            op: fc.constantFrom("StringEquals", "StringLike", "StringNotEquals", "StringEqualsIfExists"),
            key: fc.constantFrom("aws:PrincipalAccount", "aws:SourceAccount"),
            v: strings(OUR_ACCOUNT, OTHER_MEMBER, "11111111111?", "1111*"),
        })
        .map(({ op, key, v }) => ({ [op]: { [key]: v } })),
    fc
        .record({
            op: fc.constantFrom("ArnLike", "ArnNotLike", "ArnLikeIfExists"),
            v: strings(
                `arn:aws:iam::${OUR_ACCOUNT}:role/*`,
                "arn:aws:iam::*:role/admin",
                "arn:aws:iam::*:user/*",
                `arn:aws:iam::${OTHER_MEMBER}:*`,
            ),
        })
        .map(({ op, v }) => ({ [op]: { "aws:PrincipalArn": v } })),
    fc
        .record({ op: fc.constantFrom("Bool", "BoolIfExists"), key: fc.constantFrom("aws:SecureTransport", "aws:MultiFactorAuthPresent") })
        .map(({ op, key }) => ({ [op]: { [key]: "true" } })),
    fc
        .record({
            key: fc.constantFrom("aws:PrincipalOrgID", "aws:SourceAccount", "aws:PrincipalArn"),
            v: fc.constantFrom("true", "false"),
        })
        .map(({ key, v }) => ({ Null: { [key]: v } })),
);
function merge(blocks: readonly Block[]): Block {
    const out: Block = {};
    for (const block of blocks) for (const [op, keys] of Object.entries(block)) out[op] = { ...(out[op] ?? {}), ...keys };
    return out;
}
const denyCondition = fc.constantFrom<Block | undefined>(
    undefined,
    { StringNotEquals: { "aws:PrincipalOrgID": OUR_ORG } },
    { StringNotEqualsIfExists: { "aws:PrincipalOrgID": OUR_ORG } },
    { "ForAllValues:StringNotLike": { "aws:PrincipalOrgPaths": `${OUR_ORG}/*` } },
    { Null: { "aws:PrincipalArn": "true" } },
    { StringNotEquals: { "aws:PrincipalAccount": OUR_ACCOUNT } },
);

const document = fc
    .record({ kind, principal, clauses: fc.array(clause, { maxLength: 3 }), deny: fc.option(denyCondition, { nil: undefined }) })
    .map(({ kind, principal, clauses, deny }) => {
        const action = TARGETS[kind].action;
        const resource = kind === "trust" ? {} : { Resource: "*" };
        const condition = merge(clauses);
        const allow = { Effect: "Allow", ...principal, Action: action, ...resource, ...(clauses.length ? { Condition: condition } : {}) };
        const statements: object[] = [allow];
        if (deny !== undefined)
            statements.push({ Effect: "Deny", Principal: "*", Action: action, ...resource, ...(deny ? { Condition: deny } : {}) });
        return { kind, policy: { Version: "2012-10-17", Statement: statements } };
    });

/** A Lambda function's resource policy, for permission grants (`grantStatement`). */
const FUNCTION = { action: "lambda:InvokeFunction", resource: `arn:aws:lambda:us-east-1:${OUR_ACCOUNT}:function:f` };
const TARGET = { ...TARGETS, function: FUNCTION };

async function simulatorAdmits(
    kind: "queue" | "trust" | "function",
    policy: object,
    principal: string | typeof anonymousPrincipal,
    context: Record<string, string | string[]>,
) {
    const signed = typeof principal === "string" && principal.startsWith("arn:");
    const simulation = {
        request: {
            principal,
            action: TARGET[kind].action,
            resource: { resource: TARGET[kind].resource, accountId: OUR_ACCOUNT },
            contextVariables: context,
        },
        identityPolicies: signed
            ? [{ name: "all", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }]
            : [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: policy,
    } as unknown as Simulation;
    const result = await runSimulation(simulation, {});
    if (result.resultType === "error") throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
    return result.overallResult === "Allowed";
}

/**
 * Does the simulator let this outsider in, for some value of the keys it chooses? Undefined for the
 * outsiders it cannot ask: a web-identity caller (no unsigned federated request), an anonymous one into a trust.
 */
async function simulatorAdmitsOutsider(kind: "queue" | "trust" | "function", policy: object, outsider: OutsiderCaller) {
    if (outsider.caller.kind === "federated" || (outsider.caller.kind === "anonymous" && kind === "trust")) return undefined;
    const principal =
        outsider.caller.kind === "aws"
            ? outsider.caller.arn
            : outsider.caller.kind === "service"
              ? outsider.caller.service
              : anonymousPrincipal;
    const known: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(outsider.keys))
        if (value.kind === "known") known[key] = value.values.length === 1 ? value.values[0] : [...value.values];
    let simulator = false;
    for (const tls of ["true", "false"])
        for (const mfa of outsider.caller.kind === "aws" ? ["true", "false"] : [undefined]) {
            const context = { ...known, "aws:SecureTransport": tls, ...(mfa ? { "aws:MultiFactorAuthPresent": mfa } : {}) };
            simulator ||= await simulatorAdmits(kind, policy, principal, context);
        }
    return simulator;
}

/** A parsed statement written back as policy JSON, for the simulator. */
function rawStatement(statement: PolicyStatement): object {
    const condition: Record<string, Record<string, readonly string[]>> = {};
    for (const c of statement.conditions) condition[c.operator] = { ...(condition[c.operator] ?? {}), [c.key]: c.values };
    return {
        Effect: statement.effect,
        Principal: statement.principal,
        Action: statement.actions,
        Resource: "*",
        ...(statement.conditions.length > 0 ? { Condition: condition } : {}),
    };
}

// Permission grants (Lambda, layer and EventBridge permissions): the statement AWS writes for them.
const grant = fc.record({
    principal: fc.constantFrom(
        "*",
        "s3.amazonaws.com",
        "events.amazonaws.com",
        OUR_ACCOUNT,
        OTHER_MEMBER,
        `arn:aws:iam::${OTHER_MEMBER}:role/caller`,
        "arn:aws:iam::*:root",
    ),
    sourceAccount: fc.option(fc.constantFrom(OUR_ACCOUNT, OTHER_MEMBER, "*", ""), { nil: undefined, freq: 2 }),
    sourceArn: fc.option(
        fc.constantFrom(
            "arn:aws:s3:::bucket",
            "arn:aws:s3:::*",
            "arn:aws:execute-api:us-east-1:*:*",
            `arn:aws:sns:us-east-1:${OUR_ACCOUNT}:topic`,
            `arn:aws:events:us-east-1:${OUR_ACCOUNT}:rule/*`,
            // Not "*": ArnLike "*" is a known divergence (principal-fuzz.test.ts).
        ),
        { nil: undefined, freq: 2 },
    ),
    principalOrgId: fc.option(fc.constantFrom(OUR_ORG, FOREIGN_ORG, "o-ourorg*"), { nil: undefined, freq: 2 }),
});

describe("permission grants agree with an IAM evaluator, outsider by outsider", function () {
    this.timeout(0);

    it(`${RUNS} random grants: the same outsiders get in, and the rule flags exactly those`, async () => {
        let flagged = 0;
        await fc.assert(
            fc.asyncProperty(grant, async (given) => {
                const statement = grantStatement(given);
                if (statement === undefined) throw new Error(`no statement for ${JSON.stringify(given)}`);
                const policy = { Version: "2012-10-17", Statement: [rawStatement(statement)] };
                let someoneIn = false;
                for (const outsider of outsiderCallers(statement, OUR_ORG)) {
                    const simulator = await simulatorAdmitsOutsider("function", policy, outsider);
                    if (simulator === undefined) continue;
                    expect(
                        outsiderAdmitted([statement], outsider, FUNCTION.action),
                        `${outsider.label} into ${JSON.stringify(policy)}`,
                    ).to.equal(simulator);
                    someoneIn ||= simulator;
                }
                expect(permissionExposure(given, OUR_ORG) !== undefined, `rule verdict on ${JSON.stringify(given)}`).to.equal(someoneIn);
                if (someoneIn) flagged++;
            }),
            { numRuns: RUNS, seed: 18 },
        );
        if (process.env.FUZZ_VERBOSE) console.log(`  ${RUNS} grants, ${flagged} flagged`);
        expect(flagged).to.be.greaterThan(RUNS / 20);
        expect(flagged).to.be.lessThan(RUNS);
    });
});

describe("no-wildcard-principals agrees with an IAM evaluator, outsider by outsider", function () {
    this.timeout(0);

    it(`${RUNS} random documents: the same outsiders get in`, async () => {
        let flagged = 0;
        let compared = 0;
        await fc.assert(
            fc.asyncProperty(document, async ({ kind, policy }) => {
                const parsed = parsePolicyDocument(policy);
                if (!parsed.ok) throw new Error(parsed.reason);
                const [allow] = parsed.document.statements;
                const denies = creditedDenies(parsed.document.statements);
                // The simulator gets the document as the rule reads it: the Allow and the Deny statements it credits.
                const judged = { ...policy, Statement: [allow, ...denies].map((s) => policy.Statement[s.position - 1]) };
                let someoneIn = false;
                for (const outsider of outsiderCallers(allow, OUR_ORG, denies)) {
                    const simulator = await simulatorAdmitsOutsider(kind, judged, outsider);
                    if (simulator === undefined) continue;
                    const pack = outsiderAdmitted([allow, ...denies], outsider, TARGETS[kind].action);
                    compared++;
                    expect(pack, `${outsider.label} into ${JSON.stringify(judged)}`).to.equal(simulator);
                    someoneIn ||= simulator;
                }
                const rule = unscopedWildcardStatements(parsed.document.statements, OUR_ORG).length > 0;
                expect(rule, `rule verdict on ${JSON.stringify(policy)}`).to.equal(someoneIn);
                if (someoneIn) flagged++;
            }),
            { numRuns: RUNS, seed: 18 },
        );
        if (process.env.FUZZ_VERBOSE) console.log(`  ${RUNS} documents, ${compared} outsiders compared, ${flagged} flagged`);
        expect(flagged).to.be.greaterThan(RUNS / 20);
        expect(flagged).to.be.lessThan(RUNS);
    });
});
