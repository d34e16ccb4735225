import { expect } from "chai";
import { OrganizationPolicies, PlannedStack } from "../../analysis/organization";
import { IamRole } from "../../iam/entities";
import { judgeHop, organizationReach } from "../../analysis/reach";
import { decide } from "../helpers/simulate";

/**
 * SCPs, RCPs and session policies, as reach takes them (`OrganizationPolicies`):
 * each case judged by the engine (judgeHop, and reach over a small
 * organization) and by @cloud-copilot/iam-simulate, given the policies AWS
 * applies (none over the management account: AWS Organizations User Guide,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
 */
const ORG = "o-guard000001";
const MGMT = "100000000000";
const MEMBER = "200000000001";
const OTHER = "200000000002";
const OUTSIDER = "900000000000";
const names: Record<string, string> = { [MGMT]: "management", [MEMBER]: "member", [OTHER]: "other" };
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const arn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const userArn = (account: string, name: string) => `arn:aws:iam::${account}:user/${name}`;
const allowAssume = (resource: string | string[]) => doc({ Effect: "Allow", Action: "sts:AssumeRole", Resource: resource });
const trusting = (...principals: string[]) => doc({ Effect: "Allow", Principal: { AWS: principals }, Action: "sts:AssumeRole" });
const orgOf = (account: string) => (account === OUTSIDER ? undefined : ORG);

const fullAccess = doc({ Effect: "Allow", Action: "*", Resource: "*" });
const denyAssumeScp = doc({ Effect: "Deny", Action: "sts:AssumeRole", Resource: "*" });
/** Root and account level: FullAWSAccess at both, the Deny at the account. */
const denyAssumeLevels = [[fullAccess], [fullAccess, denyAssumeScp]];
/** The RCP perimeter: no sts:AssumeRole into the account's roles from outside the organization. */
const perimeterRcp = doc({
    Effect: "Deny",
    Principal: "*",
    Action: "sts:AssumeRole",
    Resource: "*",
    Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": ORG } },
});
const s3Only = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" });

/** One hop judged both ways: the engine's `allowed`, and the simulator's decision given what AWS applies. */
async function bothWays(hop: {
    caller: string;
    identity: object[];
    target: string;
    trust: object;
    policies?: OrganizationPolicies;
    sessionPolicy?: object;
}): Promise<{ engine: boolean; simulator: boolean }> {
    const callerAccount = hop.caller.split(":")[4];
    const targetAccount = hop.target.split(":")[4];
    const engine = judgeHop(
        { arn: hop.caller, organizationId: orgOf(callerAccount), sessionPolicy: hop.sessionPolicy },
        hop.identity,
        undefined,
        hop.target,
        hop.trust,
        hop.policies && { managementAccountId: MGMT, policies: hop.policies, organizationIdOf: orgOf },
    ).allowed;
    const decision = await decide({
        caller: { arn: hop.caller, orgId: orgOf(callerAccount), identityPolicies: hop.identity, sessionPolicy: hop.sessionPolicy },
        action: "sts:AssumeRole",
        resourceArn: hop.target,
        resourceAccount: targetAccount,
        resourceOrgId: orgOf(targetAccount),
        resourcePolicy: hop.trust,
        serviceControlPolicies: callerAccount === MGMT ? undefined : hop.policies?.serviceControlPolicies?.[callerAccount],
        resourceControlPolicies: targetAccount === MGMT ? undefined : hop.policies?.resourceControlPolicies?.[targetAccount],
    });
    return { engine, simulator: decision === "Allowed" };
}

describe("reach: SCPs, RCPs and session policies", () => {
    describe("an SCP that denies sts:AssumeRole", () => {
        const target = arn(OTHER, "Target");
        it("in the caller's account cuts its hop (and the same hop without it stands)", async () => {
            const hop = { caller: arn(MEMBER, "Ops"), identity: [allowAssume(target)], target, trust: trusting(arn(MEMBER, "Ops")) };
            expect(await bothWays(hop)).to.deep.equal({ engine: true, simulator: true });
            const policies = { serviceControlPolicies: { [MEMBER]: denyAssumeLevels } };
            expect(await bothWays({ ...hop, policies })).to.deep.equal({ engine: false, simulator: false });
        });

        it("on the management account cuts nothing: SCPs do not affect its principals", async () => {
            const hop = { caller: arn(MGMT, "Ops"), identity: [allowAssume(target)], target, trust: trusting(arn(MGMT, "Ops")) };
            const policies = { serviceControlPolicies: { [MGMT]: denyAssumeLevels } };
            expect(await bothWays({ ...hop, policies })).to.deep.equal({ engine: true, simulator: true });
        });

        it("does not cap a service-linked role of the account", () => {
            const slr = `arn:aws:iam::${MEMBER}:role/aws-service-role/ops.amazonaws.com/AWSServiceRoleForOps`;
            const policies = { serviceControlPolicies: { [MEMBER]: denyAssumeLevels } };
            const judged = (caller: string) =>
                judgeHop({ arn: caller, organizationId: ORG }, [allowAssume(target)], undefined, target, trusting(caller), {
                    managementAccountId: MGMT,
                    policies,
                }).allowed;
            expect(judged(slr)).to.equal(true);
            expect(judged(arn(MEMBER, "Ops"))).to.equal(false);
        });

        it("a level without an Allow allows nothing; FullAWSAccess at every level and a Deny elsewhere leave the hop", async () => {
            const hop = { caller: arn(MEMBER, "Ops"), identity: [allowAssume(target)], target, trust: trusting(arn(MEMBER, "Ops")) };
            const s3Level = [[fullAccess], [doc({ Effect: "Allow", Action: "s3:*", Resource: "*" })]];
            expect(await bothWays({ ...hop, policies: { serviceControlPolicies: { [MEMBER]: s3Level } } })).to.deep.equal({
                engine: false,
                simulator: false,
            });
            const otherDeny = [[fullAccess], [fullAccess, doc({ Effect: "Deny", Action: "s3:*", Resource: "*" })]];
            expect(await bothWays({ ...hop, policies: { serviceControlPolicies: { [MEMBER]: otherDeny } } })).to.deep.equal({
                engine: true,
                simulator: true,
            });
        });
    });

    describe("an RCP perimeter (deny sts:AssumeRole unless aws:PrincipalOrgID is the organization)", () => {
        const partner = arn(OUTSIDER, "Partner");
        const policies = { resourceControlPolicies: { [OTHER]: [[perimeterRcp]], [MGMT]: [[perimeterRcp]] } };
        it("denies an outside principal into a member role whose trust admits it", async () => {
            const target = arn(OTHER, "Vendor");
            const hop = { caller: partner, identity: [allowAssume("*")], target, trust: trusting(partner, arn(MEMBER, "Ops")) };
            expect(await bothWays(hop)).to.deep.equal({ engine: true, simulator: true });
            expect(await bothWays({ ...hop, policies })).to.deep.equal({ engine: false, simulator: false });
            // A principal of the organization still gets in.
            expect(await bothWays({ ...hop, caller: arn(MEMBER, "Ops"), policies })).to.deep.equal({ engine: true, simulator: true });
        });

        it("does not apply to a role in the management account", async () => {
            const target = arn(MGMT, "Vendor");
            const hop = { caller: partner, identity: [allowAssume("*")], target, trust: trusting(partner), policies };
            expect(await bothWays(hop)).to.deep.equal({ engine: true, simulator: true });
        });
    });

    describe("a session policy", () => {
        const target = arn(OTHER, "Target");
        const hop = { caller: arn(MEMBER, "Ops"), identity: [allowAssume(target)], target, trust: trusting(arn(MEMBER, "Ops")) };
        it("that omits sts:AssumeRole cuts the next hop", async () => {
            expect(await bothWays({ ...hop, sessionPolicy: s3Only })).to.deep.equal({ engine: false, simulator: false });
        });
        it("that allows it leaves the hop as the role's own policies decide", async () => {
            const sessionPolicy = doc({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" });
            expect(await bothWays({ ...hop, sessionPolicy })).to.deep.equal({ engine: true, simulator: true });
        });
    });

    describe("reach over an organization", () => {
        // member-user -> Ops @ member -> Target @ other; mgmt-user -> Admin @ management -> Target @ other.
        const role = (account: string, name: string, trustPolicy: object, policies: object[]): IamRole => ({
            accountId: account,
            name,
            arn: arn(account, name),
            trustPolicy,
            policies,
            managedPolicyArns: [],
        });
        const target = arn(OTHER, "Target");
        const stacks: PlannedStack[] = [
            {
                stack: "guard",
                organizationId: ORG,
                resources: [MGMT, MEMBER, OTHER].map((accountId) => ({
                    type: "pulumi:providers:aws",
                    name: accountId,
                    accountId,
                    inputs: {},
                })),
                iam: {
                    roles: [
                        role(MEMBER, "Ops", trusting(userArn(MEMBER, "member-user")), [allowAssume(target)]),
                        role(MGMT, "Admin", trusting(userArn(MGMT, "mgmt-user")), [allowAssume(target)]),
                        role(OTHER, "Target", trusting(arn(MEMBER, "Ops"), arn(MGMT, "Admin")), []),
                    ],
                    groups: [MEMBER, MGMT].map((account) => ({
                        accountId: account,
                        name: "g",
                        arn: `arn:aws:iam::${account}:group/g`,
                        policies: [allowAssume(arn(account, account === MGMT ? "Admin" : "Ops"))],
                        managedPolicyArns: [],
                    })),
                    users: [
                        { accountId: MEMBER, name: "member-user", arn: userArn(MEMBER, "member-user"), groups: ["g"], policies: [] },
                        { accountId: MGMT, name: "mgmt-user", arn: userArn(MGMT, "mgmt-user"), groups: ["g"], policies: [] },
                    ],
                },
            },
        ];
        const reachOf = (policies?: OrganizationPolicies) => {
            const result = organizationReach(stacks, (id) => names[id] ?? id, MGMT, policies);
            expect(result.problems).to.deep.equal([]);
            const out: Record<string, string[]> = {};
            for (const r of result.reach) (out[r.from] ??= []).push(r.to);
            return out;
        };
        const open = {
            "user:member-user": [arn(MEMBER, "Ops"), target],
            "user:mgmt-user": [arn(MGMT, "Admin"), target],
        };

        it("without organization policies is what it was", () => {
            expect(reachOf()).to.deep.equal(open);
            expect(reachOf({})).to.deep.equal(open);
        });

        it("an SCP denying sts:AssumeRole on every account stops the member user, not the management account's", () => {
            const levels = { [MEMBER]: denyAssumeLevels, [MGMT]: denyAssumeLevels, [OTHER]: denyAssumeLevels };
            expect(reachOf({ serviceControlPolicies: levels })).to.deep.equal({ "user:mgmt-user": open["user:mgmt-user"] });
        });

        it("a session policy on Ops without sts:AssumeRole ends the member user's chain at Ops", () => {
            expect(reachOf({ sessionPolicies: { [arn(MEMBER, "Ops")]: s3Only } })).to.deep.equal({
                "user:member-user": [arn(MEMBER, "Ops")],
                "user:mgmt-user": open["user:mgmt-user"],
            });
        });

        it("an unreadable organization policy is a problem naming where it sits", () => {
            const result = organizationReach(stacks, (id) => names[id] ?? id, MGMT, {
                serviceControlPolicies: { [MEMBER]: [[{ Statement: "nope" }]] },
            });
            expect(result.problems.join("\n")).to.match(new RegExp(`serviceControlPolicies\\.${MEMBER}\\[0\\]\\[0\\]`));
        });
    });
});
