/**
 * AWS managed policy documents by ARN, from the maintained data package that
 * config checks the ARNs against (config/managed-policies.ts, which reads it).
 * Reach needs a handful of policies, so this parses only the entries asked for;
 * each parsed entry is checked against the ARN asked for, and if the layout ever
 * changes the whole file is parsed instead, so a format change costs memory,
 * never correctness.
 */
import { isAwsManagedPolicyArn, ManagedPolicyData } from "../config/managed-policies";
import { buildArn, parseArn } from "../iam/arns";

export { isAwsManagedPolicyArn, managedPolicyPackageVersion } from "../config/managed-policies";

interface PackagedPolicy {
    readonly arn: string;
    readonly latestVersionId: string;
    readonly versions: Readonly<Record<string, { readonly document: object }>>;
    readonly lastUpdatedDate?: string;
}

const NAME = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

const cache = new Map<string, object | undefined>();

function latestDocument(entry: PackagedPolicy | undefined, arn: string): object | undefined {
    // The package lists each policy under its `arn:aws:` ARN; the same policy is `arn:aws-us-gov:` / `arn:aws-cn:` there.
    const withoutPartition = (a: string) => {
        const parts = parseArn(a);
        return parts && buildArn({ ...parts, partition: "" });
    };
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
        const data = new ManagedPolicyData();
        try {
            let whole: Record<string, PackagedPolicy> | undefined;
            for (const arn of missing) {
                const name = NAME.exec(arn)?.[1] ?? "";
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

/** One AWS managed policy's current document. */
export function managedPolicyDocument(arn: string): object | undefined {
    return managedPolicyDocuments([arn]).get(arn);
}
