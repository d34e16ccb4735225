import * as fs from "fs";
import * as path from "path";
import { nearest } from "../config/nearest";
import { readYamlFile, StackFileError } from "./yaml-errors";
import { isRecord } from "../iam/documents";

export const PROJECT_NAME = "org-access";
export const PROJECT_DIR = path.resolve(__dirname, "..");

/**
 * A Pulumi project directory as the Pulumi CLI reads it: `Pulumi.yaml` (name, `stackConfigDir`,
 * project-level `config:`) and the stack files `Pulumi.<stack>.yaml` in the stack config directory.
 */
export interface Project {
    /** `name:` of `Pulumi.yaml`: the namespace of project config keys written without one. */
    readonly name: string;
    /** The directory holding `Pulumi.yaml`. */
    readonly dir: string;
    /** Where stack files live: `stackConfigDir` resolved against `dir`, or `dir` itself. Absolute. */
    readonly stackConfigDir: string;
    /** Stacks that have a `Pulumi.<stack>.yaml` in `stackConfigDir`, sorted. */
    readonly stacks: string[];
    /** Project-level config, flat and namespaced (`org-access:regions`), as the engine merges it under every stack. */
    readonly projectConfig: Record<string, string>;
}

/** The project file of a directory. */
export function projectFileOf(projectDir: string): string {
    return path.join(projectDir, "Pulumi.yaml");
}

/**
 * Reads `DIR/Pulumi.yaml` and discovers its stacks. Throws a one-line `StackFileError` naming the
 * file and key for anything the Pulumi CLI would reject (see `projectConfigOf`).
 */
export function readProject(projectDir: string = PROJECT_DIR): Project {
    const file = projectFileOf(projectDir);
    const doc = readYamlFile(file);
    if (!isRecord(doc)) {
        throw new StackFileError(file, `expected a mapping with name: and runtime:, got ${describe(doc)}`);
    }
    if (typeof doc.name !== "string" || doc.name.length === 0) {
        throw new StackFileError(file, "project is missing a 'name' attribute");
    }
    const runtimeName = isRecord(doc.runtime) ? doc.runtime.name : doc.runtime;
    if (typeof runtimeName !== "string" || runtimeName.length === 0) {
        throw new StackFileError(file, "project is missing a 'runtime' attribute");
    }
    if (doc.stackConfigDir !== undefined && doc.stackConfigDir !== null && typeof doc.stackConfigDir !== "string") {
        throw new StackFileError(file, `stackConfigDir: expected a directory path, got ${describe(doc.stackConfigDir)}`);
    }
    const stackConfigDir = path.resolve(projectDir, typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : ".");
    if (!fs.existsSync(stackConfigDir) || !fs.statSync(stackConfigDir).isDirectory()) {
        throw new StackFileError(file, `stackConfigDir: ${JSON.stringify(doc.stackConfigDir)} is not a directory (${stackConfigDir})`);
    }
    return {
        name: doc.name,
        dir: path.resolve(projectDir),
        stackConfigDir,
        stacks: stacksIn(stackConfigDir),
        projectConfig: projectConfigOf(file, doc.name, doc.config),
    };
}

/** Stack names that have a `Pulumi.<stack>.yaml` in the project's stack config directory, sorted. */
export function stackNames(projectDir = PROJECT_DIR): string[] {
    return readProject(projectDir).stacks;
}

function stacksIn(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Where `pulumi` keeps the stack's config file: `Pulumi.<stack>.yaml` in the stack config directory. */
export function configFileFor(stack: string, projectDir = PROJECT_DIR): string {
    const file = projectFileOf(projectDir);
    const doc = fs.existsSync(file) ? readYamlFile(file) : undefined;
    const dir = isRecord(doc) && typeof doc.stackConfigDir === "string" ? path.resolve(projectDir, doc.stackConfigDir) : projectDir;
    return path.join(dir, `Pulumi.${stack}.yaml`);
}

export interface StackConfigOptions {
    /** The stack file to read instead of `Pulumi.<stack>.yaml` (like `pulumi preview --config-file`). */
    readonly configFile?: string;
    /** The project directory; defaults to this project. */
    readonly projectDir?: string;
}

/**
 * The flat config of a stack of a project, as the engine hands it to the program: project config
 * under the stack file's. An unknown stack is an error that lists the stacks found.
 */
export function readStackConfig(stack: string, opts: StackConfigOptions = {}): Record<string, string> {
    const project = readProject(opts.projectDir ?? PROJECT_DIR);
    if (opts.configFile === undefined && !project.stacks.includes(stack)) {
        const near = nearest(stack, project.stacks);
        throw new StackFileError(
            path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`),
            `no such stack ${JSON.stringify(stack)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}; stacks found: ${project.stacks.join(", ") || "none"}`,
        );
    }
    const file = opts.configFile ?? path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`);
    return { ...project.projectConfig, ...stackFileConfig(file) };
}

/**
 * Reads a stack config file into the flat map the Pulumi engine hands a
 * program (`PULUMI_CONFIG`): structured values become JSON text, scalars
 * become strings. Project-level config from `Pulumi.yaml` (`config:` with
 * `value:` or `default:`) comes first and the stack file overrides it, as in
 * Pulumi. Secrets cannot be decrypted offline and read as a marker.
 *
 * `project` is the project file, or `{ projectDir }`; by default the `Pulumi.yaml` next to the
 * stack file, when there is one.
 */
export function readStackConfigFile(
    file: string,
    project: string | { readonly projectDir: string } = path.join(path.dirname(file), "Pulumi.yaml"),
): Record<string, string> {
    const projectFile = typeof project === "string" ? project : projectFileOf(project.projectDir);
    const projectConfig = fs.existsSync(projectFile) ? readProject(path.dirname(projectFile)).projectConfig : {};
    return { ...projectConfig, ...stackFileConfig(file) };
}

/** Top-level keys of a stack file (`ProjectStack` in the Pulumi CLI). */
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

/** The `config:` block of a stack file, flat. Every key must be `<namespace>:<name>`. */
function stackFileConfig(file: string): Record<string, string> {
    const doc = readYamlFile(file);
    if (!isRecord(doc)) {
        throw new StackFileError(file, `expected a mapping with a config: block, got ${describe(doc)}`);
    }
    for (const key of Object.keys(doc)) {
        if (!STACK_FILE_KEYS.includes(key)) {
            const near = nearest(key, STACK_FILE_KEYS);
            throw new StackFileError(
                file,
                `unknown top-level key ${JSON.stringify(key)}${near ? ` (did you mean ${near}:?)` : ""}; a stack file holds ${STACK_FILE_KEYS.join(", ")}`,
            );
        }
    }
    if (!("config" in doc)) {
        throw new StackFileError(file, "has no config: block");
    }
    if (!isRecord(doc.config)) {
        throw new StackFileError(file, `config: expected a mapping of <namespace>:<key> to values, got ${describe(doc.config)}`);
    }
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config)) {
        if (!/^[^:\s]+:[^:\s]+$/.test(key)) {
            throw new StackFileError(
                file,
                `config key ${JSON.stringify(key)} is not <namespace>:<name>${key.includes(":") ? "" : ` (write ${PROJECT_NAME}:${key})`}`,
            );
        }
        flat[key] = flatten(value);
    }
    return flat;
}

/** Attributes of a project config declaration (`configTypeDeclaration` in the CLI's project.json). */
const DECLARATION_KEYS = ["type", "description", "default", "value", "secret", "items"];
const SIMPLE_TYPES = ["string", "integer", "boolean", "array"];

/**
 * Project-level `config:` of `Pulumi.yaml`, read as the Pulumi CLI reads it
 * (`sdk/go/common/workspace/project.json` and `Project.Validate` in pulumi/pulumi): each key maps
 * to a string, integer or boolean, or to a declaration with `type`, `description`, `default`,
 * `value`, `secret`, `items`. A list or object must sit under `value:` (or `default:`). Keys of the
 * project's namespace (no namespace, or `<project>:`) may be typed and have a `default`; keys of
 * another namespace (`aws:region`) may have neither, only a `value`. Both `default` and `value` is
 * an error. Returns the flat map of the values given.
 */
export function projectConfigOf(file: string, projectName: string, config: unknown): Record<string, string> {
    if (config === undefined || config === null) {
        return {};
    }
    if (!isRecord(config)) {
        throw new StackFileError(file, `config: expected a mapping of keys to values or declarations, got ${describe(config)}`);
    }
    const flat: Record<string, string> = {};
    for (const [key, declared] of Object.entries(config)) {
        const at = (detail: string) => new StackFileError(file, `config.${key}: ${detail}`);
        const ownNamespace = !key.includes(":") || key.startsWith(`${projectName}:`);
        if (key.split(":").length > 2 || /\s/.test(key) || key.startsWith(":") || key.endsWith(":")) {
            throw at("is not <name> or <namespace>:<name>");
        }
        const fullKey = key.includes(":") ? key : `${projectName}:${key}`;
        if (typeof declared === "string" || typeof declared === "boolean" || (typeof declared === "number" && Number.isInteger(declared))) {
            flat[fullKey] = String(declared);
            continue;
        }
        if (Array.isArray(declared)) {
            throw at(`a list must sit under value: (write ${key}: {value: [...]})`);
        }
        if (!isRecord(declared)) {
            throw at(`expected a string, an integer, a boolean or a declaration with value:, got ${describe(declared)}`);
        }
        for (const attribute of Object.keys(declared)) {
            if (!DECLARATION_KEYS.includes(attribute)) {
                throw at(
                    `unknown attribute ${JSON.stringify(attribute)} (a declaration has ${DECLARATION_KEYS.join(", ")}; an object value must sit under value:)`,
                );
            }
        }
        const { type, description, secret, items } = declared;
        if (type !== undefined && !SIMPLE_TYPES.includes(type as string)) {
            throw at(`type ${JSON.stringify(type)} is not one of ${SIMPLE_TYPES.join(", ")}`);
        }
        if (description !== undefined && typeof description !== "string") {
            throw at(`description: expected a string, got ${describe(description)}`);
        }
        if (secret !== undefined && typeof secret !== "boolean") {
            throw at(`secret: expected true or false, got ${describe(secret)}`);
        }
        if (items !== undefined) {
            checkItems(items, (detail) => at(`items: ${detail}`));
        }
        if ("default" in declared && "value" in declared) {
            throw at("cannot have both a 'default' and 'value' attribute");
        }
        if (ownNamespace) {
            if (type === "array" && items === undefined) {
                throw at("declares an array but does not specify the underlying type via the 'items' attribute");
            }
            if (type !== undefined && declared.default !== undefined && !matchesType(type as string, items, declared.default)) {
                throw at(`the default value ${describe(declared.default)} is not of the expected type ${JSON.stringify(type)}`);
            }
        } else {
            if (type !== undefined) {
                throw at("is not namespaced by the project and should not define a type");
            }
            if ("default" in declared) {
                throw at("is not namespaced by the project and should not define a default value; use value: instead");
            }
            if (!("value" in declared)) {
                throw at("is namespaced and must provide an attribute 'value'");
            }
        }
        const value = declared.value ?? declared.default;
        if (value !== undefined && value !== null) {
            flat[fullKey] = flatten(value);
        }
    }
    return flat;
}

function checkItems(items: unknown, fail: (detail: string) => StackFileError): void {
    if (!isRecord(items) || items.type === undefined) {
        throw fail("expected a declaration with type:");
    }
    if (!SIMPLE_TYPES.includes(items.type as string)) {
        throw fail(`type ${JSON.stringify(items.type)} is not one of ${SIMPLE_TYPES.join(", ")}`);
    }
    if (items.type === "array") {
        checkItems(items.items, fail);
    }
}

/** `ValidateConfigValue` of the CLI: integers may be whole numbers or digit strings, booleans "true"/"false". */
function matchesType(type: string, items: unknown, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return (typeof value === "number" && Number.isInteger(value)) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        default:
            return Array.isArray(value) && isRecord(items) && value.every((v) => matchesType(items.type as string, items.items, v));
    }
}

function flatten(value: unknown): string {
    if (isRecord(value) && Object.keys(value).length === 1 && typeof value.secure === "string") {
        return "[secret]";
    }
    return typeof value === "string" ? value : JSON.stringify(value);
}

function describe(value: unknown): string {
    if (value === null || value === undefined) {
        return "nothing";
    }
    if (Array.isArray(value)) {
        return "a list";
    }
    if (typeof value === "object") {
        return "a mapping";
    }
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
