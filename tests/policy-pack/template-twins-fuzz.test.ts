// Differential: a random trust or queue policy, deployed by a stack, is written out plainly (the
// twin) and again with every value hidden behind intrinsic functions that CloudFormation resolves
// before deployment (a parameter's Default or the value the stack passes, Fn::Sub with
// ${AWS::AccountId} or a variable map, Fn::Join, Fn::Select, Fn::FindInMap, Fn::If on a condition
// the template decides), keys written with JSON escapes, and the template as JSON text, YAML text or
// an object. Each policy of the pack must say exactly the same of both, and nothing may be left
// unresolved. TEMPLATE_FUZZ_RUNS sets the number of templates (default 300).

import { expect } from "chai";
import fc from "fast-check";
import * as yaml from "js-yaml";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { templatePrincipalsResolved, templatePrincipalsResolvedElsewhere } from "../../policy-pack/policies/template-principals";
import { federatedTrustConditions, trustedUsersRequireMfa } from "../../policy-pack/policies/trust-policies";
import { noWildcardPrincipals } from "../../policy-pack/policies/wildcard-principals";
import { awsProvider, runResourcePolicy } from "./harness";

const WORKLOAD = "333333333333";
const OTHER = "444444444444";
const ORG = "o-ourorg12345";
const RUNS = Number(process.env.TEMPLATE_FUZZ_RUNS ?? 300);
const CONFIG = { organizationId: ORG, managementAccountIds: ["111111111111"], accessAccountIds: ["222222222222"] };
const POLICIES: readonly ResourceValidationPolicy[] = [
    noWildcardPrincipals,
    trustedUsersRequireMfa,
    federatedTrustConditions,
    templatePrincipalsResolved,
    templatePrincipalsResolvedElsewhere,
];

const PRINCIPALS: readonly unknown[] = [
    "*",
    { AWS: "*" },
    { AWS: WORKLOAD },
    { AWS: `arn:aws:iam::${WORKLOAD}:root` },
    { AWS: `arn:aws:iam::${OTHER}:root` },
    { AWS: `arn:aws:iam::${WORKLOAD}:user/alice` },
    { AWS: [`arn:aws:iam::${OTHER}:role/ci`, "*"] },
    { Service: "s3.amazonaws.com" },
    { Federated: `arn:aws:iam::${WORKLOAD}:oidc-provider/token.actions.githubusercontent.com` },
];
const CONDITIONS: readonly unknown[] = [
    undefined,
    { StringEquals: { "aws:PrincipalOrgID": ORG } },
    { StringEquals: { "aws:PrincipalAccount": WORKLOAD } },
    { StringEqualsIfExists: { "aws:PrincipalOrgID": ORG } },
    { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
];
const ACTIONS: readonly unknown[] = [
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    ["sts:AssumeRole", "sts:TagSession"],
    "sqs:SendMessage",
];

/** How one string is written in the template. */
type Encoding = "plain" | "default" | "passed" | "sub" | "subMap" | "join" | "select" | "findInMap" | "ifTrue" | "ifFalse";
const ENCODINGS: readonly Encoding[] = ["plain", "default", "passed", "sub", "subMap", "join", "select", "findInMap", "ifTrue", "ifFalse"];

/** Builds the template's Parameters, Mappings and Conditions while values are encoded. */
class Encoder {
    readonly parameters: Record<string, unknown> = {};
    readonly passed: Record<string, string> = {};
    readonly mappings: Record<string, unknown> = { Values: {} };
    readonly conditions: Record<string, unknown> = { Yes: { "Fn::Equals": ["a", "a"] }, No: { "Fn::Not": [{ Condition: "Yes" }] } };
    private count = 0;

    constructor(private readonly choices: readonly Encoding[]) {}

    private next(): Encoding {
        return this.choices[this.count++ % this.choices.length];
    }

    string(value: string, depth = 0): unknown {
        const encoding = depth > 1 ? "plain" : this.next();
        const id = `V${this.count}`;
        switch (encoding) {
            case "plain":
                return value;
            case "default":
                this.parameters[id] = { Type: "String", Default: value };
                return { Ref: id };
            case "passed":
                this.parameters[id] = { Type: "String", Default: "unused" };
                this.passed[id] = value;
                return { Ref: id };
            case "sub":
                return {
                    "Fn::Sub": value
                        .split(WORKLOAD)
                        .join("${AWS::AccountId}")
                        .replace(/^arn:aws:/, "arn:${AWS::Partition}:"),
                };
            case "subMap":
                return { "Fn::Sub": ["${Value}", { Value: this.string(value, depth + 1) }] };
            case "join": {
                const half = Math.floor(value.length / 2);
                return { "Fn::Join": ["", [this.string(value.slice(0, half), depth + 1), value.slice(half)]] };
            }
            case "select":
                return { "Fn::Select": [1, ["decoy", this.string(value, depth + 1)]] };
            case "findInMap":
                (this.mappings.Values as Record<string, unknown>)[id] = { Value: value };
                return { "Fn::FindInMap": ["Values", id, "Value"] };
            case "ifTrue":
                return { "Fn::If": ["Yes", this.string(value, depth + 1), "decoy"] };
            case "ifFalse":
                return { "Fn::If": ["No", "decoy", this.string(value, depth + 1)] };
        }
    }

    /** Every string of a value, encoded; keys and structure kept. */
    value(value: unknown): unknown {
        if (typeof value === "string") {
            return this.string(value);
        }
        if (Array.isArray(value)) {
            return value.map((item) => this.value(item));
        }
        if (typeof value === "object" && value !== null) {
            return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, this.value(child)]));
        }
        return value;
    }
}

interface Generated {
    readonly twin: Record<string, unknown>;
    readonly form: unknown;
    readonly parameters: Record<string, string>;
}

function statementOf(principal: unknown, condition: unknown, action: unknown): Record<string, unknown> {
    return { Effect: "Allow", Principal: principal, Action: action, ...(condition === undefined ? {} : { Condition: condition }) };
}

function resourcesOf(kind: "role" | "queue", statement: unknown): Record<string, unknown> {
    return kind === "role"
        ? { R: { Type: "AWS::IAM::Role", Properties: { AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [statement] } } } }
        : {
              Q: {
                  Type: "AWS::SQS::QueuePolicy",
                  Properties: {
                      Queues: ["q"],
                      PolicyDocument: { Version: "2012-10-17", Statement: [{ ...(statement as object), Resource: "*" }] },
                  },
              },
          };
}

/**
 * A YAML writer that emits CloudFormation's short forms (`!Ref x`, `!Sub ...`, `!If [...]`) for the
 * long forms, so the generated YAML uses the tags the pack's reader must understand.
 */
const SHORT_FORM_SCHEMA = yaml.CORE_SCHEMA.extend(
    ["Ref", "Condition", ...["Sub", "Join", "Select", "FindInMap", "If", "Equals", "Not"].map((name) => `Fn::${name}`)].flatMap((key) =>
        (["scalar", "sequence", "mapping"] as const).map(
            (kind) =>
                new yaml.Type(`!${key.replace("Fn::", "")}`, {
                    kind,
                    predicate: (value: unknown) => {
                        if (
                            typeof value !== "object" ||
                            value === null ||
                            Array.isArray(value) ||
                            Object.keys(value).length !== 1 ||
                            !(key in value)
                        ) {
                            return false;
                        }
                        const argument: unknown = (value as Record<string, unknown>)[key];
                        const argumentKind = typeof argument === "string" ? "scalar" : Array.isArray(argument) ? "sequence" : "mapping";
                        return argumentKind === kind;
                    },
                    represent: (value: object) => (value as Record<string, unknown>)[key] as object,
                }),
        ),
    ),
);

/** JSON text with some keys written as JSON escapes (`"\u0050rincipal"`), which JSON.parse reads as the key. */
function escapedJson(value: unknown, keys: readonly string[]): string {
    let text = JSON.stringify(value);
    for (const key of keys) {
        const escaped = `\\u${key.charCodeAt(0).toString(16).padStart(4, "0")}${key.slice(1)}`;
        text = text.split(`"${key}":`).join(`"${escaped}":`);
    }
    return text;
}

const generated: fc.Arbitrary<Generated> = fc
    .record({
        kind: fc.constantFrom<"role" | "queue">("role", "queue"),
        principal: fc.constantFrom(...PRINCIPALS),
        condition: fc.constantFrom(...CONDITIONS),
        action: fc.constantFrom(...ACTIONS),
        encodings: fc.array(fc.constantFrom(...ENCODINGS), { minLength: 1, maxLength: 8 }),
        format: fc.constantFrom<"json" | "escaped" | "yaml" | "short" | "object">("json", "escaped", "yaml", "short", "object"),
        escapedKeys: fc.subarray(["Statement", "Principal", "Condition", "Effect", "Resources", "Properties"]),
    })
    .map(({ kind, principal, condition, action, encodings, format, escapedKeys }) => {
        const statement = statementOf(principal, condition, action);
        const encoder = new Encoder(encodings);
        const encoded = encoder.value(statement);
        const twin = { Resources: resourcesOf(kind, statement) };
        const template = {
            Parameters: encoder.parameters,
            Mappings: encoder.mappings,
            Conditions: encoder.conditions,
            Resources: resourcesOf(kind, encoded),
        };
        const form =
            format === "json"
                ? JSON.stringify(template)
                : format === "escaped"
                  ? escapedJson(template, escapedKeys)
                  : format === "yaml"
                    ? yaml.dump(template)
                    : format === "short"
                      ? yaml.dump(template, { schema: SHORT_FORM_SCHEMA })
                      : template;
        return { twin, form, parameters: encoder.passed };
    });

async function verdicts(templateBody: unknown, parameters: Record<string, string>): Promise<string[]> {
    const messages: string[] = [];
    for (const policy of POLICIES) {
        const outcome = await runResourcePolicy(policy, {
            type: "aws:cloudformation/stack:Stack",
            props: { name: "stack", templateBody, parameters },
            provider: awsProvider(WORKLOAD),
            config: CONFIG,
        });
        messages.push(...outcome.violations.map((message) => `${policy.name}: ${message}`));
    }
    return messages;
}

describe("templates: intrinsic forms get their plain twin's verdicts (differential)", function () {
    this.timeout(600_000);

    it(`${RUNS} random templates`, async () => {
        let flagged = 0;
        await fc.assert(
            fc.asyncProperty(generated, async ({ twin, form, parameters }) => {
                const expected = await verdicts(JSON.stringify(twin), {});
                const actual = await verdicts(form, parameters);
                expect(actual, typeof form === "string" ? form : JSON.stringify(form)).to.deep.equal(expected);
                flagged += expected.length > 0 ? 1 : 0;
            }),
            { numRuns: RUNS, seed: 18 },
        );
        // The generator must produce both verdicts, or the comparison proves nothing.
        expect(flagged, "templates the pack flags").to.be.greaterThan(RUNS / 10);
        expect(flagged, "templates the pack passes").to.be.lessThan(RUNS - RUNS / 10);
    });
});
