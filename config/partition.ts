/**
 * The AWS partition an organization lives in. Every ARN the program builds or
 * accepts starts `arn:<partition>:`, and an organization never spans two
 * partitions: GovCloud (US) and China accounts are separate accounts in
 * separate organizations (https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-iam.html,
 * https://docs.amazonaws.cn/aws/latest/userguide/iam.html). The endpoints that
 * differ per partition (sign-in, console, SAML audience) are in `iam/partition.ts`.
 */
import { show } from "./errors";
import { ConfigValue } from "./reader";
import { iamArn, parseArn } from "../policy-pack/arns";

export const PARTITIONS = ["aws", "aws-us-gov", "aws-cn"] as const;
export type Partition = (typeof PARTITIONS)[number];
export const DEFAULT_PARTITION: Partition = "aws";

/** Region name prefixes of each partition (us-gov-west-1, cn-north-1; every other region is `aws`). */
const REGION_PREFIX: Readonly<Record<Partition, string | undefined>> = { aws: undefined, "aws-us-gov": "us-gov-", "aws-cn": "cn-" };

export function parsePartition(value: ConfigValue): Partition {
    if (!value.present) {
        return DEFAULT_PARTITION;
    }
    const name = value.string();
    if (!(PARTITIONS as readonly string[]).includes(name)) {
        value.fail(`${show(name)} is not an AWS partition (one of ${PARTITIONS.join(", ")})`);
    }
    return name as Partition;
}

/** The partition a region belongs to. */
export function partitionOfRegion(region: string): Partition {
    for (const partition of PARTITIONS) {
        const prefix = REGION_PREFIX[partition];
        if (prefix && region.startsWith(prefix)) {
            return partition;
        }
    }
    return DEFAULT_PARTITION;
}

/** Fails unless `region` (already a well-formed region) is in `partition`. */
export function checkRegionPartition(value: ConfigValue, region: string, partition: Partition): string {
    const actual = partitionOfRegion(region);
    if (actual !== partition) {
        value.fail(`${show(region)} is a region of partition ${actual}, but org-access:organization.partition is ${partition}`);
    }
    return region;
}

/**
 * Fails unless `arn` (already matched against its shape) is in `partition`: an
 * ARN of another partition names nothing this organization can reach.
 */
export function checkArnPartition(value: ConfigValue, arn: string, partition: Partition): string {
    const actual = parseArn(arn)?.partition;
    if (actual !== partition) {
        value.fail(`${show(arn)} is an ARN of partition ${actual}, but org-access:organization.partition is ${partition}`);
    }
    return arn;
}

/** An AWS managed policy's ARN in the partition: `arn:<partition>:iam::aws:policy/<name>`. */
export function awsManagedPolicyArn(partition: Partition, name: string): string {
    return iamArn(partition, "aws", `policy/${name}`);
}

/** One ARN of a given shape, in the organization's partition. */
export function arnIn(value: ConfigValue, shape: { readonly pattern: RegExp; readonly what: string }, partition: Partition): string {
    return checkArnPartition(value, value.string(shape.pattern, shape.what), partition);
}

/** A list of ARNs of a given shape, no repeats, each in the organization's partition. */
export function arnsIn(value: ConfigValue, shape: { readonly pattern: RegExp; readonly what: string }, partition: Partition): string[] {
    const arns = value.stringList(shape.pattern, shape.what);
    arns.forEach((arn, i) => checkArnPartition(new ConfigValue(`${value.key}[${i}]`, arn), arn, partition));
    return arns;
}
