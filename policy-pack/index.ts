// Assembles the org-access guardrails. Policies live in ./policies, one file per rule family.

import { PolicyPack } from "@pulumi/policy";
import { accessAccountHoldsAccessOnly } from "./policies/access-account";
import { knownIamActions } from "./policies/known-actions";
import { managementAccountNotAccessAccount, noComputeInManagementAccount } from "./policies/management-account";
import { policySizeQuotas } from "./policies/policy-size";
import { providersPinAccount } from "./policies/provider-pinning";
import { templatePrincipalsResolved, templatePrincipalsResolvedElsewhere } from "./policies/template-principals";
import { federatedTrustConditions, trustedUsersRequireMfa } from "./policies/trust-policies";
import { noWildcardPrincipals } from "./policies/wildcard-principals";
import { organizationPoliciesKeepDeployers } from "./policies/organization-policies";

new PolicyPack("org-access-guardrails", {
    description:
        "Guardrails for an AWS Organization: no wildcard principals, no compute or access identities in the management account, nothing but access in the access account.",
    policies: [
        noWildcardPrincipals,
        noComputeInManagementAccount,
        managementAccountNotAccessAccount,
        accessAccountHoldsAccessOnly,
        federatedTrustConditions,
        trustedUsersRequireMfa,
        policySizeQuotas,
        knownIamActions,
        providersPinAccount,
        templatePrincipalsResolved,
        templatePrincipalsResolvedElsewhere,
        organizationPoliciesKeepDeployers,
    ],
});
