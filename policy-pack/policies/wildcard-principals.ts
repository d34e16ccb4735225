// Rule family: resource and trust policies must not admit principals outside the organization.
//
// Documents are found where CloudFormation and both providers put them (`resource-documents.ts`:
// a table of CloudFormation types, else any property named or shaped like an IAM policy, so a type
// AWS ships next is still read), in the resource and in templates it deploys, read as
// CloudFormation reads them. Only the permission-style resources, whose policy is not a document,
// are listed (`permissionKindOf`).

import { ResourceValidationPolicy } from "@pulumi/policy";
import { organizationIdProperty, readOrganizationConfig } from "../config";
import { documentsOfResource, permissionGrantsOfResource } from "../resource-documents";
import { describeWildcardFinding, permissionExposure, unscopedWildcardStatements, WildcardFinding } from "../verdicts";
import { DocumentMemo } from "../memo";

/** Findings per document text and organization: the same trust recurs on every account's copy of a role. */
const FINDINGS = new DocumentMemo<readonly WildcardFinding[]>();

export const noWildcardPrincipals: ResourceValidationPolicy = {
    name: "no-wildcard-principals",
    description:
        "Allow statements in any trust or resource policy (of any aws or aws-native resource, and of the CloudFormation " +
        "templates stacks deploy, JSON or YAML, intrinsic functions resolved) must not admit a principal outside the organization. " +
        "Asked of the IAM evaluator with symbolic outsiders, the document's Deny statements included: a role and an IAM user of an " +
        "account the statement does not name (in no organization, another, or one its patterns match), an AWS service acting for " +
        "such an account, a web-identity caller and an anonymous one. A wildcard inside a principal value is refused too. " +
        "Lambda, layer and EventBridge permissions are asked the same way, as the statement AWS writes for them: for * or for a " +
        "service they must be confined by sourceAccount, principalOrgId/organizationId or a source ARN that names one account.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { organizationId: organizationIdProperty },
    },
    validateResource: (args, reportViolation) => {
        const { organizationId } = readOrganizationConfig(args.getConfig());
        for (const { where, grant, unresolved } of permissionGrantsOfResource(args.type, args.props, args.provider)) {
            const exposure = permissionExposure(grant, organizationId);
            // A grant whose scoping is unresolved is template-principals-resolved's to report.
            if (exposure !== undefined && unresolved.length === 0) {
                reportViolation(`${where} ${exposure}`);
            }
        }
        for (const document of documentsOfResource(args.type, args.props, args.provider)) {
            if (!document.parsed.ok) {
                // Fail closed: a document we cannot read is a document we cannot clear.
                reportViolation(`${document.path} cannot be checked for wildcard principals: ${document.parsed.reason}`);
                continue;
            }
            const parsed = document.parsed.document;
            const findings = FINDINGS.get(parsed, organizationId ?? "", () =>
                unscopedWildcardStatements(parsed.statements, organizationId),
            );
            for (const finding of findings) {
                reportViolation(describeWildcardFinding(finding, document.path));
            }
        }
    },
};
