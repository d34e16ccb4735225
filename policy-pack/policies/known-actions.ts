// Rule family: typos in action names. IAM accepts unknown actions silently, so a misspelt Deny
// protects nothing and a misspelt Allow leaves a pipeline failing with AccessDenied.

import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { parsePolicyDocument, statementLabel } from "../documents";
import { unknownActionProblem } from "../iam-actions";
import { IDENTITY_POLICY_PROPERTIES, RESOURCE_POLICY_PROPERTIES, ROLE_TYPE } from "../resource-types";
import { documentInput } from "./wildcard-principals";

interface NamedDocument {
    readonly name: string;
    readonly raw: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every policy document a resource carries, named as in messages. */
function documentsOf(args: ResourceValidationArgs): NamedDocument[] {
    const documents: NamedDocument[] = [];
    for (const property of [RESOURCE_POLICY_PROPERTIES.get(args.type), IDENTITY_POLICY_PROPERTIES.get(args.type)]) {
        const raw = property === undefined ? undefined : documentInput(args, property);
        if (property !== undefined && raw !== undefined) {
            documents.push({ name: property, raw });
        }
    }
    if (args.type === ROLE_TYPE) {
        const inline: unknown = args.props.inlinePolicies;
        for (const [index, entry] of (Array.isArray(inline) ? inline : []).entries()) {
            if (isRecord(entry) && entry.policy !== undefined && entry.policy !== "") {
                const name = typeof entry.name === "string" ? `'${entry.name}'` : `#${index + 1}`;
                documents.push({ name: `inline policy ${name}`, raw: entry.policy });
            }
        }
    }
    return documents;
}

export const knownIamActions: ResourceValidationPolicy = {
    name: "known-iam-actions",
    description:
        "Every action (and NotAction) named in a policy document exists in the IAM service authorization " +
        "reference; wildcard patterns such as s3:Get* must match at least one action.",
    enforcementLevel: "advisory",
    validateResource: async (args, reportViolation) => {
        for (const document of documentsOf(args)) {
            const parsed = parsePolicyDocument(document.raw);
            if (!parsed.ok) {
                continue;
            }
            for (const statement of parsed.document.statements) {
                for (const [element, names] of [["Action", statement.actions], ["NotAction", statement.notActions]] as const) {
                    for (const name of names ?? []) {
                        const problem = await unknownActionProblem(name);
                        if (problem !== undefined) {
                            reportViolation(`${element} of statement ${statementLabel(statement)} in ${document.name}: ${problem}`);
                        }
                    }
                }
            }
        }
    },
};
