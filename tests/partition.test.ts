import { expect } from "chai";
import { Partition } from "../config/partition";
import { endpointsOf } from "../iam/partition";
import { organizationReach } from "../analysis/reach";
import { modelOf, Plan } from "../offline/plan";
import { iamView, toPlanJson } from "../offline/report";
import { configFileFor, readStackConfigFile } from "../offline/stack-files";
import { accessValues } from "./access/config.test";
import { flatConfig, organization } from "./helpers/config";
import { planError, runPlan } from "./helpers/plan";
import { ServedPolicyPack } from "../offline/served-pack";
import { checkPlan, PACK_DIR } from "../offline/pack-check";

/** Regions of each partition for the example stacks' `aws:region` and `regions`. */
const REGIONS: Record<Exclude<Partition, "aws">, readonly [string, string]> = {
    "aws-us-gov": ["us-gov-west-1", "us-gov-east-1"],
    "aws-cn": ["cn-north-1", "cn-northwest-1"],
};

/**
 * An example stack file moved into another partition, as its owner would write
 * it: `organization.partition` set, every ARN and region rewritten.
 */
function examplesIn(stack: string, partition: Exclude<Partition, "aws">): Record<string, string> {
    const [first, second] = REGIONS[partition];
    const flat = readStackConfigFile(configFileFor(stack));
    const moved: Record<string, string> = {};
    for (const [key, value] of Object.entries(flat)) {
        moved[key] = value
            .replace(/arn:aws:/g, `arn:${partition}:`)
            .replace(/us-east-1/g, first)
            .replace(/us-west-2/g, second);
    }
    const org = JSON.parse(moved["org-access:organization"]) as Record<string, unknown>;
    moved["org-access:organization"] = JSON.stringify({ ...org, partition });
    return moved;
}

const IDENTITY_CENTER = {
    account: "management",
    region: "us-east-1",
    instanceArn: "arn:aws:sso:::instance/ssoins-72230000abcd1234",
    startUrl: "https://acme.awsapps.com/start",
    permissionSets: [{ name: "AccessAdmins" }],
};

/** Every input of every resource, and every output, as one text. */
const everything = (plan: Plan) => JSON.stringify({ inputs: plan.resources.map((r) => r.inputs), outputs: plan.outputs });

describe("AWS partitions (org-access:organization.partition)", () => {
    for (const partition of ["aws-us-gov", "aws-cn"] as const) {
        describe(partition, () => {
            const endpoints = endpointsOf(partition);
            let access: Plan;
            let mgmt: Plan;
            before(async () => {
                access = await runPlan({ stack: "access", config: examplesIn("access", partition) });
                mgmt = await runPlan({ stack: "mgmt", config: examplesIn("mgmt", partition) });
            });

            it("builds no arn:aws: ARN and no commercial sign-in URL in any document, input or output", () => {
                for (const plan of [access, mgmt]) {
                    const text = everything(plan);
                    expect(text, plan.stack).not.to.include("arn:aws:");
                    expect(text, plan.stack).not.to.include("signin.aws.amazon.com");
                    expect(text, plan.stack).to.include(`arn:${partition}:iam::`);
                }
            });

            it("reaches from every kind of entry as in aws: SAML, OIDC, Identity Center and users, with no problem reading any document", async () => {
                const stacks = [access, mgmt].map((p) => toPlanJson(p, iamView(p.resources)));
                const name = (id: string) => modelOf(access).accountName(id);
                const moved = organizationReach(stacks, name, "111111111111");
                const commercial = organizationReach(
                    [
                        await runPlan({ stack: "access", config: readStackConfigFile(configFileFor("access")) }),
                        await runPlan({ stack: "mgmt", config: readStackConfigFile(configFileFor("mgmt")) }),
                    ].map((p) => toPlanJson(p, iamView(p.resources))),
                    name,
                    "111111111111",
                );
                expect(moved.problems).to.deep.equal([]);
                const kinds = new Set(moved.reach.map((r) => r.from.split(":")[0]));
                expect([...kinds].sort()).to.deep.equal(["identity-center", "oidc", "saml", "user"]);
                // The same organization, the same answer: every path, with its ARNs moved into the partition.
                const shape = (r: { from: string; to: string; path: readonly string[] }) =>
                    JSON.stringify([r.from, r.to, r.path]).replace(new RegExp(`arn:${partition}:`, "g"), "arn:aws:");
                expect(moved.reach.map(shape)).to.deep.equal(commercial.reach.map(shape));
                expect(moved.alerts.length).to.equal(commercial.alerts.length);
            });

            describe("the same organization as in aws", function () {
                this.timeout(300_000);
                let commercialAccess: Plan;
                let commercialMgmt: Plan;
                let pack: ServedPolicyPack | undefined;
                before(async () => {
                    commercialAccess = await runPlan({ stack: "access", config: readStackConfigFile(configFileFor("access")) });
                    commercialMgmt = await runPlan({ stack: "mgmt", config: readStackConfigFile(configFileFor("mgmt")) });
                    pack = await ServedPolicyPack.start(PACK_DIR);
                });
                after(async () => {
                    await pack?.stop();
                });
                /** A value of the partition's plan as the aws plan would have it: ARNs, hosts and regions moved back. */
                const inAws = (value: unknown): string => {
                    const aws = endpointsOf("aws");
                    const [first, second] = REGIONS[partition];
                    return JSON.stringify(value)
                        .replace(new RegExp(`arn:${partition}:`, "g"), "arn:aws:")
                        .split(endpoints.samlAudience)
                        .join(aws.samlAudience)
                        .split(endpoints.signinHost)
                        .join(aws.signinHost)
                        .split(endpoints.consoleHost)
                        .join(aws.consoleHost)
                        .split(first)
                        .join("us-east-1")
                        .split(second)
                        .join("us-west-2");
                };

                it("the matrix rows, its diagram and every profile and sign-in link are the aws plan's, in the partition", () => {
                    const moved = access.outputs.access as Record<string, unknown>;
                    const commercial = commercialAccess.outputs.access as Record<string, unknown>;
                    expect((moved.matrix as unknown[]).length, "matrix rows").to.be.greaterThan(0);
                    for (const key of ["matrix", "mermaid", "teams", "awsConfig", "saml", "identityCenterAwsConfig"]) {
                        expect(inAws(moved[key]), key).to.equal(JSON.stringify(commercial[key]));
                    }
                    // The partition's own hosts, not the commercial ones, are what people are given.
                    expect(JSON.stringify(moved.teams)).to.include(endpoints.signinHost);
                    expect(inAws(mgmt.outputs.customerAccess), "customerAccess").to.equal(
                        JSON.stringify(commercialMgmt.outputs.customerAccess),
                    );
                });

                it("the served pack gives the aws plan's verdicts, on the example and on a trust opened to outsiders and its look-alikes", async () => {
                    const served = pack as ServedPolicyPack;
                    const verdicts = async (plan: Plan, p: string) => {
                        const result = await checkPlan(served, plan);
                        const role = result.resources.find(
                            (r) => r.type === "aws:iam/role:Role" && r.properties.assumeRolePolicy !== undefined,
                        );
                        expect(role, "a role to vary").not.to.equal(undefined);
                        const member = "222222222222";
                        const trusts: Record<string, object> = {
                            open: { Principal: { AWS: "*" } },
                            org: {
                                Principal: "*",
                                Condition: {
                                    StringEquals: {
                                        "aws:PrincipalOrgID":
                                            result.packConfig["no-wildcard-principals"] &&
                                            (result.packConfig["no-wildcard-principals"] as { organizationId: string }).organizationId,
                                    },
                                },
                            },
                            memberRoles: {
                                Principal: "*",
                                Condition: { ArnLike: { "aws:PrincipalArn": `arn:${p}:iam::${member}:role/*` } },
                            },
                            anyRoleNamedAdmin: {
                                Principal: "*",
                                Condition: { ArnLike: { "aws:PrincipalArn": `arn:${p}:iam::*:role/admin` } },
                            },
                        };
                        const varied: Record<string, string[]> = {};
                        for (const [name, trust] of Object.entries(trusts)) {
                            const document = {
                                Version: "2012-10-17",
                                Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", ...trust }],
                            };
                            const resource = {
                                ...(role as NonNullable<typeof role>),
                                properties: { ...role?.properties, assumeRolePolicy: JSON.stringify(document) },
                            };
                            varied[name] = (await served.analyze(resource)).map((d) => `${d.policyName}:${d.enforcementLevel}`).sort();
                        }
                        return { example: result.diagnostics.map((d) => `${d.policyName} ${d.urn}: ${d.message}`).sort(), varied };
                    };
                    for (const [moved, commercial] of [
                        [access, commercialAccess],
                        [mgmt, commercialMgmt],
                    ]) {
                        const theirs = await verdicts(commercial, "aws");
                        const ours = await verdicts(moved, partition);
                        expect(inAws(ours), moved.stack).to.equal(JSON.stringify(theirs));
                        expect(ours.varied.open, "an open trust is refused").to.include("no-wildcard-principals:mandatory");
                        expect(ours.varied.anyRoleNamedAdmin, "any account's admin role is refused").to.include(
                            "no-wildcard-principals:mandatory",
                        );
                        expect(ours.varied.org, "the organization's trust").not.to.include("no-wildcard-principals:mandatory");
                        expect(ours.varied.memberRoles, "one member's roles").not.to.include("no-wildcard-principals:mandatory");
                    }
                });
            });

            it("reads the plan's IAM entities back in the partition", () => {
                const iam = iamView(access.resources);
                for (const entity of [...iam.roles, ...iam.groups, ...iam.users]) {
                    expect(entity.arn).to.match(new RegExp(`^arn:${partition}:iam::\\d{12}:`));
                }
            });

            it("links switch-role URLs to the partition's sign-in endpoint", () => {
                const teams = (
                    access.outputs.access as {
                        teams: Record<string, { switchRoleUrl?: string; memberRoles: { switchRoleUrl?: string }[] }>;
                    }
                ).teams;
                // Links are made only where someone can use them (an OIDC-only team has none).
                const urls = Object.values(teams)
                    .flatMap((t) => [t.switchRoleUrl, ...t.memberRoles.map((m) => m.switchRoleUrl)])
                    .filter((u): u is string => u !== undefined);
                expect(urls.length).to.be.greaterThan(1);
                urls.push((mgmt.outputs.customerAccess as { switchRoleUrl: string }).switchRoleUrl);
                for (const url of urls) {
                    expect(new URL(url).origin + new URL(url).pathname).to.equal(`https://${endpoints.signinHost}/switchrole`);
                }
            });

            it("binds SAML trust to the partition's SAML audience", () => {
                const admins = iamView(access.resources).roles.find((r) => r.name === "admins");
                const saml = JSON.stringify(admins?.trustPolicy);
                expect(saml).to.include(`"SAML:aud":"${endpoints.samlAudience}"`);
            });

            it("assumes deploy roles in the partition and gives the preview role the partition's ReadOnlyAccess", () => {
                const providers = access.resources.filter((r) => r.type === "pulumi:providers:aws" && r.inputs.assumeRoles !== undefined);
                expect(providers.length).to.be.greaterThan(0);
                for (const p of providers) {
                    expect(JSON.parse(p.inputs.assumeRoles as string)[0].roleArn).to.match(new RegExp(`^arn:${partition}:iam::`));
                }
                const readOnly = access.resources.filter(
                    (r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.inputs.role === "OrgAccessPreview",
                );
                expect(readOnly.map((r) => r.inputs.policyArn)).to.include(`arn:${partition}:iam::aws:policy/ReadOnlyAccess`);
            });
        });
    }

    describe("config", () => {
        const gov = () => organization({ partition: "aws-us-gov" });
        const cases: [string, Record<string, unknown>, string | undefined, string][] = [
            [
                "an unknown partition",
                { organization: organization({ partition: "aws-mars" }), customerAccess: {} },
                undefined,
                'org-access:organization.partition: "aws-mars" is not an AWS partition (one of aws, aws-us-gov, aws-cn)',
            ],
            [
                "a customer trust principal of another partition",
                { organization: gov(), customerAccess: { trust: { principals: ["arn:aws:iam::222222222222:role/platform"] } } },
                "us-gov-west-1",
                'org-access:customerAccess.trust.principals[0]: "arn:aws:iam::222222222222:role/platform" is an ARN of partition aws, but org-access:organization.partition is aws-us-gov',
            ],
            [
                "a region of another partition",
                { organization: gov(), customerAccess: {} },
                "us-east-1",
                'aws:region: "us-east-1" is a region of partition aws, but org-access:organization.partition is aws-us-gov',
            ],
            [
                "a managed policy ARN of another partition",
                {
                    ...accessValues(),
                    roles: [
                        {
                            name: "Administrator",
                            teams: ["admins"],
                            accounts: "*",
                            managedPolicyArns: ["arn:aws-cn:iam::aws:policy/AdministratorAccess"],
                        },
                    ],
                },
                undefined,
                'org-access:roles[0].managedPolicyArns[0]: "arn:aws-cn:iam::aws:policy/AdministratorAccess" is an ARN of partition aws-cn, but org-access:organization.partition is aws',
            ],
            [
                "an access region of another partition",
                { ...accessValues(), organization: gov() },
                "us-gov-west-1",
                'org-access:regions[0]: "us-east-1" is a region of partition aws, but org-access:organization.partition is aws-us-gov',
            ],
            [
                "an Identity Center instance of another partition",
                {
                    ...accessValues(),
                    identityCenter: { ...IDENTITY_CENTER, instanceArn: "arn:aws-us-gov:sso:::instance/ssoins-72230000abcd1234" },
                },
                undefined,
                'org-access:identityCenter.instanceArn: "arn:aws-us-gov:sso:::instance/ssoins-72230000abcd1234" is an ARN of partition aws-us-gov, but org-access:organization.partition is aws',
            ],
            [
                "an Identity Center home region of another partition",
                { ...accessValues(), identityCenter: { ...IDENTITY_CENTER, region: "cn-north-1" } },
                undefined,
                'org-access:identityCenter.region: "cn-north-1" is a region of partition aws-cn, but org-access:organization.partition is aws',
            ],
        ];
        for (const [name, values, region, message] of cases) {
            it(`rejects ${name} in one line, before any resource`, async () => {
                expect(await planError("mgmt", flatConfig(values, region))).to.equal(message);
            });
        }
    });
});
