/**
 * The customer role's trusted principals, against what the organization has.
 * `customerAccess.trust.principals` names IAM roles and users by ARN, inside an
 * `aws:PrincipalArn` condition, so IAM accepts any name there: a typo deploys,
 * and the role then trusts nobody, or whoever later takes the name. The account
 * is checked where the list is read (config/customer-access.ts); here, once the
 * whole config is read, the name: a principal must be one that this project
 * creates (a team role, a member role, an IAM user, the preview roles) or one
 * that `organization.externalPrincipals` declares. The organization plan
 * checks the same over the planned documents (offline/organization-checks.ts);
 * this makes a single-stack plan, and `pulumi preview`, refuse it too.
 */
import { ConfigError, show } from "./errors";
import { nearest } from "./nearest";
import { plannedRoles } from "./role-names";
import type { StackConfig } from "./stack";
import { iamArn, parseArn } from "../policy-pack/arns";

/** Role and user ARNs this project's config creates or declares, in the organization's partition. */
export function knownPrincipalArns(config: StackConfig): string[] {
    const org = config.organization;
    const arn = (accountId: string, kind: "role" | "user", name: string) => iamArn(org.partition, accountId, `${kind}/${name}`);
    const roles = plannedRoles(config).map((r) => arn(r.accountId, "role", r.name));
    const access = config.access;
    const users = access ? access.identity.users.map((u) => arn(access.account.id, "user", u.name)) : [];
    return [...new Set([...roles, ...users, ...org.externalPrincipals])];
}

/** Throws on the first trusted principal that nothing in the config creates or declares. */
export function checkCustomerPrincipals(config: StackConfig): void {
    const principals = config.customerAccess?.trust?.principals ?? [];
    if (principals.length === 0) {
        return;
    }
    const known = knownPrincipalArns(config);
    principals.forEach((principal, i) => {
        // Exact: the trust compares aws:PrincipalArn with the name as IAM holds it, case included.
        if (known.includes(principal)) {
            return;
        }
        const account = parseArn(principal)?.account;
        const near = nearest(
            principal,
            known.filter((k) => parseArn(k)?.account === account),
        );
        throw new ConfigError(
            `org-access:customerAccess.trust.principals[${i}]`,
            `${show(principal)} is no role or user this project creates, nor in org-access:organization.externalPrincipals${near ? ` (did you mean ${show(near)}?)` : ""}`,
        );
    });
}
