import { ROLE_SESSION_SECONDS } from "../config/patterns";
import { STS_SESSION_NAME } from "../config/session-names";
/**
 * `role_session_name` for generated profiles, and the session lengths STS grants.
 *
 * STS accepts a session name of 2-64 characters of `[\w+=,.@-]`
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html, RoleSessionName), and
 * the AWS CLI and SDKs read `role_session_name` literally: no environment variables. So the scheme is:
 * - IAM users: the user's name, which IAM already constrains to `[\w+=,.@-]{1,64}` (one character is
 *   padded: `u-x`);
 * - profiles shared by many people (the customer role, Identity Center chains): a fixed name for the
 *   path (`customer-access`, `sso-<team>`). Who it was is in CloudTrail's `AssumeRole` event, whose
 *   `userIdentity` is the caller's own identity; a person may replace the name with their own.
 */
export const SESSION_NAME = STS_SESSION_NAME.pattern;

/** A session name STS accepts, from any label. */
export function sessionName(label: string): string {
    const cleaned = label.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
    return cleaned.length >= 2 ? cleaned : `u-${cleaned}`;
}

/**
 * Role chaining (a role session assuming a role) is capped at one hour by STS, whatever the role's
 * maxSessionDuration: "Role chaining limits your AWS CLI or AWS API role session to a maximum of one
 * hour" (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html).
 */
export const CHAINED_SESSION_MAX_SECONDS = ROLE_SESSION_SECONDS.min;
