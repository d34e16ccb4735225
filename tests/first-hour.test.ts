import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planProgram } from "../offline/plan";
import { parseOptions, BENCH_COMMAND } from "../bench/run";
import { CommandOutcome, CommandSpec, errorLine, execute, FlagSpec } from "../offline/cli";
import { PLAN_COMMAND, planMain } from "../scripts/plan";
import { POLICY_CHECK_COMMAND, policyCheckMain } from "../scripts/policy-check";
import { DOCS_COMMAND } from "../scripts/docs";
import { ACCESS, flatConfig, MANAGEMENT, organization, OUTSIDER, PROD } from "./helpers/config";
import { planError } from "./helpers/plan";

/**
 * Issue #11, "a new user's first hour": one mistake at a time on top of a valid config, and every
 * way to misuse the commands. Each answer is one line `error: <key or file>: <what> <value>`, a
 * non-zero exit, no stack trace, and nothing registered.
 */
const ROOT = path.resolve(__dirname, "..");
const OKTA = fs.readFileSync(path.join(ROOT, "config", "examples", "okta-metadata.xml"), "utf8");

/** One error line: `error: `, the key or file, the value; no second line, no stack frame. */
function expectOneLine(line: string | undefined, ...fragments: string[]): void {
    expect(line, "an error line").to.be.a("string");
    const text = line as string;
    expect(text).to.match(/^error: \S/);
    expect(text, "one line").not.to.include("\n");
    expect(text, "no stack frame").not.to.match(/\bat .+:\d+:\d+/);
    for (const fragment of fragments) {
        expect(text).to.include(fragment);
    }
}

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A valid mgmt stack: customer role with narrowed trust, and the management preview role. */
function mgmtValues(): Values {
    return {
        // The trusted role is the customer's own: declared, since no stack creates it.
        organization: organization({ externalPrincipals: [`arn:aws:iam::${ACCESS}:role/platform`] }),
        customerAccess: {
            trust: {
                accounts: ["prod"],
                principals: [`arn:aws:iam::${ACCESS}:role/platform`],
                groups: [{ account: "access", name: "cloud-admins" }],
            },
        },
        managementPreviewRole: { accessAccount: "access" },
    };
}

/** A valid access stack, with every section a mistake can land in. */
function accessValues(): Values {
    return {
        organization: organization(),
        accessAccount: "access",
        identity: {
            users: [
                { name: "alice", groups: ["admins"], loginProfile: true, pgpKey: "keybase:alice_example" },
                { name: "bob", groups: ["developers"] },
            ],
            saml: [{ name: "okta", metadata: OKTA }],
            oidc: [{ name: "github", url: "https://token.actions.githubusercontent.com", clientIds: ["sts.amazonaws.com"] }],
        },
        teams: [
            { name: "admins", groups: ["admins"], saml: ["okta"], identityCenter: ["AccessAdmins"] },
            { name: "developers", groups: ["developers"] },
            { name: "deployer", oidc: [{ provider: "github", subjects: ["repo:acme/infra:ref:refs/heads/main"] }] },
        ],
        roles: [
            { name: "Administrator", teams: ["admins"], accounts: "*", managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
            { name: "Developer", teams: ["developers"], accounts: ["dev"] },
        ],
        previewRole: { repository: "acme/org-access" },
        identityCenter: {
            account: "management",
            region: "us-east-1",
            instanceArn: "arn:aws:sso:::instance/ssoins-72230000abcd1234",
            startUrl: "https://acme.awsapps.com/start",
            permissionSets: [{ name: "AccessAdmins", sessionDuration: "PT4H" }],
            assignments: [
                { permissionSet: "AccessAdmins", group: "9067000000-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", accounts: ["access"] },
            ],
        },
    };
}

interface ConfigCase {
    readonly name: string;
    readonly stack: "mgmt" | "access";
    /** Breaks one thing: in the structured values, or in the flat map itself. */
    readonly values?: (v: Values) => void;
    readonly flat?: (f: Record<string, string>) => void;
    /** The key the message must start with, and fragments it must hold (the value, what is wrong). */
    readonly key: string;
    readonly says: readonly string[];
}

const m = (name: string, values: (v: Values) => void, key: string, ...says: string[]): ConfigCase => ({
    name,
    stack: "mgmt",
    values,
    key,
    says,
});
const a = (name: string, values: (v: Values) => void, key: string, ...says: string[]): ConfigCase => ({
    name,
    stack: "access",
    values,
    key,
    says,
});
const f = (name: string, flat: (f: Record<string, string>) => void, key: string, ...says: string[]): ConfigCase => ({
    name,
    stack: "access",
    flat,
    key,
    says,
});
const ELEVEN = Array.from({ length: 11 }, (_, i) => `arn:aws:iam::555555555555:policy/P${i}`);

const CONFIG_CASES: readonly ConfigCase[] = [
    // Namespaces and provider keys: once accepted silently.
    f(
        "a typo in the namespace drops a section",
        (x) => ((x["org-acess:roles"] = x["org-access:roles"]), delete x["org-access:roles"]),
        "org-acess:roles",
        'unknown config namespace "org-acess"',
        "did you mean org-access:roles?",
    ),
    f(
        "a typo in aws:region's key",
        (x) => (x["aws:regoin"] = "us-east-1"),
        "aws:regoin",
        "unknown aws config key",
        "did you mean aws:region?",
    ),
    f("aws:region in the wrong case", (x) => (x["aws:Region"] = "us-east-1"), "aws:Region", "did you mean aws:region?"),
    f(
        "a typo in the aws namespace",
        (x) => (x["awss:profile"] = "prod"),
        "awss:profile",
        'unknown config namespace "awss"',
        "did you mean aws:profile?",
    ),
    f("an underscore for the dash", (x) => (x["org_access:teams"] = "[]"), "org_access:teams", "did you mean org-access:teams?"),
    f(
        "a namespace nothing reads",
        (x) => (x["kubernetes:context"] = "prod"),
        "kubernetes:context",
        'unknown config namespace "kubernetes"',
        "org-access:, aws:, pulumi:",
    ),
    f("an unknown pulumi: key", (x) => (x["pulumi:tagz"] = "{}"), "pulumi:tagz", "unknown pulumi config key", "did you mean pulumi:tags?"),
    f(
        "an unknown aws key far from any",
        (x) => (x["aws:zzzzzzzzzzzz"] = "1"),
        "aws:zzzzzzzzzzzz",
        "unknown aws config key (known: accessKey",
    ),
    f("a key without a namespace", (x) => (x["regions"] = "[]"), "regions", "is not <namespace>:<key>"),
    f("an unknown org-access key", (x) => (x["org-access:team"] = "[]"), "org-access:team", "unknown key (known keys: organization"),
    f(
        "a key in the wrong case",
        (x) => ((x["org-access:Organization"] = x["org-access:organization"]), delete x["org-access:organization"]),
        "org-access:Organization",
        "unknown key",
    ),
    f("a malformed region", (x) => (x["aws:region"] = "useast1"), "aws:region", '"useast1" is not an AWS region'),
    f("an empty region", (x) => (x["aws:region"] = ""), "aws:region", 'expected a non-empty string, got ""'),
    f(
        "structured config that is not JSON",
        (x) => (x["org-access:organization"] = "{id: o-1"),
        "org-access:organization",
        "is not valid structured config",
        '"{id: o-1"',
    ),
    f(
        "organization given as a string",
        (x) => (x["org-access:organization"] = "o-a1b2c3d4e5"),
        "org-access:organization",
        'expected an object, got "o-a1b2c3d4e5"',
    ),
    f("no organization", (x) => delete x["org-access:organization"], "org-access:organization", "is required"),
    // The organization.
    a(
        "a malformed organization id",
        (v) => (v.organization.id = "org-1"),
        "org-access:organization.id",
        '"org-1" is not an organization id',
    ),
    a(
        "a short management account id",
        (v) => (v.organization.managementAccountId = "1111"),
        "org-access:organization.managementAccountId",
        '"1111" is not a 12-digit account id',
    ),
    a(
        "an account id as a number",
        (v) => (v.organization.accounts[2].id = 444444444444),
        "org-access:organization.accounts[2].id",
        "expected a non-empty string, got 444444444444",
    ),
    a("accounts as a map", (v) => (v.organization.accounts = { prod: PROD }), "org-access:organization.accounts", "expected a list, got"),
    a(
        "an account named management",
        (v) => (v.organization.accounts[2].name = "management"),
        "org-access:organization.accounts[2].name",
        '"management" is reserved',
    ),
    a(
        "an account name with a space",
        (v) => (v.organization.accounts[2].name = "prod eu"),
        "org-access:organization.accounts[2].name",
        '"prod eu" is not an account name',
    ),
    a(
        "two accounts with one name",
        (v) => (v.organization.accounts[3].name = "prod"),
        "org-access:organization.accounts[3]",
        'duplicate account name "prod"',
    ),
    a(
        "two accounts with one id",
        (v) => (v.organization.accounts[3].id = PROD),
        "org-access:organization.accounts[3]",
        'duplicate account id "444444444444"',
    ),
    a(
        "the management account as a member",
        (v) => (v.organization.accounts[3].id = MANAGEMENT),
        "org-access:organization.accounts[3].id",
        '"111111111111" is the management account',
    ),
    a("an unknown key in organization", (v) => (v.organization.acounts = []), "org-access:organization.acounts", "unknown key"),
    a("an account without an id", (v) => delete v.organization.accounts[1].id, "org-access:organization.accounts[1].id", "is required"),
    a(
        "a deploy role name with a slash",
        (v) => (v.organization.deployRoleName = "admin/role"),
        "org-access:organization.deployRoleName",
        '"admin/role" is not an IAM name',
    ),
    // The customer role (stack mgmt).
    m(
        "a principal outside the organization",
        (v) => (v.customerAccess.trust.principals = [`arn:aws:iam::${OUTSIDER}:role/x`]),
        "org-access:customerAccess.trust.principals[0]",
        `"arn:aws:iam::${OUTSIDER}:role/x" is in account ${OUTSIDER}, which is not in org-access:organization.accounts`,
    ),
    m(
        "a customer role named like the management preview role",
        (v) => (v.customerAccess.roleName = "OrgAccessPreview"),
        "org-access:customerAccess.roleName",
        '"OrgAccessPreview" collides with the role of org-access:managementPreviewRole',
        "management (111111111111)",
    ),
    m(
        "a customer role named like the preview role, in another case",
        (v) => (v.customerAccess.roleName = "orgaccesspreview"),
        "org-access:customerAccess.roleName",
        '"orgaccesspreview" collides',
        "regardless of case",
    ),
    m(
        "a customer role named like the Config aggregator's service role",
        (v) => (v.customerAccess.roleName = "OrgAccessConfigAggregator"),
        "org-access:customerAccess.roleName",
        '"OrgAccessConfigAggregator" collides with the role of org-access:customerAccess',
    ),
    m(
        "an MFA requirement that is neither iam-users nor everyone",
        (v) => (v.customerAccess.trust.requireMfa = "all"),
        "org-access:customerAccess.trust.requireMfa",
        'expected iam-users or everyone, got "all"',
    ),
    m(
        "a customer role named like the management deploy role",
        (v) => ((v.organization.managementDeployRoleName = "Deployer"), (v.customerAccess.roleName = "Deployer")),
        "org-access:customerAccess.roleName",
        '"Deployer" collides with the role of org-access:organization.managementDeployRoleName',
    ),
    m(
        "a principal in the management account",
        (v) => (v.customerAccess.trust.principals = [`arn:aws:iam::${MANAGEMENT}:role/admin`]),
        "org-access:customerAccess.trust.principals[0]",
        "is in the management account",
    ),
    m(
        "a wildcard principal",
        (v) => (v.customerAccess.trust.principals = [`arn:aws:iam::${PROD}:role/*`]),
        "org-access:customerAccess.trust.principals[0]",
        `"arn:aws:iam::${PROD}:role/*" is not an exact IAM role or user ARN`,
    ),
    m(
        "a principal that is an account",
        (v) => (v.customerAccess.trust.principals = [PROD]),
        "org-access:customerAccess.trust.principals[0]",
        `"${PROD}" is not an exact IAM role or user ARN`,
    ),
    m(
        "the same principal twice",
        (v) => v.customerAccess.trust.principals.push(v.customerAccess.trust.principals[0]),
        "org-access:customerAccess.trust.principals[1]",
        "duplicate value",
    ),
    m(
        "an unknown trusted account",
        (v) => (v.customerAccess.trust.accounts = ["staging"]),
        "org-access:customerAccess.trust.accounts[0]",
        'unknown account "staging"',
    ),
    m(
        "the management account trusted",
        (v) => (v.customerAccess.trust.accounts = ["management"]),
        "org-access:customerAccess.trust.accounts[0]",
        '"management" is the management account',
    ),
    m(
        "one account twice, by name and id",
        (v) => (v.customerAccess.trust.accounts = ["prod", PROD]),
        "org-access:customerAccess.trust.accounts[1]",
        'duplicate account "prod"',
    ),
    m(
        "a group in an unknown account",
        (v) => (v.customerAccess.trust.groups[0].account = "nope"),
        "org-access:customerAccess.trust.groups[0].account",
        'unknown account "nope"',
    ),
    m(
        "a group without a name",
        (v) => delete v.customerAccess.trust.groups[0].name,
        "org-access:customerAccess.trust.groups[0].name",
        "is required",
    ),
    m(
        "a group name with a space",
        (v) => (v.customerAccess.trust.groups[0].name = "cloud admins"),
        "org-access:customerAccess.trust.groups[0].name",
        '"cloud admins" is not an IAM group name',
    ),
    m("an empty trust", (v) => (v.customerAccess.trust = {}), "org-access:customerAccess.trust", "names no accounts, principals or groups"),
    m(
        "a session shorter than IAM allows",
        (v) => (v.customerAccess.maxSessionDuration = 900),
        "org-access:customerAccess.maxSessionDuration",
        "900 is outside 3600-43200",
    ),
    m(
        "a session longer than IAM allows",
        (v) => (v.customerAccess.maxSessionDuration = 43201),
        "org-access:customerAccess.maxSessionDuration",
        "43201 is outside 3600-43200",
    ),
    m(
        "a session as words",
        (v) => (v.customerAccess.maxSessionDuration = "one hour"),
        "org-access:customerAccess.maxSessionDuration",
        'expected a whole number, got "one hour"',
    ),
    m(
        "a role name with a space",
        (v) => (v.customerAccess.roleName = "Pump Customer"),
        "org-access:customerAccess.roleName",
        '"Pump Customer" is not an IAM name',
    ),
    m(
        "a source profile with a space",
        (v) => (v.customerAccess.sourceProfile = "my profile"),
        "org-access:customerAccess.sourceProfile",
        '"my profile" is not a profile name',
    ),
    m(
        "a misspelled customerAccess key",
        (v) => (v.customerAccess.rolename = "X"),
        "org-access:customerAccess.rolename",
        "unknown key (known keys: roleName",
    ),
    m(
        "the preview role's access account unknown",
        (v) => (v.managementPreviewRole.accessAccount = "acces"),
        "org-access:managementPreviewRole.accessAccount",
        'unknown account "acces"',
    ),
    m(
        "the preview role's access account is the management account",
        (v) => (v.managementPreviewRole.accessAccount = "management"),
        "org-access:managementPreviewRole.accessAccount",
        '"management" is the management account',
    ),
    // The access account.
    a(
        "the access account is the management account",
        (v) => (v.accessAccount = "management"),
        "org-access:accessAccount",
        '"management" is the management account',
    ),
    a("an unknown access account", (v) => (v.accessAccount = "sandbox"), "org-access:accessAccount", 'unknown account "sandbox"'),
    a(
        "teams without an access account",
        (v) => delete v.accessAccount,
        "org-access:accessAccount",
        "is required when org-access:identity is set",
    ),
    a("an empty list of regions", (v) => (v.regions = []), "org-access:regions", "is empty"),
    a("one region twice", (v) => (v.regions = ["us-east-1", "us-east-1"]), "org-access:regions[1]", 'duplicate value "us-east-1"'),
    a("a region that does not exist", (v) => (v.regions = ["mars-1"]), "org-access:regions[0]", '"mars-1" is not an AWS region'),
    a("regions as a string", (v) => (v.regions = "us-east-1"), "org-access:regions", 'expected a list, got "us-east-1"'),
    // Users.
    a(
        "a login profile without pgpKey",
        (v) => delete v.identity.users[0].pgpKey,
        "org-access:identity.users[0].loginProfile",
        'is true for "alice" without pgpKey',
        "readable in state",
    ),
    a(
        "a pgpKey without a login profile",
        (v) => (v.identity.users[1].pgpKey = "keybase:bob_example"),
        "org-access:identity.users[1].pgpKey",
        "loginProfile is not true",
    ),
    a(
        "a pgpKey that is not a key",
        (v) => (v.identity.users[0].pgpKey = "my key"),
        "org-access:identity.users[0].pgpKey",
        '"my key" is not a PGP key',
    ),
    a(
        "loginProfile as a string",
        (v) => (v.identity.users[0].loginProfile = "yes"),
        "org-access:identity.users[0].loginProfile",
        'expected true or false, got "yes"',
    ),
    a(
        "a user name with a space",
        (v) => (v.identity.users[0].name = "alice smith"),
        "org-access:identity.users[0].name",
        '"alice smith" is not an IAM name',
    ),
    a(
        "two users differing in case",
        (v) => (v.identity.users[1].name = "Alice"),
        "org-access:identity.users[1]",
        'duplicate user name "Alice"',
        "IAM names ignore case",
    ),
    a("an unknown user key", (v) => (v.identity.users[0].group = ["admins"]), "org-access:identity.users[0].group", "unknown key"),
    a("an unknown identity key", (v) => (v.identity.user = []), "org-access:identity.user", "unknown key"),
    a(
        "an MFA age bound under 15 minutes",
        (v) => (v.identity.mfaMaxAgeSeconds = 60),
        "org-access:identity.mfaMaxAgeSeconds",
        "60 is outside 900-43200",
    ),
    a(
        "an enrolment window that is not a time",
        (v) => (v.identity.mfaEnrolmentUntil = "next friday"),
        "org-access:identity.mfaEnrolmentUntil",
        '"next friday" is not a UTC time',
    ),
    a(
        "groups differing only in case",
        (v) => (v.identity.groups = ["Admins"]),
        "org-access:identity.users",
        'group "admins" differs from group "Admins" only in case',
    ),
    // SAML metadata: once accepted when it was not XML.
    a(
        "SAML metadata that is not well-formed XML",
        (v) => (v.identity.saml[0].metadata = OKTA.replace("</md:EntityDescriptor>", "")),
        "org-access:identity.saml[0].metadata",
        "is not well-formed XML",
        "Unclosed tag 'md:EntityDescriptor'",
    ),
    a(
        "SAML metadata with a mismatched tag",
        (v) => (v.identity.saml[0].metadata = OKTA.replace("</md:IDPSSODescriptor>", "</md:IDPSSO>")),
        "org-access:identity.saml[0].metadata",
        "is not well-formed XML",
    ),
    a(
        "SAML metadata that is HTML",
        (v) => (v.identity.saml[0].metadata = "<html><body>Sign in</body></html>"),
        "org-access:identity.saml[0].metadata",
        "is not SAML metadata (the root element is <html>",
    ),
    a(
        "SAML metadata in another namespace",
        (v) => (v.identity.saml[0].metadata = OKTA.replace("urn:oasis:names:tc:SAML:2.0:metadata", "urn:example")),
        "org-access:identity.saml[0].metadata",
        "is not in the namespace urn:oasis:names:tc:SAML:2.0:metadata",
    ),
    a(
        "SAML metadata of a service provider",
        (v) => (v.identity.saml[0].metadata = OKTA.replace(/IDPSSODescriptor/g, "SPSSODescriptor")),
        "org-access:identity.saml[0].metadata",
        "no <IDPSSODescriptor>",
    ),
    a(
        "SAML metadata with an encryption key only",
        (v) => (v.identity.saml[0].metadata = OKTA.replace('use="signing"', 'use="encryption"')),
        "org-access:identity.saml[0].metadata",
        "has no signing certificate",
    ),
    a(
        "SAML metadata with an empty certificate",
        (v) => (v.identity.saml[0].metadata = OKTA.replace(/<ds:X509Certificate>[^<]+</, "<ds:X509Certificate><")),
        "org-access:identity.saml[0].metadata",
        "has no signing certificate",
    ),
    a(
        "SAML metadata over IAM's 10,000,000 characters",
        (v) => (v.identity.saml[0].metadata = OKTA + " ".repeat(10_000_001)),
        "org-access:identity.saml[0].metadata",
        "at most 10000000",
    ),
    a(
        "SAML metadata and a metadata file",
        (v) => (v.identity.saml[0].metadataFile = "config/examples/okta-metadata.xml"),
        "org-access:identity.saml[0]",
        "needs exactly one of metadata or metadataFile",
    ),
    a(
        "a metadata file that does not exist",
        (v) => (v.identity.saml[0] = { name: "okta", metadataFile: "config/examples/missing.xml" }),
        "org-access:identity.saml[0].metadataFile",
        '"config/examples/missing.xml" does not exist',
    ),
    a(
        "a metadata file outside the project",
        (v) => (v.identity.saml[0] = { name: "okta", metadataFile: "../idp.xml" }),
        "org-access:identity.saml[0].metadataFile",
        '"../idp.xml" must be a path inside the project',
    ),
    a(
        "a metadata file that is not metadata",
        (v) => (v.identity.saml[0] = { name: "okta", metadataFile: "package.json" }),
        "org-access:identity.saml[0].metadataFile",
        '"package.json" is not',
    ),
    a(
        "a SAML provider name with a slash",
        (v) => (v.identity.saml[0].name = "okta/prod"),
        "org-access:identity.saml[0].name",
        '"okta/prod" is not a SAML provider name',
    ),
    // OIDC.
    a(
        "an OIDC issuer over http",
        (v) => (v.identity.oidc[0].url = "http://token.actions.githubusercontent.com"),
        "org-access:identity.oidc[0].url",
        '"http://token.actions.githubusercontent.com" is not an https issuer URL',
    ),
    a(
        "an OIDC issuer with a trailing slash",
        (v) => (v.identity.oidc[0].url = "https://token.actions.githubusercontent.com/"),
        "org-access:identity.oidc[0].url",
        "no trailing slash",
    ),
    a(
        "no OIDC audience",
        (v) => (v.identity.oidc[0].clientIds = []),
        "org-access:identity.oidc[0].clientIds",
        "needs at least one client id",
    ),
    a(
        "a wildcard audience",
        (v) => (v.identity.oidc[0].clientIds = ["*"]),
        "org-access:identity.oidc[0].clientIds[0]",
        '"*" is not an OIDC client id',
    ),
    a(
        "a short thumbprint",
        (v) => (v.identity.oidc[0].thumbprints = ["abc"]),
        "org-access:identity.oidc[0].thumbprints[0]",
        '"abc" is not a 40-hex-digit certificate thumbprint',
    ),
    // Teams.
    a("a team naming an unknown group", (v) => (v.teams[0].groups = ["admin"]), "org-access:teams[0].groups[0]", '"admin"'),
    a("a team naming an unknown SAML provider", (v) => (v.teams[0].saml = ["okta2"]), "org-access:teams[0].saml[0]", '"okta2"'),
    a(
        "a team naming an unknown OIDC provider",
        (v) => (v.teams[2].oidc[0].provider = "gitlab"),
        "org-access:teams[2].oidc[0].provider",
        'unknown OIDC provider "gitlab"',
    ),
    a(
        "a bare wildcard subject",
        (v) => (v.teams[2].oidc[0].subjects = ["*"]),
        "org-access:teams[2].oidc[0].subjects[0]",
        '"*" is a bare wildcard',
    ),
    a(
        "a wildcard owner in a subject",
        (v) => (v.teams[2].oidc[0].subjects = ["repo:acme/*:ref:refs/heads/main"]),
        "org-access:teams[2].oidc[0].subjects[0]",
        "the repository and its owner must be exact",
    ),
    a(
        "a subject without a ref",
        (v) => (v.teams[2].oidc[0].subjects = ["repo:acme/infra"]),
        "org-access:teams[2].oidc[0].subjects[0]",
        "names no ref, environment or event",
    ),
    a("no subjects", (v) => (v.teams[2].oidc[0].subjects = []), "org-access:teams[2].oidc[0].subjects", "needs at least one subject"),
    a("two teams differing in case", (v) => (v.teams[1].name = "Admins"), "org-access:teams[1]", 'duplicate team name "Admins"'),
    a("a team that admits nobody", (v) => (v.teams[1] = { name: "orphans" }), "org-access:teams[1]", 'team "orphans" admits nobody'),
    a(
        "a team named like the deploy role",
        (v) => (v.teams[1].name = "OrganizationAccountAccessRole"),
        "org-access:teams[1].name",
        "is the organization's deploy role",
    ),
    a(
        "a team named like the preview team",
        (v) => (v.teams[1].name = "org-access-preview"),
        "org-access:teams[1].name",
        "is reserved for org-access:previewRole",
    ),
    a(
        "a team session over 12 hours",
        (v) => (v.teams[0].maxSessionDuration = 86400),
        "org-access:teams[0].maxSessionDuration",
        "86400 is outside 3600-43200",
    ),
    a(
        "a team with an unknown permission set",
        (v) => (v.teams[0].identityCenter = ["Admins"]),
        "org-access:teams[0].identityCenter[0]",
        'unknown permission set "Admins"',
    ),
    // Member roles.
    a("a role naming an unknown team", (v) => (v.roles[0].teams = ["admin"]), "org-access:roles[0].teams[0]", 'unknown team "admin"'),
    a(
        "a role in the management account",
        (v) => (v.roles[1].accounts = ["management"]),
        "org-access:roles[1].accounts[0]",
        '"management" is the management account',
    ),
    a(
        "a role in an unknown account",
        (v) => (v.roles[1].accounts = ["staging"]),
        "org-access:roles[1].accounts[0]",
        'unknown account "staging"',
    ),
    a(
        "a role in every account, written all",
        (v) => (v.roles[0].accounts = "all"),
        "org-access:roles[0].accounts",
        'expected "*" or a list of member accounts, got "all"',
    ),
    a("a role in no account", (v) => (v.roles[1].accounts = []), "org-access:roles[1].accounts", 'is empty; use "*"'),
    a(
        "a managed policy that is not an ARN",
        (v) => (v.roles[0].managedPolicyArns = ["AdministratorAccess"]),
        "org-access:roles[0].managedPolicyArns[0]",
        '"AdministratorAccess" is not a managed policy ARN',
    ),
    a(
        "eleven managed policies",
        (v) => (v.roles[0].managedPolicyArns = ELEVEN),
        "org-access:roles[0].managedPolicyArns",
        "lists 11 policies; IAM attaches at most 10",
    ),
    a(
        "a role named like the deploy role",
        (v) => (v.roles[1].name = "OrganizationAccountAccessRole"),
        "org-access:roles[1].name",
        "is the organization's deploy role",
    ),
    a(
        "a role named like the preview role",
        (v) => (v.roles[1].name = "OrgAccessPreview"),
        "org-access:roles[1].name",
        "is reserved for org-access:previewRole",
    ),
    a("two roles with one name", (v) => (v.roles[1].name = "administrator"), "org-access:roles[1]", 'duplicate role name "administrator"'),
    a(
        "a role named like a team, in the access account",
        (v) => ((v.roles[1].name = "admins"), (v.roles[1].accounts = ["access"])),
        "org-access:roles[1].name",
        '"admins" lands in the access account',
    ),
    a(
        "a role session over 12 hours",
        (v) => (v.roles[0].maxSessionDuration = 50000),
        "org-access:roles[0].maxSessionDuration",
        "50000 is outside 3600-43200",
    ),
    a("a one-character external id", (v) => (v.roles[0].externalId = "x"), "org-access:roles[0].externalId", '"x" is not an external id'),
    a("a description of two lines", (v) => (v.roles[0].description = "a\nb"), "org-access:roles[0].description", "is not one line"),
    a("a misspelled role key", (v) => (v.roles[0].acounts = "*"), "org-access:roles[0].acounts", "unknown key"),
    // Preview, deploy scope, Identity Center.
    a(
        "a preview repository with a wildcard",
        (v) => (v.previewRole.repository = "acme/*"),
        "org-access:previewRole.repository",
        '"acme/*" is not a GitHub repository',
    ),
    a(
        "a preview provider that does not exist",
        (v) => (v.previewRole.provider = "gitlab"),
        "org-access:previewRole.provider",
        'needs OIDC provider "gitlab"',
    ),
    a(
        "a deploy scope that deploys nothing",
        (v) => (v.deploy = { identity: false, memberAccounts: [] }),
        "org-access:deploy",
        "deploys nothing",
    ),
    a(
        "a deploy scope with an unknown account",
        (v) => (v.deploy = { memberAccounts: ["staging"] }),
        "org-access:deploy.memberAccounts[0]",
        'unknown account "staging"',
    ),
    a(
        "an Identity Center instance ARN without its id",
        (v) => (v.identityCenter.instanceArn = "arn:aws:sso:::instance/"),
        "org-access:identityCenter.instanceArn",
        "is not an Identity Center instance ARN",
    ),
    a(
        "an Identity Center start URL over http",
        (v) => (v.identityCenter.startUrl = "http://acme.awsapps.com/start"),
        "org-access:identityCenter.startUrl",
        "is not an https start URL",
    ),
    a(
        "an Identity Center region that does not exist",
        (v) => (v.identityCenter.region = "us-east"),
        "org-access:identityCenter.region",
        '"us-east" is not an AWS region',
    ),
    a(
        "a permission set session of 13 hours",
        (v) => (v.identityCenter.permissionSets[0].sessionDuration = "PT13H"),
        "org-access:identityCenter.permissionSets[0].sessionDuration",
        '"PT13H" is not an ISO 8601 duration',
    ),
    a(
        "an assignment of an unknown permission set",
        (v) => (v.identityCenter.assignments[0].permissionSet = "Admins"),
        "org-access:identityCenter.assignments[0].permissionSet",
        'unknown permission set "Admins"',
    ),
    a(
        "an assignment to a group by name",
        (v) => (v.identityCenter.assignments[0].group = "admins"),
        "org-access:identityCenter.assignments[0].group",
        '"admins" is not an identity store group id',
    ),
    a(
        "permission sets A and A_B",
        (v) => v.identityCenter.permissionSets.push({ name: "AccessAdmins_RO" }),
        "org-access:identityCenter.permissionSets[1].name",
        '"AccessAdmins_RO" starts with "AccessAdmins_"',
    ),
];

describe("first hour: every config mistake is one line naming the key and value, and nothing is registered", () => {
    it("covers at least 100 mistakes with the command-line cases below", () => {
        expect(CONFIG_CASES.length + FILE_CASES.length + CLI_CASES.length).to.be.at.least(100);
    });

    it("starts from configs that plan (each case below breaks exactly one thing)", async () => {
        for (const [stack, values] of [
            ["mgmt", mgmtValues()],
            ["access", accessValues()],
        ] as const) {
            const outcome = await planProgram({ stack, config: flatConfig(values) });
            expect(outcome.ok, `${stack}: ${outcome.ok ? "" : (outcome.error as Error).message}`).to.equal(true);
        }
    });

    it("needs no regions: the profiles use the stack's aws:region, or the first of regions", async () => {
        const values = accessValues();
        const regionOf = async (region: string, regions?: string[]) => {
            const outcome = await planProgram({ stack: "access", config: flatConfig({ ...values, regions }, region) });
            expect(outcome.ok, outcome.ok ? "" : (outcome.error as Error).message).to.equal(true);
            const text = outcome.ok ? (outcome.plan.outputs.access as { awsConfig: Record<string, string> }).awsConfig.alice : "";
            return [...new Set([...text.matchAll(/^region = (\S+)$/gm)].map((m) => m[1]))];
        };
        expect(await regionOf("eu-west-1")).to.deep.equal(["eu-west-1"]);
        expect(await regionOf("eu-west-1", ["eu-central-1"])).to.deep.equal(["eu-central-1"]);
    });

    for (const c of CONFIG_CASES) {
        it(c.name, async () => {
            const values = c.stack === "mgmt" ? mgmtValues() : accessValues();
            c.values?.(values);
            const flat = flatConfig(values);
            c.flat?.(flat);
            const message = await planError(c.stack, flat);
            expectOneLine(`error: ${message}`, `${c.key}: `, ...c.says);
            expect(message.startsWith(`${c.key}: `), message).to.equal(true);
        });
    }
});

/** Stack and project files: written to a temp project, read as `npm run plan` reads them. */
interface FileCase {
    readonly name: string;
    /** Files of the project directory (Pulumi.yaml defaults to a valid one). */
    readonly files: Readonly<Record<string, string | null>>;
    /** The stack to plan, and the config file, if any, relative to the project. */
    readonly stack: string;
    readonly configFile?: string;
    /** What the line must hold, with `DIR` standing for the project directory. */
    readonly says: readonly string[];
}

const PROJECT = "name: org-access\nruntime: nodejs\n";
const STACK = [
    "config:",
    "  aws:region: us-east-1",
    "  org-access:organization:",
    "    id: o-a1b2c3d4e5",
    '    managementAccountId: "111111111111"',
    "    accounts:",
    "      - name: prod",
    '        id: "444444444444"',
    "  org-access:customerAccess: {}",
    "",
].join("\n");
const withProject = (config: string) => ({ "Pulumi.yaml": `${PROJECT}config:\n${config}\n`, "Pulumi.mgmt.yaml": STACK });

const FILE_CASES: readonly FileCase[] = [
    {
        name: "an unknown stack lists the stacks found",
        files: { "Pulumi.mgmt.yaml": STACK, "Pulumi.access.yaml": STACK },
        stack: "mgnt",
        says: ['DIR/Pulumi.mgnt.yaml: no such stack "mgnt" (did you mean "mgmt"?); stacks found: access, mgmt'],
    },
    { name: "a missing --config-file", files: {}, stack: "mgmt", configFile: "nope.yaml", says: ["DIR/nope.yaml: does not exist"] },
    {
        name: "--config-file naming a directory",
        files: { "sub/.keep": "" },
        stack: "mgmt",
        configFile: "sub",
        says: ["DIR/sub: is a directory, not a YAML file"],
    },
    { name: "an empty stack file", files: { "Pulumi.mgmt.yaml": "" }, stack: "mgmt", says: ["DIR/Pulumi.mgmt.yaml: is empty"] },
    {
        name: "a stack file of comments only",
        files: { "Pulumi.mgmt.yaml": "# config:\n#   aws:region: us-east-1\n" },
        stack: "mgmt",
        says: ["DIR/Pulumi.mgmt.yaml: is empty"],
    },
    {
        name: "a misspelled top key",
        files: { "Pulumi.mgmt.yaml": STACK.replace("config:", "conifg:") },
        stack: "mgmt",
        says: ['DIR/Pulumi.mgmt.yaml: unknown top-level key "conifg" (did you mean config:?)'],
    },
    {
        name: "a stack file with no config block",
        files: { "Pulumi.mgmt.yaml": "secretsprovider: passphrase\n" },
        stack: "mgmt",
        says: ["DIR/Pulumi.mgmt.yaml: has no config: block"],
    },
    {
        name: "config as a list",
        files: { "Pulumi.mgmt.yaml": "config:\n  - aws:region: us-east-1\n" },
        stack: "mgmt",
        says: ["DIR/Pulumi.mgmt.yaml: config: expected a mapping", "got a list"],
    },
    {
        name: "a stack file that is a list",
        files: { "Pulumi.mgmt.yaml": "- config\n" },
        stack: "mgmt",
        says: ["DIR/Pulumi.mgmt.yaml: expected a mapping with a config: block, got a list"],
    },
    {
        name: "a stack key without a namespace",
        files: { "Pulumi.mgmt.yaml": STACK + "  regions: [us-east-1]\n" },
        stack: "mgmt",
        says: ['DIR/Pulumi.mgmt.yaml: config key "regions" is not <namespace>:<name> (write org-access:regions)'],
    },
    {
        name: "a YAML syntax error",
        files: { "Pulumi.mgmt.yaml": STACK + "  org-access:regions: [us-east-1,\n" },
        stack: "mgmt",
        says: ["DIR/Pulumi.mgmt.yaml:11:1: unexpected end of the stream within a flow collection"],
    },
    {
        name: "a duplicate key",
        files: { "Pulumi.mgmt.yaml": STACK + "  aws:region: eu-west-1\n" },
        stack: "mgmt",
        says: ["DIR/Pulumi.mgmt.yaml:10:3: duplicated mapping key"],
    },
    {
        name: "tab indentation",
        files: { "Pulumi.mgmt.yaml": "config:\n\taws:region: us-east-1\n" },
        stack: "mgmt",
        says: ["DIR/Pulumi.mgmt.yaml:2:1: tab characters must not be used in indentation (indent with spaces)"],
    },
    {
        name: "a bare * read as an alias",
        files: { "Pulumi.mgmt.yaml": STACK + "  org-access:roles:\n    - accounts: *\n" },
        stack: "mgmt",
        says: ["DIR/Pulumi.mgmt.yaml:11:18: name of an alias node must contain at least one character", 'quote it: "*"'],
    },
    {
        name: "bad indentation",
        files: { "Pulumi.mgmt.yaml": "config:\n  aws:region: us-east-1\n org-access:x: 1\n" },
        stack: "mgmt",
        says: ["DIR/Pulumi.mgmt.yaml:3:"],
    },
    // Project files: as the Pulumi CLI reads them.
    {
        name: "a project file that does not exist",
        files: { "Pulumi.yaml": null, "Pulumi.mgmt.yaml": STACK },
        stack: "mgmt",
        says: ["DIR/Pulumi.yaml: does not exist"],
    },
    {
        name: "a project without a name",
        files: { "Pulumi.yaml": "runtime: nodejs\n", "Pulumi.mgmt.yaml": STACK },
        stack: "mgmt",
        says: ["DIR/Pulumi.yaml: project is missing a 'name' attribute"],
    },
    {
        name: "a project without a runtime",
        files: { "Pulumi.yaml": "name: org-access\n", "Pulumi.mgmt.yaml": STACK },
        stack: "mgmt",
        says: ["DIR/Pulumi.yaml: project is missing a 'runtime' attribute"],
    },
    {
        name: "a stackConfigDir that does not exist",
        files: { "Pulumi.yaml": `${PROJECT}stackConfigDir: stacks\n`, "Pulumi.mgmt.yaml": STACK },
        stack: "mgmt",
        says: ['DIR/Pulumi.yaml: stackConfigDir: "stacks" is not a directory'],
    },
    {
        name: "a project config list outside value:",
        files: withProject("  regions: [us-east-1]"),
        stack: "mgmt",
        says: ["DIR/Pulumi.yaml: config.regions: a list must sit under value: (write regions: {value: [...]})"],
    },
    {
        name: "a project config object outside value:",
        files: withProject("  org-access:deploy:\n    identity: false"),
        stack: "mgmt",
        says: ['DIR/Pulumi.yaml: config.org-access:deploy: unknown attribute "identity"', "must sit under value:"],
    },
    {
        name: "a project config with default and value",
        files: withProject("  regions:\n    default: [us-east-1]\n    value: [us-west-2]"),
        stack: "mgmt",
        says: ["DIR/Pulumi.yaml: config.regions: cannot have both a 'default' and 'value' attribute"],
    },
    {
        name: "a provider key with a default",
        files: withProject("  aws:region:\n    default: us-east-1"),
        stack: "mgmt",
        says: [
            "DIR/Pulumi.yaml: config.aws:region: is not namespaced by the project and should not define a default value; use value: instead",
        ],
    },
    {
        name: "a provider key with a type",
        files: withProject("  aws:region:\n    type: string\n    value: us-east-1"),
        stack: "mgmt",
        says: ["DIR/Pulumi.yaml: config.aws:region: is not namespaced by the project and should not define a type"],
    },
    {
        name: "a provider key declared without value",
        files: withProject("  aws:region:\n    description: the region"),
        stack: "mgmt",
        says: ["DIR/Pulumi.yaml: config.aws:region: is namespaced and must provide an attribute 'value'"],
    },
    {
        name: "an array type without items",
        files: withProject("  regions:\n    type: array\n    default: [us-east-1]"),
        stack: "mgmt",
        says: ["DIR/Pulumi.yaml: config.regions: declares an array but does not specify the underlying type via the 'items' attribute"],
    },
    {
        name: "a default of the wrong type",
        files: withProject("  accessAccount:\n    type: integer\n    default: access"),
        stack: "mgmt",
        says: ['DIR/Pulumi.yaml: config.accessAccount: the default value "access" is not of the expected type "integer"'],
    },
    {
        name: "an unknown config type",
        files: withProject("  accessAccount:\n    type: text"),
        stack: "mgmt",
        says: ['DIR/Pulumi.yaml: config.accessAccount: type "text" is not one of string, integer, boolean, array'],
    },
    {
        name: "a fractional project config value",
        files: withProject("  timeout: 1.5"),
        stack: "mgmt",
        says: ["DIR/Pulumi.yaml: config.timeout: expected a string, an integer, a boolean or a declaration with value:, got 1.5"],
    },
    {
        name: "a YAML error in the project file",
        files: { "Pulumi.yaml": `${PROJECT}config:\n  a: 1\n  a: 2\n`, "Pulumi.mgmt.yaml": STACK },
        stack: "mgmt",
        says: ["DIR/Pulumi.yaml:5:3: duplicated mapping key"],
    },
    // Project config the CLI accepts, and a typo in it: reaches the program's own check.
    {
        name: "a project config namespace typo",
        files: withProject("  org-acess:regions:\n    value: [us-east-1]"),
        stack: "mgmt",
        says: ['org-acess:regions: unknown config namespace "org-acess" (did you mean org-access:regions?)'],
    },
];

function writeProject(dir: string, files: Readonly<Record<string, string | null>>): void {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const all: Record<string, string | null> = { "Pulumi.yaml": PROJECT, ...files };
    for (const [name, text] of Object.entries(all)) {
        if (text !== null) {
            fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
            fs.writeFileSync(path.join(dir, name), text);
        }
    }
}

describe("first hour: file mistakes name the file (and line), and nothing is registered", () => {
    let base: string;
    before(() => (base = fs.mkdtempSync(path.join(os.tmpdir(), "org-access-first-hour-"))));
    after(() => fs.rmSync(base, { recursive: true, force: true }));

    FILE_CASES.forEach((c, i) => {
        it(c.name, async () => {
            const dir = path.join(base, `p${i}`);
            writeProject(dir, c.files);
            const outcome = await planProgram({
                stack: c.stack,
                projectDir: dir,
                configFile: c.configFile && path.join(dir, c.configFile),
            }).then(
                (o) => o,
                (error: unknown) => ({ ok: false as const, error, registered: [] }),
            );
            expect(outcome.ok, "the plan must fail").to.equal(false);
            if (!outcome.ok) {
                expect(outcome.registered.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
                expectOneLine(errorLine(outcome.error), ...c.says.map((s) => s.replace(/DIR/g, dir)));
            }
        });
    });
});

/** Command-line misuse, through the same `execute` every command's process runs. */
interface CliCase {
    readonly name: string;
    readonly run: () => Promise<CommandOutcome>;
    readonly code: number;
    readonly says: readonly string[];
}

const plan =
    (...argv: string[]) =>
    () =>
        execute(PLAN_COMMAND, argv, planMain);
const check =
    (...argv: string[]) =>
    () =>
        execute(POLICY_CHECK_COMMAND, argv, policyCheckMain);
const bench =
    (...argv: string[]) =>
    () =>
        execute(BENCH_COMMAND, argv, async (flags) => void parseOptions(flags));
const docs =
    (...argv: string[]) =>
    () =>
        execute(DOCS_COMMAND, argv, async () => 0);
const MISSING_DIR = path.join(os.tmpdir(), "org-access-no-such-dir", "plan.json");

const CLI_CASES: readonly CliCase[] = [
    { name: "plan: a misspelled flag", run: plan("--stak", "mgmt"), code: 2, says: ["--stak: unknown flag (did you mean --stack?)"] },
    { name: "plan: a single-dash flag", run: plan("-s", "mgmt"), code: 2, says: ["-s: unknown flag"] },
    { name: "plan: a stack without --stack", run: plan("mgmt"), code: 2, says: ['"mgmt": unexpected argument'] },
    { name: "plan: --stack without a value", run: plan("--stack"), code: 2, says: ["--stack: needs a value NAME"] },
    { name: "plan: --stack followed by a flag", run: plan("--stack", "--json", "x.json"), code: 2, says: ["--stack: needs a value NAME"] },
    {
        name: "plan: --config-file twice",
        run: plan("--stack", "mgmt", "--config-file", "a.yaml", "--config-file", "b.yaml"),
        code: 2,
        says: ['--config-file: given more than once ("a.yaml", "b.yaml")'],
    },
    {
        name: "plan: --json twice",
        run: plan("--stack", "mgmt", "--json", "a.json", "--json", "b.json"),
        code: 2,
        says: ['--json: given more than once ("a.json", "b.json")'],
    },
    {
        name: "plan: the same --stack twice",
        run: plan("--stack", "mgmt", "--stack", "mgmt"),
        code: 2,
        says: ['--stack: "mgmt" given twice'],
    },
    {
        name: "plan: --config-file without --stack",
        run: plan("--config-file", "Pulumi.mgmt.yaml"),
        code: 2,
        says: ['--config-file: "Pulumi.mgmt.yaml" is one stack\'s config; give exactly one --stack (got 0)'],
    },
    {
        name: "plan: --config-file for two stacks",
        run: plan("--stack", "mgmt", "--stack", "access", "--config-file", "Pulumi.mgmt.yaml"),
        code: 2,
        says: ["give exactly one --stack (got 2)"],
    },
    {
        name: "plan: --json for two stacks",
        run: plan("--stack", "mgmt", "--stack", "access", "--json", "x.json"),
        code: 2,
        says: ['--json: "x.json" holds one stack\'s plan'],
    },
    {
        name: "plan: --json into a missing directory",
        run: plan("--stack", "mgmt", "--json", MISSING_DIR),
        code: 2,
        says: [`--json: ${JSON.stringify(MISSING_DIR)}: directory`, "does not exist"],
    },
    {
        name: "plan: --json naming a directory",
        run: plan("--stack", "mgmt", "--json", os.tmpdir()),
        code: 2,
        says: [`--json: ${JSON.stringify(os.tmpdir())} is a directory`],
    },
    { name: "plan: --help with a value", run: plan("--help=yes"), code: 2, says: ["--help"] },
    { name: "plan: an unknown stack", run: plan("--stack", "prod"), code: 1, says: ['no such stack "prod"', "stacks found: access, mgmt"] },
    { name: "plan: an empty stack name", run: plan("--stack="), code: 1, says: ['no such stack ""'] },
    {
        name: "plan: a missing --config-file",
        run: plan("--stack", "mgmt", "--config-file", "missing.yaml"),
        code: 1,
        says: ["missing.yaml: does not exist"],
    },
    {
        name: "plan: --config-file naming a directory",
        run: plan("--stack", "mgmt", "--config-file", "docs"),
        code: 1,
        says: ["docs: is a directory, not a YAML file"],
    },
    {
        name: "policy-check: conflicting --stack flags",
        run: check("--stack", "mgmt", "--stack", "access"),
        code: 2,
        says: ['--stack: given more than once ("mgmt", "access"); it takes one value'],
    },
    { name: "policy-check: no --stack", run: check(), code: 2, says: ["--stack: is required"] },
    {
        name: "policy-check: a misspelled flag",
        run: check("--stack", "mgmt", "--config", "x.yaml"),
        code: 2,
        says: ["--config: unknown flag (did you mean --config-file?)"],
    },
    {
        name: "policy-check: an unknown stack",
        run: check("--stack", "mgnt"),
        code: 1,
        says: ['no such stack "mgnt" (did you mean "mgmt"?)'],
    },
    { name: "bench: --full and --sizes", run: bench("--full", "--sizes", "10"), code: 2, says: ["--full: conflicts with --sizes"] },
    { name: "bench: sizes that are not numbers", run: bench("--sizes", "ten"), code: 2, says: ['--sizes: "ten" is not whole numbers'] },
    {
        name: "bench: pack rounds that are not a number",
        run: bench("--pack-rounds", "-1"),
        code: 2,
        says: ["--pack-rounds: needs a value N"],
    },
    {
        name: "bench: no program run",
        run: bench("--program-runs", "0"),
        code: 2,
        says: ['--program-runs: "0" is not a whole number of at least 1'],
    },
    { name: "docs: --check with a value", run: docs("--check=yes"), code: 2, says: ['--check: takes no value, got "yes"'] },
    { name: "docs: a positional argument", run: docs("check"), code: 2, says: ['"check": unexpected argument'] },
];

describe("first hour: command-line misuse is one line and a usage exit code", () => {
    for (const c of CLI_CASES) {
        it(c.name, async () => {
            const outcome = await c.run();
            expect(outcome.code, outcome.error).to.equal(c.code);
            expectOneLine(outcome.error, ...c.says);
        });
    }

    const commands: [string, CommandSpec<Record<string, FlagSpec>>][] = [
        ["plan", PLAN_COMMAND],
        ["policy-check", POLICY_CHECK_COMMAND],
        ["bench", BENCH_COMMAND],
        ["docs", DOCS_COMMAND],
    ];
    for (const [name, spec] of commands) {
        it(`${name} --help prints usage with every flag, exit 0`, async () => {
            const outcome = await execute(spec, ["--help"], async () => {
                throw new Error("--help must not run the command");
            });
            expect(outcome.code).to.equal(0);
            expect(outcome.help).to.match(/^usage: npm run /);
            for (const flag of Object.keys(spec.flags)) {
                expect(outcome.help).to.include(`--${flag}`);
            }
        });
    }
});

/** The commands as processes, all at once: the wiring from `execute` to stdout, stderr and exit. */
function run(script: string, ...argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, script), ...argv], {
            cwd: ROOT,
            env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

describe("first hour: the commands as a user runs them", () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "org-access-first-hour-cli-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("--help exits 0; a YAML error, a config error and a repeated flag are one line each", async function () {
        this.timeout(120000);
        const yamlFile = path.join(dir, "tabs.yaml");
        fs.writeFileSync(yamlFile, "config:\n\taws:region: us-east-1\n");
        const typoFile = path.join(dir, "typo.yaml");
        fs.writeFileSync(
            typoFile,
            `${fs.readFileSync(path.join(ROOT, "Pulumi.access.yaml"), "utf8")}  org-acess:roles:\n    - name: Auditor\n`,
        );
        // Every command shares runCommand; --help of each is checked in-process above.
        const [planHelp, yamlError, typo, twice] = await Promise.all([
            run("scripts/plan.ts", "--help"),
            run("scripts/plan.ts", "--stack", "access", "--config-file", yamlFile),
            run("scripts/plan.ts", "--stack", "access", "--config-file", typoFile),
            run("scripts/policy-check.ts", "--stack", "mgmt", "--stack", "access"),
        ]);
        expect(planHelp.code, planHelp.stderr).to.equal(0);
        expect(planHelp.stdout).to.match(/^usage: npm run plan -- /);
        expect(planHelp.stderr).to.equal("");
        expect(yamlError.code).to.equal(1);
        expect(yamlError.stderr).to.equal(`error: ${yamlFile}:2:1: tab characters must not be used in indentation (indent with spaces)\n`);
        expect(yamlError.stdout).to.equal("");
        expect(typo.code).to.equal(1);
        const typoLine = fs.readFileSync(typoFile, "utf8").split("\n").indexOf("  org-acess:roles:") + 1;
        expect(typo.stderr).to.equal(
            `error: ${typoFile}:${typoLine}:3: ` +
                'org-acess:roles: unknown config namespace "org-acess" (did you mean org-access:roles?); this program reads org-access:, aws:, pulumi:\n',
        );
        expect(twice.code).to.equal(2);
        expect(twice.stderr).to.equal('error: --stack: given more than once ("mgmt", "access"); it takes one value\n');
    });
});
