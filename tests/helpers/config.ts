/** Builders for the flat config map Pulumi hands a program, from plain objects. */
export const ORG_ID = "o-a1b2c3d4e5";
export const MANAGEMENT = "111111111111";
export const ACCESS = "222222222222";
export const LOG_ARCHIVE = "333333333333";
export const PROD = "444444444444";
export const DEV = "555555555555";
/** An account in another organization. */
export const OUTSIDER = "999999999999";
export const OUTSIDER_ORG = "o-zzzzzzzzzz";

export function organization(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        id: ORG_ID,
        managementAccountId: MANAGEMENT,
        accounts: [
            { name: "access", id: ACCESS },
            { name: "log-archive", id: LOG_ARCHIVE },
            { name: "prod", id: PROD },
            { name: "dev", id: DEV },
        ],
        ...overrides,
    };
}

/** `{ organization: {...}, customerAccess: {...} }` → `{ "org-access:organization": "<json>", ... }` */
export function flatConfig(values: Record<string, unknown>, region = "us-east-1"): Record<string, string> {
    const flat: Record<string, string> = { "aws:region": region };
    for (const [key, value] of Object.entries(values)) {
        if (value !== undefined) {
            flat[`org-access:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return flat;
}
