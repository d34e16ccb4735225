/**
 * The one entity view: the IAM roles, groups and users of a plan or a model, each with its
 * account, its ARN and its documents (as objects). The plan JSON's `iam` (offline/report.ts
 * `iamView`), the report, reach (analysis/organization.ts), the access matrix (outputs/matrix.ts)
 * and the organization checks read it; federation providers and Identity Center permission sets are
 * read from the planned resources, which name them.
 */

/** A policy document as an object (a parsed JSON input, or a typed `PolicyDocument`). */
export type Doc = object;

/** What every role, group and user has: where it is, what it is called, and its inline policies. */
export interface IamEntity {
    readonly accountId?: string;
    readonly name: string;
    readonly arn: string;
    /** Inline policies. */
    readonly policies: readonly Doc[];
}

export interface IamRole extends IamEntity {
    readonly trustPolicy: Doc;
    readonly managedPolicyArns: readonly string[];
    /** The `permissionsBoundary` policy ARN, when the role has one. */
    readonly permissionsBoundary?: string;
}

export interface IamGroup extends IamEntity {
    readonly managedPolicyArns: readonly string[];
}

export interface IamUser extends IamEntity {
    /** Names of the groups the user is in (same account). */
    readonly groups: readonly string[];
}

/** The IAM entities of a plan or a model. */
export interface IamEntities {
    readonly roles: readonly IamRole[];
    readonly groups: readonly IamGroup[];
    readonly users: readonly IamUser[];
}
