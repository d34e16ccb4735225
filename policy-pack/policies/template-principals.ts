// Rule family: principals in deployed templates that cannot be resolved before deployment. A
// template's `!GetAtt Other.Arn`, `!ImportValue`, or a parameter with no value passed and no
// Default, is only known once CloudFormation deploys it, so the pack cannot tell whom the
// statement admits. Such an admission is unknown: a violation in the management and access
// accounts (and where the account cannot be known), advisory elsewhere. The pack cannot set a
// level per violation, so the family is two policies that split the accounts between them.

import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { accountsAmong, resourceAccounts } from "../accounts";
import { accessAccountIdsProperty, managementAccountIdsProperty, organizationIdProperty, readOrganizationConfig } from "../config";
import { unresolvedAdmissionsOfResource } from "../resource-documents";
import { isNestedDeployer } from "../templates";
import { permissionExposure } from "../verdicts";

/**
 * A stack set instance deploys its stack set's template, whose principals this policy judges on the
 * `aws:cloudformation/stackSet:StackSet` resource that carries it, with the stack set's own parameters.
 * Only parameter overrides make an instance admit someone else
 * (https://www.pulumi.com/registry/packages/aws/api-docs/cloudformation/stacksetinstance/), so an instance
 * without them admits no principal of its own. (Where it deploys is the management-account rule's concern.)
 */
function addsNoPrincipals(type: string, props: Record<string, unknown>): boolean {
    if (type !== "aws:cloudformation/stackSetInstance:StackSetInstance") {
        return false;
    }
    const overrides = props.parameterOverrides;
    return overrides === undefined || overrides === null || (typeof overrides === "object" && Object.keys(overrides).length === 0);
}

/** Messages for the unresolved admissions of a template-carrying resource; empty for other resources. */
function unresolvedAdmissions(args: ResourceValidationArgs, organizationId: string | undefined): string[] {
    if (!isNestedDeployer(args.type) || addsNoPrincipals(args.type, args.props)) {
        return [];
    }
    const admissions = unresolvedAdmissionsOfResource(args, (grant) => permissionExposure(grant, organizationId) !== undefined);
    return admissions.map(({ where, what }) => `${where}: whom it admits cannot be resolved before deployment (${what.join("; ")})`);
}

/** Is the resource deployed into a management or access account, or into an account the pack cannot know? */
function inSpecialAccount(args: ResourceValidationArgs, special: readonly string[]): boolean {
    const accounts = resourceAccounts(args.provider?.props);
    return !accounts.known || accountsAmong(accounts, special).length > 0;
}

const configSchema = {
    properties: {
        managementAccountIds: managementAccountIdsProperty,
        accessAccountIds: accessAccountIdsProperty,
        organizationId: organizationIdProperty,
    },
};

function validate(args: ResourceValidationArgs, report: (message: string) => void, wantSpecial: boolean): void {
    if (!isNestedDeployer(args.type)) {
        return;
    }
    const config = readOrganizationConfig(args.getConfig());
    const special = [...config.managementAccountIds, ...config.accessAccountIds];
    if (inSpecialAccount(args, special) !== wantSpecial) {
        return;
    }
    unresolvedAdmissions(args, config.organizationId).forEach((message) => report(message));
}

export const templatePrincipalsResolved: ResourceValidationPolicy = {
    name: "template-principals-resolved",
    description:
        "In the management and access accounts (and where the account cannot be known), every principal a deployed " +
        "CloudFormation template admits must be known before deployment: a principal, condition or permission scope " +
        "taken from !GetAtt, !ImportValue, a resource's Ref or a parameter with no value is a violation.",
    enforcementLevel: "mandatory",
    configSchema,
    validateResource: (args, reportViolation) => validate(args, reportViolation, true),
};

export const templatePrincipalsResolvedElsewhere: ResourceValidationPolicy = {
    name: "template-principals-resolved-elsewhere",
    description:
        "In member accounts, a deployed CloudFormation template whose principals cannot be resolved before deployment " +
        "(!GetAtt, !ImportValue, a resource's Ref, a parameter with no value) is reported for review.",
    enforcementLevel: "advisory",
    configSchema,
    validateResource: (args, reportViolation) => validate(args, reportViolation, false),
};
