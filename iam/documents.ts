/**
 * Narrow, typed IAM policy documents. Everything here is plain data (no
 * Outputs), so documents can be serialised at preview, diffed in review and
 * fed to an IAM simulator in tests.
 */
import { countNonWhitespaceCharacters } from "../policy-pack/documents";

/** The one size counter (AWS counts characters other than white space), the pack's. */
export { countNonWhitespaceCharacters };
export type OneOrMany<T> = T | readonly T[];

export type ConditionValue = string | boolean | number;
/** `{ operator: { key: value | [values] } }` */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, OneOrMany<ConditionValue>>>>>;

export type Principal = "*" | Readonly<{ AWS?: OneOrMany<string>; Service?: OneOrMany<string>; Federated?: OneOrMany<string> }>;

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: Principal;
    readonly NotPrincipal?: Principal;
    readonly Action?: OneOrMany<string>;
    readonly NotAction?: OneOrMany<string>;
    readonly Resource?: OneOrMany<string>;
    readonly NotResource?: OneOrMany<string>;
    readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** Collapses a one-element list to its element, as AWS prints it, to save policy characters. */
export function oneOrMany<T>(values: readonly T[]): OneOrMany<T> {
    return values.length === 1 ? values[0] : values;
}

/** Size as AWS counts it against its quotas: characters other than white space, counted as the pack counts them. */
export function policySize(doc: PolicyDocument): number {
    return countNonWhitespaceCharacters(JSON.stringify(doc));
}

/** Identity policy: may assume exactly these roles. */
export function assumeRolesPolicy(
    sid: string,
    roleArns: readonly string[],
    actions: readonly string[] = ["sts:AssumeRole"],
): PolicyDocument {
    return policyDocument({ Sid: sid, Effect: "Allow", Action: oneOrMany(actions), Resource: oneOrMany(roleArns) });
}

/**
 * The one reader of untyped policy documents (a plan's JSON inputs, documents
 * from outside) is the policy pack's: the program reads them exactly as the
 * guardrails judge them. The pack imports nothing of the program.
 */
export { isRecord, statementsOf, valuesOf } from "../policy-pack/documents";
export type { ReadStatement } from "../policy-pack/documents";
/** The one matcher for IAM's wildcards (actions without case, ARNs and values with it), the pack's. */
export { glob, statementCoversAction } from "../policy-pack/wildcards";
