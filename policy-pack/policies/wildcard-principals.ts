// Rule family: resource and trust policies must not admit principals outside the organization.
//
// Documents are found by shape, in any property of any resource of either AWS provider (an
// OpenSearch domain's `accessPolicies`, a Glacier vault's `accessPolicy`, an EventBridge bus
// `policy`, an aws-native `policyDocument`, a CloudFormation template's embedded policies), not
// read from a list of types that is always one service behind. Only the permission-style resources,
// whose policy is not a document, are listed (`permissionKindOf`).

import { ResourceValidationPolicy } from "@pulumi/policy";
import { organizationIdProperty, readOrganizationConfig } from "../config";
import { documentsOfResource, permissionGrantsOfResource } from "../resource-documents";
import { describeWildcardFinding, permissionExposure, unscopedWildcardStatements } from "../verdicts";

export const noWildcardPrincipals: ResourceValidationPolicy = {
    name: "no-wildcard-principals",
    description:
        "Allow statements in any trust or resource policy (any document with a Statement, in any property of any " +
        "aws or aws-native resource) must not admit any principal unless a positive condition on aws:PrincipalOrgID, " +
        "aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:SourceAccount or aws:SourceOrgID confines them to the " +
        "organization or one account. Lambda, layer and EventBridge permissions for * or for a service must be " +
        "confined by sourceAccount, principalOrgId/organizationId or a source ARN that names one account.",
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
            for (const finding of unscopedWildcardStatements(document.parsed.document.statements, organizationId)) {
                reportViolation(describeWildcardFinding(finding, document.path));
            }
        }
    },
};
