import { expect } from "chai";
import { accessMatrix } from "../../outputs/matrix";
import { ACCESS, DEV, LOG_ARCHIVE, MANAGEMENT, ORG_ID, OUTSIDER, OUTSIDER_ORG, PROD } from "../helpers/config";
import { runPlan } from "../helpers/plan";
import { Caller, decide } from "../helpers/simulate";
import { AccessIam, accessIam, decideWebIdentity } from "./chain-helpers";

/**
 * The access chains of the example org (Pulumi.access.yaml), decided by an IAM
 * simulator from the documents the plan registered: person -> team role in the
 * access account -> member role. Each hop needs both the caller's identity
 * policy and the role's trust policy.
 */
const GITHUB = `arn:aws:iam::${ACCESS}:oidc-provider/token.actions.githubusercontent.com`;
const OKTA = `arn:aws:iam::${ACCESS}:saml-provider/okta`;
const WITH_MFA = { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "300" };
const ALLOW_ALL_ASSUMES = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] };

describe("access stack: chains, simulated", () => {
    let iam: AccessIam;
    before(async () => {
        iam = accessIam(await runPlan({ stack: "access" }));
    });

    const userCaller = (name: string, context: Record<string, string> = WITH_MFA): Caller => {
        const user = iam.user(name);
        return { arn: user.arn, orgId: ORG_ID, identityPolicies: iam.groupPoliciesOf(user), context };
    };
    const teamCaller = (name: string): Caller => {
        const team = iam.role(ACCESS, name);
        return { arn: team.arn, orgId: ORG_ID, identityPolicies: team.policies };
    };
    const assume = (caller: Caller, accountId: string, roleName: string) => {
        const role = iam.role(accountId, roleName);
        return decide({
            caller,
            action: "sts:AssumeRole",
            resourceArn: role.arn,
            resourceAccount: accountId,
            resourceOrgId: ORG_ID,
            resourcePolicy: role.trustPolicy,
        });
    };

    describe("IAM users", () => {
        it("alice, in group admins and with MFA, assumes the admins team role, and from it Administrator in prod", async () => {
            expect(await assume(userCaller("alice"), ACCESS, "admins")).to.equal("Allowed");
            expect(await assume(teamCaller("admins"), PROD, "Administrator")).to.equal("Allowed");
        });

        it("the team may assume its member roles' names in the organization only, never in the management account", async () => {
            const admins = teamCaller("admins");
            const sameName = (account: string, orgId?: string) =>
                decide({
                    caller: admins,
                    action: "sts:AssumeRole",
                    resourceArn: `arn:aws:iam::${account}:role/Administrator`,
                    resourceAccount: account,
                    resourceOrgId: orgId,
                    // A hand-made role of the same name that trusts the access account wholesale.
                    resourcePolicy: {
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCESS}:root` }, Action: "sts:AssumeRole" }],
                    },
                });
            expect(await sameName(PROD, ORG_ID)).to.equal("Allowed");
            expect(await sameName(OUTSIDER, OUTSIDER_ORG)).to.equal("ImplicitlyDenied");
            expect(await sameName(OUTSIDER)).to.equal("ImplicitlyDenied");
            expect(await sameName(MANAGEMENT, ORG_ID)).to.equal("ImplicitlyDenied");
        });

        it("without MFA she may not: the group's MFA rule denies, and the trust requires it", async () => {
            expect(await assume(userCaller("alice", { "aws:MultiFactorAuthPresent": "false" }), ACCESS, "admins")).to.equal(
                "ExplicitlyDenied",
            );
            expect(await assume(userCaller("alice", {}), ACCESS, "admins")).to.equal("ExplicitlyDenied");
        });

        it("with an MFA sign-in older than the bound (14400 s) she may not", async () => {
            const stale = { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "14401" };
            expect(await assume(userCaller("alice", stale), ACCESS, "admins")).to.equal("ImplicitlyDenied");
        });

        it("she may not skip the team role and assume a member role directly", async () => {
            for (const [account, role] of [
                [PROD, "Administrator"],
                [DEV, "Administrator"],
                [PROD, "ReadOnly"],
            ]) {
                expect(await assume(userCaller("alice"), account, role), `${role} in ${account}`).to.not.equal("Allowed");
            }
            // Even with an identity policy allowing every assume, the member trust names only team roles.
            const greedy = { ...userCaller("alice"), identityPolicies: [ALLOW_ALL_ASSUMES] };
            expect(await assume(greedy, PROD, "Administrator")).to.equal("ImplicitlyDenied");
        });

        it("bob (developers) may not assume the admins team role: his group policy names only his own team", async () => {
            expect(await assume(userCaller("bob"), ACCESS, "developers")).to.equal("Allowed");
            expect(await assume(userCaller("bob"), ACCESS, "admins")).to.equal("ImplicitlyDenied");
        });
    });

    describe("member roles", () => {
        it("a team may not assume a role that was not granted to it", async () => {
            expect(await assume(teamCaller("developers"), PROD, "Administrator")).to.equal("ImplicitlyDenied");
            expect(await assume(teamCaller("deployer"), PROD, "Administrator")).to.equal("ImplicitlyDenied");
            expect(await assume(teamCaller("org-access-preview"), DEV, "Developer")).to.equal("ImplicitlyDenied");
        });

        it("a same-named role in another account may not assume it, in the organization or outside it", async () => {
            for (const [account, orgId] of [
                [DEV, ORG_ID],
                [LOG_ARCHIVE, ORG_ID],
                [OUTSIDER, OUTSIDER_ORG],
            ]) {
                const impostor: Caller = { arn: `arn:aws:iam::${account}:role/admins`, orgId, identityPolicies: [ALLOW_ALL_ASSUMES] };
                expect(await assume(impostor, PROD, "Administrator"), account).to.equal("ImplicitlyDenied");
            }
        });

        it("an access-account role that is not a team may not, neither a member role nor a team role", async () => {
            const other: Caller = {
                arn: `arn:aws:iam::${ACCESS}:role/ci-runner`,
                orgId: ORG_ID,
                identityPolicies: [ALLOW_ALL_ASSUMES],
                context: WITH_MFA,
            };
            expect(await assume(other, PROD, "Administrator")).to.equal("ImplicitlyDenied");
            // The team trust admits users of the access account only (aws:PrincipalArn like user/*).
            expect(await assume(other, ACCESS, "admins")).to.equal("ImplicitlyDenied");
        });

        it("simulated reach of every team role equals the access matrix read from the plan", async () => {
            const reachable = new Set(
                accessMatrix(iam)
                    .filter((r) => r.role)
                    .map((r) => `${r.team}->${r.role}@${r.accountId}`),
            );
            const teams = iam.roles.filter((r) => r.accountId === ACCESS && !r.name.startsWith("OrgAccess"));
            const members = iam.roles.filter((r) => !teams.includes(r));
            expect(reachable.size).to.be.greaterThan(10);
            for (const team of teams) {
                for (const member of members) {
                    const decision = await assume(teamCaller(team.name), member.accountId as string, member.name);
                    const key = `${team.name}->${member.name}@${member.accountId}`;
                    expect(decision === "Allowed", key).to.equal(reachable.has(key));
                }
            }
        });
    });

    describe("federation", () => {
        const github = (sub: string) => ({
            "token.actions.githubusercontent.com:sub": sub,
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        });

        it("a GitHub token of a configured subject assumes the deployer team role", () => {
            expect(decideWebIdentity(GITHUB, github("repo:acme/infra:ref:refs/heads/main"), iam.role(ACCESS, "deployer"))).to.equal(
                "Allowed",
            );
            expect(decideWebIdentity(GITHUB, github("repo:acme/infra:environment:production"), iam.role(ACCESS, "deployer"))).to.equal(
                "Allowed",
            );
        });

        it("a GitHub token whose subject was not configured may not", () => {
            for (const sub of [
                "repo:acme/infra:ref:refs/heads/feature",
                "repo:acme/infra:pull_request",
                "repo:acme/other:ref:refs/heads/main",
                "repo:evil/infra:ref:refs/heads/main",
            ]) {
                expect(decideWebIdentity(GITHUB, github(sub), iam.role(ACCESS, "deployer")), sub).to.equal("ImplicitlyDenied");
            }
        });

        it("a GitHub token for another audience may not", () => {
            const claims = {
                ...github("repo:acme/infra:ref:refs/heads/main"),
                "token.actions.githubusercontent.com:aud": "https://github.com/acme",
            };
            expect(decideWebIdentity(GITHUB, claims, iam.role(ACCESS, "deployer"))).to.equal("ImplicitlyDenied");
        });

        it("the preview role admits pull requests of the org-access repository only, and reaches OrgAccessPreview read-only", async () => {
            const preview = iam.role(ACCESS, "org-access-preview");
            expect(preview.arn).to.equal(`arn:aws:iam::${ACCESS}:role/org-access-preview`);
            expect(decideWebIdentity(GITHUB, github("repo:acme/org-access:pull_request"), preview)).to.equal("Allowed");
            expect(decideWebIdentity(GITHUB, github("repo:acme/org-access:ref:refs/heads/main"), preview)).to.equal("ImplicitlyDenied");
            expect(decideWebIdentity(GITHUB, github("repo:acme/infra:pull_request"), preview)).to.equal("ImplicitlyDenied");
            for (const account of [ACCESS, PROD, DEV, LOG_ARCHIVE]) {
                expect(await assume(teamCaller("org-access-preview"), account, "OrgAccessPreview"), account).to.equal("Allowed");
                expect(iam.role(account, "OrgAccessPreview").managedPolicyArns).to.deep.equal(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
            }
        });

        it("SAML from okta lands in admins only with the AWS sign-in audience", async () => {
            const admins = iam.role(ACCESS, "admins");
            const saml = (aud: string) =>
                decide({
                    caller: { arn: OKTA, context: { "SAML:aud": aud } },
                    action: "sts:AssumeRoleWithSAML",
                    resourceArn: admins.arn,
                    resourceAccount: ACCESS,
                    resourcePolicy: admins.trustPolicy,
                });
            expect(await saml("https://signin.aws.amazon.com/saml")).to.equal("Allowed");
            expect(await saml("https://example.com/saml")).to.equal("ImplicitlyDenied");
        });

        it("Identity Center: the AccessAdmins reserved role may assume admins; another permission set's may not", async () => {
            const ssoRole = (ps: string, path: string): Caller => ({
                arn: `arn:aws:iam::${ACCESS}:role/aws-reserved/sso.amazonaws.com/${path}AWSReservedSSO_${ps}_0123456789abcdef`,
                orgId: ORG_ID,
                identityPolicies: [ALLOW_ALL_ASSUMES],
            });
            expect(await assume(ssoRole("AccessAdmins", "us-west-2/"), ACCESS, "admins")).to.equal("Allowed");
            expect(await assume(ssoRole("AccessAdmins", ""), ACCESS, "admins")).to.equal("Allowed");
            expect(await assume(ssoRole("ReadOnly", ""), ACCESS, "admins")).to.equal("ImplicitlyDenied");
            expect(await assume(ssoRole("AccessAdmins", ""), ACCESS, "developers")).to.equal("ImplicitlyDenied");
        });
    });
});
