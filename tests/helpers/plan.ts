import { expect } from "chai";
import "./transpile-cache";
import { Plan, planProgram, PlannedResource, runPlan } from "../../offline/plan";

export { runPlan };

/** Custom resources of one type, e.g. `aws:iam/role:Role`. */
export function ofType(plan: Plan, type: string): PlannedResource[] {
    return plan.resources.filter((r) => r.custom && r.type === type);
}

/** The single resource of a type and name, failing the test if absent. */
export function find(plan: Plan, type: string, name: string): PlannedResource {
    const found = plan.resources.find((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).to.not.equal(undefined);
    return found as PlannedResource;
}

/** A planned custom resource, as the recorder would give it. */
export function plannedResource(type: string, name: string, accountId: string, inputs: Record<string, unknown>): PlannedResource {
    return {
        urn: `urn:pulumi:s::org-access::${type}::${name}`,
        type,
        name,
        accountId,
        inputs,
        custom: true,
        protect: false,
        deleteBeforeReplace: false,
        explicitProvider: true,
    };
}

/** A JSON policy input as an object. */
export function doc(value: unknown): object {
    expect(value, "policy document").to.be.a("string");
    return JSON.parse(value as string) as object;
}

/**
 * Runs the program with config that must be rejected. Returns the one-line
 * error message, after checking that no resource other than the stack itself
 * was registered.
 */
export async function planError(stack: string, config: Record<string, string>): Promise<string> {
    const outcome = await planProgram({ stack, config });
    if (outcome.ok) {
        throw new Error("expected the program to reject its config, but it planned");
    }
    expect(outcome.registered.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type)).to.deep.equal([]);
    const message = (outcome.error as Error).message;
    expect(message).not.to.include("\n");
    return message;
}

/** The `Properties` of each resource of type `cfnType` in a CloudFormation template given as JSON text. */
export function templatePropertiesOf(templateBody: unknown, cfnType: string): Record<string, unknown>[] {
    const template = JSON.parse(String(templateBody)) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    return Object.values(template.Resources)
        .filter((r) => r.Type === cfnType)
        .map((r) => r.Properties);
}

/**
 * The one AWS::CloudFormation::StackSet of a stack around a stack set (model/stack-set-template.ts), given the
 * stack's template: its properties, and the roles its own template deploys into each account it reaches.
 */
export function stackSetOfStack(templateBody: unknown): { stackSet: Record<string, unknown>; roles: Record<string, unknown>[] } {
    const sets = templatePropertiesOf(templateBody, "AWS::CloudFormation::StackSet");
    expect(sets, "stack sets in the stack's template").to.have.length(1);
    return { stackSet: sets[0], roles: templatePropertiesOf(sets[0].TemplateBody, "AWS::IAM::Role") };
}
