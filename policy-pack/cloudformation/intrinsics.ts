// Resolves a template's intrinsic functions the way CloudFormation would at deployment, as far as
// the pack can know before it: parameters take the value the stack passes or their `Default`,
// pseudo-parameters the deploying account, region and partition, `Fn::Sub`, `Fn::Join`,
// `Fn::Select`, `Fn::Split`, `Fn::FindInMap`, `Fn::If` (with `Conditions` evaluated) and
// `Fn::Base64` are computed. What only exists once deployed (`Fn::GetAtt`, `Ref` to a resource,
// `Fn::ImportValue`, a parameter with no value) becomes an `Unresolved` that says what it is, so
// a policy can tell "unknown" from "absent".
//
// Function semantics: the intrinsic function reference
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html);
// pseudo-parameters
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html);
// `AWS::NoValue` removes the property it is the value of; parameters of type `List<...>` and
// `CommaDelimitedList` are lists, `AWS::SSM::Parameter::Value<...>` is read from SSM at deployment
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).

import { isRecord } from "../documents";

/** A value CloudFormation only knows at deployment; `what` names it for messages (`!GetAtt Other.Arn`). */
export class Unresolved {
    constructor(readonly what: string) {}
}

/** A value of a resolved template: JSON, with `Unresolved` where CloudFormation alone can know. */
export type Resolved = unknown;

/** The deploying environment's facts, each known or not (with why not). */
export interface PseudoParameters {
    readonly "AWS::AccountId": string | Unresolved;
    readonly "AWS::Partition": string | Unresolved;
    readonly "AWS::Region": string | Unresolved;
    readonly "AWS::URLSuffix": string | Unresolved;
    readonly "AWS::StackName": string | Unresolved;
}

export interface TemplateContext {
    readonly pseudo: PseudoParameters;
    /** Parameter values by name: a string, a list (list types), or why unknown. */
    readonly parameters: ReadonlyMap<string, string | readonly string[] | Unresolved>;
    readonly mappings: Record<string, unknown>;
    readonly conditions: Record<string, unknown>;
    readonly resources: ReadonlySet<string>;
}

/** Removed from its object or list: `Ref AWS::NoValue`. */
const NO_VALUE = Symbol("AWS::NoValue");

const PSEUDO_UNKNOWABLE: Record<string, string> = {
    "AWS::StackId": "AWS::StackId (assigned when the stack is created)",
    "AWS::NotificationARNs": "AWS::NotificationARNs (set when the stack is created)",
};

/** Parameter values for a template: `given` (the stack's `parameters`) over each `Default`. */
export function parameterValues(
    parametersSection: unknown,
    given: Readonly<Record<string, unknown>>,
): Map<string, string | readonly string[] | Unresolved> {
    const values = new Map<string, string | readonly string[] | Unresolved>();
    if (!isRecord(parametersSection)) {
        return values;
    }
    for (const [name, declaration] of Object.entries(parametersSection)) {
        const type = isRecord(declaration) && typeof declaration.Type === "string" ? declaration.Type : "String";
        const passed = given[name];
        const fallback = isRecord(declaration) ? declaration.Default : undefined;
        const raw = passed ?? fallback;
        // A value passed from an enclosing template (a StackSet's Parameters) may itself be known only at deployment.
        const unresolvedPassed = Array.isArray(raw) ? raw.find(isUnresolved) : isUnresolved(raw) ? raw : undefined;
        if (type.startsWith("AWS::SSM::Parameter::Value<")) {
            values.set(name, new Unresolved(`parameter ${name} (read from SSM Parameter Store at deployment)`));
        } else if (unresolvedPassed !== undefined) {
            values.set(name, new Unresolved(`parameter ${name} (${unresolvedPassed.what})`));
        } else if (raw === undefined || raw === null) {
            values.set(name, new Unresolved(`parameter ${name} (no value passed and no Default)`));
        } else if (Array.isArray(raw)) {
            values.set(name, raw.map(String));
        } else {
            const text = String(raw);
            values.set(name, type === "CommaDelimitedList" || type.startsWith("List<") ? text.split(",").map((s) => s.trim()) : text);
        }
    }
    return values;
}

function isUnresolved(value: unknown): value is Unresolved {
    return value instanceof Unresolved;
}

/** Every `Unresolved` inside a resolved value, for messages. */
export function unresolvedIn(value: Resolved): Unresolved[] {
    if (isUnresolved(value)) {
        return [value];
    }
    if (Array.isArray(value)) {
        return value.flatMap(unresolvedIn);
    }
    if (isRecord(value)) {
        return Object.values(value).flatMap(unresolvedIn);
    }
    return [];
}

/** Joins the unresolved parts of a composite into one, naming the function and each part. */
function unresolvedOf(function_: string, parts: readonly Unresolved[]): Unresolved {
    return new Unresolved(`${function_} of ${[...new Set(parts.map((p) => p.what))].join(", ")}`);
}

function asString(value: Resolved): string | Unresolved | undefined {
    if (isUnresolved(value)) {
        return value;
    }
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

const INTRINSIC_KEYS: ReadonlySet<string> = new Set([
    "Ref",
    "Fn::Sub",
    "Fn::GetAtt",
    "Fn::Join",
    "Fn::If",
    "Fn::Select",
    "Fn::Split",
    "Fn::FindInMap",
    "Fn::ImportValue",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::GetAZs",
    "Fn::Transform",
    "Fn::Length",
    "Fn::ToJsonString",
    "Fn::GetStackOutput",
]);

/** The one intrinsic function an object stands for (`{"Ref": x}`), or undefined. */
function intrinsicOf(value: Record<string, unknown>): [string, unknown] | undefined {
    const keys = Object.keys(value);
    if (keys.length !== 1) {
        return undefined;
    }
    const key = keys[0];
    return INTRINSIC_KEYS.has(key) || key.startsWith("Fn::") ? [key, value[key]] : undefined;
}

export class TemplateResolver {
    private readonly conditionCache = new Map<string, boolean | Unresolved>();

    constructor(private readonly context: TemplateContext) {}

    /** A template value with every intrinsic function resolved as far as can be known. */
    resolve(value: unknown): Resolved {
        const resolved = this.value(value);
        return resolved === NO_VALUE ? undefined : resolved;
    }

    /** The value of a named condition (`Conditions` section), or why it cannot be known. */
    condition(name: string): boolean | Unresolved {
        const cached = this.conditionCache.get(name);
        if (cached !== undefined) {
            return cached;
        }
        if (!(name in this.context.conditions)) {
            return new Unresolved(`condition ${name}, which the template does not declare`);
        }
        // A cycle is not a valid template; mark it unknown while evaluating.
        this.conditionCache.set(name, new Unresolved(`condition ${name} (refers to itself)`));
        const result = this.conditionValue(this.context.conditions[name]);
        const value = isUnresolved(result) ? new Unresolved(`condition ${name} (depends on ${result.what})`) : result;
        this.conditionCache.set(name, value);
        return value;
    }

    private conditionValue(expression: unknown): boolean | Unresolved {
        if (typeof expression === "boolean") {
            return expression;
        }
        if (!isRecord(expression) || Object.keys(expression).length !== 1) {
            return new Unresolved(`condition expression ${JSON.stringify(expression)}`);
        }
        const [key, argument] = Object.entries(expression)[0];
        const args = Array.isArray(argument) ? argument : [argument];
        switch (key) {
            case "Condition":
                return typeof argument === "string" ? this.condition(argument) : new Unresolved("Condition without a name");
            case "Fn::Not": {
                const inner = this.conditionValue(args[0]);
                return isUnresolved(inner) ? inner : !inner;
            }
            case "Fn::And":
            case "Fn::Or": {
                const values = args.map((arg) => this.conditionValue(arg));
                const decisive = key === "Fn::And" ? false : true;
                if (values.includes(decisive)) {
                    return decisive;
                }
                const unknown = values.find(isUnresolved);
                return unknown ?? !decisive;
            }
            case "Fn::Equals": {
                const [left, right] = args.map((arg) => this.value(arg));
                const unknown = [left, right].filter(isUnresolved);
                if (unknown.length > 0) {
                    return unresolvedOf("Fn::Equals", unknown);
                }
                return JSON.stringify(left) === JSON.stringify(right) || String(left) === String(right);
            }
            default:
                return new Unresolved(`condition function ${key}`);
        }
    }

    private value(value: unknown): Resolved | typeof NO_VALUE {
        if (Array.isArray(value)) {
            return value.map((item) => this.value(item)).filter((item) => item !== NO_VALUE);
        }
        if (!isRecord(value) || isUnresolved(value)) {
            return value;
        }
        const intrinsic = intrinsicOf(value);
        if (intrinsic !== undefined) {
            return this.intrinsic(intrinsic[0], intrinsic[1]);
        }
        const out: Record<string, Resolved> = {};
        for (const [key, child] of Object.entries(value)) {
            const resolved = this.value(child);
            if (resolved !== NO_VALUE) {
                out[key] = resolved;
            }
        }
        return out;
    }

    /** `Ref name`: a parameter, a pseudo-parameter, or a resource (known only once it exists). */
    private ref(name: unknown): Resolved | typeof NO_VALUE {
        if (typeof name !== "string") {
            const resolved = this.value(name);
            return typeof resolved === "string" ? this.ref(resolved) : new Unresolved(`Ref of ${JSON.stringify(name)}`);
        }
        if (name === "AWS::NoValue") {
            return NO_VALUE;
        }
        const pseudo = (this.context.pseudo as unknown as Record<string, string | Unresolved | undefined>)[name];
        if (pseudo !== undefined) {
            return pseudo;
        }
        if (name in PSEUDO_UNKNOWABLE) {
            return new Unresolved(PSEUDO_UNKNOWABLE[name]);
        }
        const parameter = this.context.parameters.get(name);
        if (parameter !== undefined) {
            return isUnresolved(parameter) ? parameter : Array.isArray(parameter) ? [...parameter] : parameter;
        }
        if (this.context.resources.has(name)) {
            return new Unresolved(`!Ref ${name} (the physical ID of a resource the stack creates)`);
        }
        return new Unresolved(`!Ref ${name}, which the template does not declare`);
    }

    private intrinsic(key: string, argument: unknown): Resolved | typeof NO_VALUE {
        const args = Array.isArray(argument) ? argument : [argument];
        switch (key) {
            case "Ref":
                return this.ref(argument);
            case "Fn::GetAtt": {
                const parts = args.map((arg) => this.value(arg));
                return new Unresolved(`!GetAtt ${parts.map((p) => (typeof p === "string" ? p : "?")).join(".")}`);
            }
            case "Fn::Sub":
                return this.sub(args[0], args[1]);
            case "Fn::Join":
                return this.join(args[0], args[1]);
            case "Fn::Select": {
                const index = this.value(args[0]);
                const list = this.value(args[1]);
                if (isUnresolved(index) || isUnresolved(list)) {
                    return unresolvedOf("Fn::Select", [index, list].filter(isUnresolved));
                }
                const position = Number(index);
                if (!Array.isArray(list) || !Number.isInteger(position) || position < 0 || position >= list.length) {
                    return new Unresolved(`Fn::Select ${JSON.stringify(index)} of a list it cannot index`);
                }
                return list[position] as Resolved;
            }
            case "Fn::Split": {
                const delimiter = this.value(args[0]);
                const text = asString(this.value(args[1]) as Resolved);
                if (typeof delimiter !== "string" || typeof text !== "string") {
                    return unresolvedOf("Fn::Split", [delimiter, text].filter(isUnresolved));
                }
                return text.split(delimiter);
            }
            case "Fn::FindInMap": {
                const [map, top, second] = args.slice(0, 3).map((arg) => asString(this.value(arg) as Resolved));
                const unknown = [map, top, second].filter(isUnresolved);
                if (unknown.length > 0) {
                    return unresolvedOf("Fn::FindInMap", unknown);
                }
                const mapping = this.context.mappings[String(map)];
                const level = isRecord(mapping) ? mapping[String(top)] : undefined;
                const found = isRecord(level) ? level[String(second)] : undefined;
                return found === undefined ? new Unresolved(`Fn::FindInMap [${map}, ${top}, ${second}], which the Mappings lack`) : found;
            }
            case "Fn::If": {
                const name = args[0];
                const condition = typeof name === "string" ? this.condition(name) : new Unresolved("Fn::If without a condition name");
                if (isUnresolved(condition)) {
                    return new Unresolved(`!If on ${condition.what}`);
                }
                return this.value(condition ? args[1] : args[2]);
            }
            case "Fn::Base64": {
                const text = asString(this.value(args[0]) as Resolved);
                if (typeof text !== "string") {
                    return text ?? new Unresolved("Fn::Base64 of a non-string");
                }
                return Buffer.from(text, "utf8").toString("base64");
            }
            case "Fn::ImportValue": {
                const name = this.value(args[0]);
                return new Unresolved(`!ImportValue ${typeof name === "string" ? name : "(computed name)"}`);
            }
            case "Fn::GetAZs":
                return new Unresolved("!GetAZs (the region's Availability Zones)");
            case "Fn::Cidr":
                return new Unresolved("!Cidr (computed address blocks)");
            default:
                return new Unresolved(`${key} (not evaluated by the pack)`);
        }
    }

    private join(delimiterArg: unknown, listArg: unknown): Resolved {
        const delimiter = this.value(delimiterArg);
        const list = this.value(listArg);
        if (isUnresolved(list)) {
            return unresolvedOf("Fn::Join", [list]);
        }
        if (typeof delimiter !== "string" || !Array.isArray(list)) {
            return new Unresolved("Fn::Join with a malformed argument");
        }
        const parts = list.map((item: Resolved) => asString(item));
        const unknown = parts.filter(isUnresolved);
        if (unknown.length > 0) {
            return unresolvedOf("Fn::Join", unknown);
        }
        if (parts.some((part) => part === undefined)) {
            return new Unresolved("Fn::Join of a value that is not a string");
        }
        return parts.join(delimiter);
    }

    /**
     * `Fn::Sub`: `${Name}` is a variable of the map, else a parameter, pseudo-parameter or
     * resource (`Ref`); `${Res.Attr}` is `Fn::GetAtt`; `${!Text}` is the literal `${Text}`.
     */
    private sub(templateArg: unknown, variablesArg: unknown): Resolved {
        const text = this.value(templateArg);
        if (typeof text !== "string") {
            return isUnresolved(text) ? unresolvedOf("!Sub", [text]) : new Unresolved("!Sub of a non-string");
        }
        const variables = isRecord(variablesArg) ? variablesArg : {};
        const unknown: Unresolved[] = [];
        const result = text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
            if (name.startsWith("!")) {
                return `\${${name.slice(1)}}`;
            }
            const trimmed = name.trim();
            let value: Resolved | typeof NO_VALUE;
            if (trimmed in variables) {
                value = this.value(variables[trimmed]);
            } else if (trimmed.includes(".") && !trimmed.startsWith("AWS::")) {
                const dot = trimmed.indexOf(".");
                value = this.intrinsic("Fn::GetAtt", [trimmed.slice(0, dot), trimmed.slice(dot + 1)]);
            } else {
                value = this.ref(trimmed);
            }
            const string = value === NO_VALUE ? undefined : asString(value);
            if (typeof string === "string") {
                return string;
            }
            unknown.push(string ?? new Unresolved(`\${${trimmed}} (not a string)`));
            return whole;
        });
        return unknown.length > 0 ? new Unresolved(`!Sub ${JSON.stringify(text)} (${unknown.map((u) => u.what).join("; ")})`) : result;
    }
}
