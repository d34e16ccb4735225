import { expect } from "chai";
import { accessMatrix } from "../../outputs/matrix";
import { renderMatrix } from "../../outputs/matrix-render";
import { policySize, PolicyDocument } from "../../iam/documents";
import { Plan } from "../../offline/plan";
import { iamView } from "../../offline/report";
import { readStackConfigFile, configFileFor } from "../../offline/stack-files";
import { ACCESS, MANAGEMENT } from "../helpers/config";
import { ofType, runPlan } from "../helpers/plan";

const ACCOUNT_NAMES: Record<string, string> = {
    "111111111111": "management",
    "222222222222": "access",
    "333333333333": "log-archive",
    "444444444444": "prod",
    "555555555555": "dev",
};

describe("access stack: the example plan", () => {
    let plan: Plan;
    before(async () => {
        plan = await runPlan({ stack: "access" });
    });
    const custom = () => plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));

    it("passes every resource an explicit, pinned provider", () => {
        for (const r of custom()) {
            expect(r.explicitProvider, `${r.type} ${r.name}`).to.equal(true);
            expect(r.accountId, `${r.type} ${r.name}`).to.match(/^\d{12}$/);
        }
    });

    it("puts no role, user, group or identity provider in the management account; only Identity Center administration", () => {
        const inManagement = custom().filter((r) => r.accountId === MANAGEMENT);
        expect(inManagement.map((r) => r.type.split(":")[1].split("/")[0])).to.satisfy((modules: string[]) =>
            modules.every((m) => m === "ssoadmin"),
        );
        expect(iamView(plan.resources).roles.filter((r) => r.accountId === MANAGEMENT)).to.deep.equal([]);
    });

    it("keeps identities in the access account only", () => {
        for (const type of [
            "aws:iam/user:User",
            "aws:iam/group:Group",
            "aws:iam/samlProvider:SamlProvider",
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        ]) {
            for (const r of ofType(plan, type)) {
                expect(r.accountId, `${type} ${r.name}`).to.equal(ACCESS);
            }
        }
        expect(ofType(plan, "aws:iam/accessKey:AccessKey")).to.deep.equal([]);
    });

    it("protects every role", () => {
        const roles = ofType(plan, "aws:iam/role:Role");
        expect(roles.length).to.equal(17); // 4 teams; Administrator x3, Developer, ReadOnly x2, Deployer x2, OrgAccessPreview x4; org-access-deploy
        for (const r of roles) {
            expect(r.protect, r.name).to.equal(true);
        }
    });

    it("keeps every trust policy within 2,048 characters and every inline policy within its quota", () => {
        const iam = iamView(plan.resources);
        for (const role of iam.roles) {
            expect(policySize(role.trustPolicy as unknown as PolicyDocument), `${role.arn} trust`).to.be.at.most(2048);
            const inline = role.policies.reduce((n, d) => n + policySize(d as unknown as PolicyDocument), 0);
            expect(inline, `${role.arn} inline`).to.be.at.most(10240);
        }
        for (const group of iam.groups) {
            const inline = group.policies.reduce((n, d) => n + policySize(d as unknown as PolicyDocument), 0);
            expect(inline, `${group.arn} inline`).to.be.at.most(5120);
        }
    });

    it("trusts exact team role ARNs in member roles: the access account, gated by an exact aws:PrincipalArn, never a wildcard", () => {
        const iam = iamView(plan.resources);
        const teamArns = iam.roles.filter((r) => r.accountId === ACCESS && !r.name.startsWith("OrgAccess")).map((r) => r.arn);
        type TrustStatement = { Principal: { AWS: string | string[] }; Condition: Record<string, Record<string, string | string[]>> };
        for (const role of iam.roles.filter((r) => !teamArns.includes(r.arn))) {
            const statements = (role.trustPolicy as { Statement: TrustStatement[] }).Statement;
            for (const s of statements) {
                expect([s.Principal.AWS].flat(), `${role.arn} principal`).to.deep.equal([`arn:aws:iam::${ACCESS}:root`]);
                for (const arn of [s.Condition.ArnEquals["aws:PrincipalArn"]].flat()) {
                    expect(teamArns.concat(`arn:aws:iam::${ACCESS}:role/org-access-preview`), `${role.arn} admits ${arn}`).to.include(arn);
                }
            }
        }
    });

    it("registers components with org-access tokens, and every IAM group carries the MFA rule", () => {
        const types = new Set(plan.resources.filter((r) => !r.custom).map((r) => r.type));
        for (const t of [
            "org-access:accounts:AdministrativeAccess",
            "org-access:accounts:AccessIdentity",
            "org-access:roles:TeamRole",
            "org-access:roles:MemberRole",
            "org-access:accounts:IdentityCenterAccess",
        ]) {
            expect(types, t).to.include(t);
        }
        const groups = iamView(plan.resources).groups;
        expect(groups.map((g) => g.name).sort()).to.deep.equal(["admins", "auditors", "developers"]);
        for (const g of groups) {
            const sids = g.policies.flatMap((d) => (d as { Statement: { Sid?: string }[] }).Statement.map((s) => s.Sid));
            expect(sids, g.name).to.include("DenyAllExceptListedIfNoMFA");
        }
    });

    it("names resources by stable keys: reordering teams, roles and users replaces nothing", async () => {
        const config = readStackConfigFile(configFileFor("access"));
        const reverse = (key: string) => JSON.stringify([...(JSON.parse(config[key]) as unknown[])].reverse());
        const identity = JSON.parse(config["org-access:identity"]) as { users: unknown[] };
        identity.users.reverse();
        const reordered = await runPlan({
            stack: "access",
            config: {
                ...config,
                "org-access:teams": reverse("org-access:teams"),
                "org-access:roles": reverse("org-access:roles"),
                "org-access:identity": JSON.stringify(identity),
            },
        });
        const names = (p: Plan) => p.resources.map((r) => `${r.type}::${r.name}`).sort();
        expect(names(reordered)).to.deep.equal(names(plan));
    });

    it("outputs switch-role URLs, chained ~/.aws/config profiles and the matrix the plan's documents give", () => {
        const access = plan.outputs.access as {
            teams: Record<string, { roleArn: string; switchRoleUrl: string; memberRoles: { account: string; roleArn: string }[] }>;
            awsConfig: Record<string, string>;
            identityCenterAwsConfig: string;
            matrix: string[];
            mermaid: string;
        };
        expect(access.teams.admins.roleArn).to.equal(`arn:aws:iam::${ACCESS}:role/admins`);
        expect(access.teams.admins.switchRoleUrl).to.equal(
            "https://signin.aws.amazon.com/switchrole?roleName=admins&account=222222222222&displayName=admins+%40+access",
        );
        expect(access.teams.admins.memberRoles.map((m) => `${m.account}:${m.roleArn}`)).to.include(
            "prod:arn:aws:iam::444444444444:role/Administrator",
        );

        const alice = access.awsConfig.alice;
        expect(alice).to.include(
            [
                "[profile access-admins]",
                "source_profile = access",
                "role_arn = arn:aws:iam::222222222222:role/admins",
                "mfa_serial = arn:aws:iam::222222222222:mfa/alice",
            ].join("\n"),
        );
        expect(alice).to.include(
            [
                "[profile prod-Administrator]",
                "source_profile = access-admins",
                "role_arn = arn:aws:iam::444444444444:role/Administrator",
                "role_session_name = alice",
                "duration_seconds = 3600",
            ].join("\n"),
        );
        expect(alice).to.not.include("Developer");
        expect(access.identityCenterAwsConfig).to.include("[sso-session org-access]\nsso_start_url = https://acme.awsapps.com/start");
        expect(access.identityCenterAwsConfig).to.include("sso_role_name = AccessAdmins");

        const fromPlan = renderMatrix(accessMatrix(iamView(plan.resources)), (id) => ACCOUNT_NAMES[id]);
        expect(access.matrix).to.deep.equal(fromPlan);
        expect(fromPlan).to.include("IAM user alice (MFA < 14400s old) -> team admins -> Administrator @ prod");
        expect(fromPlan).to.include(
            "OIDC token.actions.githubusercontent.com repo:acme/org-access:pull_request (aud sts.amazonaws.com) -> team org-access-preview -> OrgAccessPreview @ access",
        );
        expect(fromPlan.filter((l) => l.includes("bob") && l.includes("Administrator"))).to.deep.equal([]);
        expect(access.mermaid.split("\n")[0]).to.equal("flowchart LR");
    });
});
