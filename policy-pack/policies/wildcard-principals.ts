// Rule family: resource and trust policies must not admit principals outside the organization.

import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { organizationIdProperty, readOrganizationConfig } from "../config";
import { parsePolicyDocument } from "../documents";
import { describeWildcardFinding, lambdaPermissionExposure, unscopedWildcardStatements } from "../principals";
import { LAMBDA_PERMISSION_TYPE, RESOURCE_POLICY_PROPERTIES } from "../resource-types";

/** Reads a document-valued input; empty strings and nulls count as "no document". */
export function documentInput(args: Pick<ResourceValidationArgs, "props">, property: string): unknown {
    const raw: unknown = args.props[property];
    return raw === null || raw === "" ? undefined : raw;
}

export const noWildcardPrincipals: ResourceValidationPolicy = {
    name: "no-wildcard-principals",
    description:
        "Allow statements in trust and resource policies (IAM roles, S3, KMS, SQS, SNS, ECR, Secrets Manager, " +
        "Lambda) must not admit any principal unless a positive condition on aws:PrincipalOrgID, " +
        "aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:SourceAccount or aws:SourceOrgID confines them " +
        "to the organization or one account.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { organizationId: organizationIdProperty },
    },
    validateResource: (args, reportViolation) => {
        const { organizationId } = readOrganizationConfig(args.getConfig());
        if (args.type === LAMBDA_PERMISSION_TYPE) {
            const exposure = lambdaPermissionExposure(
                {
                    principal: args.props.principal,
                    sourceAccount: args.props.sourceAccount,
                    sourceArn: args.props.sourceArn,
                    principalOrgId: args.props.principalOrgId,
                },
                organizationId,
            );
            if (exposure !== undefined) {
                reportViolation(`Lambda ${exposure}`);
            }
            return;
        }
        const property = RESOURCE_POLICY_PROPERTIES.get(args.type);
        if (property === undefined) {
            return;
        }
        const raw = documentInput(args, property);
        if (raw === undefined) {
            return;
        }
        const parsed = parsePolicyDocument(raw);
        if (!parsed.ok) {
            // Fail closed: a document we cannot read is a document we cannot clear.
            reportViolation(`${property} cannot be checked for wildcard principals: ${parsed.reason}`);
            return;
        }
        for (const finding of unscopedWildcardStatements(parsed.document.statements, organizationId)) {
            reportViolation(describeWildcardFinding(finding, property));
        }
    },
};
