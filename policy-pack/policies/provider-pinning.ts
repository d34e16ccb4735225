// Rule family: every AWS resource is deployed through a provider that names its account, so a
// wrong profile or credential fails instead of deploying into another account. It is also what
// lets the account-scoped guardrails know where a resource lands.

import { ResourceValidationPolicy } from "@pulumi/policy";
import { providerPinsAccount } from "../accounts";

export const providersPinAccount: ResourceValidationPolicy = {
    name: "providers-pin-account",
    description:
        "AWS resources (aws and aws-native) use a provider that sets allowedAccountIds, so they cannot be deployed " +
        "into an unintended account and account-scoped guardrails know their account.",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        // Provider resources are typed `pulumi:providers:aws` / `pulumi:providers:aws-native`, so this
        // also excludes the providers themselves.
        if (!args.type.startsWith("aws:") && !args.type.startsWith("aws-native:")) {
            return;
        }
        if (args.provider === undefined) {
            reportViolation(`${args.type} '${args.name}' has no provider information, so its account is unknown`);
            return;
        }
        if (!providerPinsAccount(args.provider.props)) {
            reportViolation(`${args.type} '${args.name}' uses provider '${args.provider.name}', which does not set allowedAccountIds`);
        }
    },
};
