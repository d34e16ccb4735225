/**
 * The service role of the customer's AWS Config organization aggregator: the one role the customer
 * role may read and pass, to Config only (model/customer-access-policy.ts), created by the stack
 * that deploys the customer role (roles/customer-access.ts).
 */
import { CONFIG_AGGREGATOR_ROLE } from "../config/customer-access";
import { Organization } from "../config/organization";
import { Partition } from "../config/partition";
import { iamArn, roleArn } from "../iam/arns";
import { policyDocument, PolicyDocument } from "../iam/documents";

/** The Config service principal, the one service the aggregator role is passed to. */
export const CONFIG_SERVICE_PRINCIPAL = "config.amazonaws.com";

/**
 * The AWS-managed policy of the aggregator role: read-only Organizations calls (`ListAccounts`,
 * `DescribeOrganization`, `ListAWSServiceAccessForOrganization`, `ListDelegatedAdministrators`)
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSConfigRoleForOrganizations.html).
 */
export function configAggregatorPolicyArn(partition: Partition): string {
    return iamArn(partition, "aws", "policy/service-role/AWSConfigRoleForOrganizations");
}

/** The aggregator's service role, by its fixed name and path (config/customer-access.ts). */
export function configAggregatorRoleArn(org: Organization): string {
    return roleArn(org.management.id, CONFIG_AGGREGATOR_ROLE.name, CONFIG_AGGREGATOR_ROLE.path, org.partition);
}

/**
 * Trust of the aggregator role: the Config service and nothing else. The role it needs is named in
 * `OrganizationAggregationSource.RoleArn`
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_OrganizationAggregationSource.html).
 */
export function configAggregatorTrust(): PolicyDocument {
    return policyDocument({
        Sid: "ConfigOnly",
        Effect: "Allow",
        Principal: { Service: CONFIG_SERVICE_PRINCIPAL },
        Action: "sts:AssumeRole",
    });
}
