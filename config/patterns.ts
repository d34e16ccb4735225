/** Shapes of identifiers AWS accepts, with the words used in error messages. */
export const ACCOUNT_ID = { pattern: /^\d{12}$/, what: "a 12-digit account id" } as const;
export const ORGANIZATION_ID = { pattern: /^o-[a-z0-9]{10,32}$/, what: "an organization id (o-xxxxxxxxxx)" } as const;
/**
 * AWS Organizations root and OU ids, as its API validates them
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Root.html,
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html).
 */
export const ROOT_ID = { pattern: /^r-[0-9a-z]{4,32}$/, what: "an organization root id (r-xxxx)" } as const;
export const ORGANIZATIONAL_UNIT_ID = {
    pattern: /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/,
    what: "an organizational unit id (ou-xxxx-xxxxxxxx)",
} as const;
/** IAM role and user names: 1-64 of letters, digits and `+=,.@_-`. */
export const IAM_NAME = { pattern: /^[\w+=,.@-]{1,64}$/, what: "an IAM name (1-64 of A-Z a-z 0-9 +=,.@_-)" } as const;
/** IAM group names may be up to 128 characters. */
export const IAM_GROUP_NAME = { pattern: /^[\w+=,.@-]{1,128}$/, what: "an IAM group name (1-128 of A-Z a-z 0-9 +=,.@_-)" } as const;
/** Account names double as stable Pulumi resource-name keys. */
export const ACCOUNT_NAME = {
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/,
    what: "an account name (letters, digits, _ and -, at most 50)",
} as const;
/** An exact IAM role or user ARN: no wildcards, optional path. */
export const PRINCIPAL_ARN = {
    pattern: /^arn:aws(-us-gov|-cn)?:iam::\d{12}:(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
    what: "an exact IAM role or user ARN (arn:aws:iam::<12 digits>:role/<name> or :user/<name>)",
} as const;

/** The reserved name of the management account wherever config takes an account name. */
export const MANAGEMENT_ACCOUNT_NAME = "management";

/**
 * A role's maximum session length in seconds, as IAM bounds `MaxSessionDuration`.
 * The minimum is also what STS grants a role-chained session at most, whatever
 * the role allows (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining).
 */
export const ROLE_SESSION_SECONDS = { min: 3600, max: 43200 } as const;

/** The CI preview role's name: `OrgAccessPreview` in every member account and in the management account. */
export const PREVIEW_ROLE_NAME = "OrgAccessPreview";
/** The access account's team role for CI previews. */
export const PREVIEW_TEAM_NAME = "org-access-preview";
