import { runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
// A dependency of @cloud-copilot/iam-simulate (tests only, AGPL like it).
import { createValidatedPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { expect } from "chai";
import { iamView } from "../../offline/report";
import { IamGroup, IamRole, IamUser } from "../../iam/entities";
import { Plan } from "../../offline/plan";
import { Decision } from "../helpers/simulate";

/** The access stack's IAM documents as the plan registered them. */
export interface AccessIam {
    readonly roles: readonly IamRole[];
    readonly groups: readonly IamGroup[];
    readonly users: readonly IamUser[];
    role(accountId: string, name: string): IamRole;
    user(name: string): IamUser;
    /** The policies of every group the user is in. */
    groupPoliciesOf(user: IamUser): object[];
}

export function accessIam(plan: Plan): AccessIam {
    const view = iamView(plan.resources);
    return {
        ...view,
        role(accountId, name) {
            const found = view.roles.find((r) => r.accountId === accountId && r.name === name);
            expect(found, `role ${name} in ${accountId}`).to.not.equal(undefined);
            return found as IamRole;
        },
        user(name) {
            const found = view.users.find((u) => u.name === name);
            expect(found, `user ${name}`).to.not.equal(undefined);
            return found as IamUser;
        },
        groupPoliciesOf(user) {
            return view.groups.filter((g) => g.accountId === user.accountId && user.groups.includes(g.name)).flatMap((g) => g.policies);
        },
    };
}

/**
 * `sts:AssumeRoleWithWebIdentity` with a token's claims. The simulator's service
 * reference lacks `token.actions.githubusercontent.com:sub` and `:aud`, so its
 * validating entry point drops them as unknown keys and every OIDC trust reads
 * as a deny. Its unsafe entry point keeps the context as given; the trust policy
 * is validated first, so a malformed document still fails the test.
 */
export function decideWebIdentity(providerArn: string, claims: Record<string, string>, role: IamRole): Decision {
    const trust = createValidatedPolicy(role.trustPolicy, validateTrustPolicy, { name: `${role.name}-trust` });
    expect(trust.errors, "trust policy validation").to.deep.equal([]);
    const result = runUnsafeSimulation(
        {
            request: {
                principal: providerArn,
                action: "sts:AssumeRoleWithWebIdentity",
                resource: { resource: role.arn, accountId: role.accountId as string },
                contextVariables: claims,
            },
            identityPolicies: [],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: trust,
        },
        {},
    );
    expect(["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"]).to.include(result);
    return result as Decision;
}
