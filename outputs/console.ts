/** Sign-in helpers people use after a role exists: console URL and CLI profile. */
import { Partition } from "../config/partition";
import { endpointsOf } from "../iam/partition";

/** The console "Switch Role" link for a role, on the sign-in endpoint of the role's partition (iam/partition.ts). */
export function switchRoleUrl(accountId: string, roleName: string, displayName: string, partition: Partition = "aws"): string {
    const query = new URLSearchParams({ roleName, account: accountId, displayName });
    return `https://${endpointsOf(partition).signinHost}/switchrole?${query.toString()}`;
}

export interface CliProfile {
    /** Profile name, `[profile <name>]`. */
    readonly name: string;
    /** Ordered `key = value` settings. */
    readonly settings: readonly (readonly [string, string])[];
}

/** Renders profiles as `~/.aws/config` text. */
export function renderAwsConfig(profiles: readonly CliProfile[]): string {
    return profiles
        .map((p) => [`[profile ${p.name}]`, ...p.settings.map(([k, v]) => `${k} = ${v}`)].join("\n"))
        .join("\n\n")
        .concat("\n");
}
