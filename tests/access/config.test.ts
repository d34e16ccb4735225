import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../../config/errors";
import { parseStackConfig } from "../../config/stack";
import { ACCESS, flatConfig, organization } from "../helpers/config";
import { planError } from "../helpers/plan";

/** The example IdP's signing certificate (config/examples/okta-metadata.xml): a real X.509 certificate, valid until 2126. */
export const EXAMPLE_CERTIFICATE = (/<ds:X509Certificate>([^<]+)</.exec(
    fs.readFileSync(path.join(__dirname, "..", "..", "config", "examples", "okta-metadata.xml"), "utf8"),
) ?? ["", ""])[1];

/** The smallest IdP metadata config/saml-metadata.ts accepts: an IDPSSODescriptor with a signing certificate. */
export const METADATA = [
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
    `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${EXAMPLE_CERTIFICATE}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    "</md:IDPSSODescriptor></md:EntityDescriptor>",
].join("");

/** A small valid access-stack config; each case below breaks one thing. */
export function accessValues(): Record<string, unknown> {
    return {
        organization: organization(),
        accessAccount: "access",
        regions: ["us-east-1", "us-west-2"],
        identity: {
            users: [{ name: "alice", groups: ["admins"] }],
            saml: [{ name: "okta", metadata: METADATA }],
            oidc: [{ name: "github", url: "https://token.actions.githubusercontent.com", clientIds: ["sts.amazonaws.com"] }],
        },
        teams: [
            { name: "admins", groups: ["admins"], saml: ["okta"] },
            { name: "deployer", oidc: [{ provider: "github", subjects: ["repo:acme/infra:ref:refs/heads/main"] }] },
        ],
        roles: [
            { name: "Administrator", teams: ["admins"], accounts: "*", managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
        ],
    };
}

type Mutate = (v: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

const CASES: readonly { name: string; mutate: Mutate; message: string }[] = [
    {
        name: "access account is the management account",
        mutate: (v) => (v.accessAccount = "management"),
        message: 'org-access:accessAccount: "management" is the management account; only member accounts are allowed here',
    },
    {
        name: "access account by the management account id",
        mutate: (v) => (v.accessAccount = "111111111111"),
        message: 'org-access:accessAccount: "111111111111" is the management account; only member accounts are allowed here',
    },
    {
        name: "unknown access account",
        mutate: (v) => (v.accessAccount = "sandbox"),
        message: 'org-access:accessAccount: unknown account "sandbox" (not in org-access:organization.accounts)',
    },
    {
        name: "access keys without accessAccount",
        mutate: (v) => delete v.accessAccount,
        message: "org-access:accessAccount: is required when org-access:regions is set",
    },
    {
        name: "an empty list of regions",
        mutate: (v) => (v.regions = []),
        message: "org-access:regions: is empty; name at least one region, or remove it to use the stack's aws:region (us-east-1)",
    },
    {
        name: "the same region twice",
        mutate: (v) => (v.regions = ["us-east-1", "us-east-1"]),
        message: 'org-access:regions[1]: duplicate value "us-east-1" (also at [0])',
    },
    {
        name: "a bad region",
        mutate: (v) => (v.regions = ["us-east-1", "mars-1"]),
        message: 'org-access:regions[1]: "mars-1" is not an AWS region; the regions are @pulumi/aws\'s Region list',
    },
    {
        name: "unknown key in a team",
        mutate: (v) => (v.teams[0].group = ["admins"]),
        message:
            "org-access:teams[0].group: unknown key (known keys: name, groups, saml, oidc, identityCenter, maxSessionDuration, breakGlass)",
    },
    {
        name: "unknown key in identity",
        mutate: (v) => (v.identity.user = []),
        message: "org-access:identity.user: unknown key (known keys: users, groups, saml, oidc, mfaMaxAgeSeconds, mfaEnrolmentUntil)",
    },
    {
        name: "a group no user is in and identity.groups does not list",
        mutate: (v) => (v.teams[0].groups = ["admin"]),
        message:
            'org-access:teams[0].groups[0]: unknown group "admin" (a group exists when a user in org-access:identity.users is in it, or org-access:identity.groups lists it)',
    },
    {
        name: "an unknown SAML provider",
        mutate: (v) => (v.teams[0].saml = ["azure"]),
        message: 'org-access:teams[0].saml[0]: unknown SAML provider "azure" (not in org-access:identity.saml)',
    },
    {
        name: "an unknown OIDC provider",
        mutate: (v) => (v.teams[1].oidc[0].provider = "gitlab"),
        message: 'org-access:teams[1].oidc[0].provider: unknown OIDC provider "gitlab" (not in org-access:identity.oidc)',
    },
    {
        name: "an unknown team in a role",
        mutate: (v) => (v.roles[0].teams = ["admin"]),
        message: 'org-access:roles[0].teams[0]: unknown team "admin" (not in org-access:teams)',
    },
    {
        name: "a role in the management account",
        mutate: (v) => (v.roles[0].accounts = ["prod", "management"]),
        message: 'org-access:roles[0].accounts[1]: "management" is the management account; only member accounts are allowed here',
    },
    {
        name: "a role in an unknown account",
        mutate: (v) => (v.roles[0].accounts = ["staging"]),
        message: 'org-access:roles[0].accounts[0]: unknown account "staging" (not in org-access:organization.accounts)',
    },
    {
        name: "accounts neither * nor a list",
        mutate: (v) => (v.roles[0].accounts = "all"),
        message: 'org-access:roles[0].accounts: expected "*" or a list of member accounts, got "all"',
    },
    {
        name: "a bare wildcard subject",
        mutate: (v) => (v.teams[1].oidc[0].subjects = ["*"]),
        message: 'org-access:teams[1].oidc[0].subjects[0]: "*" is a bare wildcard; name the repository and the ref, environment or event',
    },
    {
        name: "a wildcard in the repository",
        mutate: (v) => (v.teams[1].oidc[0].subjects = ["repo:acme/*:ref:refs/heads/main"]),
        message:
            'org-access:teams[1].oidc[0].subjects[0]: "repo:acme/*:ref:refs/heads/main" has a wildcard in "repo:acme/*"; the repository and its owner must be exact',
    },
    {
        name: "a wildcard in the owner",
        mutate: (v) => (v.teams[1].oidc[0].subjects = ["repo:*/infra:ref:refs/heads/main"]),
        message:
            'org-access:teams[1].oidc[0].subjects[0]: "repo:*/infra:ref:refs/heads/main" has a wildcard in "repo:*/infra"; the repository and its owner must be exact',
    },
    {
        name: "a subject with no ref",
        mutate: (v) => (v.teams[1].oidc[0].subjects = ["repo:acme/infra"]),
        message: 'org-access:teams[1].oidc[0].subjects[0]: "repo:acme/infra" names no ref, environment or event after "repo:acme/infra:"',
    },
    {
        name: "duplicate team names",
        mutate: (v) => (v.teams[1].name = "admins"),
        message: 'org-access:teams[1]: duplicate team name "admins" (also at [0])',
    },
    {
        name: "team names that differ only in case",
        mutate: (v) => (v.teams[1].name = "Admins"),
        message: 'org-access:teams[1]: duplicate team name "Admins" (also at [0] as "admins"; IAM names ignore case)',
    },
    {
        name: "a team named like the deploy role",
        mutate: (v) => (v.teams[1].name = "OrganizationAccountAccessRole"),
        message: 'org-access:teams[1].name: "OrganizationAccountAccessRole" is the organization\'s deploy role in the access account',
    },
    {
        name: "a team named like the preview team",
        mutate: (v) => {
            v.teams[1].name = "org-access-preview";
            v.previewRole = { repository: "acme/org-access" };
        },
        message: 'org-access:teams[1].name: "org-access-preview" is reserved for org-access:previewRole',
    },
    {
        name: "a member role named like a team, in the access account",
        mutate: (v) => v.roles.push({ name: "admins", teams: ["admins"], accounts: ["access"] }),
        message: 'org-access:roles[1].name: "admins" lands in the access account, where team "admins" already has that role name',
    },
    {
        name: "a member role named like the deploy role",
        mutate: (v) => (v.roles[0].name = "OrganizationAccountAccessRole"),
        message:
            'org-access:roles[0].name: "OrganizationAccountAccessRole" is the organization\'s deploy role, which every member account already has',
    },
    {
        name: "duplicate role names",
        mutate: (v) => v.roles.push({ name: "administrator", teams: ["admins"], accounts: ["dev"] }),
        message: 'org-access:roles[1]: duplicate role name "administrator" (also at [0] as "Administrator"; IAM names ignore case)',
    },
    {
        name: "duplicate users",
        mutate: (v) => v.identity.users.push({ name: "alice" }),
        message: 'org-access:identity.users[1]: duplicate user name "alice" (also at [0])',
    },
    {
        name: "a team that admits nobody",
        mutate: (v) => v.teams.push({ name: "orphans" }),
        message: 'org-access:teams[2]: team "orphans" admits nobody: give it groups, saml, oidc or identityCenter',
    },
    {
        name: "SAML with both metadata and metadataFile",
        mutate: (v) => (v.identity.saml[0].metadataFile = "idp.xml"),
        message: "org-access:identity.saml[0]: needs exactly one of metadata or metadataFile",
    },
    {
        name: "SAML metadata that is not metadata",
        mutate: (v) => (v.identity.saml[0].metadata = "<html/>"),
        message:
            'org-access:identity.saml[0].metadata: "<html/>" is not SAML metadata (the root element is <html>, not <EntityDescriptor>)',
    },
    {
        name: "a metadata file that does not exist",
        mutate: (v) => (v.identity.saml[0] = { name: "okta", metadataFile: "config/examples/missing.xml" }),
        message:
            'org-access:identity.saml[0].metadataFile: "config/examples/missing.xml" does not exist (paths are relative to the project directory)',
    },
    {
        name: "a metadata file outside the project",
        mutate: (v) => (v.identity.saml[0] = { name: "okta", metadataFile: "../secrets/idp.xml" }),
        message: 'org-access:identity.saml[0].metadataFile: "../secrets/idp.xml" must be a path inside the project, relative to it',
    },
    {
        name: "an http OIDC issuer",
        mutate: (v) => (v.identity.oidc[0].url = "http://token.actions.githubusercontent.com"),
        message:
            'org-access:identity.oidc[0].url: "http://token.actions.githubusercontent.com" is not an https issuer URL with no trailing slash',
    },
    {
        name: "an OIDC provider with no client ids",
        mutate: (v) => (v.identity.oidc[0].clientIds = []),
        message: "org-access:identity.oidc[0].clientIds: needs at least one client id (the token's aud)",
    },
    {
        name: "an MFA age bound beyond 12 hours",
        mutate: (v) => (v.identity.mfaMaxAgeSeconds = 86400),
        message: "org-access:identity.mfaMaxAgeSeconds: 86400 is outside 900-43200",
    },
    {
        name: "a session longer than 12 hours",
        mutate: (v) => (v.roles[0].maxSessionDuration = 50000),
        message: "org-access:roles[0].maxSessionDuration: 50000 is outside 3600-43200",
    },
    {
        name: "a wildcard managed policy ARN",
        mutate: (v) => (v.roles[0].managedPolicyArns = ["arn:aws:iam::aws:policy/*"]),
        message:
            'org-access:roles[0].managedPolicyArns[0]: "arn:aws:iam::aws:policy/*" is not a managed policy ARN (arn:aws:iam::aws:policy/<name> or arn:aws:iam::<12 digits>:policy/<name>)',
    },
    {
        name: "preview without its OIDC provider",
        mutate: (v) => (v.previewRole = { repository: "acme/org-access", provider: "gitlab" }),
        message: 'org-access:previewRole.provider: needs OIDC provider "gitlab" in org-access:identity.oidc',
    },
    {
        name: "preview repository with a wildcard",
        mutate: (v) => (v.previewRole = { repository: "acme/*" }),
        message: 'org-access:previewRole.repository: "acme/*" is not a GitHub repository (owner/name, no wildcards)',
    },
    {
        name: "a team naming Identity Center without it configured",
        mutate: (v) => (v.teams[0].identityCenter = ["AccessAdmins"]),
        message: 'org-access:teams[0].identityCenter[0]: names permission set "AccessAdmins", but org-access:identityCenter is not set',
    },
    {
        name: "an unknown top-level key",
        mutate: (v) => (v.team = []),
        message:
            "org-access:team: unknown key (known keys: organization, customerAccess, accessAccount, regions, identity, teams, roles, identityCenter, previewRole, deploy, managementPreviewRole, adopt, deployIdentity, providerRoles, acceptedAlerts, memberRoleDelivery, organizationPolicies, providerBudget, providerProcessMemoryMiB)",
    },
];

const identityCenter = (assignedTo: string[]) => ({
    account: "management",
    region: "us-east-1",
    instanceArn: "arn:aws:sso:::instance/ssoins-72230000abcd1234",
    startUrl: "https://acme.awsapps.com/start",
    permissionSets: [{ name: "AccessAdmins" }, { name: "ReadOnly" }],
    assignments: [{ permissionSet: "AccessAdmins", group: "9067000000-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", accounts: assignedTo }],
});

const IC_CASES: readonly { name: string; mutate: Mutate; message: string }[] = [
    {
        name: "a delegated administrator assigning a permission set to the management account",
        mutate: (v) => {
            v.identityCenter = { ...identityCenter(["access", "management"]), account: "access" };
        },
        message:
            'org-access:identityCenter.assignments[0].accounts[1]: "management" is the management account, whose permission sets Identity Center\'s delegated administrator (identityCenter.account "access") cannot manage',
    },
    {
        name: "a permission set not assigned to the access account",
        mutate: (v) => {
            v.identityCenter = identityCenter(["prod"]);
            v.teams[0].identityCenter = ["AccessAdmins"];
        },
        message:
            'org-access:teams[0].identityCenter[0]: permission set "AccessAdmins" is not assigned to the access account, so it has no role there to trust',
    },
    {
        name: "an unknown permission set",
        mutate: (v) => {
            v.identityCenter = identityCenter(["access"]);
            v.teams[0].identityCenter = ["Admins"];
        },
        message: 'org-access:teams[0].identityCenter[0]: unknown permission set "Admins" (not in org-access:identityCenter.permissionSets)',
    },
    {
        name: "an assignment to the management account",
        mutate: (v) => (v.identityCenter = identityCenter(["management"])),
        message:
            'org-access:identityCenter.assignments[0].accounts[0]: "management" is the management account; only member accounts are allowed here',
    },
    {
        name: "permission sets whose reserved-role patterns overlap",
        mutate: (v) => {
            v.identityCenter = identityCenter(["access"]);
            v.identityCenter.permissionSets.push({ name: "AccessAdmins_Break" });
        },
        message:
            'org-access:identityCenter.permissionSets[2].name: "AccessAdmins_Break" starts with "AccessAdmins_", so its reserved roles would match "AccessAdmins"\'s trust pattern',
    },
    {
        name: "a bad instance ARN",
        mutate: (v) => (v.identityCenter = { ...identityCenter(["access"]), instanceArn: "ssoins-1" }),
        message:
            'org-access:identityCenter.instanceArn: "ssoins-1" is not an Identity Center instance ARN (arn:aws:sso:::instance/ssoins-<16>)',
    },
];

function broken(mutate: Mutate): Record<string, string> {
    const values = accessValues();
    mutate(values);
    return flatConfig(values);
}

describe("access stack: config validation", () => {
    it("accepts the base config, and the example Pulumi.access.yaml plans (see the plan tests)", () => {
        const config = parseStackConfig(flatConfig(accessValues()));
        expect(config.access?.account.id).to.equal(ACCESS);
        expect(config.access?.teams.map((t) => t.name)).to.deep.equal(["admins", "deployer"]);
        // "*" is every member account except the access account.
        expect(config.access?.roles[0].accounts.map((a) => a.name)).to.deep.equal(["log-archive", "prod", "dev"]);
    });

    it("a stack without accessAccount has no access section", () => {
        expect(parseStackConfig(flatConfig({ organization: organization() })).access).to.equal(undefined);
    });

    it("a group listed in identity.groups exists without users", () => {
        const values = accessValues();
        (values.identity as Record<string, unknown>).groups = ["auditors"];
        (values.teams as Record<string, unknown>[]).push({ name: "auditors", groups: ["auditors"] });
        expect(parseStackConfig(flatConfig(values)).access?.identity.groups).to.deep.equal(["admins", "auditors"]);
    });

    it("wildcards after the second ':' of a subject are allowed, and use StringLike", () => {
        const values = accessValues();
        (values.teams as { oidc?: { subjects: string[] }[] }[])[1].oidc![0].subjects = ["repo:acme/infra:environment:*"];
        expect(() => parseStackConfig(flatConfig(values))).to.not.throw();
    });

    for (const c of [...CASES, ...IC_CASES]) {
        it(`rejects ${c.name}`, () => {
            const config = broken(c.mutate);
            expect(() => parseStackConfig(config)).to.throw(ConfigError, c.message);
            try {
                parseStackConfig(config);
            } catch (e) {
                expect((e as Error).message).to.equal(c.message);
            }
        });
    }

    describe("the program registers nothing on bad input", () => {
        for (const c of [CASES[0], CASES[4], CASES[10], CASES[17], CASES[22], IC_CASES[0]]) {
            it(`${c.name}: one line, nothing registered`, async () => {
                expect(await planError("access", broken(c.mutate))).to.equal(c.message);
            });
        }
    });
});
