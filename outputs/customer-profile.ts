import { CustomerAccess } from "../config/customer-access";
import { CliProfile } from "./console";
import { CHAINED_SESSION_MAX_SECONDS, sessionName } from "./session-names";

/** The profile name of the customer role in `~/.aws/config`. */
export const CUSTOMER_PROFILE_NAME = "customer-access";

/**
 * The customer role's `~/.aws/config` profile, complete: it chains from `customerAccess.sourceProfile`
 * (default `default`: the profile of the user's member-account credentials), names its region, and
 * a session name STS accepts (outputs/session-names.ts). The duration is at most one hour, because
 * the source is often itself a role session, and STS refuses longer chained sessions; a user whose
 * source profile holds IAM user keys may raise it up to the role's maxSessionDuration.
 */
export function customerAccessProfile(roleArn: string, access: CustomerAccess): CliProfile {
    return {
        name: CUSTOMER_PROFILE_NAME,
        settings: [
            ["role_arn", roleArn],
            ["source_profile", access.sourceProfile],
            ["role_session_name", sessionName(CUSTOMER_PROFILE_NAME)],
            ["duration_seconds", String(Math.min(access.maxSessionDuration, CHAINED_SESSION_MAX_SECONDS))],
            ["region", access.region],
        ],
    };
}
