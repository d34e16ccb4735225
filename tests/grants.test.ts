import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { grantsOutsideStack } from "../offline/grants";
import { OrganizationPlan, planOrganization } from "../offline/organization-plan";
import { modelOf } from "../offline/plan";
import { iamView } from "../offline/report";
import { IamRole } from "../iam/entities";
import { decide } from "./helpers/simulate";
import { ACCESS } from "./helpers/config";

const EXAMPLE = path.resolve(__dirname, "..", "examples", "organization");
const PROJECT_TRUST = `  org-access:customerAccess:
    value:
      trust:
        # prod-a's Administrator member role (stack roles-prod); AdministratorAccess allows it sts:AssumeRole here.
        # A principal whose own policies do not allow that (a team role) is a problem: across accounts IAM needs both.
        principals: ["arn:aws:iam::444444444444:role/Administrator"]
`;
const TRUSTED_GROUP = { key: "org-access:customerAccess.trust.groups[0]" };

/**
 * The multi-stack example with the customer role trusting the access stack's `auditors` group:
 * `shared` puts org-access:customerAccess in the project config (every stack sees it), `split`
 * in Pulumi.mgmt.yaml only, a normal layout in which the access stack never hears of the grant.
 */
function exampleWith(layout: "shared" | "split"): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `org-access-grants-${layout}-`));
    fs.cpSync(EXAMPLE, dir, { recursive: true });
    const project = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
    expect(project).to.include(PROJECT_TRUST);
    const groups = (indent: string) => `${indent}groups:\n${indent}  - account: access\n${indent}    name: auditors\n`;
    if (layout === "shared") {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), project.replace(PROJECT_TRUST, PROJECT_TRUST + groups("        ")));
    } else {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), project.replace(PROJECT_TRUST, ""));
        const mgmt = fs.readFileSync(path.join(dir, "Pulumi.mgmt.yaml"), "utf8");
        const trust = `  org-access:customerAccess:\n    trust:\n      principals: ["arn:aws:iam::444444444444:role/Administrator"]\n${groups("      ")}`;
        fs.writeFileSync(path.join(dir, "Pulumi.mgmt.yaml"), `${mgmt.trimEnd()}\n${trust}`);
    }
    return dir;
}

/** Whether bob (access account, group auditors) may assume the customer role, as IAM decides from the planned documents. */
async function bobMayAssumeCustomerRole(plan: OrganizationPlan): Promise<string> {
    const access = plan.plans.get("access");
    const mgmt = plan.plans.get("mgmt");
    if (!access || !mgmt) throw new Error("the example plans access and mgmt");
    const identities = iamView(access.resources);
    const bob = identities.users.find((u) => u.name === "bob");
    const role = iamView(mgmt.resources).roles.find((r) => r.name === "PumpCustomerAccess") as IamRole;
    expect(bob?.groups).to.include("auditors");
    return decide({
        caller: {
            arn: bob?.arn ?? "",
            orgId: "o-a1b2c3d4e5",
            identityPolicies: identities.groups.filter((g) => bob?.groups.includes(g.name)).flatMap((g) => g.policies),
            context: { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "60" },
        },
        action: "sts:AssumeRole",
        resourceArn: role.arn,
        resourceAccount: "111111111111",
        resourceOrgId: "o-a1b2c3d4e5",
        resourcePolicy: role.trustPolicy,
    });
}

describe("no grant is lost across stacks (offline/grants.ts)", function () {
    this.timeout(300_000);
    const dirs: Record<string, string> = {};
    const plans: Record<string, OrganizationPlan> = {};
    before(async () => {
        for (const layout of ["shared", "split"] as const) {
            dirs[layout] = exampleWith(layout);
            plans[layout] = await planOrganization(dirs[layout]);
        }
    });
    after(() => Object.values(dirs).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("customerAccess in the project config: the access stack, which sees both, attaches the grant; bob may assume the role", async () => {
        expect(plans.shared.problems).to.deep.equal([]);
        // A project kept outside this repository is ordered by the same table: mgmt registers Identity Center's delegated administrator.
        expect(plans.shared.deployOrder).to.deep.equal(["mgmt", "access", "roles-prod"]);
        expect(await bobMayAssumeCustomerRole(plans.shared)).to.equal("Allowed");
    });

    it("customerAccess in Pulumi.mgmt.yaml only: the organization plan names both stacks and the key; bob may not assume the role", async () => {
        expect(await bobMayAssumeCustomerRole(plans.split)).to.equal("ImplicitlyDenied");
        const problems = plans.split.problems.filter((p) => p.key === TRUSTED_GROUP.key);
        expect(problems).to.have.length(1);
        expect(problems[0].stack).to.equal("mgmt");
        expect(problems[0].message).to.include("stack access creates the group").and.include("auditors").and.include("PumpCustomerAccess");
        expect(plans.split.problems).to.have.length(1);
    });

    it("single-stack mode: the mgmt stack's plan judges the other stacks' config, and is clean only when the owner attaches the grant", () => {
        const single = (layout: "shared" | "split", projectDir: string | undefined) => {
            const plan = plans[layout].plans.get("mgmt");
            if (!plan) throw new Error("no mgmt plan");
            return grantsOutsideStack({ stack: "mgmt", model: modelOf(plan), resources: plan.resources }, projectDir);
        };
        expect(single("shared", dirs.shared)).to.deep.equal([]);
        const split = single("split", dirs.split);
        expect(split.map((p) => [p.stack, p.key])).to.deep.equal([["mgmt", TRUSTED_GROUP.key]]);
        expect(split[0].message).to.include("stack access creates the group");
        // Outside any project (a --config-file of its own) the owner is outside the stack and unknown: still a problem.
        const alone = single("shared", undefined);
        expect(alone.map((p) => p.key)).to.deep.equal([TRUSTED_GROUP.key]);
        expect(alone[0].message).to.include("no stack creates the group");
    });

    it("a stack that owns the group and deploys the customer role attaches the grant itself: nothing to report", () => {
        const access = plans.shared.plans.get("access");
        if (!access) throw new Error("no access plan");
        const model = modelOf(access);
        // The access stack's model with the customer role deployed too: one stack that sees both.
        const both = { ...model, deploy: { ...model.deploy, customerAccess: true } };
        expect(both.customerAccess?.requiredGrants.map((g) => [g.account.id, g.group])).to.deep.equal([[ACCESS, "auditors"]]);
        expect(grantsOutsideStack({ stack: "access", model: both, resources: access.resources }, undefined)).to.deep.equal([]);
    });
});
