import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

export const PROJECT_NAME = "org-access";
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** Stack names that have a `Pulumi.<stack>.yaml` in the project, sorted. */
export function stackNames(projectDir = PROJECT_DIR): string[] {
    return fs
        .readdirSync(projectDir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/**
 * Reads a stack config file into the flat map the Pulumi engine hands a
 * program (`PULUMI_CONFIG`): structured values become JSON text, scalars
 * become strings. Project-level config from `Pulumi.yaml` (`config:` with
 * `value:` or `default:`) comes first and the stack file overrides it, as in
 * Pulumi. Secrets cannot be decrypted offline and read as a marker.
 */
export function readStackConfigFile(file: string, projectFile = path.join(path.dirname(file), "Pulumi.yaml")): Record<string, string> {
    const flat: Record<string, string> = {};
    for (const [key, declared] of Object.entries(configBlock(projectFile))) {
        const value = isRecord(declared) && ("value" in declared || "default" in declared) ? (declared.value ?? declared.default) : declared;
        if (value !== undefined) {
            flat[key.includes(":") ? key : `${PROJECT_NAME}:${key}`] = flatten(value);
        }
    }
    for (const [key, value] of Object.entries(configBlock(file))) {
        flat[key] = flatten(value);
    }
    return flat;
}

function configBlock(file: string): Record<string, unknown> {
    if (!fs.existsSync(file)) {
        return {};
    }
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as unknown;
    return isRecord(doc) && isRecord(doc.config) ? doc.config : {};
}

export function configFileFor(stack: string, projectDir = PROJECT_DIR): string {
    return path.join(projectDir, `Pulumi.${stack}.yaml`);
}

function flatten(value: unknown): string {
    if (isRecord(value) && Object.keys(value).length === 1 && typeof value.secure === "string") {
        return "[secret]";
    }
    return typeof value === "string" ? value : JSON.stringify(value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
