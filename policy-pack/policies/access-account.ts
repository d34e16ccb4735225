// Rule family: the access account holds access, nothing else. It exists to let people and CI into
// the other accounts, so it is the one member account that can reach all others; anything else
// placed there (services, data, development environments, log and metric sinks that service
// accounts must write into) widens that blast radius.
//
// Design: an allow-list, not a deny-list. "Holds access, nothing else" names what may be there;
// a deny-list would pass every service AWS launches next, and every type we forgot, without
// review. So every resource deployed into an access account must be IAM, IAM Identity Center, a
// SAML/OIDC provider, a KMS key, or a type the stack's policy config lists in `allowedTypes`.
// Compute, data stores, log sinks and VPC workloads are named only to explain the failure, and
// `allowedTypes` cannot re-admit them.

import { ResourceValidationPolicy } from "@pulumi/policy";
import { accountsAmong, resourceAccounts } from "../accounts";
import { accessAccountIdsProperty, allowedTypesProperty, readAllowedTypes, readOrganizationConfig } from "../config";
import { classifyForAccessAccount, forbiddenInAccessAccount } from "../access-types";

/** Packages whose resources are deployed into an AWS account through a provider. */
const AWS_PACKAGES: readonly string[] = ["aws", "aws-native"];

const WHY: Readonly<Record<string, string>> = {
    compute: "is compute",
    "data store": "stores data",
    "log or metric sink": "is a log or metric sink (service accounts would have to write into the access account)",
    "VPC workload": "is a VPC workload",
    "deploys other resources": "deploys other resources (a template, a StackSet or a Service Catalog product)",
    "not an access resource": "is not IAM, IAM Identity Center, an identity provider or a KMS key",
};

export const accessAccountHoldsAccessOnly: ResourceValidationPolicy = {
    name: "access-account-holds-access-only",
    description:
        "The access account holds access, nothing else (aws and aws-native): only IAM (users, groups, roles, policies), IAM Identity " +
        "Center, SAML/OIDC providers and KMS keys, plus the types listed in allowedTypes for a VPN or SSM-based " +
        "access path. An allow-list, because the account can reach all others: compute, data stores (S3, DynamoDB, " +
        "RDS, ElastiCache, OpenSearch, EFS, Redshift, SQS/SNS, Kinesis), log and metric sinks (CloudWatch Logs, " +
        "CloudTrail, Firehose, S3 access logs), VPC workloads and anything not listed fail.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { accessAccountIds: accessAccountIdsProperty, allowedTypes: allowedTypesProperty },
        required: ["accessAccountIds"],
    },
    validateResource: (args, reportViolation) => {
        if (!AWS_PACKAGES.includes(args.type.split(":")[0])) {
            return;
        }
        const config = args.getConfig();
        const { accessAccountIds } = readOrganizationConfig(config);
        const allowedTypes = readAllowedTypes(config, forbiddenInAccessAccount);
        const classification = classifyForAccessAccount(args.type, allowedTypes);
        if (classification.allowed) {
            return;
        }
        const accounts = resourceAccounts(args.provider?.props);
        const ids = accountsAmong(accounts, accessAccountIds);
        if (ids.length === 0) {
            return;
        }
        const where = accounts.known && accounts.accountIds.length > 1 ? "may be deployed into" : "is deployed into";
        const source = accounts.known ? ` (provider ${accounts.source})` : "";
        const remedy =
            classification.category === "not an access resource"
                ? "; deploy it into a workload account, or list the type in allowedTypes if a VPN or SSM access path needs it"
                : "; deploy it into a workload account";
        reportViolation(
            `${args.type} '${args.name}' ${WHY[classification.category]} and ${where} access account ${ids.join(", ")}${source}${remedy}`,
        );
    },
};
