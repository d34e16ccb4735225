// The example stacks pass the pack: their offline plans, analyzed by the real pack exactly as
// `pulumi preview --policy-pack policy-pack` would analyze them.

import { expect } from "chai";
import { ServedPolicyPack } from "../../offline/served-pack";
import { checkStack, PACK_DIR, PolicyCheckResult } from "../../offline/pack-check";
import { classifyForManagementAccount } from "../../policy-pack/management-types";

describe("example stacks pass the policy pack", function () {
    // Starting run-policy-pack (ts-node type-checks the pack) and planning take seconds; set here so
    // the suite does not depend on .mocharc (e.g. `mocha --no-config`).
    this.timeout(120_000);
    let pack: ServedPolicyPack | undefined;
    const results = new Map<string, PolicyCheckResult>();

    before(async () => {
        pack = await ServedPolicyPack.start(PACK_DIR);
        for (const stack of ["mgmt", "access"]) {
            results.set(stack, await checkStack(pack, stack));
        }
    });

    after(async () => {
        await pack?.stop();
    });

    for (const stack of ["mgmt", "access"]) {
        it(`${stack}: no violations, advisory or mandatory`, () => {
            const result = results.get(stack);
            expect(result?.resources.length, "resources analyzed").to.be.greaterThan(0);
            expect(result?.diagnostics.map((d) => `${d.policyName} ${d.urn}: ${d.message}`)).to.deep.equal([]);
        });
    }

    it("mgmt: the check is configured with the stack's organization and accounts", () => {
        const config = results.get("mgmt")?.packConfig;
        expect(config?.["no-compute-in-management-account"]).to.deep.equal({ managementAccountIds: ["111111111111"] });
        expect(config?.["no-wildcard-principals"]).to.deep.equal({ organizationId: "o-a1b2c3d4e5" });
    });

    it("mgmt: the Config aggregator's service role is analyzed in the management account and admitted (a service role, not compute)", () => {
        const result = results.get("mgmt");
        const aggregator = (result?.resources ?? []).filter((r) => r.name.startsWith("customer-access-config-aggregator"));
        expect(aggregator.map((r) => r.type).sort()).to.deep.equal([
            "aws:iam/role:Role",
            "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
        ]);
        for (const r of aggregator) {
            expect(JSON.stringify(r.provider?.properties?.allowedAccountIds), `${r.name} is pinned to the management account`).to.include(
                "111111111111",
            );
        }
        const urns = new Set(aggregator.map((r) => r.urn));
        expect((result?.diagnostics ?? []).filter((d) => d.urn !== undefined && urns.has(d.urn))).to.deep.equal([]);
        // The pack's verdict for these types, beside compute it refuses there.
        for (const r of aggregator) {
            expect(classifyForManagementAccount(r.type), r.type).to.deep.equal({ allowed: true, reason: "organization" });
        }
        expect(classifyForManagementAccount("aws:lambda/function:Function")).to.deep.equal({ allowed: false, category: "compute" });
    });

    it("access: the check knows the access account", () => {
        const config = results.get("access")?.packConfig;
        expect(config?.["management-account-not-access-account"]).to.deep.include({ accessAccountIds: ["222222222222"] });
    });

    // `access-account-holds-access-only` needs the access account in its config. Until
    // scripts/policy-check.ts configures it, the check here adds it from the stack's own config.
    describe("access-account-holds-access-only on the access stack", () => {
        const accessPolicy = "access-account-holds-access-only";
        const accessConfig = (result: PolicyCheckResult) => {
            const given = result.packConfig[accessPolicy];
            const management = result.packConfig["management-account-not-access-account"];
            const accessAccountIds = typeof management === "object" ? management.accessAccountIds : undefined;
            return { ...result.packConfig, [accessPolicy]: typeof given === "object" ? given : { accessAccountIds } };
        };

        it("the plan puts only IAM and Identity Center (its delegated administrator) into the access account, and the policy passes it", async () => {
            const result = results.get("access");
            if (pack === undefined || result === undefined) {
                throw new Error("the access stack was not checked");
            }
            const config = accessConfig(result);
            expect(config[accessPolicy]).to.deep.include({ accessAccountIds: ["222222222222"] });
            await pack.configure(config);
            const inAccess = result.resources.filter((r) => r.provider?.properties.allowedAccountIds === '["222222222222"]');
            expect(inAccess.length, "resources planned into the access account").to.be.greaterThan(10);
            expect([...new Set(inAccess.map((r) => r.type.split("/")[0]))].sort()).to.deep.equal(["aws:iam", "aws:ssoadmin"]);
            const diagnostics = [];
            for (const resource of inAccess) {
                diagnostics.push(...(await pack.analyze(resource)).filter((d) => d.policyName === accessPolicy));
            }
            expect(diagnostics.map((d) => d.message)).to.deep.equal([]);
        });

        it("would catch a log group added through the access stack's access provider", async () => {
            const result = results.get("access");
            const accessProvider = result?.resources.find((r) => r.provider?.properties.allowedAccountIds === '["222222222222"]')?.provider;
            if (pack === undefined || result === undefined || accessProvider === undefined) {
                throw new Error("no resource of the access stack is deployed into the access account");
            }
            await pack.configure(accessConfig(result));
            const diagnostics = await pack.analyze({
                type: "aws:cloudwatch/logGroup:LogGroup",
                name: "audit",
                urn: "urn:pulumi:access::org-access::aws:cloudwatch/logGroup:LogGroup::audit",
                properties: { retentionInDays: 365 },
                provider: accessProvider,
            });
            expect(diagnostics.map((d) => [d.policyName, d.enforcementLevel])).to.deep.equal([[accessPolicy, "mandatory"]]);
        });
    });

    it("would catch an access identity added through the mgmt stack's management provider", async () => {
        const result = results.get("mgmt");
        const managementProvider = result?.resources.find(
            (r) => r.type.startsWith("aws:") && r.provider?.properties.allowedAccountIds === '["111111111111"]',
        )?.provider;
        expect(managementProvider, "a resource deployed into the management account").to.not.equal(undefined);
        if (pack === undefined || result === undefined || managementProvider === undefined) {
            return;
        }
        await pack.configure(result.packConfig);
        const diagnostics = await pack.analyze({
            type: "aws:iam/user:User",
            name: "intruder",
            urn: "urn:pulumi:mgmt::org-access::aws:iam/user:User::intruder",
            properties: { name: "intruder" },
            provider: managementProvider,
        });
        expect(diagnostics.map((d) => [d.policyName, d.enforcementLevel])).to.deep.equal([
            ["management-account-not-access-account", "mandatory"],
        ]);
    });
});
