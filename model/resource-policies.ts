/**
 * Resource policies that grant named principals of other accounts access to
 * one S3 bucket or one KMS key. Principals are exact role or user ARNs (no
 * wildcards, no account roots), so a grant never widens to a whole account.
 * The caller also needs an identity policy allowing the same actions: for a
 * cross-account request AWS requires both.
 */
import { PRINCIPAL_ARN } from "../config/patterns";
import { Partition } from "../config/partition";
import { accountRootArn, buildArn, PARTITION } from "../iam/arns";
import { oneOrMany, policyDocument, PolicyDocument, PolicyStatement } from "../iam/documents";

export type S3Access = "read" | "write";
export type KmsUse = "encrypt" | "decrypt";

export const S3_ACTIONS: Readonly<Record<S3Access, { readonly bucket: readonly string[]; readonly objects: readonly string[] }>> = {
    read: { bucket: ["s3:ListBucket", "s3:GetBucketLocation"], objects: ["s3:GetObject", "s3:GetObjectVersion"] },
    write: { bucket: ["s3:GetBucketLocation"], objects: ["s3:PutObject", "s3:AbortMultipartUpload"] },
};

export const KMS_ACTIONS: Readonly<Record<KmsUse, readonly string[]>> = {
    encrypt: ["kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"],
    decrypt: ["kms:Decrypt", "kms:DescribeKey"],
};

export interface S3Grant {
    readonly principals: readonly string[];
    readonly access: readonly S3Access[];
}

export interface KmsGrant {
    readonly principals: readonly string[];
    readonly use: readonly KmsUse[];
}

/** Throws unless every principal is an exact IAM role or user ARN. */
export function assertExactPrincipals(principals: readonly string[]): void {
    if (principals.length === 0) {
        throw new Error("a grant needs at least one principal");
    }
    for (const p of principals) {
        if (!PRINCIPAL_ARN.pattern.test(p)) {
            throw new Error(`principal ${JSON.stringify(p)} is not ${PRINCIPAL_ARN.what}`);
        }
    }
}

const bucketArn = (bucket: string, partition: Partition) =>
    buildArn({ partition, service: "s3", region: "", account: "", resource: bucket });
const sidOf = (prefix: string, i: number) => `${prefix}${i}`;

/**
 * A bucket policy: each grant's principals get bucket- and object-level
 * actions for their access; every request must use TLS.
 */
export function s3BucketPolicy(bucket: string, grants: readonly S3Grant[], partition: Partition = PARTITION): PolicyDocument {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
        throw new Error(`bucket ${JSON.stringify(bucket)} is not a valid S3 bucket name`);
    }
    const statements: PolicyStatement[] = [];
    grants.forEach((grant, i) => {
        assertExactPrincipals(grant.principals);
        if (grant.access.length === 0) {
            throw new Error(`grant ${i} names no access`);
        }
        const principal = { AWS: oneOrMany(grant.principals) };
        const bucketActions = [...new Set(grant.access.flatMap((a) => S3_ACTIONS[a].bucket))];
        const objectActions = [...new Set(grant.access.flatMap((a) => S3_ACTIONS[a].objects))];
        statements.push(
            {
                Sid: sidOf("Bucket", i),
                Effect: "Allow",
                Principal: principal,
                Action: oneOrMany(bucketActions),
                Resource: bucketArn(bucket, partition),
            },
            {
                Sid: sidOf("Objects", i),
                Effect: "Allow",
                Principal: principal,
                Action: oneOrMany(objectActions),
                Resource: `${bucketArn(bucket, partition)}/*`,
            },
        );
    });
    statements.push({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn(bucket, partition), `${bucketArn(bucket, partition)}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    return policyDocument(...statements);
}

/**
 * A key policy: the key's own account administers the key through IAM (without
 * this statement a key becomes unmanageable), and each grant's principals may
 * use it for the named operations.
 */
export function kmsKeyPolicy(keyAccountId: string, grants: readonly KmsGrant[], partition: Partition = PARTITION): PolicyDocument {
    if (!/^\d{12}$/.test(keyAccountId)) {
        throw new Error(`key account ${JSON.stringify(keyAccountId)} is not a 12-digit account id`);
    }
    const statements: PolicyStatement[] = [
        {
            Sid: "KeyAccountAdministersThroughIam",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(keyAccountId, partition) },
            Action: "kms:*",
            Resource: "*",
        },
    ];
    grants.forEach((grant, i) => {
        assertExactPrincipals(grant.principals);
        if (grant.use.length === 0) {
            throw new Error(`grant ${i} names no use`);
        }
        statements.push({
            Sid: sidOf("Use", i),
            Effect: "Allow",
            Principal: { AWS: oneOrMany(grant.principals) },
            Action: oneOrMany([...new Set(grant.use.flatMap((u) => KMS_ACTIONS[u]))]),
            Resource: "*",
        });
    });
    return policyDocument(...statements);
}
