import { expect } from "chai";
import { Plan } from "../offline/plan";
import { AccessIam, accessIam } from "./access/chain-helpers";
import { ACCESS, MANAGEMENT, ORG_ID } from "./helpers/config";
import { doc, find, runPlan } from "./helpers/plan";
import { Caller, decide } from "./helpers/simulate";

/**
 * The CI preview path into the management account spans both stacks: the
 * access stack's preview team role may assume the mgmt stack's read-only
 * OrgAccessPreview role, which trusts that team role and nothing else.
 */
const READER_ARN = `arn:aws:iam::${MANAGEMENT}:role/OrgAccessPreview`;

describe("management-account preview role (both stacks, simulated)", () => {
    let mgmt: Plan;
    let access: AccessIam;
    before(async () => {
        mgmt = await runPlan({ stack: "mgmt" });
        access = accessIam(await runPlan({ stack: "access" }));
    });

    const reader = () => find(mgmt, "aws:iam/role:Role", "management-preview");
    const team = (name: string): Caller => {
        const role = access.role(ACCESS, name);
        return { arn: role.arn, orgId: ORG_ID, identityPolicies: role.policies };
    };
    const assumeReader = (caller: Caller) =>
        decide({
            caller,
            action: "sts:AssumeRole",
            resourceArn: READER_ARN,
            resourceAccount: MANAGEMENT,
            resourcePolicy: doc(reader().inputs.assumeRolePolicy),
        });

    it("lives in the management account, protected, and is exported", () => {
        expect(reader().accountId).to.equal(MANAGEMENT);
        expect(reader().protect).to.equal(true);
        expect(mgmt.outputs.managementPreviewRoleArn).to.equal(READER_ARN);
    });

    it("the preview team role may assume it; no other team may", async () => {
        expect(await assumeReader(team("org-access-preview"))).to.equal("Allowed");
        for (const other of ["admins", "developers", "deployer"]) {
            expect(await assumeReader(team(other)), other).to.not.equal("Allowed");
        }
    });

    it("reads what a preview reads, and nothing else", async () => {
        const role: Caller = {
            arn: READER_ARN,
            orgId: ORG_ID,
            identityPolicies: mgmt.resources
                .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.startsWith("management-preview"))
                .map((r) => doc(r.inputs.policy)),
        };
        const can = (action: string, resourceArn: string) => decide({ caller: role, action, resourceArn, resourceAccount: MANAGEMENT });
        expect(await can("iam:GetRole", `arn:aws:iam::${MANAGEMENT}:role/PumpCustomerAccess`)).to.equal("Allowed");
        expect(await can("organizations:ListAccounts", "*")).to.equal("Allowed");
        expect(await can("iam:CreateRole", `arn:aws:iam::${MANAGEMENT}:role/x`)).to.not.equal("Allowed");
        expect(await can("iam:GetCredentialReport", "*")).to.equal("ExplicitlyDenied");
        expect(await can("s3:GetObject", "arn:aws:s3:::billing-reports/report.csv")).to.not.equal("Allowed");
        expect(await can("sts:AssumeRole", `arn:aws:iam::${ACCESS}:role/OrganizationAccountAccessRole`)).to.not.equal("Allowed");
    });
});
