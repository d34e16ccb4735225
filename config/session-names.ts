import { ConfigError } from "./errors";

/**
 * Every STS role session name the program makes, checked before anything is registered. STS's
 * `RoleSessionName` is 2-64 characters matching `[\w+=,.@-]*`
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html, Request Parameters,
 * RoleSessionName; the same for AssumeRoleWithWebIdentity and AssumeRoleWithSAML): a longer name or
 * another character fails every `pulumi up` (or every profile) at its first AssumeRole.
 */
export const STS_SESSION_NAME = {
    pattern: /^[\w+=,.@-]{2,64}$/,
    source: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
    what: "an STS role session name (2-64 of A-Z a-z 0-9 +=,.@_-)",
} as const;

/** Why `name` is not a session name STS accepts, or undefined when it is. */
export function sessionNameProblem(name: string): string | undefined {
    if (name.length < 2 || name.length > 64) {
        return `is ${name.length} characters; STS accepts 2-64 (${STS_SESSION_NAME.source})`;
    }
    const bad = [...new Set(name.replace(/[\w+=,.@-]/g, ""))];
    return bad.length > 0
        ? `has ${bad.map((c) => JSON.stringify(c)).join(", ")}, outside STS's [\\w+=,.@-] (${STS_SESSION_NAME.source})`
        : undefined;
}

/** Throws a one-line ConfigError naming `key` when `name` is not a session name STS accepts. */
export function checkSessionName(key: string, name: string, what: string): string {
    const problem = sessionNameProblem(name);
    if (problem !== undefined) {
        throw new ConfigError(key, `${what} ${JSON.stringify(name)} ${problem}`);
    }
    return name;
}

/**
 * The session name every provider uses when it assumes the deploy role: `org-access-<stack>`,
 * so CloudTrail shows which stack deployed. Pulumi allows stack names STS does not (up to 100
 * characters), so it is checked, naming the stack.
 */
export function deploySessionName(stack: string): string {
    return checkSessionName("pulumi:stack", `org-access-${stack}`, `stack ${JSON.stringify(stack)}: the deploy role session name`);
}

/**
 * The session name of the generated Identity Center profiles that chain into a team role
 * (`sso-<team>`; outputs/profiles.ts). Team names may be 64 characters, so it is checked on the team's name.
 */
export const identityCenterSessionName = (team: string): string => `sso-${team}`;

/** Checks `identityCenterSessionName(team)`, naming the team's `name` key. */
export function checkIdentityCenterSessionName(nameKey: string, team: string): string {
    return checkSessionName(
        nameKey,
        identityCenterSessionName(team),
        `team ${JSON.stringify(team)}: the Identity Center profiles' role session name`,
    );
}

/** A session name the stack's own `aws:assumeRoleWithWebIdentity` asks every provider to use, if any. */
export function checkProviderSessionNames(values: Readonly<Record<string, unknown>>): void {
    const web = values.assumeRoleWithWebIdentity;
    if (typeof web === "object" && web !== null && typeof (web as { sessionName?: unknown }).sessionName === "string") {
        checkSessionName("aws:assumeRoleWithWebIdentity.sessionName", (web as { sessionName: string }).sessionName, "the session name");
    }
}
