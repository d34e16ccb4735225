// The example stacks pass the pack: their offline plans, analyzed by the real pack exactly as
// `pulumi preview --policy-pack policy-pack` would analyze them.

import { expect } from "chai";
import { ServedPolicyPack } from "../../policy-pack/local-analyzer";
import { checkStack, PACK_DIR, PolicyCheckResult } from "../../scripts/policy-check";

describe("example stacks pass the policy pack", function () {
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
            expect(result?.diagnostics.map(d => `${d.policyName} ${d.urn}: ${d.message}`)).to.deep.equal([]);
        });
    }

    it("mgmt: the check is configured with the stack's organization and accounts", () => {
        const config = results.get("mgmt")?.packConfig;
        expect(config?.["no-compute-in-management-account"]).to.deep.equal({ managementAccountIds: ["111111111111"] });
        expect(config?.["no-wildcard-principals"]).to.deep.equal({ organizationId: "o-a1b2c3d4e5" });
    });

    it("access: the check knows the access account", () => {
        const config = results.get("access")?.packConfig;
        expect(config?.["management-account-not-access-account"]).to.deep.include({ accessAccountIds: ["222222222222"] });
    });

    it("would catch an access identity added through the mgmt stack's management provider", async () => {
        const result = results.get("mgmt");
        const managementProvider = result?.resources.find(r => r.type.startsWith("aws:") && r.provider?.properties.allowedAccountIds === '["111111111111"]')?.provider;
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
        expect(diagnostics.map(d => [d.policyName, d.enforcementLevel])).to.deep.equal([["management-account-not-access-account", "mandatory"]]);
    });
});
