import { expect } from "chai";
import { managedPolicyDocument } from "../../analysis/managed-policies";
import { organizationReach, ReachResult } from "../../analysis/reach";
import { readStackConfigFile, configFileFor } from "../../offline/stack-files";
import { PlanJson, toPlanJson } from "../../offline/report";
import { IamRole } from "../../iam/entities";
import { ACCESS, MANAGEMENT, ORG_ID } from "../helpers/config";
import { runPlan } from "../helpers/plan";
import { Caller, decide, Decision } from "../helpers/simulate";
import { decideWebIdentity } from "../access/chain-helpers";

/**
 * Reach over the example organization (Pulumi.mgmt.yaml and Pulumi.access.yaml
 * planned together), checked hop by hop with an IAM simulator from the same
 * documents: every hop of every reported path is allowed, and from everything
 * an entry reaches, no further hop the engine did not report is allowed.
 */
const NAMES: Record<string, string> = {
    [MANAGEMENT]: "management",
    [ACCESS]: "access",
    "333333333333": "log-archive",
    "444444444444": "prod",
    "555555555555": "dev",
};
const accountName = (id: string) => NAMES[id] ?? id;
const CUSTOMER = `arn:aws:iam::${MANAGEMENT}:role/PumpCustomerAccess`;
const MFA = { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "0" };

async function planOrganization(mgmtConfig?: Record<string, string>, accessConfig?: Record<string, string>): Promise<PlanJson[]> {
    const mgmt = await runPlan({ stack: "mgmt", config: mgmtConfig });
    const access = await runPlan({ stack: "access", config: accessConfig });
    return [toPlanJson(mgmt), toPlanJson(access)];
}

/** The example mgmt stack with `customerAccess` changed. */
function mgmtWith(customerAccess: object, externalPrincipals: string[] = []): Record<string, string> {
    const config = readStackConfigFile(configFileFor("mgmt"));
    const organization = JSON.parse(config["org-access:organization"]);
    organization.externalPrincipals = [...(organization.externalPrincipals ?? []), ...externalPrincipals];
    return {
        ...config,
        "org-access:organization": JSON.stringify(organization),
        "org-access:customerAccess": JSON.stringify(customerAccess),
    };
}

/** Everything the simulator needs about the organization's documents. */
class Documents {
    readonly roles = new Map<string, IamRole>();
    constructor(private readonly stacks: PlanJson[]) {
        for (const s of stacks) for (const r of s.iam.roles) this.roles.set(r.arn, r);
    }
    roleIdentity(role: IamRole): object[] {
        return [...role.policies, ...role.managedPolicyArns.map((arn) => managedPolicyDocument(arn) as object)];
    }
    userCaller(name: string): Caller {
        const user = this.stacks.flatMap((s) => s.iam.users).find((u) => u.name === name);
        expect(user, name).to.not.equal(undefined);
        const groups = this.stacks
            .flatMap((s) => s.iam.groups)
            .filter((g) => g.accountId === user?.accountId && user?.groups.includes(g.name));
        return {
            arn: user?.arn ?? "",
            orgId: ORG_ID,
            identityPolicies: [...(user?.policies ?? []), ...groups.flatMap((g) => g.policies)],
            context: MFA,
        };
    }
    identityCenterCaller(permissionSet: string): Caller {
        const inline = this.stacks
            .flatMap((s) => s.resources)
            .filter(
                (r) =>
                    r.type === "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy" && r.name.includes(`-${permissionSet}-`),
            )
            .map((r) => JSON.parse(r.inputs.inlinePolicy as string) as object);
        return {
            arn: `arn:aws:iam::${ACCESS}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${permissionSet}_0123456789abcdef`,
            orgId: ORG_ID,
            identityPolicies: inline,
        };
    }
    roleCaller(arn: string, mfa: boolean): Caller {
        const role = this.roles.get(arn) as IamRole;
        return {
            arn,
            orgId: ORG_ID,
            identityPolicies: this.roleIdentity(role),
            context: mfa ? MFA : { "aws:MultiFactorAuthPresent": "false" },
        };
    }
    async assume(caller: Caller, targetArn: string): Promise<Decision> {
        const target = this.roles.get(targetArn) as IamRole;
        return decide({
            caller,
            action: "sts:AssumeRole",
            resourceArn: targetArn,
            resourceAccount: target.accountId as string,
            resourceOrgId: ORG_ID,
            resourcePolicy: target.trustPolicy,
        });
    }
    /** The entry's own first hop into `targetArn`. */
    async enter(entry: string, targetArn: string): Promise<Decision> {
        const [kind, ...rest] = entry.split(":");
        const target = this.roles.get(targetArn) as IamRole;
        if (kind === "user") return this.assume(this.userCaller(rest.join(":")), targetArn);
        if (kind === "identity-center") return this.assume(this.identityCenterCaller(rest.join(":")), targetArn);
        if (kind === "saml") {
            return decide({
                caller: {
                    arn: `arn:aws:iam::${ACCESS}:saml-provider/${rest.join(":")}`,
                    context: { "SAML:aud": "https://signin.aws.amazon.com/saml" },
                },
                action: "sts:AssumeRoleWithSAML",
                resourceArn: targetArn,
                resourceAccount: target.accountId as string,
                resourcePolicy: target.trustPolicy,
            });
        }
        const host = rest[0];
        const sub = rest.slice(1).join(":");
        return decideWebIdentity(
            `arn:aws:iam::${ACCESS}:oidc-provider/${host}`,
            { [`${host}:sub`]: sub, [`${host}:aud`]: "sts.amazonaws.com" },
            target,
        );
    }
}

describe("reach over the example organization (mgmt + access), simulated", function () {
    this.timeout(300_000);
    let stacks: PlanJson[];
    let result: ReachResult;
    let docs: Documents;
    before(async () => {
        stacks = await planOrganization();
        result = organizationReach(stacks, accountName);
        docs = new Documents(stacks);
    });

    it("reports paths for every kind of entry identity, deterministically", () => {
        const kinds = new Set(result.reach.map((r) => r.from.split(":")[0]));
        expect([...kinds].sort()).to.deep.equal(["identity-center", "oidc", "saml", "user"]);
        expect(organizationReach([...stacks].reverse(), accountName)).to.deep.equal(result);
        for (const r of result.reach) expect(r.path[r.path.length - 1]).to.equal(r.to);
    });

    it("writes each alert as from, to, path and why", () => {
        expect(result.alerts.length).to.be.greaterThan(0);
        for (const alert of result.alerts) expect(JSON.parse(JSON.stringify(alert))).to.have.all.keys("from", "to", "path", "why");
    });

    it("the simulator allows every hop of every reported path", async () => {
        for (const r of result.reach) {
            const mfa = r.from.startsWith("user:");
            expect(await docs.enter(r.from, r.path[0]), `${r.from} -> ${r.path[0]}`).to.equal("Allowed");
            for (let i = 1; i < r.path.length; i++) {
                expect(
                    await docs.assume(docs.roleCaller(r.path[i - 1], mfa), r.path[i]),
                    `${r.from}: ${r.path[i - 1]} -> ${r.path[i]}`,
                ).to.equal("Allowed");
            }
        }
    });

    it("what an entry does not reach, the simulator denies: no first hop, and no hop from any role it reaches", async () => {
        const allRoles = [...docs.roles.keys()];
        for (const entry of result.entries) {
            const reached = new Set(result.reach.filter((r) => r.from === entry).map((r) => r.to));
            const mfa = entry.startsWith("user:");
            for (const target of allRoles.filter((t) => !reached.has(t))) {
                expect(await docs.enter(entry, target), `${entry} -> ${target}`).to.not.equal("Allowed");
                for (const from of reached) {
                    expect(await docs.assume(docs.roleCaller(from, mfa), target), `${entry}: ${from} -> ${target}`).to.not.equal("Allowed");
                }
            }
        }
    });

    it("the Deployer GitHub subject reaches PumpCustomerAccess through Deployer @ prod (PowerUserAccess allows sts:*), and that is alerted", () => {
        const from = "oidc:token.actions.githubusercontent.com:repo:acme/infra:ref:refs/heads/main";
        const path = result.reach.find((r) => r.from === from && r.to === CUSTOMER)?.path;
        expect(path).to.deep.equal([`arn:aws:iam::${ACCESS}:role/deployer`, "arn:aws:iam::444444444444:role/Deployer", CUSTOMER]);
        const alert = result.alerts.find((a) => a.from === from && a.to === CUSTOMER);
        expect(alert?.why).to.include("an OIDC identity reaches the management account");
        expect(alert?.why).to.include("not granted");
    });

    it("a granted path is not alerted: alice -> admins -> Administrator @ prod", () => {
        const to = "arn:aws:iam::444444444444:role/Administrator";
        expect(result.reach.find((r) => r.from === "user:alice" && r.to === to)?.path).to.deep.equal([
            `arn:aws:iam::${ACCESS}:role/admins`,
            to,
        ]);
        expect(result.alerts.filter((a) => a.from === "user:alice" && a.to === to)).to.deep.equal([]);
        expect(result.alerts.filter((a) => a.from === "user:bob")).to.deep.equal([]);
    });

    it("a permissions boundary on Deployer (ReadOnlyAccess, read from the plan) closes its way into the management account", async () => {
        const access = readStackConfigFile(configFileFor("access"));
        const roles = JSON.parse(access["org-access:roles"]) as { name: string; permissionsBoundary?: string }[];
        const bounded = roles.map((r) =>
            r.name === "Deployer" ? { ...r, permissionsBoundary: "arn:aws:iam::aws:policy/ReadOnlyAccess" } : r,
        );
        const boundedStacks = await planOrganization(undefined, { ...access, "org-access:roles": JSON.stringify(bounded) });
        const deployer = "arn:aws:iam::444444444444:role/Deployer";
        expect(boundedStacks[1].iam.roles.find((r) => r.arn === deployer)?.permissionsBoundary).to.equal(
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
        );
        const bounded_ = organizationReach(boundedStacks, accountName);
        const from = "oidc:token.actions.githubusercontent.com:repo:acme/infra:ref:refs/heads/main";
        expect(bounded_.reach.filter((r) => r.from === from).map((r) => r.to))
            .to.include(deployer)
            .and.not.include(CUSTOMER);
        const boundedDocs = new Documents(boundedStacks);
        const caller = {
            ...boundedDocs.roleCaller(deployer, false),
            permissionsBoundary: managedPolicyDocument("arn:aws:iam::aws:policy/ReadOnlyAccess"),
        };
        expect(await boundedDocs.assume(caller, CUSTOMER)).to.not.equal("Allowed");
        expect(await boundedDocs.assume(boundedDocs.roleCaller(deployer, false), CUSTOMER), "without the boundary").to.equal("Allowed");
    });

    describe("the default org-wide trust of the customer role", () => {
        let open: ReachResult;
        let openDocs: Documents;
        before(async () => {
            const openStacks = await planOrganization(mgmtWith({ roleName: "PumpCustomerAccess" }));
            open = organizationReach(openStacks, accountName);
            openDocs = new Documents(openStacks);
        });

        it("lets Administrator (AWS managed AdministratorAccess) in every member account into the management account; the simulator agrees", async () => {
            const paths = open.reach.filter((r) => r.from === "user:alice" && r.to === CUSTOMER);
            expect(paths).to.have.length(1);
            const via = paths[0].path[paths[0].path.length - 2];
            expect(docs.roles.get(via)?.managedPolicyArns).to.include("arn:aws:iam::aws:policy/AdministratorAccess");
            const fromRoles = open.alerts.filter((a) => a.from.startsWith("role:") && a.to === CUSTOMER).map((a) => a.from.slice(5));
            for (const account of ["333333333333", "444444444444", "555555555555"]) {
                const admin = `arn:aws:iam::${account}:role/Administrator`;
                expect(fromRoles).to.include(admin);
                expect(await openDocs.assume(openDocs.roleCaller(admin, false), CUSTOMER), admin).to.equal("Allowed");
            }
            expect(open.alerts.find((a) => a.from === "user:alice" && a.to === CUSTOMER)?.why).to.include("not granted");
        });

        it("disappears once the trust names one principal", async () => {
            const closedStacks = await planOrganization(
                mgmtWith({ roleName: "PumpCustomerAccess", trust: { principals: [`arn:aws:iam::${ACCESS}:role/platform`] } }, [
                    `arn:aws:iam::${ACCESS}:role/platform`,
                ]),
            );
            const closed = organizationReach(closedStacks, accountName);
            expect(closed.reach.filter((r) => r.to === CUSTOMER)).to.deep.equal([]);
            expect(closed.alerts.filter((a) => a.to === CUSTOMER)).to.deep.equal([]);
            const closedDocs = new Documents(closedStacks);
            expect(
                await closedDocs.assume(closedDocs.roleCaller("arn:aws:iam::444444444444:role/Administrator", false), CUSTOMER),
            ).to.not.equal("Allowed");
        });
    });
});
