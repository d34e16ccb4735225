import { expect } from "chai";
import { kmsKeyPolicy, s3BucketPolicy } from "../../model/resource-policies";
import { LOG_ARCHIVE, ORG_ID, OUTSIDER, OUTSIDER_ORG, PROD } from "../helpers/config";
import { Caller, decide } from "../helpers/simulate";

const READER = `arn:aws:iam::${PROD}:role/Reporting`;
const WRITER = `arn:aws:iam::${PROD}:role/Shipper`;
const BUCKET = "acme-reports";
const allowAll = (action: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });
const caller = (arn: string, action: string, orgId = ORG_ID): Caller => ({
    arn,
    orgId,
    identityPolicies: [allowAll(action)],
    context: { "aws:SecureTransport": "true" },
});

describe("cross-account resource policies", () => {
    describe("S3 bucket policy", () => {
        const policy = s3BucketPolicy(BUCKET, [
            { principals: [READER], access: ["read"] },
            { principals: [WRITER], access: ["write"] },
        ]);
        const s3 = (who: Caller, action: string, key = "r/2024.csv") =>
            decide({
                caller: who,
                action,
                resourceArn: `arn:aws:s3:::${BUCKET}/${key}`,
                resourceAccount: LOG_ARCHIVE,
                resourcePolicy: policy,
            });

        it("lets the named reader read and not write, and the named writer write and not read", async () => {
            expect(await s3(caller(READER, "s3:GetObject"), "s3:GetObject")).to.equal("Allowed");
            expect(await s3(caller(READER, "s3:PutObject"), "s3:PutObject")).to.equal("ImplicitlyDenied");
            expect(await s3(caller(WRITER, "s3:PutObject"), "s3:PutObject")).to.equal("Allowed");
            expect(await s3(caller(WRITER, "s3:GetObject"), "s3:GetObject")).to.equal("ImplicitlyDenied");
        });

        it("needs the caller's own identity policy too (cross-account)", async () => {
            expect(await s3({ ...caller(READER, "s3:GetObject"), identityPolicies: [] }, "s3:GetObject")).to.equal("ImplicitlyDenied");
        });

        it("admits no other principal of the same account, nor a same-named role elsewhere", async () => {
            expect(await s3(caller(`arn:aws:iam::${PROD}:role/Other`, "s3:GetObject"), "s3:GetObject")).to.equal("ImplicitlyDenied");
            expect(await s3(caller(`arn:aws:iam::${OUTSIDER}:role/Reporting`, "s3:GetObject", OUTSIDER_ORG), "s3:GetObject")).to.equal(
                "ImplicitlyDenied",
            );
        });

        it("denies requests without TLS", async () => {
            const plain = { ...caller(READER, "s3:GetObject"), context: { "aws:SecureTransport": "false" } };
            expect(await s3(plain, "s3:GetObject")).to.equal("ExplicitlyDenied");
        });

        it("rejects principals that are not exact role or user ARNs", () => {
            for (const bad of ["*", `arn:aws:iam::${PROD}:root`, PROD, `arn:aws:iam::${PROD}:role/*`]) {
                expect(() => s3BucketPolicy(BUCKET, [{ principals: [bad], access: ["read"] }])).to.throw(
                    `principal ${JSON.stringify(bad)} is not an exact IAM role or user ARN`,
                );
            }
            expect(() => s3BucketPolicy("Bad_Bucket", [])).to.throw('bucket "Bad_Bucket" is not a valid S3 bucket name');
            expect(() => s3BucketPolicy(BUCKET, [{ principals: [], access: ["read"] }])).to.throw("a grant needs at least one principal");
        });
    });

    describe("KMS key policy", () => {
        const keyArn = `arn:aws:kms:us-east-1:${LOG_ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        const policy = kmsKeyPolicy(LOG_ARCHIVE, [
            { principals: [READER], use: ["decrypt"] },
            { principals: [WRITER], use: ["encrypt"] },
        ]);
        const kms = (who: Caller, action: string) =>
            decide({ caller: who, action, resourceArn: keyArn, resourceAccount: LOG_ARCHIVE, resourcePolicy: policy });

        it("lets the named principals use the key for their operations only", async () => {
            expect(await kms(caller(READER, "kms:Decrypt"), "kms:Decrypt")).to.equal("Allowed");
            expect(await kms(caller(READER, "kms:Encrypt"), "kms:Encrypt")).to.equal("ImplicitlyDenied");
            expect(await kms(caller(WRITER, "kms:GenerateDataKey"), "kms:GenerateDataKey")).to.equal("Allowed");
            expect(await kms(caller(WRITER, "kms:Decrypt"), "kms:Decrypt")).to.equal("ImplicitlyDenied");
        });

        it("admits nobody else from the caller's account, and keeps the key's own account in control", async () => {
            expect(await kms(caller(`arn:aws:iam::${PROD}:role/Other`, "kms:Decrypt"), "kms:Decrypt")).to.equal("ImplicitlyDenied");
            expect(await kms(caller(`arn:aws:iam::${LOG_ARCHIVE}:role/KeyAdmin`, "kms:PutKeyPolicy"), "kms:PutKeyPolicy")).to.equal(
                "Allowed",
            );
        });

        it("rejects a wildcard principal and a bad account", () => {
            expect(() => kmsKeyPolicy(LOG_ARCHIVE, [{ principals: ["*"], use: ["decrypt"] }])).to.throw(
                'principal "*" is not an exact IAM role or user ARN',
            );
            expect(() => kmsKeyPolicy("123", [])).to.throw('key account "123" is not a 12-digit account id');
        });
    });
});
