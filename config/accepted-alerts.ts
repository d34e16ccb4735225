/**
 * Alerts a reviewer has confirmed as deliberate (`org-access:acceptedAlerts`).
 * Reach (analysis/reach.ts) alerts on paths that should alarm a reviewer: into
 * the management account from OIDC or a member-account role, and into roles an
 * entry was not granted. Some are the design (a CI role that must reach the
 * management account); listing one here, with why, keeps it out of the alert
 * count and out of `npm run plan -- --strict`'s exit code, and keeps the reason
 * in review. The program itself ignores this key; it is validated with the rest.
 */
import { PRINCIPAL_ARN } from "./patterns";
import { ConfigValue } from "./reader";

export interface AcceptedAlert {
    /** The role the alerted path ends in, by ARN. */
    readonly to: string;
    /** The entry identity (`user:alice`, `saml:okta`, `oidc:<host>:<sub>`, `role:<ARN>`, ...); absent: every entry. */
    readonly from?: string;
    /** Why the path is deliberate: shown in the plan. */
    readonly reason: string;
}

export function parseAcceptedAlerts(value: ConfigValue): AcceptedAlert[] {
    if (!value.present) {
        return [];
    }
    return value.array().map((item): AcceptedAlert => {
        const o = item.object(["to", "from", "reason"]);
        return {
            to: o.required("to").string(PRINCIPAL_ARN.pattern, "a role ARN (the alerted path's last role)"),
            from: o.optional("from", (f) =>
                f.string(
                    /^(user|saml|oidc|identity-center|role):\S+$/,
                    "an entry identity as the plan prints it (user:<name>, saml:<provider>, oidc:<host>:<sub>, identity-center:<set>, role:<ARN>)",
                ),
            ),
            reason: o.required("reason").string(/^[^\n]{3,500}$/, "one line saying why the path is deliberate"),
        };
    });
}

/** Does `accepted` cover the alert from `from` into `to`? */
export function isAccepted(accepted: readonly AcceptedAlert[], alert: { readonly from: string; readonly to: string }): boolean {
    return accepted.some((a) => a.to === alert.to && (a.from === undefined || a.from === alert.from));
}
