import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/errors";
import { parseStackConfig } from "../config/stack";
import { buildOrganizationModel } from "../model/organization";
import { Plan, planProgram } from "./plan";
import { ConfigErrors, StackFileError } from "./yaml-errors";
import { YamlPosition, YamlPositions } from "./yaml-positions";
import { PROJECT_DIR, projectFileOf, readProject, readStackConfig } from "./stack-files";

/**
 * Where a stack's config came from, so a config error names the file and line the value was
 * written on: the stack file (or `--config-file`) for the keys it sets, the project's
 * `Pulumi.yaml` for the rest (under `value:` or `default:`, as the Pulumi CLI reads it there).
 */
export interface StackSource {
    readonly stack: string;
    /** The project directory; this repository by default. */
    readonly projectDir?: string;
    /** The stack file to read instead of `Pulumi.<stack>.yaml` (like `pulumi preview --config-file`). */
    readonly configFile?: string;
}

/** A config error with the file, line and column its value was written at. One line, like a compiler's. */
export class SourcedConfigError extends StackFileError {
    constructor(
        where: string,
        public readonly key: string,
        public readonly reason: string,
    ) {
        super(where, `${key}: ${reason}`);
        this.name = "SourcedConfigError";
    }
}

/** The stack file and project file a stack's config is read from. */
export function sourceFiles(source: StackSource): { stackFile: string; projectFile: string; projectName: string } {
    const project = readProject(source.projectDir ?? PROJECT_DIR);
    return {
        stackFile: source.configFile ?? path.join(project.stackConfigDir, `Pulumi.${source.stack}.yaml`),
        projectFile: projectFileOf(project.dir),
        projectName: project.name,
    };
}

/**
 * Reads a stack's config and validates it the way the program does before its first resource
 * (`parseStackConfig`, then the organization model), so that a config error is reported before
 * any plan runs or prints. Returns the flat config; throws a `SourcedConfigError`.
 */
export function validatedStackConfig(source: StackSource): Record<string, string> {
    const projectDir = source.projectDir ?? PROJECT_DIR;
    const config = readStackConfig(source.stack, { projectDir, configFile: source.configFile });
    try {
        buildOrganizationModel(parseStackConfig(config, projectDir));
    } catch (e) {
        throw e instanceof ConfigError ? sourced(e, source) : e;
    }
    return config;
}

/**
 * Every stack's config validated before any is planned; all their errors at once, each distinct
 * line once. Returns each stack's flat config.
 */
export function validatedProjectConfig(projectDir: string, stacks: readonly string[]): Map<string, Record<string, string>> {
    const configs = new Map<string, Record<string, string>>();
    const errors = new Map<string, StackFileError>();
    for (const stack of stacks) {
        try {
            configs.set(stack, validatedStackConfig({ stack, projectDir }));
        } catch (e) {
            if (!(e instanceof StackFileError)) {
                throw e;
            }
            errors.set(e.message, e);
        }
    }
    if (errors.size > 0) {
        throw errors.size === 1 ? [...errors.values()][0] : new ConfigErrors([...errors.values()]);
    }
    return configs;
}

/** The config error, named by the file and line of the value it is about. */
export function sourced(error: ConfigError, source: StackSource): SourcedConfigError {
    const files = sourceFiles(source);
    const { flatKey, steps } = keyPath(error.key);
    const inStack = YamlPositions.ofFile(files.stackFile);
    let file = files.stackFile;
    const inStackPath = ["config", flatKey, ...steps];
    // The stack file holds the key only if its config: block names it; else it came from Pulumi.yaml.
    let found = inStack?.locate(inStackPath);
    if (found !== undefined && found.depth < 2) {
        found = undefined;
    }
    let complete = found?.depth === inStackPath.length;
    if (found === undefined) {
        const inProject = YamlPositions.ofFile(files.projectFile);
        const own = flatKey.startsWith(`${files.projectName}:`) ? [flatKey, flatKey.slice(files.projectName.length + 1)] : [flatKey];
        const candidates = own.flatMap((k) => [
            { path: ["config", k, "value", ...steps], layer: 1 },
            { path: ["config", k, "default", ...steps], layer: 1 },
            { path: ["config", k, ...steps], layer: 0 },
        ]);
        let best = -1;
        for (const c of candidates) {
            const at = inProject?.locate(c.path);
            // A declaration's `value:` counts only once reached; otherwise the plain form is the better match.
            const reached = at === undefined || at.depth < 2 + c.layer ? -1 : at.depth - c.layer;
            if (reached > best) {
                best = reached;
                found = at;
                complete = at?.depth === c.path.length;
                file = files.projectFile;
            }
        }
        if (found === undefined) {
            file = files.stackFile;
        }
    }
    if (found === undefined) {
        return new SourcedConfigError(
            file,
            error.key,
            error.detail +
                (fromExample(file, source) ? " (with this repository's example Pulumi.yaml: give --project DIR to read your own)" : ""),
        );
    }
    const hint = fromExample(file, source)
        ? " (a value of this repository's example Pulumi.yaml: give --project DIR to read your own)"
        : "";
    // An unknown key is about the key itself, not its value.
    const { line, column } = complete && found.key !== undefined && /^unknown key/.test(error.detail) ? found.key : found.position;
    return new SourcedConfigError(
        `${file}:${line}:${column}`,
        error.key,
        (complete ? asWritten(error.detail, found.position) : error.detail) + hint,
    );
}

/**
 * Whether a `--config-file` from outside this repository was read over the repository's own example
 * project config (no `--project`, no `Pulumi.yaml` beside it): then its errors may be about keys the
 * user never wrote, and the message says where they came from.
 */
export function readsExampleFor(configFile: string | undefined, projectDir: string): boolean {
    return (
        configFile !== undefined && path.resolve(projectDir) === PROJECT_DIR && !path.resolve(configFile).startsWith(PROJECT_DIR + path.sep)
    );
}

function fromExample(file: string, source: StackSource): boolean {
    return file === projectFileOf(PROJECT_DIR) && readsExampleFor(source.configFile, source.projectDir ?? PROJECT_DIR);
}

/**
 * An error about a value YAML read as a number where text was expected (an account id written
 * `id: 081492000031`) shows the value as written and says to quote it: the number in the message
 * (`81492000031`) is one the user never typed.
 */
function asWritten(detail: string, at: YamlPosition): string {
    if (!at.plain || typeof at.value !== "number" || !/string|account id/.test(detail)) {
        return detail;
    }
    return `${at.source} is unquoted, so YAML reads it as the number ${String(at.value)}; quote it: "${at.source}"`;
}

/** `org-access:organization.accounts[1].id` as the flat config key and the steps inside its value. */
export function keyPath(key: string): { flatKey: string; steps: (string | number)[] } {
    const colon = key.indexOf(":");
    const rest = key.slice(colon + 1);
    const end = rest.search(/[.[]/);
    const flatKey = end < 0 ? key : key.slice(0, colon + 1 + end);
    const steps: (string | number)[] = [];
    for (const m of (end < 0 ? "" : rest.slice(end)).matchAll(/\.([^.[]+)|\[(\d+)\]/g)) {
        steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
    }
    return { flatKey, steps };
}

/**
 * Plans one stack after validating its config (`validatedStackConfig`); a config error the program
 * finds later is named by its file and line too.
 */
export async function planStack(source: StackSource): Promise<Plan> {
    const projectDir = source.projectDir ?? PROJECT_DIR;
    const config = validatedStackConfig(source);
    const outcome = await planProgram({ stack: source.stack, config, projectDir });
    if (!outcome.ok) {
        throw outcome.error instanceof ConfigError ? sourced(outcome.error, source) : outcome.error;
    }
    return outcome.plan;
}

/**
 * The project a command reads: `--project DIR`; else, for a `--config-file`, the project beside
 * that file (its directory's `Pulumi.yaml`), so a stack file of your own project is never merged
 * with this repository's example config; else this repository.
 */
export function projectOf(project: string | undefined, configFile: string | undefined): string {
    if (project !== undefined) {
        return path.resolve(project);
    }
    if (configFile !== undefined && fs.existsSync(projectFileOf(path.dirname(path.resolve(configFile))))) {
        return path.dirname(path.resolve(configFile));
    }
    return PROJECT_DIR;
}
