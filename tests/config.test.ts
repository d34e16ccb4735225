import { expect } from "chai";
import { ConfigError } from "../config/errors";
import { parseStackConfig } from "../config/stack";
import { configFileFor, readStackConfigFile, stackNames } from "../offline/stack-files";
import { DEV, flatConfig, MANAGEMENT, organization, PROD } from "./helpers/config";

/** Parses config and returns the error message it produced, or fails the test. */
function errorOf(values: Record<string, unknown>, region?: string): string {
    try {
        parseStackConfig(flatConfig(values, region));
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as Error).message;
    }
    throw new Error("expected a ConfigError, but the config was accepted");
}

describe("config validation", () => {
    it("accepts every example stack file", () => {
        for (const stack of stackNames()) {
            expect(() => parseStackConfig(readStackConfigFile(configFileFor(stack))), stack).not.to.throw();
        }
    });

    it("fills defaults: role name, session, deploy role, org-wide trust", () => {
        const config = parseStackConfig(flatConfig({ organization: organization(), customerAccess: {} }));
        expect(config.customerAccess).to.deep.equal({
            roleName: "PumpCustomerAccess",
            maxSessionDuration: 3600,
            trust: { accounts: [], principals: [], groups: [], requireMfa: "iam-users" },
            sourceProfile: "default",
            region: "us-east-1",
        });
        expect(config.organization.deployRoleName).to.equal("OrganizationAccountAccessRole");
        expect(config.organization.management).to.deep.equal({ name: "management", id: MANAGEMENT });
    });

    it("resolves trust accounts by name or id", () => {
        const config = parseStackConfig(
            flatConfig({ organization: organization(), customerAccess: { trust: { accounts: ["prod", "555555555555"] } } }),
        );
        expect(config.customerAccess?.trust.accounts.map((a) => a.name)).to.deep.equal(["prod", "dev"]);
        expect(config.customerAccess?.trust.requireMfa, "MFA for IAM users by default").to.equal("iam-users");
    });

    it("takes requireMfa alone: every member account, MFA for everyone", () => {
        const config = parseStackConfig(
            flatConfig({ organization: organization(), customerAccess: { trust: { requireMfa: "everyone" } } }),
        );
        expect(config.customerAccess?.trust).to.deep.equal({ accounts: [], principals: [], groups: [], requireMfa: "everyone" });
    });

    it("reads the root id and the OU ids that accounts' paths carry", () => {
        const config = parseStackConfig(
            flatConfig({
                organization: organization({
                    rootId: "r-ab12",
                    accounts: [{ name: "prod", id: PROD, ou: "workloads/prod" }],
                    organizationalUnits: [
                        { path: "workloads", id: "ou-ab12-11111111" },
                        { path: "workloads/prod", id: "ou-ab12-34cd56ef" },
                    ],
                }),
            }),
        );
        expect(config.organization.rootId).to.equal("r-ab12");
        expect(config.organization.organizationalUnits).to.deep.equal([
            { path: "workloads", id: "ou-ab12-11111111" },
            { path: "workloads/prod", id: "ou-ab12-34cd56ef" },
        ]);
    });

    const accounts = (list: unknown[]) => organization({ accounts: list });
    const cases: [string, Record<string, unknown>, string][] = [
        ["missing organization", {}, "org-access:organization: is required"],
        [
            "an id that is not 12 digits",
            { organization: accounts([{ name: "prod", id: "4444" }]) },
            'org-access:organization.accounts[0].id: "4444" is not a 12-digit account id',
        ],
        [
            "a management account id that is not 12 digits",
            { organization: organization({ managementAccountId: "11111111111x" }) },
            'org-access:organization.managementAccountId: "11111111111x" is not a 12-digit account id',
        ],
        [
            "an account id given as a number",
            { organization: accounts([{ name: "prod", id: 444444444444 }]) },
            "org-access:organization.accounts[0].id: expected a non-empty string, got 444444444444",
        ],
        [
            "a malformed organization id",
            { organization: organization({ id: "org-1" }) },
            'org-access:organization.id: "org-1" is not an organization id (o-xxxxxxxxxx)',
        ],
        [
            "a duplicate account name",
            {
                organization: accounts([
                    { name: "prod", id: PROD },
                    { name: "prod", id: "555555555555" },
                ]),
            },
            'org-access:organization.accounts[1]: duplicate account name "prod" (also at [0])',
        ],
        [
            "a duplicate account id",
            {
                organization: accounts([
                    { name: "prod", id: PROD },
                    { name: "prod2", id: PROD },
                ]),
            },
            'org-access:organization.accounts[1]: duplicate account id "444444444444" (also at [0])',
        ],
        [
            "the management account listed as a member",
            { organization: accounts([{ name: "payer", id: MANAGEMENT }]) },
            'org-access:organization.accounts[0].id: "111111111111" is the management account, which is not a member account',
        ],
        [
            "the reserved name 'management' for a member",
            { organization: accounts([{ name: "management", id: PROD }]) },
            'org-access:organization.accounts[0].name: "management" is reserved for the management account',
        ],
        [
            "an OU id not in ou-xxxx-xxxxxxxx form",
            {
                organization: organization({
                    accounts: [{ name: "prod", id: PROD, ou: "workloads/prod" }],
                    organizationalUnits: [{ path: "workloads/prod", id: "ou-prod" }],
                }),
            },
            'org-access:organization.organizationalUnits[0].id: "ou-prod" is not an organizational unit id (ou-xxxx-xxxxxxxx)',
        ],
        [
            "an account's ou with no id",
            {
                organization: organization({
                    accounts: [
                        { name: "prod", id: PROD, ou: "workloads/prod" },
                        { name: "dev", id: DEV, ou: "workloads/dev" },
                    ],
                    organizationalUnits: [{ path: "workloads/prod", id: "ou-ab12-34cd56ef" }],
                }),
            },
            'org-access:organization.accounts[1].ou: "workloads/dev" has no id in org-access:organization.organizationalUnits (add { path: workloads/dev, id: ou-… })',
        ],
        [
            "one OU id under two paths",
            {
                organization: organization({
                    organizationalUnits: [
                        { path: "workloads/prod", id: "ou-ab12-34cd56ef" },
                        { path: "workloads/dev", id: "ou-ab12-34cd56ef" },
                    ],
                }),
            },
            'org-access:organization.organizationalUnits[1]: duplicate organizational unit id "ou-ab12-34cd56ef" (also at [0])',
        ],
        [
            "a root id not in r-xxxx form",
            { organization: organization({ rootId: "root" }) },
            'org-access:organization.rootId: "root" is not an organization root id (r-xxxx)',
        ],
        [
            "an unknown top-level key",
            { organization: organization(), customerAcess: {} },
            "org-access:customerAcess: unknown key (known keys: ",
        ],
        [
            "an unknown nested key",
            { organization: organization(), customerAccess: { rolename: "X" } },
            "org-access:customerAccess.rolename: unknown key (known keys: roleName, maxSessionDuration, trust, sourceProfile)",
        ],
        [
            "a maxSessionDuration below 3600",
            { organization: organization(), customerAccess: { maxSessionDuration: 900 } },
            "org-access:customerAccess.maxSessionDuration: 900 is outside 3600-43200",
        ],
        [
            "a maxSessionDuration above 43200",
            { organization: organization(), customerAccess: { maxSessionDuration: 43201 } },
            "org-access:customerAccess.maxSessionDuration: 43201 is outside 3600-43200",
        ],
        [
            "a fractional maxSessionDuration",
            { organization: organization(), customerAccess: { maxSessionDuration: 3600.5 } },
            "org-access:customerAccess.maxSessionDuration: expected a whole number, got 3600.5",
        ],
        [
            "an unknown account name in trust",
            { organization: organization(), customerAccess: { trust: { accounts: ["staging"] } } },
            'org-access:customerAccess.trust.accounts[0]: unknown account "staging" (not in org-access:organization.accounts)',
        ],
        [
            "the same account twice in trust, once by name and once by id",
            { organization: organization(), customerAccess: { trust: { accounts: ["prod", PROD] } } },
            'org-access:customerAccess.trust.accounts[1]: duplicate account "prod" (also at [0])',
        ],
        [
            "the management account in trust",
            { organization: organization(), customerAccess: { trust: { accounts: ["management"] } } },
            'org-access:customerAccess.trust.accounts[0]: "management" is the management account; only member accounts are allowed here',
        ],
        [
            "a malformed principal ARN",
            { organization: organization(), customerAccess: { trust: { principals: ["arn:aws:iam::4444:role/x"] } } },
            'org-access:customerAccess.trust.principals[0]: "arn:aws:iam::4444:role/x" is not an exact IAM role or user ARN',
        ],
        [
            "a wildcard principal ARN",
            { organization: organization(), customerAccess: { trust: { principals: ["arn:aws:iam::444444444444:role/*"] } } },
            'org-access:customerAccess.trust.principals[0]: "arn:aws:iam::444444444444:role/*" is not an exact IAM role or user ARN',
        ],
        [
            "a principal in the management account",
            { organization: organization(), customerAccess: { trust: { principals: ["arn:aws:iam::111111111111:role/admin"] } } },
            'org-access:customerAccess.trust.principals[0]: "arn:aws:iam::111111111111:role/admin" is in the management account',
        ],
        [
            "a group in an unknown account",
            { organization: organization(), customerAccess: { trust: { groups: [{ account: "nope", name: "admins" }] } } },
            'org-access:customerAccess.trust.groups[0].account: unknown account "nope"',
        ],
        [
            "a group without a name",
            { organization: organization(), customerAccess: { trust: { groups: [{ account: "prod" }] } } },
            "org-access:customerAccess.trust.groups[0].name: is required",
        ],
        [
            "an empty trust",
            { organization: organization(), customerAccess: { trust: {} } },
            "org-access:customerAccess.trust: names no accounts, principals or groups",
        ],
        [
            "an MFA requirement given as a boolean",
            { organization: organization(), customerAccess: { trust: { requireMfa: true } } },
            "org-access:customerAccess.trust.requireMfa: expected iam-users or everyone, got true",
        ],
        [
            "an unknown MFA requirement",
            { organization: organization(), customerAccess: { trust: { requireMfa: "roles" } } },
            'org-access:customerAccess.trust.requireMfa: expected iam-users or everyone, got "roles"',
        ],
        [
            "a malformed role name",
            { organization: organization(), customerAccess: { roleName: "Pump Customer" } },
            'org-access:customerAccess.roleName: "Pump Customer" is not an IAM name',
        ],
    ];
    for (const [what, values, message] of cases) {
        it(`rejects ${what}`, () => {
            expect(errorOf(values)).to.include(message);
        });
    }

    it("rejects a malformed region", () => {
        expect(errorOf({ organization: organization() }, "useast1")).to.equal(
            'aws:region: "useast1" is not an AWS region (did you mean "us-east-1"?); the regions are @pulumi/aws\'s Region list',
        );
    });

    it("keeps every message on one line", () => {
        for (const [, values] of cases) {
            expect(errorOf(values)).not.to.include("\n");
        }
    });
});
