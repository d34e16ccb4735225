/** Sign-in helpers people use after a role exists: console URL and CLI profile. */

/** The console "Switch Role" link for a role. */
export function switchRoleUrl(accountId: string, roleName: string, displayName: string): string {
    const query = new URLSearchParams({ roleName, account: accountId, displayName });
    return `https://signin.aws.amazon.com/switchrole?${query.toString()}`;
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
