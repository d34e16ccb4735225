/**
 * CloudFormation's own resource schemas as an oracle for the templates the program builds: the AWS CDK's
 * service spec (`@aws-cdk/aws-service-spec`, Apache-2.0, generated from CloudFormation's registry schemas and
 * resource specification, https://github.com/cdklabs/awscdk-service-spec), read for each property a template
 * gives: that the resource type has it, of the type it declares, with one of its allowed values, and that no
 * required property is missing. A devDependency: the program and the pack do not read it.
 */
import { loadAwsServiceSpecSync } from "@aws-cdk/aws-service-spec";
import type { Property, PropertyType, Resource, SpecDatabase, TypeDefinition } from "@aws-cdk/service-spec-types";

let db: SpecDatabase | undefined;
const spec = (): SpecDatabase => (db ??= loadAwsServiceSpecSync());

/** The resource type as CloudFormation declares it; throws for a type it does not know. */
export function resourceSpec(cfnType: string): Resource {
    return spec().lookup("resource", "cloudFormationType", "equals", cfnType).only();
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Where `value` breaks the properties `declared` (a resource's or a property type's); empty when it keeps them. */
function propertiesProblems(where: string, declared: Record<string, Property>, value: unknown): string[] {
    if (!isObject(value)) return [`${where}: expected an object, got ${JSON.stringify(value)}`];
    const problems: string[] = [];
    for (const [name, property] of Object.entries(declared)) {
        if (property.required && value[name] === undefined) problems.push(`${where}.${name}: required, missing`);
    }
    for (const [name, v] of Object.entries(value)) {
        const property = declared[name];
        if (property === undefined) {
            problems.push(`${where}.${name}: no such property (has ${Object.keys(declared).sort().join(", ")})`);
            continue;
        }
        problems.push(...typeProblems(`${where}.${name}`, property.type, v));
    }
    return problems;
}

function typeProblems(where: string, type: PropertyType, value: unknown): string[] {
    const wrong = (expected: string) => [`${where}: expected ${expected}, got ${JSON.stringify(value)}`];
    switch (type.type) {
        case "string":
        case "date-time":
            if (typeof value !== "string") return wrong(type.type);
            return type.type === "string" && type.allowedValues && !type.allowedValues.includes(value)
                ? [`${where}: ${JSON.stringify(value)} is not one of ${type.allowedValues.join(", ")}`]
                : [];
        case "integer":
            return Number.isInteger(value) ? [] : wrong("an integer");
        case "number":
            return typeof value === "number" ? [] : wrong("a number");
        case "boolean":
            return typeof value === "boolean" ? [] : wrong("a boolean");
        case "json":
            return isObject(value) ? [] : wrong("a JSON object");
        case "tag":
            return isObject(value) && typeof value.Key === "string" && typeof value.Value === "string" ? [] : wrong("a tag");
        case "array":
            return Array.isArray(value) ? value.flatMap((v, i) => typeProblems(`${where}[${i}]`, type.element, v)) : wrong("an array");
        case "map":
            return isObject(value)
                ? Object.entries(value).flatMap(([k, v]) => typeProblems(`${where}.${k}`, type.element, v))
                : wrong("a map");
        case "ref": {
            const definition: TypeDefinition = spec().get("typeDefinition", type.reference.$ref);
            return propertiesProblems(`${where} (${definition.name})`, definition.properties, value);
        }
        case "union": {
            const each = type.types.map((t) => typeProblems(where, t, value));
            return each.some((p) => p.length === 0) ? [] : each.flat();
        }
        default:
            return [`${where}: a property type the check does not know (${JSON.stringify(type)})`];
    }
}

/** Where a template resource's `Properties` break its type's schema; empty when they keep it. */
export function specProblems(cfnType: string, properties: unknown, where: string = cfnType): string[] {
    return propertiesProblems(where, resourceSpec(cfnType).properties, properties);
}

/** Every resource of a template (JSON text or object) checked against its type's schema. */
export function templateSpecProblems(template: unknown): string[] {
    const parsed: unknown = typeof template === "string" ? JSON.parse(template) : template;
    const resources = isObject(parsed) && isObject(parsed.Resources) ? parsed.Resources : {};
    return Object.entries(resources).flatMap(([id, r]) =>
        isObject(r) && typeof r.Type === "string" ? specProblems(r.Type, r.Properties ?? {}, id) : [`${id}: no Type`],
    );
}
