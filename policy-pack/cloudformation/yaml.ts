// Reads a CloudFormation template the way CloudFormation does: JSON, or YAML whose short-form
// intrinsic tags (`!Ref x`, `!GetAtt a.b`, `!Sub ...`) are the long form written differently
// (`{Ref: x}`, `{"Fn::GetAtt": [a, b]}`, `{"Fn::Sub": ...}`). The tags are js-yaml custom types, one
// per tag and node kind, so the parser (not a pattern over the text) decides what is a tag.
//
// Tag list and forms: the intrinsic function reference
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html),
// `Fn::GetAtt`'s short form `!GetAtt logicalName.attributeName`
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getatt.html),
// `!Condition` in condition expressions
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html).

import * as yaml from "js-yaml";

/** Short tag -> the long-form key it stands for. `!Ref` and `!Condition` have no `Fn::` prefix. */
const SHORT_FORMS: ReadonlyArray<readonly [string, string]> = [
    ["Ref", "Ref"],
    ["Condition", "Condition"],
    ...[
        "Sub",
        "GetAtt",
        "Join",
        "If",
        "Select",
        "Split",
        "FindInMap",
        "ImportValue",
        "Base64",
        "Cidr",
        "GetAZs",
        "Equals",
        "And",
        "Or",
        "Not",
        "Transform",
        "Length",
        "ToJsonString",
        "ForEach",
        "GetStackOutput",
    ].map((name): readonly [string, string] => [name, `Fn::${name}`]),
];

const KINDS: ReadonlyArray<"scalar" | "sequence" | "mapping"> = ["scalar", "sequence", "mapping"];

/** `!GetAtt Res.Attr.Sub` is `["Res", "Attr.Sub"]`: the logical ID ends at the first dot. */
function getAttArgument(data: unknown): unknown {
    if (typeof data !== "string") {
        return data;
    }
    const dot = data.indexOf(".");
    return dot < 0 ? [data] : [data.slice(0, dot), data.slice(dot + 1)];
}

const INTRINSIC_TYPES: yaml.Type[] = SHORT_FORMS.flatMap(([tag, key]) =>
    KINDS.map(
        (kind) =>
            new yaml.Type(`!${tag}`, {
                kind,
                // An empty scalar (`!Ref` alone) reaches construct as null; keep it as "".
                construct: (data: unknown) => ({ [key]: tag === "GetAtt" ? getAttArgument(data) : (data ?? "") }),
            }),
    ),
);

/** YAML 1.2 core schema (what CloudFormation's YAML 1.1 reader agrees with for templates) plus the tags. */
export const CLOUDFORMATION_SCHEMA: yaml.Schema = yaml.CORE_SCHEMA.extend(INTRINSIC_TYPES);

export type ParsedText = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/**
 * A template's text as a value: JSON first (every JSON template, escapes in keys included), then
 * YAML with CloudFormation's tags. JSON is tried first because YAML 1.2 reads JSON the same way but
 * reports JSON's errors less clearly.
 */
export function parseTemplateText(text: string): ParsedText {
    try {
        return { ok: true, value: JSON.parse(text) };
    } catch {
        // Not JSON: read it as YAML below.
    }
    try {
        // Duplicate keys are an error, not "last one wins": a template the pack reads one way and
        // CloudFormation another is one the pack cannot vouch for.
        return { ok: true, value: yaml.load(text, { schema: CLOUDFORMATION_SCHEMA }) };
    } catch (e) {
        const reason = e instanceof yaml.YAMLException ? e.reason : e instanceof Error ? e.message : String(e);
        return { ok: false, reason: `it is neither JSON nor YAML CloudFormation can read (${reason})` };
    }
}
