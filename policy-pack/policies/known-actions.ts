// Rule family: typos in action names. IAM accepts unknown actions silently, so a misspelt Deny
// protects nothing and a misspelt Allow leaves a pipeline failing with AccessDenied.

import { ResourceValidationPolicy } from "@pulumi/policy";
import { statementLabel } from "../documents";
import { unknownActionProblem } from "../iam-actions";
import { documentsOfResource } from "../resource-documents";

export const knownIamActions: ResourceValidationPolicy = {
    name: "known-iam-actions",
    description:
        "Every action (and NotAction) named in a policy document exists in the IAM service authorization " +
        "reference; wildcard patterns such as s3:Get* must match at least one action.",
    enforcementLevel: "advisory",
    validateResource: async (args, reportViolation) => {
        for (const document of documentsOfResource(args.type, args.props, args.provider)) {
            if (!document.parsed.ok) {
                continue;
            }
            for (const statement of document.parsed.document.statements) {
                for (const [element, names] of [
                    ["Action", statement.actions],
                    ["NotAction", statement.notActions],
                ] as const) {
                    for (const name of names ?? []) {
                        const problem = await unknownActionProblem(name);
                        if (problem !== undefined) {
                            reportViolation(`${element} of statement ${statementLabel(statement)} in ${document.path}: ${problem}`);
                        }
                    }
                }
            }
        }
    },
};
