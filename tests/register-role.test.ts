import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { planOrganization } from "../offline/organization-plan";

const ROOT = path.resolve(__dirname, "..");

describe("role components register through one function (roles/register-role.ts)", function () {
    this.timeout(300_000);

    it("no role component registers an IAM role, its policies or its *Exclusive resources itself", () => {
        const constructs = /new aws\.iam\.(Role|RolePolicy|RolePolicyAttachment|RolePoliciesExclusive|RolePolicyAttachmentsExclusive)\(/;
        const files = fs.readdirSync(path.join(ROOT, "roles")).filter((f) => f.endsWith(".ts"));
        const offenders = files.filter(
            (f) => f !== "register-role.ts" && constructs.test(fs.readFileSync(path.join(ROOT, "roles", f), "utf8")),
        );
        expect(offenders).to.deep.equal([]);
        expect(fs.readFileSync(path.join(ROOT, "roles", "register-role.ts"), "utf8")).to.match(constructs);
        // The check can fail: it sees a construction where one is.
        expect(constructs.test("const r = new aws.iam.Role(key, {});")).to.equal(true);
    });

    it("every role of every component is planned alike: protected, delete-first, with both exclusives listing exactly its policies", async () => {
        const plan = await planOrganization(ROOT);
        const resources = [...plan.plans.values()].flatMap((p) => p.resources);
        const roles = resources.filter((r) => r.type === "aws:iam/role:Role");
        const kinds = new Set(roles.map((r) => r.name.replace(/^(access-team|access-role)-.*$/, "$1")));
        expect([...kinds].sort()).to.deep.equal([
            "access-role",
            "access-team",
            "customer-access",
            "customer-access-config-aggregator",
            "deploy-identity",
            "deploy-identity-management",
            "management-preview",
        ]);
        for (const role of roles) {
            expect(role.protect && role.deleteBeforeReplace, role.name).to.equal(true);
            const child = (type: string, suffix: string) => resources.find((r) => r.type === type && r.name === `${role.name}-${suffix}`);
            const inlineOnly = child("aws:iam/rolePoliciesExclusive:RolePoliciesExclusive", "inline-only");
            const managedOnly = child("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "managed-only");
            expect(inlineOnly, `${role.name}-inline-only`).to.not.equal(undefined);
            expect(managedOnly, `${role.name}-managed-only`).to.not.equal(undefined);
            const mine = (type: string) =>
                resources.filter((r) => r.type === type && r.accountId === role.accountId && r.inputs.role === role.inputs.name);
            expect([...(inlineOnly?.inputs.policyNames as string[])].sort(), role.name).to.deep.equal(
                mine("aws:iam/rolePolicy:RolePolicy")
                    .map((r) => r.inputs.name)
                    .sort(),
            );
            expect([...(managedOnly?.inputs.policyArns as string[])].sort(), role.name).to.deep.equal(
                mine("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                    .map((r) => r.inputs.policyArn)
                    .sort(),
            );
            // Each exclusive waits for the policies it keeps: a first deploy never removes what it is about to attach.
            expect([...(inlineOnly?.dependsOn ?? [])].sort(), `${role.name}-inline-only dependsOn`).to.deep.equal(
                mine("aws:iam/rolePolicy:RolePolicy")
                    .map((r) => r.urn)
                    .sort(),
            );
            expect([...(managedOnly?.dependsOn ?? [])].sort(), `${role.name}-managed-only dependsOn`).to.deep.equal(
                mine("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                    .map((r) => r.urn)
                    .sort(),
            );
        }
    });
});
