/**
 * The one ARN vocabulary: parsing and building `arn:<partition>:<service>:<region>:<account>:<resource>`
 * in any partition (`aws`, `aws-us-gov`, `aws-cn`). It lives in the pack because the pack imports
 * nothing of the program; the program's builders (iam/arns.ts) are built on it and re-export it.
 * ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */

/** The parts of an ARN; `resource` keeps any `:` or `/` it holds. */
export interface Arn {
    readonly partition: string;
    readonly service: string;
    readonly region: string;
    readonly account: string;
    readonly resource: string;
}

/** The parts of an ARN, or undefined for a value that is not one (fewer than six `:`-separated fields). */
export function parseArn(text: string): Arn | undefined {
    const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/s.exec(text);
    return m ? { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] } : undefined;
}

export function buildArn(arn: Arn): string {
    return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`;
}

/** An IAM ARN (`arn:<partition>:iam::<account>:<resource>`): roles, users, groups, providers, policies, an account root. */
export function iamArn(partition: string, account: string, resource: string): string {
    return buildArn({ partition, service: "iam", region: "", account, resource });
}

const IAM_OR_STS_ACCOUNT = /^arn:aws[a-z-]*:(?:iam|sts)::([0-9]{12}):/;

/** The account an IAM or STS ARN belongs to (`arn:<partition>:iam::<account>:…`), or undefined when it has none. */
export function accountOfArn(arn: string): string | undefined {
    return IAM_OR_STS_ACCOUNT.exec(arn)?.[1];
}

/** The partition of an ARN (`aws`, `aws-us-gov`, `aws-cn`), or undefined for something that is not an AWS ARN. */
export function partitionOfArn(arn: string): string | undefined {
    return /^arn:(aws[a-z-]*):/.exec(arn)?.[1];
}

const ACCOUNT_ROOT = /^arn:aws[a-z-]*:iam::([0-9]{12}):root$/;

/** The account an account principal names (`arn:<partition>:iam::<id>:root` or the bare id), if it is one. */
export function accountOfPrincipal(principal: string): string | undefined {
    return ACCOUNT_ROOT.exec(principal)?.[1] ?? (/^[0-9]{12}$/.test(principal) ? principal : undefined);
}
