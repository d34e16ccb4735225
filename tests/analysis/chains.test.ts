import { expect } from "chai";
import { PlannedStack } from "../../analysis/organization";
import { IamRole } from "../../iam/entities";
import { organizationReach } from "../../analysis/reach";

/**
 * Chains over a small organization written as plan JSON: what a session
 * carries from hop to hop (MFA, source identity), shapes of one role in many
 * accounts, and what counts as granted.
 */
const ORG = "o-chains0000";
const MGMT = "100000000000";
const A = "200000000001";
const B = "200000000002";
const C = "200000000003";
const names: Record<string, string> = { [MGMT]: "management", [A]: "access", [B]: "b", [C]: "c" };
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const arn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const role = (account: string, name: string, trustPolicy: object, policies: object[] = []): IamRole => ({
    accountId: account,
    name,
    arn: arn(account, name),
    trustPolicy,
    policies,
    managedPolicyArns: [],
});
const assume = (resource: string | string[], extra: string[] = []) =>
    doc({ Effect: "Allow", Action: ["sts:AssumeRole", ...extra], Resource: resource });
const mfaDeny = doc({
    Effect: "Deny",
    NotAction: "iam:ChangePassword",
    Resource: "*",
    Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
});

function stack(roles: IamRole[], groupPolicies: Record<string, object[]>): PlannedStack {
    const users = [
        { accountId: A, name: "mfa-user", arn: `arn:aws:iam::${A}:user/mfa-user`, groups: ["enforced"], policies: [] },
        { accountId: A, name: "key-user", arn: `arn:aws:iam::${A}:user/key-user`, groups: ["plain"], policies: [] },
        { accountId: A, name: "admin-user", arn: `arn:aws:iam::${A}:user/admin-user`, groups: [], policies: [] },
    ];
    const groups = Object.entries(groupPolicies).map(([name, policies]) => ({
        accountId: A,
        name,
        arn: `arn:aws:iam::${A}:group/${name}`,
        policies,
        managedPolicyArns: [],
    }));
    const resources = [
        ...[MGMT, A, B, C].map((accountId) => ({ type: "pulumi:providers:aws", name: accountId, accountId, inputs: {} })),
        {
            type: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
            name: "admin-user-admin",
            accountId: A,
            inputs: { user: "admin-user", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
        },
    ];
    return { stack: "chains", organizationId: ORG, resources, iam: { roles, groups, users } };
}

describe("reach: chains", () => {
    const team = role(
        A,
        "team",
        doc({
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${A}:root` },
            Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
            Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${A}:user/*` } },
        }),
        [assume([arn(B, "Ops"), arn(C, "Ops")], ["sts:SetSourceIdentity"])],
    );
    const opsTrust = doc({ Effect: "Allow", Principal: { AWS: team.arn }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] });
    const ops = [B, C].map((a) => role(a, "Ops", opsTrust, [assume(arn(MGMT, "*"), ["sts:SetSourceIdentity"])]));
    const mfaOnly = role(
        MGMT,
        "NeedsMfa",
        doc({
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:PrincipalOrgID": ORG }, Bool: { "aws:MultiFactorAuthPresent": "true" } },
        }),
    );
    const siOnly = role(
        MGMT,
        "NeedsSourceIdentity",
        doc({
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
            Condition: { StringEquals: { "aws:PrincipalOrgID": ORG }, Null: { "aws:SourceIdentity": "false" } },
        }),
    );
    const onlyC = role(MGMT, "OnlyC", doc({ Effect: "Allow", Principal: { AWS: arn(C, "Ops") }, Action: "sts:AssumeRole" }));
    const groups = {
        enforced: [mfaDeny, assume(team.arn, ["sts:SetSourceIdentity"])],
        plain: [assume(team.arn)],
    };
    const result = organizationReach([stack([team, ...ops, mfaOnly, siOnly, onlyC], groups)], (id) => names[id] ?? id);
    const reached = (from: string) => result.reach.filter((r) => r.from === from).map((r) => r.to);

    it("an MFA sign-in carries through the chain into a trust that requires MFA; long-term keys do not", () => {
        expect(reached("user:mfa-user")).to.include(mfaOnly.arn);
        expect(reached("user:key-user")).to.include(arn(B, "Ops")).and.not.include(mfaOnly.arn);
    });

    it("a source identity can be set at any hop whose trust and identity allow sts:SetSourceIdentity, and persists", () => {
        expect(reached("user:mfa-user")).to.include(siOnly.arn);
        // key-user's own policy does not allow sts:SetSourceIdentity; the team role's does, and Ops trusts it to set one.
        expect(reached("user:key-user")).to.include(siOnly.arn);
    });

    it("once a session carries a source identity, every later hop needs sts:SetSourceIdentity in the caller's policy and the trust", () => {
        // Ops's trust no longer allows sts:SetSourceIdentity: a session that set one at the team role cannot enter Ops at
        // all, and one that did not cannot set one at Ops, so nobody reaches the role that requires a source identity.
        const strictOps = [B, C].map((a) =>
            role(a, "Ops", doc({ Effect: "Allow", Principal: { AWS: team.arn }, Action: "sts:AssumeRole" }), [
                assume(arn(MGMT, "*"), ["sts:SetSourceIdentity"]),
            ]),
        );
        const strict = organizationReach([stack([team, ...strictOps, siOnly], groups)], (id) => names[id] ?? id);
        const strictReach = (from: string) => strict.reach.filter((r) => r.from === from).map((r) => r.to);
        expect(strictReach("user:mfa-user")).to.include(arn(B, "Ops")).and.not.include(siOnly.arn);
        expect(strictReach("user:key-user")).to.include(arn(B, "Ops")).and.not.include(siOnly.arn);
        // The role that requires one, trusting sts:AssumeRole alone, is out of reach for any session that carries one.
        const assumeOnly = role(
            MGMT,
            "NeedsSourceIdentity",
            doc({
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:PrincipalOrgID": ORG }, Null: { "aws:SourceIdentity": "false" } },
            }),
        );
        const refused = organizationReach([stack([team, ...ops, assumeOnly], groups)], (id) => names[id] ?? id);
        expect(refused.reach.filter((r) => r.to === assumeOnly.arn)).to.deep.equal([]);
    });

    it("a trust that names one copy of a shape is reached through that copy", () => {
        const path = result.reach.find((r) => r.from === "user:key-user" && r.to === onlyC.arn)?.path;
        expect(path).to.deep.equal([team.arn, arn(C, "Ops"), onlyC.arn]);
    });

    it("a user's AWS managed attachment counts (AdministratorAccess), and reaching through it is not a grant", () => {
        expect(reached("user:admin-user")).to.include(team.arn);
        expect(result.alerts.find((a) => a.from === "user:admin-user" && a.to === team.arn)?.why).to.include("not granted");
        expect(result.alerts.filter((a) => a.from === "user:mfa-user" && a.to === team.arn)).to.deep.equal([]);
    });

    it("a hop allowed by a wildcard (role/*) into a trust that names the caller exactly is granted: the trust is the gate", () => {
        // Ops's policy allows role/* in the management account; OnlyC's trust names Ops @ c exactly (analysis/reach.ts grantedHop).
        const alerts = result.alerts.filter((a) => a.from === "user:key-user");
        // Alerted only because a member-account role leads into the management account, not as "not granted".
        expect(alerts.find((a) => a.to === onlyC.arn)?.why).to.equal(
            `member-account role ${arn(C, "Ops")} leads into the management account`,
        );
        expect(alerts.map((a) => a.to)).to.not.include(arn(B, "Ops"));
        expect(reached("user:key-user")).to.include(onlyC.arn);
        // The member-account role's own way into the management account is still alerted, as granted.
        const own = result.alerts.find((a) => a.from === `role:${arn(C, "Ops")}` && a.to === onlyC.arn);
        expect(own?.why).to.equal("member-account role may assume a management-account role");
        // A wildcard into a trust that names only the caller's account is not granted (admin-user, AdministratorAccess).
        expect(result.alerts.find((a) => a.from === "user:admin-user" && a.to === team.arn)?.why)
            .to.include("not granted")
            .and.include("wildcard");
    });
});
