import { expect } from "chai";
import { ConfigError } from "../../config/errors";
import { parseStackConfig } from "../../config/stack";
import { PolicyDocument } from "../../iam/documents";
import { fakeStoreGroupId, GET_GROUP_TOKEN, Plan, modelOf } from "../../offline/plan";
import { renderPlan } from "../../offline/report";
import { AccessModel } from "../../model/organization";
import { teamOutputs, userProfiles } from "../../outputs/profiles";
import { accessGraph, accessMatrix } from "../../outputs/matrix";
import { METADATA } from "./config.test";
import { ACCESS, flatConfig, MANAGEMENT, ORG_ID } from "../helpers/config";
import { ofType, planError, runPlan } from "../helpers/plan";
import { Caller, decide, Decision } from "../helpers/simulate";

/**
 * Issue #12, "the model says what people mean": grants per team, accounts by
 * OU and tag, Identity Center groups by display name, SourceIdentity, and a
 * break-glass team. IAM decisions are made by iam-simulate from the documents
 * the model builds (the ones the roles receive).
 */
const PROD_A = "444444444401";
const PROD_B = "444444444402";
const DEV = "555555555501";
const LOGS = "333333333301";
const SANDBOX = "666666666601";
const STORE_GROUP = "9067000000-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function values(): Record<string, any> {
    return {
        organization: {
            id: ORG_ID,
            managementAccountId: MANAGEMENT,
            accounts: [
                { name: "access", id: ACCESS, ou: "security" },
                { name: "log-archive", id: LOGS, ou: "security", tags: { data: "logs" } },
                { name: "prod-a", id: PROD_A, ou: "workloads/prod", tags: { env: "prod", team: "app" } },
                { name: "prod-b", id: PROD_B, ou: "workloads/prod/eu", tags: { env: "prod", team: "web" } },
                { name: "dev", id: DEV, ou: "workloads/dev", tags: { env: "dev" } },
                { name: "sandbox", id: SANDBOX },
            ],
        },
        accessAccount: "access",
        identity: {
            users: [
                { name: "alice", groups: ["admins"] },
                { name: "root-1", groups: ["break-glass"] },
            ],
            saml: [{ name: "okta", metadata: METADATA }],
            oidc: [{ name: "github", url: "https://token.actions.githubusercontent.com", clientIds: ["sts.amazonaws.com"] }],
        },
        teams: [
            { name: "admins", groups: ["admins"], saml: ["okta"] },
            { name: "ci-app", oidc: [{ provider: "github", subjects: ["repo:acme/app:ref:refs/heads/main"] }] },
            { name: "ci-web", oidc: [{ provider: "github", subjects: ["repo:acme/web:ref:refs/heads/main"] }] },
            { name: "emergency", groups: ["break-glass"], breakGlass: true },
        ],
        roles: [
            {
                name: "Deployer",
                grants: [
                    { teams: ["ci-app"], accounts: ["prod-a"] },
                    { teams: ["ci-web"], accounts: ["prod-b"] },
                ],
                managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"],
            },
            { name: "Audited", teams: ["admins"], accounts: [{ ou: "workloads" }], requireSourceIdentity: true },
            { name: "ProdReader", teams: ["admins"], accounts: [{ tag: { env: "prod" } }, "prod-a"] },
            { name: "BreakGlass", teams: ["emergency"], accounts: "*", managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
        ],
        identityCenter: {
            account: "access",
            region: "us-east-1",
            instanceArn: "arn:aws:sso:::instance/ssoins-72230000abcd1234",
            startUrl: "https://acme.awsapps.com/start",
            identityStoreId: "d-9067000000",
            permissionSets: [{ name: "Viewers" }],
            assignments: [
                { permissionSet: "Viewers", group: { displayName: "Platform Admins" }, accounts: [{ ou: "workloads/prod" }] },
                { permissionSet: "Viewers", group: STORE_GROUP, accounts: ["dev"] },
            ],
        },
    };
}

type Mutate = (v: ReturnType<typeof values>) => void;
const config = (mutate: Mutate = () => undefined) => {
    const v = values();
    mutate(v);
    return flatConfig(v);
};
const parsed = (mutate?: Mutate) => parseStackConfig(config(mutate));

describe("model grants (issue #12)", () => {
    let plan: Plan;
    let access: AccessModel;
    before(async () => {
        plan = await runPlan({ stack: "access", config: config() });
        access = modelOf(plan).access as AccessModel;
    });

    const teamRole = (name: string) => access.teams.find((t) => t.team.name === name)!.role;
    const copy = (role: string, accountId: string) =>
        access.memberRoles.find((m) => m.spec.name === role)?.copies.find((c) => c.account.id === accountId);
    const teamCaller = (name: string, context: Record<string, string> = {}): Caller => {
        const role = teamRole(name);
        return { arn: role.arn, orgId: ORG_ID, identityPolicies: Object.values(role.inline), context };
    };
    const userCaller = (name: string, context: Record<string, string>): Caller => {
        const user = access.users.find((u) => u.spec.name === name)!;
        const policies = access.groups.filter((g) => user.spec.groups.includes(g.name)).flatMap((g) => Object.values(g.policies));
        return { arn: user.arn, orgId: ORG_ID, identityPolicies: policies, context: { "aws:username": name, ...context } };
    };
    const assume = (caller: Caller, role: string, accountId: string, action = "sts:AssumeRole"): Promise<Decision> => {
        const target = accountId === ACCESS ? teamRole(role) : copy(role, accountId);
        expect(target, `${role} in ${accountId}`).to.not.equal(undefined);
        return decide({
            caller,
            action,
            resourceArn: target!.arn,
            resourceAccount: accountId,
            resourceOrgId: ORG_ID,
            resourcePolicy: target!.trust,
        });
    };

    describe("grants per team", () => {
        it("ci-app may assume Deployer in prod-a and not in prod-b; ci-web the reverse", async () => {
            expect(await assume(teamCaller("ci-app"), "Deployer", PROD_A)).to.equal("Allowed");
            expect(await assume(teamCaller("ci-app"), "Deployer", PROD_B)).to.equal("ImplicitlyDenied");
            expect(await assume(teamCaller("ci-web"), "Deployer", PROD_B)).to.equal("Allowed");
            expect(await assume(teamCaller("ci-web"), "Deployer", PROD_A)).to.equal("ImplicitlyDenied");
        });

        it("each copy's trust names only the team granted there; the team policy stays role names in the organization", () => {
            const principals = (doc: PolicyDocument) => doc.Statement.flatMap((s) => Object.values(s.Condition?.ArnEquals ?? {}));
            expect(principals(copy("Deployer", PROD_A)!.trust)).to.deep.equal([`arn:aws:iam::${ACCESS}:role/ci-app`]);
            expect(principals(copy("Deployer", PROD_B)!.trust)).to.deep.equal([`arn:aws:iam::${ACCESS}:role/ci-web`]);
            expect(copy("Deployer", DEV)).to.equal(undefined);
            const policy = teamRole("ci-app").inline["assume-member-roles"];
            expect(policy.Statement[0].Resource).to.equal("arn:aws:iam::*:role/Deployer");
            expect(policy.Statement[0].Condition).to.deep.include({ StringEquals: { "aws:ResourceOrgID": ORG_ID } });
        });

        it("the registered roles carry the per-account trust", () => {
            const roles = ofType(plan, "aws:iam/role:Role").filter((r) => r.inputs.name === "Deployer");
            expect(roles.map((r) => r.accountId).sort()).to.deep.equal([PROD_A, PROD_B]);
            for (const r of roles) {
                const trust = JSON.parse(r.inputs.assumeRolePolicy as string) as PolicyDocument;
                const team = r.accountId === PROD_A ? "ci-app" : "ci-web";
                expect(JSON.stringify(trust))
                    .to.include(`role/${team}"`)
                    .and.not.include(`role/${team === "ci-app" ? "ci-web" : "ci-app"}"`);
            }
        });

        it("team outputs and the matrix follow the grants", () => {
            const out = teamOutputs(access);
            expect(out["ci-app"].memberRoles.map((m) => `${m.account}:${m.roleArn}`)).to.deep.equal([
                `prod-a:arn:aws:iam::${PROD_A}:role/Deployer`,
            ]);
            expect(out["ci-web"].memberRoles.map((m) => m.account)).to.deep.equal(["prod-b"]);
            const rows = accessMatrix(accessGraph(access)).filter((r) => r.role === "Deployer");
            expect(rows.map((r) => `${r.team}@${r.accountId}`).sort()).to.deep.equal([`ci-app@${PROD_A}`, `ci-web@${PROD_B}`]);
        });
    });

    describe("accounts by OU and tag", () => {
        const names = (role: string, mutate?: Mutate) =>
            parsed(mutate)
                .access!.roles.find((r) => r.name === role)!
                .accounts.map((a) => a.name);

        it("an OU selects the accounts in it and under it", () => {
            expect(names("Audited")).to.deep.equal(["prod-a", "prod-b", "dev"]);
            expect(names("Audited", (v) => (v.roles[1].accounts = [{ ou: "workloads/prod" }]))).to.deep.equal(["prod-a", "prod-b"]);
            expect(names("Audited", (v) => (v.roles[1].accounts = [{ ou: "workloads/prod/eu" }]))).to.deep.equal(["prod-b"]);
        });

        it("a tag selects accounts carrying every key: value; an account selected twice lands once", () => {
            expect(names("ProdReader")).to.deep.equal(["prod-a", "prod-b"]);
            expect(names("ProdReader", (v) => (v.roles[2].accounts = [{ tag: { env: "prod", team: "web" } }]))).to.deep.equal(["prod-b"]);
            expect(names("ProdReader", (v) => (v.roles[2].accounts = [{ tag: { env: "dev" } }, { ou: "workloads" }]))).to.deep.equal([
                "dev",
                "prod-a",
                "prod-b",
            ]);
        });

        it("selectors work in grants, Identity Center assignments, customerAccess.trust.accounts and deploy.memberAccounts", () => {
            const c = parsed((v) => {
                v.roles[0].grants[1].accounts = [{ tag: { team: "web" } }];
                v.customerAccess = { trust: { accounts: [{ ou: "workloads/prod" }] } };
                v.deploy = { identity: true, customerAccess: true, memberAccounts: [{ tag: { env: "prod" } }] };
            });
            expect(c.access!.roles[0].grants[1].accounts.map((a) => a.name)).to.deep.equal(["prod-b"]);
            expect(c.access!.identityCenter!.assignments[0].accounts.map((a) => a.name)).to.deep.equal(["prod-a", "prod-b"]);
            expect(c.customerAccess!.trust!.accounts.map((a) => a.name)).to.deep.equal(["prod-a", "prod-b"]);
            expect(c.deploy.memberAccounts!.map((a) => a.name)).to.deep.equal(["prod-a", "prod-b"]);
        });
    });

    describe("SourceIdentity", () => {
        it("a member role that requires it: denied without a source identity, allowed with one (persisted from the first hop)", async () => {
            expect(await assume(teamCaller("admins"), "Audited", PROD_A)).to.equal("ImplicitlyDenied");
            expect(await assume(teamCaller("admins", { "sts:SourceIdentity": "alice" }), "Audited", PROD_A)).to.equal("Allowed");
            // A role that does not require it admits both.
            expect(await assume(teamCaller("admins"), "ProdReader", PROD_A)).to.equal("Allowed");
        });

        it("every human trust allows sts:SetSourceIdentity: IAM users, SAML and OIDC", async () => {
            const alice = userCaller("alice", {
                "aws:MultiFactorAuthPresent": "true",
                "aws:MultiFactorAuthAge": "60",
                "sts:SourceIdentity": "alice",
            });
            expect(await assume(alice, "admins", ACCESS, "sts:SetSourceIdentity")).to.equal("Allowed");
            const actionsOf = (team: string, sid: RegExp) =>
                teamRole(team)
                    .trust.Statement.filter((s) => sid.test(s.Sid ?? ""))
                    .flatMap((s) => [s.Action].flat());
            expect(actionsOf("admins", /^Saml$/)).to.include.members(["sts:AssumeRoleWithSAML", "sts:SetSourceIdentity"]);
            expect(actionsOf("ci-app", /^Oidc/)).to.include.members(["sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity"]);
        });
    });

    describe("break-glass team", () => {
        const mfa = (age: number) => ({ "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": String(age) });

        it("its user, with a fresh MFA sign-in, may assume the team role and from it BreakGlass anywhere", async () => {
            expect(await assume(userCaller("root-1", mfa(60)), "emergency", ACCESS)).to.equal("Allowed");
            expect(await assume(teamCaller("emergency"), "BreakGlass", SANDBOX)).to.equal("Allowed");
        });

        it("without MFA, or with an MFA sign-in older than 15 minutes, denied", async () => {
            expect(await assume(userCaller("root-1", { "aws:MultiFactorAuthPresent": "false" }), "emergency", ACCESS)).to.not.equal(
                "Allowed",
            );
            expect(await assume(userCaller("root-1", mfa(901)), "emergency", ACCESS)).to.equal("ImplicitlyDenied");
            // The same age is fine for a normal team (bound 14400 s).
            expect(await assume(userCaller("alice", mfa(901)), "admins", ACCESS)).to.equal("Allowed");
        });

        it("its users may not enrol or enable an MFA device themselves, even with MFA; other users may", async () => {
            for (const action of ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice"]) {
                const resource =
                    action === "iam:EnableMFADevice" ? `arn:aws:iam::${ACCESS}:user/root-1` : `arn:aws:iam::${ACCESS}:mfa/root-1`;
                const decision = await decide({
                    caller: userCaller("root-1", mfa(60)),
                    action,
                    resourceArn: resource,
                    resourceAccount: ACCESS,
                    resourceOrgId: ORG_ID,
                });
                expect(decision, action).to.equal("ExplicitlyDenied");
            }
            const alice = await decide({
                caller: userCaller("alice", mfa(60)),
                action: "iam:EnableMFADevice",
                resourceArn: `arn:aws:iam::${ACCESS}:user/alice`,
                resourceAccount: ACCESS,
                resourceOrgId: ORG_ID,
            });
            expect(alice).to.equal("Allowed");
        });

        it("the grid shows it apart, marked", async () => {
            const { breakGlassUser } = await import("../../analysis/organization");
            const { readStatements } = await import("../../iam/evaluator");
            const statementsOf = (name: string) =>
                access.groups
                    .filter((g) => g.name === name)
                    .flatMap((g) => Object.values(g.policies))
                    .flatMap((d) => readStatements(d));
            expect(breakGlassUser(statementsOf("break-glass"))).to.equal(true);
            expect(breakGlassUser(statementsOf("admins"))).to.equal(false);
        });

        it("profiles of a break-glass user chain to its member roles", () => {
            const user = access.users.find((u) => u.spec.name === "root-1")!;
            expect(userProfiles(access, user).map((p) => p.name)).to.include.members([
                "access-emergency",
                "sandbox-BreakGlass",
                "prod-a-BreakGlass",
            ]);
        });
    });

    describe("Identity Center groups by display name", () => {
        it("registers an AccountAssignment whose principalId comes from the identity store lookup, through the Identity Center account", () => {
            const assignments = ofType(plan, "aws:ssoadmin/accountAssignment:AccountAssignment");
            const byName = assignments.filter((a) => a.name.includes("name:Platform Admins"));
            expect(byName.map((a) => a.inputs.targetId).sort()).to.deep.equal([PROD_A, PROD_B]);
            for (const a of byName) {
                expect(a.inputs.principalId).to.equal(fakeStoreGroupId("Platform Admins"));
            }
            const byId = assignments.filter((a) => a.inputs.principalId === STORE_GROUP);
            expect(byId.map((a) => a.inputs.targetId)).to.deep.equal([DEV]);
            expect(plan.calls).to.have.length(1);
            expect(plan.calls?.[0]).to.deep.include({ token: GET_GROUP_TOKEN, accountId: ACCESS });
            expect(plan.calls?.[0].inputs).to.deep.include({
                identityStoreId: "d-9067000000",
                alternateIdentifier: { uniqueAttribute: { attributePath: "DisplayName", attributeValue: "Platform Admins" } },
            });
        });

        it("the plan report names the group by its display name, and marks the break-glass user in the grid", () => {
            const text = renderPlan(plan);
            expect(text).to.include(
                'Identity Center group "Platform Admins" (by display name, looked up at deploy) -> permission set Viewers @ prod-a, prod-b',
            );
            expect(text).to.include(`Identity Center group ${STORE_GROUP} -> permission set Viewers @ dev`);
            const rows = text.split("\n").filter((l) => /^\s+user:/.test(l));
            expect(rows.map((l) => l.trim().split(" ")[0])).to.deep.equal(["user:alice", "user:root-1"]);
            expect(rows[1]).to.include("user:root-1 [break-glass]");
            expect(rows[0]).to.not.include("[break-glass]");
        });

        it("the fake id is a function of the display name only", () => {
            expect(fakeStoreGroupId("Platform Admins")).to.equal(fakeStoreGroupId("Platform Admins"));
            expect(fakeStoreGroupId("Platform Admins")).to.not.equal(fakeStoreGroupId("Platform admins"));
            expect(fakeStoreGroupId("x")).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        });
    });

    describe("config errors: one line, naming the key and value, nothing registered", () => {
        const CASES: readonly { name: string; mutate: Mutate; message: string }[] = [
            {
                name: "grants together with teams",
                mutate: (v) => (v.roles[0].teams = ["ci-app"]),
                message:
                    "org-access:roles[0].teams: is set together with grants; use grants alone (teams + accounts is the one-grant shorthand)",
            },
            {
                name: "an empty list of grants",
                mutate: (v) => (v.roles[0].grants = []),
                message: "org-access:roles[0].grants: needs at least one grant",
            },
            {
                name: "a grant of an unknown team",
                mutate: (v) => (v.roles[0].grants[1].teams = ["ci-www"]),
                message: 'org-access:roles[0].grants[1].teams[0]: unknown team "ci-www" (not in org-access:teams)',
            },
            {
                name: "a grant without accounts",
                mutate: (v) => delete v.roles[0].grants[0].accounts,
                message: "org-access:roles[0].grants[0].accounts: is required",
            },
            {
                name: "the same team in the same account twice",
                mutate: (v) => v.roles[0].grants.push({ teams: ["ci-app"], accounts: [{ ou: "workloads/prod" }] }),
                message: 'org-access:roles[0].grants[2]: grants team "ci-app" in account "prod-a" again (also at [0])',
            },
            {
                name: "an unknown OU",
                mutate: (v) => (v.roles[1].accounts = [{ ou: "workloads/staging" }]),
                message:
                    'org-access:roles[1].accounts[0].ou: unknown organizational unit "workloads/staging" (no account of org-access:organization.accounts is in it or under it)',
            },
            {
                name: "an unknown tag",
                mutate: (v) => (v.roles[2].accounts = [{ tag: { environment: "prod" } }]),
                message:
                    'org-access:roles[2].accounts[0].tag.environment: unknown tag "environment" (no account of org-access:organization.accounts carries it)',
            },
            {
                name: "a tag selector that selects nothing",
                mutate: (v) => (v.roles[2].accounts = [{ tag: { env: "dev", team: "web" } }]),
                message: "org-access:roles[2].accounts[0].tag: env=dev, team=web selects no member account",
            },
            {
                name: "a selector with both ou and tag",
                mutate: (v) => (v.roles[2].accounts = [{ ou: "workloads", tag: { env: "dev" } }]),
                message: "org-access:roles[2].accounts[0]: needs exactly one of ou or tag",
            },
            {
                name: "an unknown selector key",
                mutate: (v) => (v.roles[2].accounts = [{ path: "workloads" }]),
                message: "org-access:roles[2].accounts[0].path: unknown key (known keys: ou, tag)",
            },
            {
                name: "a bad OU path on an account",
                mutate: (v) => (v.organization.accounts[2].ou = "workloads//prod"),
                message:
                    'org-access:organization.accounts[2].ou: "workloads//prod" is not an organizational unit name or path (workloads/prod)',
            },
            {
                name: "a tag value that is not a string",
                mutate: (v) => (v.organization.accounts[2].tags = { env: 1 }),
                message: "org-access:organization.accounts[2].tags.env: expected a tag value (0-256 characters), got 1",
            },
            {
                name: "an unknown OU in an Identity Center assignment",
                mutate: (v) => (v.identityCenter.assignments[0].accounts = [{ ou: "prod" }]),
                message:
                    'org-access:identityCenter.assignments[0].accounts[0].ou: unknown organizational unit "prod" (no account of org-access:organization.accounts is in it or under it)',
            },
            {
                name: "an unknown tag in deploy.memberAccounts",
                mutate: (v) => (v.deploy = { identity: true, memberAccounts: [{ tag: { owner: "x" } }] }),
                message:
                    'org-access:deploy.memberAccounts[0].tag.owner: unknown tag "owner" (no account of org-access:organization.accounts carries it)',
            },
            {
                name: "an unknown OU in customerAccess.trust.accounts",
                mutate: (v) => (v.customerAccess = { trust: { accounts: [{ ou: "sandbox" }] } }),
                message:
                    'org-access:customerAccess.trust.accounts[0].ou: unknown organizational unit "sandbox" (no account of org-access:organization.accounts is in it or under it)',
            },
            {
                name: "requireSourceIdentity that is not a boolean",
                mutate: (v) => (v.roles[1].requireSourceIdentity = "yes"),
                message: 'org-access:roles[1].requireSourceIdentity: expected true or false, got "yes"',
            },
            {
                name: "a break-glass team with SAML",
                mutate: (v) => (v.teams[3].saml = ["okta"]),
                message:
                    'org-access:teams[3].saml: is set on break-glass team "emergency"; a break-glass team admits IAM users (groups) only, independent of the IdP and of Identity Center',
            },
            {
                name: "a break-glass team with OIDC",
                mutate: (v) => (v.teams[3].oidc = [{ provider: "github", subjects: ["repo:acme/app:ref:refs/heads/main"] }]),
                message:
                    'org-access:teams[3].oidc: is set on break-glass team "emergency"; a break-glass team admits IAM users (groups) only, independent of the IdP and of Identity Center',
            },
            {
                name: "breakGlass that is not a boolean",
                mutate: (v) => (v.teams[3].breakGlass = "true"),
                message: 'org-access:teams[3].breakGlass: expected true or false, got "true"',
            },
            {
                name: "a display name without identityStoreId",
                mutate: (v) => delete v.identityCenter.identityStoreId,
                message:
                    'org-access:identityCenter.assignments[0].group: names group "Platform Admins" by display name, which is looked up in the identity store: set org-access:identityCenter.identityStoreId (d-xxxxxxxxxx)',
            },
            {
                name: "a bad identityStoreId",
                mutate: (v) => (v.identityCenter.identityStoreId = "d-123"),
                message: 'org-access:identityCenter.identityStoreId: "d-123" is not an identity store id (d- and 10 hex digits)',
            },
            {
                name: "a display name given as a plain string",
                mutate: (v) => (v.identityCenter.assignments[0].group = "Platform Admins"),
                message:
                    'org-access:identityCenter.assignments[0].group: "Platform Admins" is not an identity store group id; to name a group by display name, write { displayName: "Platform Admins" }',
            },
            {
                name: "an empty display name",
                mutate: (v) => (v.identityCenter.assignments[0].group = { displayName: "" }),
                message: 'org-access:identityCenter.assignments[0].group.displayName: expected a non-empty string, got ""',
            },
        ];

        it("accepts the base config", () => {
            expect(() => parsed()).to.not.throw();
        });

        for (const c of CASES) {
            it(`rejects ${c.name}`, async () => {
                expect(() => parsed(c.mutate)).to.throw(ConfigError);
                expect(await planError("access", config(c.mutate))).to.equal(c.message);
            });
        }
    });
});
