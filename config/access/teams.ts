import { ConfigError, show } from "../errors";
import { Account } from "../organization";
import { IAM_GROUP_NAME, IAM_NAME, ROLE_SESSION_SECONDS } from "../patterns";
import { assertUnique, ConfigValue } from "../reader";
import { checkIdentityCenterSessionName } from "../session-names";
import { Identity, IdentityCenterSpec, OidcTrust, Team } from "./types";

export function parseTeam(value: ConfigValue, identity: Identity, ic: IdentityCenterSpec | undefined, access: Account): Team {
    const t = value.object(["name", "groups", "saml", "oidc", "identityCenter", "maxSessionDuration", "breakGlass"]);
    const nameValue = t.required("name");
    const name = nameValue.string(IAM_NAME.pattern, IAM_NAME.what);
    const groups =
        t.optional("groups", (g) => {
            const names = g.stringList(IAM_GROUP_NAME.pattern, IAM_GROUP_NAME.what);
            names.forEach((n, i) => {
                if (!identity.groups.includes(n)) {
                    throw new ConfigError(
                        `${g.key}[${i}]`,
                        `unknown group ${show(n)} (a group exists when a user in org-access:identity.users is in it, or org-access:identity.groups lists it)`,
                    );
                }
            });
            return names;
        }) ?? [];
    const saml =
        t.optional("saml", (s) => {
            const names = s.stringList();
            names.forEach((n, i) => {
                if (!identity.saml.some((p) => p.name === n)) {
                    throw new ConfigError(`${s.key}[${i}]`, `unknown SAML provider ${show(n)} (not in org-access:identity.saml)`);
                }
            });
            return names;
        }) ?? [];
    const oidc =
        t.optional("oidc", (list) => {
            const trusts = list.array().map((item) => parseOidcTrust(item, identity));
            assertUnique(list, trusts, (x) => x.provider, "OIDC provider");
            return trusts;
        }) ?? [];
    const identityCenter =
        t.optional("identityCenter", (s) => {
            const names = s.stringList();
            names.forEach((n, i) => {
                const at = new ConfigValue(`${s.key}[${i}]`, n);
                if (!ic) {
                    throw new ConfigError(at.key, `names permission set ${show(n)}, but org-access:identityCenter is not set`);
                }
                if (!ic.permissionSets.some((p) => p.name === n)) {
                    at.fail(`unknown permission set ${show(n)} (not in org-access:identityCenter.permissionSets)`);
                }
                if (!ic.assignments.some((a) => a.permissionSet === n && a.accounts.some((x) => x.id === access.id))) {
                    at.fail(`permission set ${show(n)} is not assigned to the access account, so it has no role there to trust`);
                }
            });
            return names;
        }) ?? [];
    if (identityCenter.length > 0) {
        checkIdentityCenterSessionName(nameValue.key, name);
    }
    if (groups.length + saml.length + oidc.length + identityCenter.length === 0) {
        value.fail(`team ${show(name)} admits nobody: give it groups, saml, oidc or identityCenter`);
    }
    const breakGlass = t.optional("breakGlass", (b) => b.boolean()) ?? false;
    if (breakGlass) {
        // Break-glass must work when the IdP or Identity Center does not, and must not depend on them.
        for (const [key, count] of [
            ["saml", saml.length],
            ["oidc", oidc.length],
            ["identityCenter", identityCenter.length],
        ] as const) {
            if (count > 0) {
                t.field(key).fail(
                    `is set on break-glass team ${show(name)}; a break-glass team admits IAM users (groups) only, independent of the IdP and of Identity Center`,
                );
            }
        }
    }
    const maxSessionDuration =
        t.optional("maxSessionDuration", (m) => m.integer(ROLE_SESSION_SECONDS.min, ROLE_SESSION_SECONDS.max)) ?? ROLE_SESSION_SECONDS.min;
    return { name, groups, saml, oidc, identityCenter, maxSessionDuration, breakGlass };
}

function parseOidcTrust(value: ConfigValue, identity: Identity): OidcTrust {
    const o = value.object(["provider", "subjects"]);
    const provider = o.required("provider").string();
    if (!identity.oidc.some((p) => p.name === provider)) {
        o.field("provider").fail(`unknown OIDC provider ${show(provider)} (not in org-access:identity.oidc)`);
    }
    const subjectsValue = o.required("subjects");
    const subjects = subjectsValue.stringList();
    if (subjects.length === 0) {
        subjectsValue.fail("needs at least one subject");
    }
    subjects.forEach((s, i) => checkSubject(new ConfigValue(`${subjectsValue.key}[${i}]`, s)));
    return { provider, subjects };
}

/**
 * A subject must name its repository (or, for other IdPs, its first two
 * `:`-separated parts) exactly: wildcards may appear only after the second `:`,
 * as in `repo:acme/infra:environment:*`.
 */
export function checkSubject(value: ConfigValue): void {
    const subject = value.string();
    if (/^[*?:]*$/.test(subject)) {
        value.fail(`${show(subject)} is a bare wildcard; name the repository and the ref, environment or event`);
    }
    const parts = subject.split(":");
    const fixed = parts.slice(0, 2).join(":");
    if (/[*?]/.test(fixed)) {
        value.fail(`${show(subject)} has a wildcard in ${show(fixed)}; the repository and its owner must be exact`);
    }
    if (parts.length < 3 || parts.slice(2).join(":").length === 0) {
        value.fail(`${show(subject)} names no ref, environment or event after ${show(fixed + ":")}`);
    }
}
