import { expect } from "chai";
import { DEPLOY_DEPENDENCIES, deployDependencies, deployOrder } from "../offline/deploy-dependencies";
import { planProgram, PlannedResource } from "../offline/plan";
import { readStackConfig } from "../offline/stack-files";
import { StackResources } from "../offline/planned-entities";
import { plannedResource as resource } from "./helpers/plan";
import { ACCESS, MANAGEMENT, PROD } from "./helpers/config";
import { stackSetStackTemplate } from "../model/stack-set-template";

const stack = (name: string, resources: PlannedResource[], externalPrincipals: string[] = []): StackResources => ({
    stack: name,
    resources,
    externalPrincipals,
    managementAccountId: MANAGEMENT,
});
const trust = (principal: string) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }] });
const role = (name: string, accountId: string, trustPolicy = trust(`arn:aws:iam::${accountId}:root`)) =>
    resource("aws:iam/role:Role", `r-${name}-${accountId}`, accountId, { name, assumeRolePolicy: trustPolicy });
const group = (name: string, accountId = ACCESS) => resource("aws:iam/group:Group", `g-${name}`, accountId, { name });
const user = (name: string, accountId = ACCESS) => resource("aws:iam/user:User", `u-${name}`, accountId, { name });
const delegated = (accountId: string, servicePrincipal: string) =>
    resource("aws:organizations/delegatedAdministrator:DelegatedAdministrator", "identity-center-delegated-admin", MANAGEMENT, {
        accountId,
        servicePrincipal,
    });
/** The resource as registered through a provider with these inputs (pinned to its account). */
const withProvider = (r: PlannedResource, inputs: Record<string, unknown>): PlannedResource => ({
    ...r,
    provider: {
        urn: "urn:pulumi:s::org-access::pulumi:providers:aws::p",
        type: "pulumi:providers:aws",
        name: "p",
        inputs: { allowedAccountIds: JSON.stringify([r.accountId]), ...inputs },
    },
});
const customerPolicyArn = `arn:aws:iam::${ACCESS}:policy/boundary`;

/**
 * The management account's stack around a stack set as the program builds it (model/stack-set-template.ts), in
 * `accountId`, with its stack set's `CallAs` set to `callAs` and `extra` merged into the stack set's properties.
 */
const stackSetStack = (accountId: string, callAs: string, extra: Record<string, unknown> = {}): PlannedResource => {
    const template = JSON.parse(
        stackSetStackTemplate({
            name: "deploy-roles",
            description: "org-access: stack set deploy-roles",
            template: JSON.stringify({ Resources: { Role: { Type: "AWS::IAM::Role", Properties: { RoleName: "r" } } } }),
            organizationalUnitIds: ["ou-ab12-34cd56ef"],
            excludedAccounts: [],
            region: "us-east-1",
        }),
    ) as { Resources: { StackSet: { Properties: Record<string, unknown> } } };
    Object.assign(template.Resources.StackSet.Properties, { CallAs: callAs, ...extra });
    return resource("aws:cloudformation/stack:Stack", "deploy-roles", accountId, {
        name: "deploy-roles",
        templateBody: JSON.stringify(template),
        onFailure: "DELETE",
    });
};

interface Case {
    /** The form of `needs`, where a row has several (a stack set as Pulumi's StackSet, or in a stack's template). */
    readonly form?: string;
    /** Needs something of the provider stack's. */
    readonly needs: PlannedResource;
    /** Creates it. */
    readonly provider: PlannedResource;
    /** Looks like `needs` but needs nothing AWS would check. */
    readonly lookAlike: PlannedResource;
    /** What else `needs` requires, made in its own stack. */
    readonly alongside?: PlannedResource[];
}

/** One case per row of DEPLOY_DEPENDENCIES (the test below fails when a row has none), then each other form the row knows. */
const CASES: Record<string, Case | readonly Case[]> = {
    "principal-arn": {
        needs: role("Admin", PROD, trust(`arn:aws:iam::${ACCESS}:role/platform`)),
        provider: role("platform", ACCESS),
        // The same principal by aws:PrincipalArn: IAM accepts it before it exists.
        lookAlike: role(
            "Admin",
            PROD,
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${ACCESS}:root` },
                        Action: "sts:AssumeRole",
                        Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACCESS}:role/platform-x` } },
                    },
                ],
            }),
        ),
    },
    "group-policy": {
        needs: resource("aws:iam/groupPolicy:GroupPolicy", "customer-access-access-auditors", ACCESS, {
            group: "auditors",
            name: "assume-PumpCustomerAccess",
            policy: "{}",
        }),
        provider: group("auditors"),
        lookAlike: resource("aws:iam/groupPolicy:GroupPolicy", "customer-access-access-auditors", ACCESS, {
            group: "auditors-x",
            name: "assume-PumpCustomerAccess",
            policy: "{}",
        }),
    },
    "user-group-membership": {
        needs: resource("aws:iam/userGroupMembership:UserGroupMembership", "access-identity-alice-groups", ACCESS, {
            user: "alice",
            groups: ["admins"],
        }),
        provider: group("admins"),
        lookAlike: resource("aws:iam/userGroupMembership:UserGroupMembership", "access-identity-alice-groups", ACCESS, {
            user: "alice",
            groups: ["admins-x"],
        }),
        alongside: [user("alice")],
    },
    "role-policy": {
        needs: resource("aws:iam/rolePolicy:RolePolicy", "access-team-ops-assume", ACCESS, { role: "ops", name: "assume", policy: "{}" }),
        provider: role("ops", ACCESS),
        lookAlike: resource("aws:iam/rolePolicy:RolePolicy", "access-team-ops-assume", ACCESS, {
            role: "ops-x",
            name: "assume",
            policy: "{}",
        }),
    },
    "user-policy": {
        needs: resource("aws:iam/userLoginProfile:UserLoginProfile", "access-identity-bob-login", ACCESS, { user: "bob" }),
        provider: user("bob"),
        lookAlike: resource("aws:iam/userLoginProfile:UserLoginProfile", "access-identity-bob-login", ACCESS, { user: "bob-x" }),
    },
    "policy-attachment": {
        needs: resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "access-role-x-boundary", ACCESS, {
            role: "x",
            policyArn: customerPolicyArn,
        }),
        provider: resource("aws:iam/policy:Policy", "policies-boundary", ACCESS, { name: "boundary", policy: "{}" }),
        // AWS managed policies always exist.
        lookAlike: resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "access-role-x-boundary", ACCESS, {
            role: "x",
            policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
        }),
        alongside: [role("x", ACCESS)],
    },
    "identity-center-delegated-admin": {
        needs: resource("aws:ssoadmin/permissionSet:PermissionSet", "access-identity-center-Admins", ACCESS, { name: "Admins" }),
        provider: delegated(ACCESS, "sso.amazonaws.com"),
        // In the management account, Identity Center needs no delegated administrator.
        lookAlike: resource("aws:ssoadmin/permissionSet:PermissionSet", "access-identity-center-Admins", MANAGEMENT, { name: "Admins" }),
    },
    "stackset-delegated-admin": [
        {
            form: "a stack whose template holds the stack set (the program's form)",
            needs: stackSetStack(ACCESS, "DELEGATED_ADMIN"),
            provider: delegated(ACCESS, "member.org.stacksets.cloudformation.amazonaws.com"),
            // CallAs SELF, though the text DELEGATED_ADMIN is in the template: read as CloudFormation reads it, not searched.
            lookAlike: stackSetStack(ACCESS, "SELF", { Description: '"CallAs": "DELEGATED_ADMIN"' }),
        },
        {
            form: "Pulumi's StackSet",
            needs: resource("aws:cloudformation/stackSet:StackSet", "deploy-roles", ACCESS, {
                name: "deploy-roles",
                permissionModel: "SERVICE_MANAGED",
                callAs: "DELEGATED_ADMIN",
            }),
            provider: delegated(ACCESS, "member.org.stacksets.cloudformation.amazonaws.com"),
            // Created from the management account itself (callAs SELF): no delegated administrator.
            lookAlike: resource("aws:cloudformation/stackSet:StackSet", "deploy-roles", MANAGEMENT, {
                name: "deploy-roles",
                permissionModel: "SERVICE_MANAGED",
                callAs: "SELF",
            }),
        },
        {
            form: "Pulumi's StackSetInstance",
            needs: resource("aws:cloudformation/stackSetInstance:StackSetInstance", "deploy-roles-targets", ACCESS, {
                stackSetName: "deploy-roles",
                callAs: "DELEGATED_ADMIN",
            }),
            provider: delegated(ACCESS, "member.org.stacksets.cloudformation.amazonaws.com"),
            lookAlike: resource("aws:cloudformation/stackSetInstance:StackSetInstance", "deploy-roles-targets", MANAGEMENT, {
                stackSetName: "deploy-roles",
            }),
        },
    ],
    "provider-role": {
        // The stack around a stack set of `memberRoleDelivery: stacksets`, through the management account's deploy role.
        needs: withProvider(stackSetStack(MANAGEMENT, "SELF"), {
            assumeRoles: JSON.stringify([{ roleArn: `arn:aws:iam::${MANAGEMENT}:role/OrgAccessDeploy`, sessionName: "s" }]),
        }),
        provider: role("OrgAccessDeploy", MANAGEMENT),
        // The same stack through ambient credentials: no role to wait for.
        lookAlike: withProvider(stackSetStack(MANAGEMENT, "SELF"), {}),
    },
};

const casesOf = (id: string): readonly Case[] => {
    const cases = CASES[id];
    return Array.isArray(cases) ? cases : [cases as Case];
};

describe("deploy-time dependencies (offline/deploy-dependencies.ts)", () => {
    it("every row cites AWS documentation and has a case below", () => {
        for (const row of DEPLOY_DEPENDENCIES) {
            expect(row.source, row.id).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
            expect(CASES, `a case for ${row.id}`).to.have.property(row.id);
        }
        expect(Object.keys(CASES).sort()).to.deep.equal(DEPLOY_DEPENDENCIES.map((r) => r.id).sort());
    });

    for (const row of DEPLOY_DEPENDENCIES) {
        for (const { form, needs, provider, lookAlike, alongside = [] } of casesOf(row.id)) {
            describe(form ? `${row.id}: ${form}` : row.id, () => {
                // Stack names sort the wrong way round, so only the dependency can put the provider first.
                it("orders the stack that creates the prerequisite first, whatever the names", () => {
                    const stacks = [stack("aa-needs", [needs, ...alongside]), stack("zz-provides", [provider])];
                    const { dependencies, problems } = deployDependencies(stacks);
                    expect(problems).to.deep.equal([]);
                    expect(dependencies.filter((d) => d.why.startsWith(`${row.id}:`)).map((d) => [d.stack, d.after])).to.deep.equal([
                        ["aa-needs", "zz-provides"],
                    ]);
                    expect(deployOrder(["aa-needs", "zz-provides"], dependencies).order).to.deep.equal(["zz-provides", "aa-needs"]);
                });

                it("imposes nothing within one stack, and nothing for its look-alike", () => {
                    expect(deployDependencies([stack("one", [needs, provider, ...alongside])]).dependencies).to.deep.equal([]);
                    const apart = deployDependencies([stack("aa-needs", [lookAlike, ...alongside]), stack("zz-provides", [provider])]);
                    expect(apart.dependencies.filter((d) => d.why.startsWith(`${row.id}:`))).to.deep.equal([]);
                });

                it(`when no stack creates the prerequisite: ${row.whenMissing}`, () => {
                    const alone = deployDependencies([stack("aa-needs", [needs, ...alongside])]).problems.filter((p) =>
                        p.message.includes(row.id),
                    );
                    if (row.whenMissing === "assumed") {
                        expect(alone).to.deep.equal([]);
                    } else {
                        expect(alone).to.have.length(1);
                        expect(alone[0].stack).to.equal("aa-needs");
                        expect(alone[0].message).to.include(needs.name).and.include(row.source);
                    }
                });
            });
        }
    }

    it("externalPrincipals vouches for principals and groups made outside every stack", () => {
        const { needs } = casesOf("principal-arn")[0];
        expect(deployDependencies([stack("a", [needs], [`arn:aws:iam::${ACCESS}:role/platform`])]).problems).to.deep.equal([]);
        expect(deployDependencies([stack("a", [needs])]).problems).to.have.length(1);
        // A delegated administrator cannot be vouched for: the program registers it whenever config asks for Identity Center there.
        const sets = casesOf("identity-center-delegated-admin")[0].needs;
        expect(deployDependencies([stack("a", [sets], [`arn:aws:iam::${ACCESS}:role/platform`])]).problems).to.have.length(1);
    });

    it("two stacks that each need the other's principal are a cycle, reported for both with the reason", () => {
        const a = stack("a", [role("one", ACCESS), role("uses-two", ACCESS, trust(`arn:aws:iam::${PROD}:role/two`))]);
        const b = stack("b", [role("two", PROD), role("uses-one", PROD, trust(`arn:aws:iam::${ACCESS}:role/one`))]);
        const { dependencies } = deployDependencies([a, b]);
        const { order, problems } = deployOrder(["a", "b"], dependencies);
        expect(order).to.have.members(["a", "b"]);
        expect(problems.map((p) => p.stack)).to.deep.equal(["a", "b"]);
        expect(problems[0].message)
            .to.include("cycle")
            .and.include(`principal-arn: r-uses-two-${ACCESS} needs arn:aws:iam::${PROD}:role/two`);
    });

    it("within one stack the program orders it itself: a self-contained stack's permission sets depend on the delegated-administrator registration", async function () {
        this.timeout(120_000);
        // The access stack's config without org-access:deploy deploys every section it holds, the customer role and its registration included.
        const { "org-access:deploy": _deploy, ...config } = readStackConfig("access");
        expect(_deploy).to.not.equal(undefined);
        const outcome = await planProgram({ stack: "all-in-one", config });
        if (!outcome.ok) throw outcome.error;
        const registration = outcome.plan.resources.find(
            (r) => r.type === "aws:organizations/delegatedAdministrator:DelegatedAdministrator",
        );
        const sets = outcome.plan.resources.filter((r) => r.type === "aws:ssoadmin/permissionSet:PermissionSet");
        expect(registration).to.not.equal(undefined);
        expect(sets.length).to.be.greaterThan(0);
        for (const set of sets) expect(set.dependsOn, set.name).to.include(registration?.urn);
        // In the access stack alone there is nothing to wait for in the stack: the organization plan orders mgmt first instead.
        const access = await planProgram({ stack: "access", config: readStackConfig("access") });
        if (!access.ok) throw access.error;
        expect(
            access.plan.resources.filter((r) => r.type === "aws:ssoadmin/permissionSet:PermissionSet").flatMap((r) => r.dependsOn ?? []),
        ).to.deep.equal([]);
    });
});
