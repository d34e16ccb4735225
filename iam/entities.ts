/**
 * The one entity view: the IAM roles, groups and users of a plan or a model, each with its
 * account, its ARN and its documents (as objects). The plan JSON's `iam` (offline/report.ts
 * `iamView`), the report, reach (analysis/organization.ts), the access matrix (outputs/matrix.ts)
 * and the organization checks read it; federation providers and Identity Center permission sets are
 * read from the planned resources, which name them.
 */

/** A policy document as an object (a parsed JSON input, or a typed `PolicyDocument`). */
export type Doc = object;

export interface IamRole {
    readonly accountId?: string;
    readonly name: string;
    readonly arn: string;
    readonly trustPolicy: Doc;
    /** Inline policies. */
    readonly policies: readonly Doc[];
    readonly managedPolicyArns: readonly string[];
    /** The `permissionsBoundary` policy ARN, when the role has one. */
    readonly permissionsBoundary?: string;
}

export interface IamGroup {
    readonly accountId?: string;
    readonly name: string;
    readonly arn: string;
    /** Inline policies. */
    readonly policies: readonly Doc[];
    readonly managedPolicyArns: readonly string[];
}

export interface IamUser {
    readonly accountId?: string;
    readonly name: string;
    readonly arn: string;
    /** Names of the groups the user is in (same account). */
    readonly groups: readonly string[];
    /** Inline policies. */
    readonly policies: readonly Doc[];
}

/** The IAM entities of a plan or a model. */
export interface IamEntities {
    readonly roles: readonly IamRole[];
    readonly groups: readonly IamGroup[];
    readonly users: readonly IamUser[];
}
