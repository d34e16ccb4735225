/** Shapes of the access stack's identifiers, with the words used in error messages. */
export const DEFAULT_MFA_MAX_AGE_SECONDS = 14400;
/** A break-glass team's bound on `aws:MultiFactorAuthAge`: a sign-in with the hardware device in the last 15 minutes. */
export const BREAK_GLASS_MFA_MAX_AGE_SECONDS = 900;
/** The AWS managed policy the preview role holds, by name: its ARN depends on the partition (`awsManagedPolicyArn`). */
export const READ_ONLY_ACCESS = "ReadOnlyAccess";

export const SAML_NAME = { pattern: /^[\w.-]{1,128}$/, what: "a SAML provider name (1-128 of A-Z a-z 0-9 . _ -)" } as const;
export const OIDC_URL = {
    pattern: /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[\w.~-]+)*$/,
    what: "an https issuer URL with no trailing slash",
} as const;
export const CLIENT_ID = { pattern: /^[^\s*]{1,255}$/, what: "an OIDC client id (audience) without wildcards" } as const;
export const THUMBPRINT = { pattern: /^[0-9a-fA-F]{40}$/, what: "a 40-hex-digit certificate thumbprint" } as const;
export const MANAGED_POLICY_ARN = {
    pattern: /^arn:aws(-us-gov|-cn)?:iam::(aws|\d{12}):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/,
    what: "a managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<12 digits>:policy/<name>)",
} as const;
export const EXTERNAL_ID = { pattern: /^[\w+=,.@:/-]{2,1224}$/, what: "an external id (2-1224 of A-Z a-z 0-9 +=,.@:/_-)" } as const;
export const INSTANCE_ARN = {
    pattern: /^arn:aws(-us-gov|-cn)?:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/,
    what: "an Identity Center instance ARN (arn:aws:sso:::instance/ssoins-<16>)",
} as const;
export const START_URL = { pattern: /^https:\/\/[\w.-]+(\/[\w.-]+)*\/?$/, what: "an https start URL" } as const;
export const SESSION_DURATION = { pattern: /^PT([1-9]|1[0-2])H$/, what: "an ISO 8601 duration from PT1H to PT12H" } as const;
export const STORE_GROUP_ID = {
    pattern: /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
    what: "an identity store group id",
} as const;
/** https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_GetGroupId.html (IdentityStoreId); the `d-` form is what the console shows. */
export const IDENTITY_STORE_ID = { pattern: /^d-[0-9a-f]{10}$/, what: "an identity store id (d- and 10 hex digits)" } as const;
/** Identity store display names: 1-1024 characters, no line breaks. */
export const GROUP_DISPLAY_NAME = { pattern: /^[^\n\r]{1,1024}$/, what: "a group display name (one line, 1-1024 characters)" } as const;
export const PERMISSION_SET_NAME = { pattern: /^[\w+=,.@-]{1,32}$/, what: "a permission set name (1-32 of A-Z a-z 0-9 +=,.@_-)" } as const;
export const REPOSITORY = { pattern: /^[A-Za-z0-9-]+\/[\w.-]+$/, what: "a GitHub repository (owner/name, no wildcards)" } as const;
/** What UserLoginProfile accepts: `keybase:<username>` or a base64-encoded PGP public key. */
export const PGP_KEY = {
    pattern: /^(keybase:[A-Za-z0-9_]{2,16}|[A-Za-z0-9+/=\s]{64,})$/,
    what: 'a PGP key ("keybase:<username>" or a base64-encoded public key)',
} as const;
export const UTC_TIME = { pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, what: "a UTC time (YYYY-MM-DDTHH:MM:SSZ)" } as const;
