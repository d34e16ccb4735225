import { expect } from "chai";
import { roleTemplate } from "../model/role-template";
import { STACK_SET_LOGICAL_ID, STACK_SET_OPERATION, stackSetStackTemplate } from "../model/stack-set-template";
import { resourceSpec, specProblems, templateSpecProblems } from "./helpers/cloudformation-spec";

/**
 * The templates the program builds, held to CloudFormation's own resource schemas (tests/helpers/cloudformation-spec.ts):
 * the check itself on the bad thing and its clean look-alike, and what the runbook says of updates, read from the schema.
 */

const stackTemplate = (template: string) =>
    stackSetStackTemplate({
        name: "org-access-Reader-ou-ab12-prod0001",
        description: "org-access: member role Reader for teams admins",
        template,
        organizationalUnitIds: ["ou-ab12-prod0001"],
        excludedAccounts: ["222222222222"],
        region: "us-east-1",
        operation: STACK_SET_OPERATION,
    });
const role = roleTemplate("test", {
    name: "Reader",
    description: "reads",
    trust: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:role/admins" }, Action: "sts:AssumeRole" }],
    },
    inline: { read: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] } },
    managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
    maxSessionDuration: 3600,
});
const stackSetProperties = () =>
    (JSON.parse(stackTemplate(role)) as { Resources: Record<string, { Properties: Record<string, unknown> }> }).Resources[
        STACK_SET_LOGICAL_ID
    ].Properties;

describe("CloudFormation's resource schemas as an oracle", () => {
    it("a stack set's stack and the role it deploys keep their types' schemas", () => {
        expect(templateSpecProblems(stackTemplate(role))).to.deep.equal([]);
        expect(templateSpecProblems(role)).to.deep.equal([]);
    });

    it("finds a misspelled property, a missing required one, a value not allowed, and a wrong type, each beside its clean look-alike", () => {
        const clean = stackSetProperties();
        expect(specProblems("AWS::CloudFormation::StackSet", clean)).to.deep.equal([]);
        const groups = clean.StackInstancesGroup as { DeploymentTargets: Record<string, unknown>; Regions: string[] }[];
        const misspelled = {
            ...clean,
            StackInstancesGroup: [
                { ...groups[0], DeploymentTargets: { ...groups[0].DeploymentTargets, AccountsFilterType: "DIFFERENCE" } },
            ],
        };
        expect(specProblems("AWS::CloudFormation::StackSet", misspelled).join("\n")).to.match(/AccountsFilterType: no such property/);
        const unmodelled = Object.fromEntries(Object.entries(clean).filter(([name]) => name !== "PermissionModel"));
        expect(specProblems("AWS::CloudFormation::StackSet", unmodelled)).to.deep.equal([
            "AWS::CloudFormation::StackSet.PermissionModel: required, missing",
        ]);
        expect(specProblems("AWS::CloudFormation::StackSet", { ...clean, CallAs: "ORGANIZATION" })).to.deep.equal([
            'AWS::CloudFormation::StackSet.CallAs: "ORGANIZATION" is not one of SELF, DELEGATED_ADMIN',
        ]);
        expect(specProblems("AWS::CloudFormation::StackSet", { ...clean, AutoDeployment: { Enabled: "true" } })).to.have.length(1);
        expect(specProblems("AWS::IAM::Role", { RoleName: "R" })).to.deep.equal([
            "AWS::IAM::Role.AssumeRolePolicyDocument: required, missing",
        ]);
    });

    it("what the runbook says of updates: a stack set's targets, template and preferences change in place; its name and permission model replace it", () => {
        const replacing = Object.entries(resourceSpec("AWS::CloudFormation::StackSet").properties)
            .filter(([, p]) => p.causesReplacement === "yes")
            .map(([name]) => name);
        expect(
            Object.keys(stackSetProperties())
                .filter((name) => replacing.includes(name))
                .sort(),
        ).to.deep.equal(["PermissionModel", "StackSetName"]);
        for (const inPlace of ["StackInstancesGroup", "TemplateBody", "OperationPreferences", "AutoDeployment", "Description"]) {
            expect(replacing, inPlace).to.not.include(inPlace);
        }
    });
});
