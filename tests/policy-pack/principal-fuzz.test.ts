// Differential test of the principal analysis: thousands of random trust and resource policies,
// each judged by the pack (`no-wildcard-principals`, called as the policy server calls it) and by
// an independent IAM evaluator (@cloud-copilot/iam-simulate, see iam-oracle.ts). Documents are
// role trusts and resource policies of SQS, SNS, S3, KMS and EventBridge, handed to the pack as the
// `@pulumi/aws` resource (JSON text) or the `@pulumi/aws-native` one (an object under the
// CloudFormation property name), so the shape-based document search is under test too.
//
// The question both answer: "does this document admit a principal outside the organization?"
// - The pack: does `no-wildcard-principals` report a violation?
// - The simulator: is some outsider request allowed (iam-oracle.ts `outsiderRequests`: roles of
//   unrelated accounts with a foreign, a look-alike or no organization; a service acting for such
//   an account; anonymous, for resource policies)? Several outsiders, because the pack must hold
//   for every one: `...IfExists` lets in the caller whose request lacks the key, a foreign org ID
//   lets in that org's callers, `o-ourorg1234?` lets in a look-alike org.
//
// What the generated documents never do, because the pack's rule is about wildcards, not about
// which named principals are outsiders: name an outside account (explicit trust is a reviewed
// decision), or name the service the oracle uses as an outsider (a named service acting for
// another account is the confused-deputy problem, which this rule does not cover).
//
// The pack now asks its evaluator with symbolic outsiders (verdicts.ts `outsiderCallers`); rows
// that existed only because it read the principal's syntax (deny guardrails, non-scoping keys such
// as aws:PrincipalArn, contradictions, literal values) are gone: the pack agrees there.
//
// Where they disagree, the case must match a row of KNOWN_DIVERGENCES, each decided with the AWS
// documentation as referee; otherwise the property fails and fast-check shrinks the document.
//
// FUZZ_RUNS (default 3000 in CI, under a minute) and FUZZ_SEED (default fixed) set the run; `npm run fuzz` runs
// 100,000. FUZZ_VERBOSE=1 prints the tally.

import { expect } from "chai";
import fc from "fast-check";
import { ConditionClause, parsePolicyDocument, PolicyStatement } from "../../policy-pack/documents";
import { glob, statementCoversAction as coversAction } from "../../policy-pack/wildcards";
import { noWildcardPrincipals } from "../../policy-pack/policies/wildcard-principals";
import { ORGANIZATION_SCOPING_KEYS, parseConditionOperator } from "../../policy-pack/conditions";
import { unscopedWildcardStatements } from "../../policy-pack/verdicts";
import { runResourcePolicy } from "./harness";
import {
    DOCUMENT_KINDS,
    documentAdmitsOutsider,
    DocumentKind,
    FOREIGN_ORG,
    LOOKALIKE_ACCOUNT,
    LOOKALIKE_ORGS,
    OUR_ACCOUNT,
    OUR_ORG,
} from "./iam-oracle";

const RUNS = positiveInteger("FUZZ_RUNS", 3000);
const SEED = integer("FUZZ_SEED", 20260427);
const VERBOSE = process.env.FUZZ_VERBOSE === "1";

function integer(name: string, fallback: number): number {
    const raw = process.env[name];
    if (raw === undefined || raw === "") {
        return fallback;
    }
    const value = Number(raw);
    if (!Number.isSafeInteger(value)) {
        throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
    }
    return value;
}

function positiveInteger(name: string, fallback: number): number {
    const value = integer(name, fallback);
    if (value < 1) {
        throw new Error(`${name} must be at least 1, got ${value}`);
    }
    return value;
}

// ------------------------------------------------------------------------------------------------
// Generators
// ------------------------------------------------------------------------------------------------

type Json = string | string[];
interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: "*" | Record<string, Json>;
    NotPrincipal?: "*" | Record<string, Json>;
    Action?: Json;
    NotAction?: Json;
    Resource?: string;
    Condition?: Record<string, Record<string, Json>>;
}
interface Document {
    Version: "2012-10-17";
    Statement: Statement[];
}
interface FuzzCase {
    readonly kind: DocumentKind;
    readonly document: Document;
    /** Handed to the pack as the aws-native resource (document as an object) instead of the aws one (JSON text). */
    readonly native?: boolean;
}

const ANOTHER_OF_OUR_ACCOUNTS = "222222222222";

/** Principal values: ours and "*" (common), partial or typed wildcards (rarer); never an outside account. */
const PRINCIPAL_VALUES: Record<string, { readonly plain: readonly string[]; readonly odd: readonly string[] }> = {
    AWS: {
        plain: [
            "*",
            `arn:aws:iam::${OUR_ACCOUNT}:root`,
            OUR_ACCOUNT,
            `arn:aws:iam::${ANOTHER_OF_OUR_ACCOUNTS}:role/admin`,
            `arn:aws:iam::${ANOTHER_OF_OUR_ACCOUNTS}:user/alice`,
        ],
        odd: ["arn:aws:iam::*:root", `arn:aws:iam::${OUR_ACCOUNT}:role/*`, "arn:aws:iam::11111111111?:root"],
    },
    Service: { plain: ["sns.amazonaws.com", "ec2.amazonaws.com"], odd: ["*"] },
    Federated: {
        plain: [
            `arn:aws:iam::${OUR_ACCOUNT}:saml-provider/Okta`,
            `arn:aws:iam::${OUR_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
            "cognito-identity.amazonaws.com",
        ],
        odd: ["*"],
    },
};

function principalValuesOf(principalType: string): fc.Arbitrary<Json> {
    const { plain, odd } = PRINCIPAL_VALUES[principalType];
    const value = fc.oneof({ arbitrary: fc.constantFrom(...plain), weight: 6 }, { arbitrary: fc.constantFrom(...odd), weight: 1 });
    return fc.oneof({ arbitrary: value, weight: 3 }, { arbitrary: fc.uniqueArray(value, { minLength: 1, maxLength: 3 }), weight: 1 });
}

/** Condition values per key family: pinned, foreign, look-alike patterns, bare wildcards, odd case. */
const ORG_VALUES = [OUR_ORG, FOREIGN_ORG, "*", "o-*", "o-ourorg1234?", "o-ourorg*", `${OUR_ORG}*`, OUR_ORG.toUpperCase(), ""];
const PATH_VALUES = [
    `${OUR_ORG}/*`,
    `${OUR_ORG}/r-ab12/ou-ab12-11111111/*`,
    `${OUR_ORG}/r-ab12/*`,
    `${FOREIGN_ORG}/*`,
    "o-*/*",
    "*",
    "o-ourorg1234?/*",
    `${OUR_ORG}*`,
];
const ACCOUNT_VALUES = [OUR_ACCOUNT, ANOTHER_OF_OUR_ACCOUNTS, "*", "11111111111?", "1111*", ""];
const ARN_VALUES = [`arn:aws:iam::${OUR_ACCOUNT}:role/*`, "arn:aws:iam::*:role/*", "*", `arn:aws:iam::${OUR_ACCOUNT}:*`];

const STRING_OPERATORS = [
    "StringEquals",
    "StringLike",
    "StringEqualsIgnoreCase",
    "StringNotEquals",
    "StringNotLike",
    "StringNotEqualsIgnoreCase",
    "StringEqualsIfExists",
    "StringLikeIfExists",
    "StringNotEqualsIfExists",
    "ForAnyValue:StringEquals",
    "ForAnyValue:StringLike",
    "ForAnyValue:StringNotEquals",
    "ForAnyValue:StringLikeIfExists",
    "ForAllValues:StringEquals",
    "ForAllValues:StringLike",
    "ForAllValues:StringNotLike",
];
const ARN_OPERATORS = ["ArnLike", "ArnEquals", "ArnNotLike", "ArnLikeIfExists", "StringLike"];
const BOOL_OPERATORS = ["Bool", "BoolIfExists"];

/** The key as written, or in mixed case: condition keys are case-insensitive. */
function keyIn(key: string): fc.Arbitrary<string> {
    const mixed = fc
        .array(fc.boolean(), { minLength: key.length, maxLength: key.length })
        .map((upper) => [...key].map((character, i) => (upper[i] ? character.toUpperCase() : character.toLowerCase())).join(""));
    return fc.oneof({ arbitrary: fc.constant(key), weight: 3 }, { arbitrary: mixed, weight: 1 });
}

function oneOrMany(values: readonly string[]): fc.Arbitrary<Json> {
    return fc.oneof(
        { arbitrary: fc.constantFrom(...values), weight: 3 },
        { arbitrary: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }), weight: 1 },
    );
}

interface Clause {
    readonly operator: string;
    readonly key: string;
    readonly values: Json;
}

function clausesFor(keys: readonly string[], operators: readonly string[], values: readonly string[]): fc.Arbitrary<Clause> {
    return fc.record({ operator: fc.constantFrom(...operators), key: fc.constantFrom(...keys).chain(keyIn), values: oneOrMany(values) });
}

const clause: fc.Arbitrary<Clause> = fc.oneof(
    { arbitrary: clausesFor(["aws:PrincipalOrgID", "aws:SourceOrgID"], STRING_OPERATORS, ORG_VALUES), weight: 4 },
    { arbitrary: clausesFor(["aws:PrincipalOrgPaths"], STRING_OPERATORS, PATH_VALUES), weight: 2 },
    { arbitrary: clausesFor(["aws:PrincipalAccount", "aws:SourceAccount"], STRING_OPERATORS, ACCOUNT_VALUES), weight: 2 },
    { arbitrary: clausesFor(["aws:PrincipalArn"], ARN_OPERATORS, ARN_VALUES), weight: 1 },
    { arbitrary: clausesFor(["aws:SecureTransport", "aws:MultiFactorAuthPresent"], BOOL_OPERATORS, ["true", "false"]), weight: 1 },
    { arbitrary: clausesFor([...ORGANIZATION_SCOPING_KEYS], ["Null"], ["true", "false"]), weight: 1 },
);

function conditionBlock(clauses: readonly Clause[]): Record<string, Record<string, Json>> | undefined {
    if (clauses.length === 0) {
        return undefined;
    }
    const block: Record<string, Record<string, Json>> = {};
    for (const { operator, key, values } of clauses) {
        block[operator] = { ...block[operator], [key]: values };
    }
    return block;
}

const principalBlock: fc.Arbitrary<"*" | Record<string, Json>> = fc.oneof(
    { arbitrary: fc.constant("*" as const), weight: 1 },
    {
        arbitrary: fc
            .record(
                { AWS: principalValuesOf("AWS"), Service: principalValuesOf("Service"), Federated: principalValuesOf("Federated") },
                { requiredKeys: [] },
            )
            .filter((block) => Object.keys(block).length > 0),
        weight: 6,
    },
);

/** Per kind: the service, the action the oracle asks about, and another action of that service. */
const ACTIONS: Record<DocumentKind, readonly [string, string, string]> = {
    trust: ["sts", "sts:AssumeRole", "sts:AssumeRoleWithSAML"],
    queue: ["sqs", "sqs:SendMessage", "sqs:ReceiveMessage"],
    topic: ["sns", "sns:Publish", "sns:Subscribe"],
    bucket: ["s3", "s3:GetObject", "s3:PutObject"],
    key: ["kms", "kms:Decrypt", "kms:Encrypt"],
    bus: ["events", "events:PutEvents", "events:PutRule"],
};

/** Per kind, another action on the same resource, for the "another-action" row. */
const ANOTHER_ACTION: Record<DocumentKind, string> = {
    trust: "sts:TagSession",
    queue: "sqs:ReceiveMessage",
    topic: "sns:Subscribe",
    bucket: "s3:PutObject",
    key: "kms:Encrypt",
    bus: "events:DescribeEventBus",
};

/** Actions that always cover the action asked about, so the action never decides the verdict. */
function actionsOf(kind: DocumentKind): fc.Arbitrary<Pick<Statement, "Action" | "NotAction">> {
    const [service, action, other] = ACTIONS[kind];
    return fc.constantFrom<Pick<Statement, "Action" | "NotAction">>(
        { Action: action },
        { Action: [action, `${service}:TagResource`] },
        { Action: `${service}:*` },
        { Action: "*" },
        { NotAction: other },
    );
}

function statementOf(kind: DocumentKind): fc.Arbitrary<Statement> {
    return fc
        .record({
            sid: fc.option(fc.constantFrom("A", "B", "Trust"), { nil: undefined }),
            effect: fc.constantFrom<Statement["Effect"]>("Allow", "Allow", "Allow", "Deny"),
            /** NotPrincipal instead of Principal, one statement in six. */
            negated: fc.nat(5).map((roll) => roll === 0),
            principal: principalBlock,
            actions: actionsOf(kind),
            clauses: fc.array(clause, { maxLength: 3 }),
        })
        .map(({ sid, effect, negated, principal, actions, clauses }) => {
            const statement: Statement = { Effect: effect, ...actions };
            if (sid !== undefined) {
                statement.Sid = sid;
            }
            if (negated) {
                statement.NotPrincipal = principal;
            } else {
                statement.Principal = principal;
            }
            if (kind !== "trust") {
                statement.Resource = "*";
            }
            const condition = conditionBlock(clauses);
            if (condition !== undefined) {
                statement.Condition = condition;
            }
            return statement;
        });
}

const fuzzCase: fc.Arbitrary<FuzzCase> = fc
    .record({ kind: fc.constantFrom<DocumentKind>(...DOCUMENT_KINDS), native: fc.boolean() })
    .chain(({ kind, native }) =>
        fc
            .array(statementOf(kind), { minLength: 1, maxLength: 3 })
            .map((statements) => ({ kind, native, document: { Version: "2012-10-17" as const, Statement: statements } })),
    );

// ------------------------------------------------------------------------------------------------
// Verdicts and known divergences
// ------------------------------------------------------------------------------------------------

/**
 * The resource that carries each kind of document, in `@pulumi/aws` (the document as JSON text)
 * and in `@pulumi/aws-native` (the document as an object, under its CloudFormation name).
 */
const TYPE_OF: Record<DocumentKind, { aws: [string, string]; native: [string, string] }> = {
    trust: { aws: ["aws:iam/role:Role", "assumeRolePolicy"], native: ["aws-native:iam:Role", "assumeRolePolicyDocument"] },
    queue: { aws: ["aws:sqs/queuePolicy:QueuePolicy", "policy"], native: ["aws-native:sqs:QueuePolicy", "policyDocument"] },
    topic: { aws: ["aws:sns/topicPolicy:TopicPolicy", "policy"], native: ["aws-native:sns:TopicPolicy", "policyDocument"] },
    bucket: { aws: ["aws:s3/bucketPolicy:BucketPolicy", "policy"], native: ["aws-native:s3:BucketPolicy", "policyDocument"] },
    key: { aws: ["aws:kms/key:Key", "policy"], native: ["aws-native:kms:Key", "keyPolicy"] },
    bus: { aws: ["aws:cloudwatch/eventBusPolicy:EventBusPolicy", "policy"], native: ["aws-native:events:EventBus", "policy"] },
};

/** The pack's verdict, from the policy as the server runs it, and which statements it flags. */
async function packVerdict(kind: DocumentKind, document: Document, native = false): Promise<{ admits: boolean; flagged: number[] }> {
    const [type, property] = native ? TYPE_OF[kind].native : TYPE_OF[kind].aws;
    const value = native ? structuredClone(document) : JSON.stringify(document);
    const outcome = await runResourcePolicy(noWildcardPrincipals, {
        type,
        props: { [property]: value },
        config: { organizationId: OUR_ORG },
    });
    const parsed = parsePolicyDocument(document);
    if (!parsed.ok) {
        throw new Error(`generated document does not parse: ${parsed.reason}`);
    }
    const flagged = unscopedWildcardStatements(parsed.document.statements, OUR_ORG).map((finding) => finding.statement.position - 1);
    expect(outcome.violations.length, "policy violations vs flagged statements").to.equal(flagged.length);
    return { admits: outcome.violations.length > 0, flagged };
}

async function simulatorAdmits(kind: DocumentKind, statements: readonly Statement[]): Promise<boolean | string> {
    const verdict = await documentAdmitsOutsider(kind, { Version: "2012-10-17", Statement: statements });
    return verdict.ok ? verdict.admitted : verdict.error;
}

function parsedStatement(statement: Statement): PolicyStatement {
    const parsed = parsePolicyDocument({ Version: "2012-10-17", Statement: [statement] });
    if (!parsed.ok) {
        throw new Error(parsed.reason);
    }
    return parsed.document.statements[0];
}

function withoutClauses(statement: Statement, drop: (clause: ConditionClause) => boolean): Statement {
    const kept = parsedStatement(statement).conditions.filter((c) => !drop(c));
    const { Condition: _dropped, ...rest } = statement;
    void _dropped;
    const condition = conditionBlock(kept.map((c) => ({ operator: c.operator, key: c.key, values: [...c.values] })));
    return condition === undefined ? rest : { ...rest, Condition: condition };
}

const SCOPING_KEYS = new Set(ORGANIZATION_SCOPING_KEYS.map((key) => key.toLowerCase()));
const hasWildcard = (value: string) => /[*?]/.test(value);
const principalValues = (block: Statement["Principal"]): string[] =>
    block === undefined
        ? []
        : block === "*"
          ? ["*"]
          : Object.values(block).flatMap((values) => (Array.isArray(values) ? values : [values]));

export interface Divergence {
    readonly id: string;
    /** Who is right, per the AWS documentation. */
    readonly verdict: "pack fails closed by design" | "simulator diverges from AWS" | "oracle's outsiders make one choice";
    readonly reasoning: string;
    /** A document in this row, checked by the tests below. */
    readonly example: FuzzCase;
    /**
     * A statement-level row: does it explain why `statement` is flagged while no outsider gets in?
     * A clause-level row instead names the clauses the pack does not credit although they keep
     * outsiders out; the row explains the statement if, without them, an outsider gets in.
     */
    readonly explains?: (testCase: FuzzCase, statement: Statement) => Promise<boolean>;
    readonly clause?: (clause: ConditionClause, statement: PolicyStatement) => boolean;
}

/** Keys the caller chooses; the oracle's outsiders send HTTPS with MFA. */
const CALLER_CHOSEN = ["aws:securetransport", "aws:multifactorauthpresent"];

const anyone = (kind: DocumentKind, extra: Partial<Statement> = {}): Statement => ({
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: ACTIONS[kind][1],
    ...(kind !== "trust" ? { Resource: "*" } : {}),
    ...extra,
});
const single = (kind: DocumentKind, ...statements: Statement[]): FuzzCase => ({
    kind,
    document: { Version: "2012-10-17", Statement: statements },
});

/**
 * Every way the pack and the simulator may disagree, with the reason. Each row is about a
 * statement the pack flags although no outsider gets in; the opposite direction (the pack passes
 * a document that lets an outsider in) has no row: it would be a hole in the pack.
 */
export const KNOWN_DIVERGENCES: readonly Divergence[] = [
    {
        id: "caller-chosen-key-in-deny",
        verdict: "oracle's outsiders make one choice",
        reasoning:
            "A Deny of the document applies only for one value of a key the caller chooses (Bool aws:SecureTransport true): " +
            "the oracle's outsiders send that value and are denied; an outsider can send the other. The pack is right to flag.",
        example: single(
            "queue",
            anyone("queue"),
            anyone("queue", { Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }),
        ),
        explains: async (testCase, statement) => {
            const chosen = (s: Statement) => parsedStatement(s).conditions.some((c) => CALLER_CHOSEN.includes(c.key.toLowerCase()));
            const denies = testCase.document.Statement.filter((s) => s.Effect === "Deny");
            if (!denies.some(chosen)) return false;
            const kept = testCase.document.Statement.filter((s) => s === statement || (s.Effect === "Deny" && !chosen(s)));
            return (await simulatorAdmits(testCase.kind, kept)) === true;
        },
    },
    {
        id: "another-action",
        verdict: "oracle's outsiders make one choice",
        reasoning:
            "The oracle asks one action per kind (iam-oracle.ts TARGETS), which a Deny of the document closes; the Allow " +
            "statement also lets outsiders in on another action the Deny does not name (events:* allowed, only " +
            "events:PutEvents denied). The pack asks each action the statement allows, so it is right to flag it.",
        example: single(
            "bus",
            anyone("bus", { Action: "events:*" }),
            anyone("bus", { Effect: "Deny", Principal: "*", Action: "events:PutEvents" }),
        ),
        // An action of the service that no statement names stands for "another action": the
        // statement allows it, no Deny covers it, and without the Deny statements an outsider gets in.
        explains: async (testCase, statement) => {
            const another = `${ACTIONS[testCase.kind][0]}:AnotherAction`;
            const denies = testCase.document.Statement.filter((s) => s.Effect === "Deny");
            const allow = parsedStatement(statement);
            const candidates = [another, ...(allow.actions ?? [])].filter((a) => !/[*?]/.test(a) && a !== ACTIONS[testCase.kind][1]);
            if (
                candidates.some((a) => coversAction(allow, a) && !denies.some((deny) => coversAction(parsedStatement(deny), a))) &&
                (await simulatorAdmits(testCase.kind, [statement])) === true
            )
                return true;
            // Or the simulator itself, asked another action of the same resource the statement allows.
            const other = ANOTHER_ACTION[testCase.kind];
            if (!coversAction(allow, other)) return false;
            const verdict = await documentAdmitsOutsider(testCase.kind, testCase.document, other);
            return verdict.ok && verdict.admitted;
        },
    },
    {
        id: "arn-operator-bare-wildcard",
        verdict: "pack fails closed by design",
        reasoning:
            'ArnLike or ArnEquals with the value "*", which is not an ARN. The ARN operators compare the six colon-separated ' +
            "fields (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN); " +
            'the simulator matches no ARN against "*", the pack reads it as matching every ARN.',
        example: single("queue", anyone("queue", { Condition: { ArnLike: { "aws:PrincipalArn": "*" } } })),
        clause: (c) => parseConditionOperator(c.operator).base.startsWith("Arn") && c.values.includes("*"),
    },
    {
        id: "caller-chosen-key",
        verdict: "oracle's outsiders make one choice",
        reasoning:
            "A clause on a key the caller chooses (aws:SecureTransport, aws:MultiFactorAuthPresent) that the oracle's " +
            "outsiders fail: they send HTTPS with MFA (iam-oracle.ts). An outsider may as well send the other value, and " +
            "the pack's evaluator leaves such keys to the caller, so it is right to flag the statement.",
        example: single("queue", anyone("queue", { Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } })),
        clause: (c) => CALLER_CHOSEN.includes(c.key.toLowerCase()),
    },
    {
        id: "partial-or-typed-wildcard-principal",
        verdict: "pack fails closed by design",
        reasoning:
            'A wildcard inside a principal ARN (arn:aws:iam::*:root, role/*) or under Service/Federated ("Service": "*"). ' +
            'AWS accepts "*" only as the whole principal or as {"AWS": "*"} and rejects other wildcards in Principal ' +
            "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous); " +
            "the simulator matches them as literal names. The pack must not read them as one account.",
        example: single("trust", { ...anyone("trust"), Principal: { AWS: "arn:aws:iam::*:root" } }),
        explains: async (_testCase, statement) => {
            const block = statement.Principal;
            if (block === undefined || block === "*") {
                return false;
            }
            return Object.entries(block).some(([type, values]) =>
                principalValues({ [type]: values }).some((value) => hasWildcard(value) && !(type === "AWS" && value === "*")),
            );
        },
    },
    {
        id: "plain-operator-on-multivalued-key",
        verdict: "pack fails closed by design",
        reasoning:
            "A non-set operator (StringLike, not ForAnyValue:StringLike) on the multivalued aws:PrincipalOrgPaths with a " +
            'value that does not pin our organization (e.g. "o-*/*"). AWS says multivalued keys require a set operator ' +
            "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html) " +
            "and does not define the plain form; the simulator never matches it. The pack does not rely on that: it " +
            "reads the plain form as 'any path matches', under which such a value admits other organizations.",
        example: single("queue", anyone("queue", { Principal: "*", Condition: { StringLike: { "aws:PrincipalOrgPaths": "o-*/*" } } })),
        clause: (c) => c.key.toLowerCase() === "aws:principalorgpaths" && parseConditionOperator(c.operator).setOperator === undefined,
    },
    {
        id: "for-any-value-if-exists",
        verdict: "pack fails closed by design",
        reasoning:
            "ForAnyValue:...IfExists on a scoping key. The documentation defines IfExists as 'true when the key is absent' " +
            "and ForAnyValue as 'false when the key is absent', not their combination; the simulator, like the behaviour " +
            "reported on AWS re:Post (ForAnyValue:StringEqualsIfExists behaving unexpectedly), returns false, so the " +
            "clause keeps out callers without the key. The pack reads IfExists as never guaranteeing the key: a reviewer " +
            "should not have to know which of two documented rules wins.",
        example: single(
            "trust",
            anyone("trust", { Condition: { "ForAnyValue:StringLikeIfExists": { "aws:PrincipalOrgPaths": `${OUR_ORG}/*` } } }),
        ),
        clause: (c) => {
            const { setOperator, ifExists } = parseConditionOperator(c.operator);
            return SCOPING_KEYS.has(c.key.toLowerCase()) && setOperator === "ForAnyValue" && ifExists;
        },
    },
];

interface Tally {
    bothAdmit: number;
    bothExclude: number;
    rejected: Map<string, number>;
    divergences: Map<string, number>;
}

/**
 * Which rows explain why `statement` is flagged while no outsider gets in: the first statement-level
 * row that does; else a clause-level row whose clauses, removed, let an outsider in; else several
 * clause-level rows together (e.g. a literal "*" org ID AND an aws:PrincipalArn condition).
 */
async function explain(testCase: FuzzCase, statement: Statement): Promise<string | undefined> {
    // Contradictions are tried last: the other rows name a more specific reason.
    const last = KNOWN_DIVERGENCES.filter((row) => row.id === "contradictory-conditions");
    const first = KNOWN_DIVERGENCES.filter((row) => row.id !== "contradictory-conditions");
    for (const row of first) {
        if (row.explains !== undefined && (await row.explains(testCase, statement))) {
            return row.id;
        }
    }
    const parsed = parsedStatement(statement);
    const matching = KNOWN_DIVERGENCES.filter((row) => row.clause !== undefined && parsed.conditions.some((c) => row.clause?.(c, parsed)));
    const admitsWithout = async (rows: readonly Divergence[]) =>
        (await simulatorAdmits(testCase.kind, [withoutClauses(statement, (c) => rows.some((row) => row.clause?.(c, parsed)))])) === true;
    for (const row of matching) {
        if (await admitsWithout([row])) {
            return row.id;
        }
    }
    if (matching.length > 1 && (await admitsWithout(matching))) {
        return matching.map((row) => row.id).join(" + ");
    }
    for (const row of last) {
        if (await row.explains?.(testCase, statement)) {
            return row.id;
        }
    }
    return undefined;
}

/** Compares the two verdicts; every flagged statement no outsider gets through must be explained. */
async function compare(testCase: FuzzCase, tally: Tally): Promise<void> {
    const pack = await packVerdict(testCase.kind, testCase.document, testCase.native);
    const simulator = await simulatorAdmits(testCase.kind, testCase.document.Statement);
    if (typeof simulator === "string") {
        const reason = rejectionReason(simulator);
        tally.rejected.set(reason, (tally.rejected.get(reason) ?? 0) + 1);
        return;
    }
    if (pack.admits === simulator) {
        if (simulator) {
            tally.bothAdmit++;
        } else {
            tally.bothExclude++;
        }
        return;
    }
    if (!pack.admits) {
        throw new Error(`the pack passes a document that lets an outsider in: ${JSON.stringify(testCase)}`);
    }
    // The pack flags, no outsider gets in: every flagged statement must be explained.
    for (const index of pack.flagged) {
        const statement = testCase.document.Statement[index];
        const explained = await explain(testCase, statement);
        if (explained === undefined) {
            throw new Error(`unexplained: the pack flags statement #${index + 1} but no outsider gets in: ${JSON.stringify(testCase)}`);
        }
        tally.divergences.set(explained, (tally.divergences.get(explained) ?? 0) + 1);
    }
}

/** The simulator's validation message, without the document-specific parts. */
function rejectionReason(error: string): string {
    return error.replace(/"[^"]*"/g, '"…"').slice(0, 160);
}

// ------------------------------------------------------------------------------------------------
// Tests
// ------------------------------------------------------------------------------------------------

describe("principal analysis agrees with an IAM evaluator on random documents", function () {
    this.timeout(0);

    for (const row of KNOWN_DIVERGENCES) {
        it(`known divergence ${row.id}: its example is flagged, admits no outsider, and is explained by this row`, async () => {
            const pack = await packVerdict(row.example.kind, row.example.document);
            expect(pack.admits, "the pack flags it").to.equal(true);
            expect(await simulatorAdmits(row.example.kind, row.example.document.Statement), "the simulator lets no outsider in").to.equal(
                false,
            );
            const flagged = row.example.document.Statement[pack.flagged[0]];
            const firstRow = await explain(row.example, flagged);
            expect(firstRow).to.equal(row.id);
        });
    }

    it("the outsiders include one that each wildcard value in the generators matches", () => {
        const outsiderOrgs = [FOREIGN_ORG, ...LOOKALIKE_ORGS];
        const outsiderPaths = outsiderOrgs.map((org) => `${org}/r-zz99/ou-zz99-99999999/`);
        const outsiderAccounts = ["999999999999", LOOKALIKE_ACCOUNT];
        const unmatched = [
            ...ORG_VALUES.filter((v) => /[*?]/.test(v) && !outsiderOrgs.some((o) => glob(v, o, true))),
            ...PATH_VALUES.filter((v) => /[*?]/.test(v) && !v.startsWith(`${OUR_ORG}/`) && !outsiderPaths.some((o) => glob(v, o, true))),
            ...ACCOUNT_VALUES.filter((v) => /[*?]/.test(v) && !outsiderAccounts.some((o) => glob(v, o, true))),
        ];
        expect(unmatched).to.deep.equal([]);
    });

    it(`${RUNS} documents (seed ${SEED}): same verdict, or a known divergence`, async () => {
        const tally: Tally = { bothAdmit: 0, bothExclude: 0, rejected: new Map(), divergences: new Map() };
        const started = Date.now();
        await fc.assert(
            fc.asyncProperty(fuzzCase, async (testCase) => {
                await compare(testCase, tally);
            }),
            { numRuns: RUNS, seed: SEED, endOnFailure: false },
        );
        const seconds = (Date.now() - started) / 1000;
        const rejected = [...tally.rejected.values()].reduce((a, b) => a + b, 0);
        if (VERBOSE) {
            console.log(
                JSON.stringify(
                    {
                        runs: RUNS,
                        seed: SEED,
                        seconds,
                        bothAdmit: tally.bothAdmit,
                        bothExclude: tally.bothExclude,
                        divergences: Object.fromEntries(tally.divergences),
                        rejected: Object.fromEntries(tally.rejected),
                    },
                    null,
                    2,
                ),
            );
        }
        // The comparison means something only if both verdicts occur and most documents are evaluated.
        expect(tally.bothAdmit, "documents both say admit an outsider").to.be.greaterThan(RUNS / 10);
        expect(tally.bothExclude, "documents both say keep outsiders out").to.be.greaterThan(RUNS / 20);
        expect(rejected, "documents the simulator refused").to.be.lessThan(RUNS / 5);
    });
});
