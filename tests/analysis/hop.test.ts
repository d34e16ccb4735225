import { expect } from "chai";
import { judgeHop } from "../../analysis/reach";
import { managedPolicyDocument } from "../../analysis/managed-policies";
import { ACCESS, MANAGEMENT, ORG_ID, OUTSIDER, OUTSIDER_ORG, PROD } from "../helpers/config";
import { decide } from "../helpers/simulate";

/**
 * One hop, judged by the reach engine and by a real IAM evaluator
 * (@cloud-copilot/iam-simulate) from the same documents: a table of cases, one
 * or more per condition family the engine models. Each case states what the
 * engine must decide and checks the simulator agrees, so a case cannot pass
 * by the engine and the expectation sharing a mistake.
 */
const TARGET = `arn:aws:iam::${MANAGEMENT}:role/Target`;
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const assumeAny = doc({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" });
const trust = (statement: object) => doc({ Effect: "Allow", Action: "sts:AssumeRole", ...statement });

interface Case {
    readonly name: string;
    readonly caller: { arn: string; organizationId?: string; mfa?: boolean; sourceIdentity?: boolean };
    readonly identity?: object[];
    readonly boundary?: object;
    readonly trust: object;
    readonly allowed: boolean;
    /** Values for the keys the caller chooses (the engine assumes them; the simulator needs them). */
    readonly chosen?: Record<string, string>;
    readonly assumed?: string[];
}

const memberRole = (account = PROD, name = "Deployer") => ({ arn: `arn:aws:iam::${account}:role/${name}`, organizationId: ORG_ID });
const orgWide = trust({
    Principal: { AWS: "*" },
    Condition: { StringEquals: { "aws:PrincipalOrgID": ORG_ID }, StringNotEquals: { "aws:PrincipalAccount": MANAGEMENT } },
});

const CASES: Case[] = [
    // Organization id and account
    { name: "org-wide trust admits a member-account role of the organization", caller: memberRole(), trust: orgWide, allowed: true },
    {
        name: "org-wide trust refuses a role of another organization",
        caller: { arn: `arn:aws:iam::${OUTSIDER}:role/Deployer`, organizationId: OUTSIDER_ORG },
        trust: orgWide,
        allowed: false,
    },
    {
        name: "org-wide trust refuses the management account itself (StringNotEquals aws:PrincipalAccount)",
        caller: memberRole(MANAGEMENT),
        trust: orgWide,
        allowed: false,
    },
    {
        name: "account root principal admits that account's roles",
        caller: memberRole(),
        trust: trust({ Principal: { AWS: `arn:aws:iam::${PROD}:root` } }),
        allowed: true,
    },
    {
        name: "account root principal refuses another account",
        caller: memberRole(ACCESS),
        trust: trust({ Principal: { AWS: `arn:aws:iam::${PROD}:root` } }),
        allowed: false,
    },
    {
        name: "positive aws:PrincipalAccount list admits a listed account",
        caller: memberRole(),
        trust: trust({ Principal: { AWS: "*" }, Condition: { StringEquals: { "aws:PrincipalAccount": [PROD, ACCESS] } } }),
        allowed: true,
    },
    // Principal ARN
    {
        name: "exact role ARN principal admits that role",
        caller: memberRole(),
        trust: trust({ Principal: { AWS: memberRole().arn } }),
        allowed: true,
    },
    {
        name: "exact role ARN principal refuses a same-named role elsewhere",
        caller: memberRole(ACCESS),
        trust: trust({ Principal: { AWS: memberRole().arn } }),
        allowed: false,
    },
    {
        name: "aws:PrincipalArn glob admits a matching role",
        caller: memberRole(PROD, "team-ops"),
        trust: trust({
            Principal: { AWS: `arn:aws:iam::${PROD}:root` },
            Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${PROD}:role/team-*` } },
        }),
        allowed: true,
    },
    {
        name: "aws:PrincipalArn glob refuses a role outside it",
        caller: memberRole(PROD, "other"),
        trust: trust({
            Principal: { AWS: `arn:aws:iam::${PROD}:root` },
            Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${PROD}:role/team-*` } },
        }),
        allowed: false,
    },
    {
        name: "ArnNotLike excludes a role",
        caller: memberRole(PROD, "team-ops"),
        trust: trust({
            Principal: { AWS: "*" },
            Condition: { StringEquals: { "aws:PrincipalOrgID": ORG_ID }, ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/team-*" } },
        }),
        allowed: false,
    },
    // MFA
    {
        name: "MFA required, session with MFA",
        caller: { ...memberRole(), mfa: true },
        trust: trust({
            Principal: { AWS: "*" },
            Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" }, NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } },
        }),
        allowed: true,
    },
    {
        name: "MFA required, session without MFA",
        caller: memberRole(),
        trust: trust({ Principal: { AWS: "*" }, Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }),
        allowed: false,
    },
    {
        name: "an MFA-enforcing Deny (BoolIfExists false) stops a user without MFA",
        caller: { arn: `arn:aws:iam::${ACCESS}:user/alice`, organizationId: ORG_ID },
        identity: [
            assumeAny,
            doc({
                Effect: "Deny",
                NotAction: "iam:ChangePassword",
                Resource: "*",
                Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
            }),
        ],
        trust: trust({ Principal: { AWS: `arn:aws:iam::${ACCESS}:root` } }),
        allowed: false,
    },
    {
        name: "the same Deny lets a user with MFA through",
        caller: { arn: `arn:aws:iam::${ACCESS}:user/alice`, organizationId: ORG_ID, mfa: true },
        identity: [
            assumeAny,
            doc({
                Effect: "Deny",
                NotAction: "iam:ChangePassword",
                Resource: "*",
                Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
            }),
        ],
        trust: trust({ Principal: { AWS: `arn:aws:iam::${ACCESS}:root` } }),
        allowed: true,
    },
    // Source identity and external id
    {
        name: "source identity required, session carries one, both sides allow sts:SetSourceIdentity",
        caller: { ...memberRole(), sourceIdentity: true },
        identity: [doc({ Effect: "Allow", Action: ["sts:AssumeRole", "sts:SetSourceIdentity"], Resource: "*" })],
        trust: doc({
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
            Condition: { StringLike: { "aws:SourceIdentity": "*" } },
        }),
        allowed: true,
        chosen: { "aws:SourceIdentity": "alice", "sts:SourceIdentity": "alice" },
        assumed: ["aws:SourceIdentity"],
    },
    {
        name: "a session that carries a source identity is refused by a trust without sts:SetSourceIdentity",
        caller: { ...memberRole(), sourceIdentity: true },
        identity: [doc({ Effect: "Allow", Action: ["sts:AssumeRole", "sts:SetSourceIdentity"], Resource: "*" })],
        trust: trust({ Principal: { AWS: "*" }, Condition: { StringLike: { "aws:SourceIdentity": "*" } } }),
        allowed: false,
        chosen: { "aws:SourceIdentity": "alice", "sts:SourceIdentity": "alice" },
    },
    {
        name: "a session that carries a source identity is refused when its own policy lacks sts:SetSourceIdentity",
        caller: { ...memberRole(), sourceIdentity: true },
        trust: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"] }),
        allowed: false,
        chosen: { "aws:SourceIdentity": "alice", "sts:SourceIdentity": "alice" },
    },
    {
        name: "within one account, a trust naming the caller's role ARN is enough without an identity policy",
        caller: memberRole(MANAGEMENT),
        identity: [],
        trust: trust({ Principal: { AWS: memberRole(MANAGEMENT).arn } }),
        allowed: true,
    },
    {
        name: "within one account, a trust naming only the account needs the identity policy",
        caller: memberRole(MANAGEMENT),
        identity: [],
        trust: trust({ Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` } }),
        allowed: false,
    },
    {
        name: "within one account, a boundary that does not allow caps a trust naming the role (not its session)",
        caller: memberRole(MANAGEMENT),
        identity: [],
        boundary: doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }),
        trust: trust({ Principal: { AWS: memberRole(MANAGEMENT).arn } }),
        allowed: false,
    },
    {
        name: "across accounts, a trust naming the caller's role ARN still needs the identity policy",
        caller: memberRole(),
        identity: [],
        trust: trust({ Principal: { AWS: memberRole().arn } }),
        allowed: false,
    },
    {
        name: "source identity required, session has none",
        caller: memberRole(),
        trust: trust({ Principal: { AWS: "*" }, Condition: { StringLike: { "aws:SourceIdentity": "*" } } }),
        allowed: false,
    },
    {
        name: "external id: the caller is assumed to know it, and that is recorded",
        caller: memberRole(),
        trust: trust({ Principal: { AWS: memberRole().arn }, Condition: { StringEquals: { "sts:ExternalId": "s3cret" } } }),
        allowed: true,
        chosen: { "sts:ExternalId": "s3cret" },
        assumed: ["sts:ExternalId"],
    },
    // Identity side: deny, NotAction, NotResource, boundary, AWS managed documents
    {
        name: "an explicit Deny on the target wins over Allow *",
        caller: memberRole(),
        identity: [assumeAny, doc({ Effect: "Deny", Action: "sts:AssumeRole", Resource: TARGET })],
        trust: orgWide,
        allowed: false,
    },
    {
        name: "a trust Deny for the caller's account wins",
        caller: memberRole(),
        trust: doc(
            {
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:PrincipalOrgID": ORG_ID } },
            },
            {
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:PrincipalAccount": PROD } },
            },
        ),
        allowed: false,
    },
    {
        name: "NotResource excluding the target allows nothing there",
        caller: memberRole(),
        identity: [doc({ Effect: "Allow", Action: "sts:AssumeRole", NotResource: TARGET })],
        trust: orgWide,
        allowed: false,
    },
    {
        name: "no identity policy, no hop (the trust alone is not enough across accounts)",
        caller: memberRole(),
        identity: [],
        trust: orgWide,
        allowed: false,
    },
    {
        name: "a permissions boundary without sts:AssumeRole caps Allow *",
        caller: memberRole(),
        boundary: doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }),
        trust: orgWide,
        allowed: false,
    },
    {
        name: "a permissions boundary that allows sts:AssumeRole lets it through",
        caller: memberRole(),
        boundary: doc({ Effect: "Allow", Action: "sts:*", Resource: "*" }),
        trust: orgWide,
        allowed: true,
    },
    {
        name: "PowerUserAccess (NotAction iam:*, organizations:*, account:*) allows sts:AssumeRole",
        caller: memberRole(),
        identity: [managedPolicyDocument("arn:aws:iam::aws:policy/PowerUserAccess") as object],
        trust: orgWide,
        allowed: true,
    },
    {
        name: "ReadOnlyAccess does not allow sts:AssumeRole",
        caller: memberRole(),
        identity: [managedPolicyDocument("arn:aws:iam::aws:policy/ReadOnlyAccess") as object],
        trust: orgWide,
        allowed: false,
    },
];

describe("reach: one hop, the engine against an IAM simulator", () => {
    for (const c of CASES) {
        it(c.name, async () => {
            const identity = c.identity ?? [assumeAny];
            const engine = judgeHop(c.caller, identity, c.boundary, TARGET, c.trust);
            expect(engine.allowed, "engine").to.equal(c.allowed);
            expect(engine.assumed, "keys the engine left to the caller").to.include.members(c.assumed ?? []);
            const context: Record<string, string> = { ...(c.chosen ?? {}) };
            if (c.caller.mfa) Object.assign(context, { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "0" });
            else if (!c.caller.arn.includes(":user/")) context["aws:MultiFactorAuthPresent"] = "false";
            // A role's request comes from its session; the trust sees the role ARN as aws:PrincipalArn.
            const session = c.caller.arn.replace(/^arn:(aws[a-z-]*):iam::(\d{12}):role\/(.*)$/, "arn:$1:sts::$2:assumed-role/$3/session");
            // A session that carries a source identity also asks for sts:SetSourceIdentity on every chained hop.
            const actions = c.caller.sourceIdentity ? ["sts:AssumeRole", "sts:SetSourceIdentity"] : ["sts:AssumeRole"];
            const decisions: string[] = [];
            for (const action of actions) {
                decisions.push(
                    await decide({
                        caller: {
                            arn: session,
                            orgId: c.caller.organizationId,
                            identityPolicies: identity,
                            permissionsBoundary: c.boundary,
                            context: { "aws:PrincipalArn": c.caller.arn, ...context },
                        },
                        action,
                        resourceArn: TARGET,
                        resourceAccount: MANAGEMENT,
                        resourcePolicy: c.trust,
                    }),
                );
            }
            expect(
                decisions.every((d) => d === "Allowed"),
                `simulator: ${decisions.join(", ")}`,
            ).to.equal(c.allowed);
        });
    }

    it("a grant: the trust names the caller exactly, or the caller names the target exactly into a trust of its account; Allow * into an org-wide trust is not", () => {
        const exact = doc({ Effect: "Allow", Action: "sts:AssumeRole", Resource: TARGET });
        const accountRoot = `arn:aws:iam::${memberRole().arn.split(":")[4]}:root`;
        expect(judgeHop(memberRole(), [exact], undefined, TARGET, trust({ Principal: { AWS: memberRole().arn } })).granted).to.equal(true);
        // The trust is the exact gate: a role-name pattern on the caller's side does not matter.
        expect(judgeHop(memberRole(), [assumeAny], undefined, TARGET, trust({ Principal: { AWS: memberRole().arn } })).granted).to.equal(
            true,
        );
        expect(judgeHop(memberRole(), [exact], undefined, TARGET, trust({ Principal: { AWS: accountRoot } })).granted).to.equal(true);
        expect(judgeHop(memberRole(), [assumeAny], undefined, TARGET, trust({ Principal: { AWS: accountRoot } })).granted).to.equal(false);
        expect(judgeHop(memberRole(), [exact], undefined, TARGET, orgWide)).to.deep.include({ allowed: true, granted: false });
    });
});
