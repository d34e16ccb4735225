import { expect } from "chai";
import { Plan } from "../offline/plan";
import { flatConfig, LOG_ARCHIVE, MANAGEMENT, organization, PROD } from "./helpers/config";
import { doc, find, ofType, planError, runPlan } from "./helpers/plan";

const ROLE = "aws:iam/role:Role";
/** The customer role's inline policies (the stack also holds the preview reader's). */
const customerPolicies = (plan: Plan) =>
    ofType(plan, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === "PumpCustomerAccess");
const PROVIDER = "pulumi:providers:aws";

describe("stack mgmt (mock runtime)", () => {
    let example: Plan;
    before(async () => {
        example = await runPlan({ stack: "mgmt" });
    });

    it("puts the customer role, protected, in the management account", () => {
        const role = find(example, ROLE, "customer-access");
        expect(role.accountId).to.equal(MANAGEMENT);
        expect(role.inputs.name).to.equal("PumpCustomerAccess");
        expect(role.protect).to.equal(true);
        expect(role.inputs.maxSessionDuration).to.equal(3600);
    });

    it("gives every custom resource an explicit provider, pinned to one account", () => {
        const custom = example.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        expect(custom.length).to.be.greaterThan(0);
        for (const r of custom) {
            expect(r.explicitProvider, `${r.type} ${r.name} has an explicit provider`).to.equal(true);
            expect(r.provider?.type, `${r.name} provider`).to.equal(PROVIDER);
            expect(r.accountId, `${r.name} pinned account`).to.match(/^\d{12}$/);
        }
    });

    it("pins each provider with allowedAccountIds, assumes the deploy identity's role in each account, and tags", () => {
        const providers = ofType(example, PROVIDER);
        expect(providers.map((p) => p.name).sort()).to.deep.equal(["aws-management", "aws-prod"]);
        const management = find(example, PROVIDER, "aws-management");
        expect(JSON.parse(management.inputs.allowedAccountIds as string)).to.deep.equal([MANAGEMENT]);
        // The example configures org-access:deployIdentity: OrgAccessDeploy everywhere but the access account (tests/deploy-identity.test.ts).
        expect(JSON.parse(management.inputs.assumeRoles as string)[0].roleArn).to.equal(`arn:aws:iam::${MANAGEMENT}:role/OrgAccessDeploy`);
        const prod = find(example, PROVIDER, "aws-prod");
        expect(JSON.parse(prod.inputs.allowedAccountIds as string)).to.deep.equal([PROD]);
        expect(JSON.parse(prod.inputs.assumeRoles as string)[0].roleArn).to.equal(`arn:aws:iam::${PROD}:role/OrgAccessDeploy`);
        expect(JSON.parse(prod.inputs.defaultTags as string).tags).to.include({
            "org-access:project": "org-access",
            "org-access:stack": "mgmt",
        });
    });

    it("makes one provider per account, however many resources use it", async () => {
        const plan = await runPlan({
            stack: "mgmt",
            config: flatConfig({
                organization: organization(),
                customerAccess: {
                    trust: {
                        groups: [
                            { account: "prod", name: "a" },
                            { account: "prod", name: "b" },
                            { account: "dev", name: "c" },
                        ],
                    },
                },
            }),
        });
        expect(
            ofType(plan, PROVIDER)
                .map((p) => p.name)
                .sort(),
        ).to.deep.equal(["aws-dev", "aws-management", "aws-prod"]);
        expect(
            ofType(plan, "aws:iam/groupPolicy:GroupPolicy")
                .map((g) => g.accountId)
                .sort(),
        ).to.deep.equal(["444444444444", "444444444444", "555555555555"]);
    });

    it("assumes a management deploy role when config names one", async () => {
        const plan = await runPlan({
            stack: "mgmt",
            config: flatConfig({ organization: organization({ managementDeployRoleName: "Deployer" }), customerAccess: {} }),
        });
        const management = find(plan, PROVIDER, "aws-management");
        expect(JSON.parse(management.inputs.assumeRoles as string)[0].roleArn).to.equal(`arn:aws:iam::${MANAGEMENT}:role/Deployer`);
    });

    it("writes permissions as inline policies only, managed exclusively", () => {
        const policies = customerPolicies(example);
        expect(policies.map((p) => p.inputs.name).sort()).to.deep.equal(["guardrails", "org-services", "organization-read"]);
        expect(
            find(example, "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive", "customer-access-inline-only").inputs.policyNames,
        ).to.have.members(["guardrails", "org-services", "organization-read"]);
        expect(
            find(example, "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "customer-access-managed-only").inputs
                .policyArns,
        ).to.deep.equal([]);
        expect(
            ofType(example, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === "PumpCustomerAccess"),
        ).to.deep.equal([]);
        expect(find(example, ROLE, "customer-access").inputs.managedPolicyArns).to.equal(undefined);
    });

    it("gives a trusted group an identity policy for exactly this role, in the group's account", () => {
        const groupPolicy = find(example, "aws:iam/groupPolicy:GroupPolicy", "customer-access-prod-cloud-admins");
        expect(groupPolicy.accountId).to.equal(PROD);
        expect(groupPolicy.inputs.group).to.equal("cloud-admins");
        expect(doc(groupPolicy.inputs.policy)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AssumeCustomerAccessRole",
                    Effect: "Allow",
                    Action: "sts:AssumeRole",
                    Resource: `arn:aws:iam::${MANAGEMENT}:role/PumpCustomerAccess`,
                },
            ],
        });
    });

    it("exports the role ARN, switch-role URL, CLI profile and permissions", () => {
        const out = example.outputs.customerAccess as Record<string, unknown>;
        expect(out.roleArn).to.equal(`arn:aws:iam::${MANAGEMENT}:role/PumpCustomerAccess`);
        const url = new URL(out.switchRoleUrl as string);
        expect(url.origin + url.pathname).to.equal("https://signin.aws.amazon.com/switchrole");
        expect(url.searchParams.get("roleName")).to.equal("PumpCustomerAccess");
        expect(url.searchParams.get("account")).to.equal(MANAGEMENT);
        expect(url.searchParams.get("displayName")).to.equal("PumpCustomerAccess @ management");
        expect(out.cliProfile).to.match(/^\[profile customer-access\]\nrole_arn = arn:aws:iam::111111111111:role\/PumpCustomerAccess\n/);
        const permissions = out.permissions as Record<string, unknown>;
        for (const policy of customerPolicies(example)) {
            expect(permissions[policy.inputs.name as string], `output matches policy ${policy.inputs.name}`).to.deep.equal(
                doc(policy.inputs.policy),
            );
        }
    });

    it("keeps the default trust policy the same size for 4 or 1,000 member accounts", async () => {
        const many = Array.from({ length: 1000 }, (_, i) => ({ name: `acct-${i}`, id: String(100000000000 + i) }));
        const small = await runPlan({ stack: "mgmt", config: flatConfig({ organization: organization(), customerAccess: {} }) });
        const large = await runPlan({
            stack: "mgmt",
            config: flatConfig({ organization: organization({ accounts: many }), customerAccess: {} }),
        });
        const size = (p: Plan) => (find(p, ROLE, "customer-access").inputs.assumeRolePolicy as string).replace(/\s/g, "").length;
        expect(size(large)).to.equal(size(small));
        expect(size(large)).to.be.at.most(2048);
    });

    describe("rejects bad config with one line naming the key, registering nothing", () => {
        const cases: [string, Record<string, unknown>, string][] = [
            [
                "a short account id",
                { organization: organization({ accounts: [{ name: "prod", id: "123" }] }) },
                "org-access:organization.accounts[0].id",
            ],
            [
                "an unknown trust account",
                { organization: organization(), customerAccess: { trust: { accounts: ["qa"] } } },
                'unknown account "qa"',
            ],
            [
                "a malformed ARN",
                { organization: organization(), customerAccess: { trust: { principals: ["arn:aws:iam:::role/x"] } } },
                "trust.principals[0]",
            ],
            ["an unknown key", { organization: organization(), typo: 1 }, "org-access:typo: unknown key"],
            [
                "a duplicate account",
                {
                    organization: organization({
                        accounts: [
                            { name: "a", id: PROD },
                            { name: "b", id: PROD },
                        ],
                    }),
                },
                "duplicate account id",
            ],
            [
                "the management account as a member",
                { organization: organization({ accounts: [{ name: "payer", id: MANAGEMENT }] }) },
                "is the management account",
            ],
            [
                "a too-long session",
                { organization: organization(), customerAccess: { maxSessionDuration: 86400 } },
                "86400 is outside 3600-43200",
            ],
            // A late error (in the last key) must still stop the first resource.
            [
                "a bad group after good settings",
                {
                    organization: organization(),
                    customerAccess: { roleName: "Ok", trust: { accounts: ["prod"], groups: [{ account: LOG_ARCHIVE, name: "bad name" }] } },
                },
                "trust.groups[0].name",
            ],
        ];
        for (const [what, values, fragment] of cases) {
            it(what, async () => {
                expect(await planError("mgmt", flatConfig(values))).to.include(fragment);
            });
        }
    });
});
