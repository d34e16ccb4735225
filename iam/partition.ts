/**
 * What differs between AWS partitions besides the `arn:<partition>:` prefix:
 * the sign-in endpoint (console switch-role links, the SAML audience) and the
 * console domain. Service principals (`<service>.amazonaws.com`) and Identity
 * Center's reserved-role path (`aws-reserved/sso.amazonaws.com`) are the same in
 * all three partitions, so they are not here.
 *
 * Sources:
 * - aws: `signin.aws.amazon.com`; SAML relying party and audience `https://signin.aws.amazon.com/saml`
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-role-saml-IdP-tasks.html,
 *   https://docs.aws.amazon.com/general/latest/gr/signin-service.html).
 * - aws-us-gov: the AWS Management Console for AWS GovCloud (US) signs in at `signin.amazonaws-us-gov.com`
 *   (https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-iam.html); the console is
 *   `console.amazonaws-us-gov.com`, and SAML assertions are posted to `https://signin.amazonaws-us-gov.com/saml`.
 * - aws-cn: the China Regions' IAM guide names `https://signin.amazonaws.cn/saml` as the SAML endpoint
 *   (https://docs.amazonaws.cn/en_us/IAM/latest/UserGuide/id_roles_providers_create_saml_relying-party.html);
 *   the console is `console.amazonaws.cn`.
 * - Service principals keep the global form `<service>.amazonaws.com` in aws, aws-us-gov and aws-cn
 *   (https://www.pulumi.com/registry/packages/aws/api-docs/getserviceprincipal: "Service Principal Names should
 *   always end in the standard global format"; only ISO partitions differ).
 */
import { Partition } from "../config/partition";

export interface PartitionEndpoints {
    /** Host of the sign-in endpoint: switch-role links, SAML federation. */
    readonly signinHost: string;
    /** Host of the AWS Management Console. */
    readonly consoleHost: string;
    /** `SAML:aud` of a SAML assertion for the console or the API: the sign-in endpoint's `/saml`. */
    readonly samlAudience: string;
}

export const PARTITION_ENDPOINTS: Readonly<Record<Partition, PartitionEndpoints>> = {
    aws: {
        signinHost: "signin.aws.amazon.com",
        consoleHost: "console.aws.amazon.com",
        samlAudience: "https://signin.aws.amazon.com/saml",
    },
    "aws-us-gov": {
        signinHost: "signin.amazonaws-us-gov.com",
        consoleHost: "console.amazonaws-us-gov.com",
        samlAudience: "https://signin.amazonaws-us-gov.com/saml",
    },
    "aws-cn": {
        signinHost: "signin.amazonaws.cn",
        consoleHost: "console.amazonaws.cn",
        samlAudience: "https://signin.amazonaws.cn/saml",
    },
};

export function endpointsOf(partition: Partition): PartitionEndpoints {
    return PARTITION_ENDPOINTS[partition];
}
