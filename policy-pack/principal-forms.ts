// What a statement's principal block names: everyone (a wildcard), IAM users, federated identity
// providers (SAML, OIDC), accounts. Pure readers of the `Principal` / `NotPrincipal` elements and
// of the actions that go with them; whether conditions confine them is `scoping.ts`' question, and
// the verdicts the policies report are `verdicts.ts`'.

import { accountOfPrincipal, iamArn, partitionOfArn } from "./arns";
import { WILDCARD_CHARACTERS } from "./conditions";
import { PolicyStatement, PrincipalBlock, renderPrincipal } from "./documents";
import { glob, statementCoversAction } from "./wildcards";

// ------------------------------------------------------------------------------------------------
// Wildcard principals
// ------------------------------------------------------------------------------------------------

/** How an Allow statement admits (nearly) every principal. */
export interface WildcardAdmission {
    readonly element: "Principal" | "NotPrincipal";
    /** The principal block as written, for messages, e.g. `{"AWS":"*"}`. */
    readonly rendered: string;
}

/**
 * A principal block admits anyone when it is `"*"` or when any of its values contains a wildcard:
 * `{"AWS": "*"}`, `{"AWS": ["arn:...", "*"]}`, or a partial wildcard such as `arn:aws:iam::*:root`
 * (which AWS rejects, but we must not read it as "one account").
 */
export function principalHasWildcard(block: PrincipalBlock): boolean {
    if (block === "*") {
        return true;
    }
    return Object.values(block).some((values) => values.some((value) => WILDCARD_CHARACTERS.test(value)));
}

/**
 * Does this statement admit any principal? Only Allow statements can: a Deny with `*` is a
 * guardrail. `NotPrincipal` with Allow admits everyone except the listed principals, which is as
 * open as `*`, so it is treated exactly like `*` (including being scopable by an org condition).
 */
export function wildcardAdmission(statement: PolicyStatement): WildcardAdmission | undefined {
    if (statement.effect !== "Allow") {
        return undefined;
    }
    if (statement.notPrincipal !== undefined) {
        return { element: "NotPrincipal", rendered: renderPrincipal(statement.notPrincipal) };
    }
    if (statement.principal !== undefined && principalHasWildcard(statement.principal)) {
        return { element: "Principal", rendered: renderPrincipal(statement.principal) };
    }
    return undefined;
}

// ------------------------------------------------------------------------------------------------
// Principal ARNs
// ------------------------------------------------------------------------------------------------

const SAML_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:saml-provider\/.+$/;
const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider\/(.+)$/;
/** An IAM user ARN, exact or with a wildcard in the user's path or name (`user/*`). */
const IAM_USER_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:user\/.+$/;

export function principalValues(block: PrincipalBlock | undefined, principalType: string): readonly string[] {
    if (block === undefined || block === "*") {
        return [];
    }
    return block[principalType] ?? [];
}

/** IAM user ARNs named in the statement's `Principal.AWS`. */
export function iamUserPrincipals(statement: PolicyStatement): string[] {
    return principalValues(statement.principal, "AWS").filter((value) => IAM_USER_ARN.test(value));
}

/** Account principals (`:root` or a bare account ID) named in the statement's `Principal.AWS`. */
export function accountPrincipals(statement: PolicyStatement): string[] {
    return principalValues(statement.principal, "AWS").filter((value) => accountOfPrincipal(value) !== undefined);
}

/**
 * Could this `aws:PrincipalArn` value (a pattern under `ArnLike`/`StringLike`) match an IAM user?
 * Probed with a user ARN in the value's own account (or any account when it names none), so
 * `arn:aws:iam::222222222222:user/*`, `arn:aws:iam::222222222222:*` and `*` can, while
 * `arn:aws:iam::222222222222:role/*` cannot.
 */
export function principalArnPatternMatchesUsers(pattern: string): boolean {
    const account = /^arn:aws[a-z-]*:iam::([0-9]{12}):/.exec(pattern)?.[1] ?? "123456789012";
    return glob(pattern, iamArn(partitionOfArn(pattern) ?? "aws", account, "user/mfa-probe"), true);
}

// ------------------------------------------------------------------------------------------------
// Federated trust
// ------------------------------------------------------------------------------------------------

export type FederatedTrust =
    | { readonly kind: "saml"; readonly provider: string }
    /** `host` is the issuer without scheme, which is also the prefix of its condition keys. */
    | { readonly kind: "oidc"; readonly provider: string; readonly host: string | undefined };

const WEB_IDENTITY_ACTION = "sts:AssumeRoleWithWebIdentity";
const SAML_ACTION = "sts:AssumeRoleWithSAML";

/**
 * The federated identity providers an Allow statement trusts, recognised by the actions it allows
 * after wildcard expansion (`sts:AssumeRoleWith*`, `sts:*`, `*`, or a `NotAction` that leaves them
 * in), not by how the action is spelt:
 *
 * - a `saml-provider` principal with an action covering `sts:AssumeRoleWithSAML`;
 * - an `oidc-provider` principal, or any other Federated principal (`accounts.google.com`,
 *   `cognito-identity.amazonaws.com`), with an action covering `sts:AssumeRoleWithWebIdentity`;
 * - a statement naming one of those actions literally with no Federated principal at all is a
 *   trust with no provider (a malformed federated trust).
 *
 * An `oidc-provider` or `saml-provider` principal counts even if the action is not recognised
 * (a typo in the action must not hide the trust).
 */
export function federatedTrusts(statement: PolicyStatement): FederatedTrust[] {
    if (statement.effect !== "Allow") {
        return [];
    }
    const trusts: FederatedTrust[] = [];
    const webIdentity = statementCoversAction(statement, WEB_IDENTITY_ACTION);
    const saml = statementCoversAction(statement, SAML_ACTION);
    const federated = principalValues(statement.principal, "Federated");
    for (const provider of federated) {
        const oidc = OIDC_PROVIDER_ARN.exec(provider);
        if (SAML_PROVIDER_ARN.test(provider)) {
            trusts.push({ kind: "saml", provider });
        } else if (oidc !== null) {
            trusts.push({ kind: "oidc", provider, host: oidc[1] });
        } else if (webIdentity) {
            trusts.push({ kind: "oidc", provider, host: provider });
        } else if (saml) {
            trusts.push({ kind: "saml", provider });
        }
    }
    // A statement naming a federated action literally but no Federated principal is a malformed
    // federated trust, reported as such. Reached only through a wildcard (`sts:*` on an AWS
    // principal), the action does not make the statement federated.
    if (federated.length === 0) {
        const literally = (action: string) => (statement.actions ?? []).some((name) => name.toLowerCase() === action.toLowerCase());
        if (literally(SAML_ACTION)) {
            trusts.push({ kind: "saml", provider: "(no SAML provider principal)" });
        }
        if (literally(WEB_IDENTITY_ACTION)) {
            trusts.push({ kind: "oidc", provider: "(no OIDC provider principal)", host: undefined });
        }
    }
    return trusts;
}
