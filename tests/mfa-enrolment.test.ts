import { expect } from "chai";
import { mfaDeviceArn, userArn } from "../iam/arns";
import { mfaEnforcementPolicy } from "../model/access-policy";
import { toPlanJson } from "../offline/report";
import { ACCESS, ORG_ID } from "./helpers/config";
import { runPlan } from "./helpers/plan";
import { Decision, decide } from "./helpers/simulate";

/**
 * Who may enrol an MFA device for an IAM user (docs/lifecycle.md): without MFA, only the user, only
 * for themself, and only inside the enrolment window `identity.mfaEnrolmentUntil`; with no window,
 * nobody without MFA. With MFA, users manage their own devices at any time. Decided by a real IAM
 * evaluator over the policy every group carries.
 */
const WINDOW_END = "2026-12-01T12:00:00Z";
const INSIDE = "2026-12-01T09:00:00Z";
const AFTER = "2026-12-02T09:00:00Z";

async function asAlice(policy: object, action: string, resource: string, opts: { mfa: boolean; now: string }): Promise<Decision> {
    return decide({
        caller: {
            arn: userArn(ACCESS, "alice"),
            orgId: ORG_ID,
            identityPolicies: [policy],
            context: {
                "aws:username": "alice",
                "aws:CurrentTime": opts.now,
                ...(opts.mfa ? { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "60" } : {}),
            },
        },
        action,
        resourceArn: resource,
        resourceAccount: ACCESS,
    });
}

const OWN_USER = userArn(ACCESS, "alice");
const OWN_DEVICE = mfaDeviceArn(ACCESS, "alice");

describe("MFA enrolment cannot be claimed by someone who is not the user", () => {
    const windowed = mfaEnforcementPolicy(ACCESS, WINDOW_END);
    const closed = mfaEnforcementPolicy(ACCESS);

    const cases: [string, object, string, string, { mfa: boolean; now: string }, Decision][] = [
        [
            "inside the window, without MFA, a user enrols their own device",
            windowed,
            "iam:EnableMFADevice",
            OWN_USER,
            { mfa: false, now: INSIDE },
            "Allowed",
        ],
        [
            "inside the window, without MFA, a user creates their own virtual device",
            windowed,
            "iam:CreateVirtualMFADevice",
            OWN_DEVICE,
            { mfa: false, now: INSIDE },
            "Allowed",
        ],
        [
            "after the window, a password alone cannot enrol a device",
            windowed,
            "iam:EnableMFADevice",
            OWN_USER,
            { mfa: false, now: AFTER },
            "ExplicitlyDenied",
        ],
        [
            "after the window, a password alone cannot create a device",
            windowed,
            "iam:CreateVirtualMFADevice",
            OWN_DEVICE,
            { mfa: false, now: AFTER },
            "ExplicitlyDenied",
        ],
        [
            "with no window, a password alone cannot enrol a device",
            closed,
            "iam:EnableMFADevice",
            OWN_USER,
            { mfa: false, now: INSIDE },
            "ExplicitlyDenied",
        ],
        [
            "with no window, a password alone cannot resync a device",
            closed,
            "iam:ResyncMFADevice",
            OWN_USER,
            { mfa: false, now: INSIDE },
            "ExplicitlyDenied",
        ],
        [
            "with MFA, after the window, a user adds a second device",
            windowed,
            "iam:EnableMFADevice",
            OWN_USER,
            { mfa: true, now: AFTER },
            "Allowed",
        ],
        [
            "with MFA, a user may not enrol a device for someone else",
            closed,
            "iam:EnableMFADevice",
            userArn(ACCESS, "bob"),
            { mfa: true, now: INSIDE },
            "ImplicitlyDenied",
        ],
        [
            "inside the window, without MFA, not for someone else either",
            windowed,
            "iam:EnableMFADevice",
            userArn(ACCESS, "bob"),
            { mfa: false, now: INSIDE },
            "ImplicitlyDenied",
        ],
        [
            "without MFA, a device cannot be removed",
            windowed,
            "iam:DeactivateMFADevice",
            OWN_USER,
            { mfa: false, now: INSIDE },
            "ExplicitlyDenied",
        ],
        [
            "without MFA, the first password can still be changed",
            closed,
            "iam:ChangePassword",
            OWN_USER,
            { mfa: false, now: AFTER },
            "Allowed",
        ],
        [
            "without MFA, no access key can be made",
            windowed,
            "iam:CreateAccessKey",
            OWN_USER,
            { mfa: false, now: INSIDE },
            "ExplicitlyDenied",
        ],
        ["with MFA, a user makes their own access key", closed, "iam:CreateAccessKey", OWN_USER, { mfa: true, now: AFTER }, "Allowed"],
    ];
    for (const [name, policy, action, resource, opts, expected] of cases) {
        it(name, async () => {
            expect(await asAlice(policy, action, resource, opts)).to.equal(expected);
        });
    }

    it("the planned groups carry exactly this rule: the example stack opens no window", async () => {
        const json = toPlanJson(await runPlan({ stack: "access" }));
        expect(json.iam.groups.length).to.be.greaterThan(0);
        for (const group of json.iam.groups) {
            const requireMfa = group.policies.find((p) => JSON.stringify(p).includes("DenyMfaEnrolmentWithoutMfaOutsideWindow"));
            expect(requireMfa, group.name).to.deep.equal(JSON.parse(JSON.stringify(closed)));
            expect(await asAlice(requireMfa as object, "iam:EnableMFADevice", OWN_USER, { mfa: false, now: INSIDE })).to.equal(
                "ExplicitlyDenied",
            );
        }
    });

    it("removing a user deletes what they made themselves (forceDestroy), so offboarding does not fail with DeleteConflict", async () => {
        const plan = await runPlan({ stack: "access" });
        const users = plan.resources.filter((r) => r.type === "aws:iam/user:User");
        expect(users.length).to.be.greaterThan(0);
        for (const user of users) {
            expect(user.inputs.forceDestroy, user.name).to.equal(true);
        }
        for (const login of plan.resources.filter((r) => r.type === "aws:iam/userLoginProfile:UserLoginProfile")) {
            expect(login.inputs.pgpKey, login.name)
                .to.be.a("string")
                .and.match(/^keybase:|^[A-Za-z0-9+/=]{64,}/);
        }
    });
});
