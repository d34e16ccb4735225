/**
 * Who may assume the customer role (the trust policy), and the identity policy of a group trusted
 * to assume it.
 */
import { CustomerTrust, MfaRequirement, trustsEveryMemberAccount } from "../config/customer-access";
import { Organization } from "../config/organization";
import { parseArn, userArn } from "../iam/arns";
import { assumeRolesPolicy, oneOrMany, policyDocument, PolicyDocument, PolicyStatement } from "../iam/documents";
import { exactPrincipalsStatement } from "./access-policy";

/**
 * Who must show MFA, as a Deny in the trust policy, whatever the Allow statements admit.
 *
 * `aws:MultiFactorAuthPresent` is absent from requests signed with long-term access keys, and
 * present (true or false) in requests signed with temporary credentials
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent,
 * https://repost.aws/knowledge-center/mfa-iam-user-aws-cli), so `BoolIfExists ... false` matches a
 * user's access keys (absent) and a session without MFA (false), while a plain `Bool` would let
 * access keys through. An IAM user who called `GetSessionToken` with MFA signs with temporary
 * credentials that carry true. The account root user cannot call `AssumeRole`
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html), so users and role
 * sessions are every caller there is; users are told apart by `aws:PrincipalArn` (`user/...`).
 */
function mfaDenyStatement(org: Organization, requirement: MfaRequirement): PolicyStatement {
    const withoutMfa = { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } };
    return requirement === "everyone"
        ? { Sid: "NoSessionWithoutMfa", Effect: "Deny", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: withoutMfa }
        : {
              Sid: "NoIamUserWithoutMfa",
              Effect: "Deny",
              Principal: { AWS: "*" },
              Action: "sts:AssumeRole",
              Condition: { ArnLike: { "aws:PrincipalArn": userArn("*", "*", "/", org.partition) }, ...withoutMfa },
          };
}

/**
 * The trust policy. By default any principal of the organization outside the
 * management account may assume the role (it still needs `sts:AssumeRole` in its
 * own identity policy). The statement does not grow with the number of accounts.
 * With `trust` naming accounts, principals or groups, only those may, as a union.
 * Either way a Deny refuses IAM users without MFA (everyone without MFA, with
 * `requireMfa: everyone`).
 */
export function customerTrustPolicy(org: Organization, trust: CustomerTrust): PolicyDocument {
    const statements: PolicyStatement[] = [];
    if (trustsEveryMemberAccount(trust)) {
        statements.push({
            Sid: "MemberAccountPrincipals",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "sts:AssumeRole",
            Condition: {
                StringEquals: { "aws:PrincipalOrgID": org.id },
                StringNotEquals: { "aws:PrincipalAccount": org.management.id },
            },
        });
    }
    const accountIds = [...new Set([...trust.accounts, ...trust.groups.map((g) => g.account)].map((a) => a.id))];
    if (accountIds.length > 0) {
        statements.push({
            Sid: "ChosenAccounts",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:PrincipalOrgID": org.id, "aws:PrincipalAccount": oneOrMany(accountIds) } },
        });
    }
    // Users named one by one carry the MFA condition in their own statement as well, so a reader (or a
    // statement-by-statement guardrail) sees it where they are admitted; the Deny below is what enforces it.
    const users = trust.principals.filter((arn) => parseArn(arn)?.resource.startsWith("user/"));
    const others = trust.principals.filter((arn) => !users.includes(arn));
    if (others.length > 0) {
        statements.push(
            exactPrincipalsStatement("ChosenPrincipals", others, ["sts:AssumeRole"], { StringEquals: { "aws:PrincipalOrgID": org.id } }),
        );
    }
    if (users.length > 0) {
        statements.push(
            exactPrincipalsStatement("ChosenUsersWithMfa", users, ["sts:AssumeRole"], {
                StringEquals: { "aws:PrincipalOrgID": org.id },
                Bool: { "aws:MultiFactorAuthPresent": "true" },
            }),
        );
    }
    statements.push(mfaDenyStatement(org, trust.requireMfa));
    return policyDocument(...statements);
}

/** Identity policy for a trusted IAM group: may assume exactly the customer role. */
export function customerGroupPolicy(customerRoleArn: string): PolicyDocument {
    return assumeRolesPolicy("AssumeCustomerAccessRole", [customerRoleArn]);
}
