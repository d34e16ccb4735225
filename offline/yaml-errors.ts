import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

/**
 * A problem with a file the offline tools read (`Pulumi.yaml`, `Pulumi.<stack>.yaml`): missing,
 * empty, a directory, not YAML, or not shaped as the Pulumi CLI reads it. The message is one line
 * and starts with the file (and, for YAML syntax, `FILE:LINE:COL`), like a compiler's.
 */
export class StackFileError extends Error {
    constructor(
        public readonly file: string,
        public readonly detail: string,
    ) {
        super(`${displayPath(file)}: ${detail}`);
        this.name = "StackFileError";
    }
}

/** Several files' errors, each once (a mistake in shared config fails every stack the same way): a line each. */
export class ConfigErrors extends Error {
    constructor(public readonly errors: readonly StackFileError[]) {
        super(errors.map((e) => e.message).join("\n"));
        this.name = "ConfigErrors";
    }
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(file: string, cwd = process.cwd()): string {
    const prefix = cwd.endsWith(path.sep) ? cwd : cwd + path.sep;
    return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}

/** Hints for YAML mistakes whose parser message does not say what to do. */
function hint(reason: string): string {
    if (/alias node/.test(reason)) {
        return `${reason} (a bare * starts a YAML alias; quote it: "*")`;
    }
    if (/tab characters/.test(reason)) {
        return `${reason} (indent with spaces)`;
    }
    if (/duplicated mapping key/.test(reason)) {
        return `${reason} (each key may appear once; the second would silently replace the first)`;
    }
    return reason;
}

/**
 * Reads a YAML file for the offline tools: returns the parsed document, or throws one
 * `StackFileError` naming the file (missing, a directory, unreadable) or `FILE:LINE:COL` (syntax,
 * duplicate key, tab indentation, bare `*`). Never echoes the file back.
 */
export function readYamlFile(file: string): unknown {
    let text: string;
    try {
        const stat = fs.statSync(file);
        if (stat.isDirectory()) {
            throw new StackFileError(file, "is a directory, not a YAML file");
        }
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        if (e instanceof StackFileError) {
            throw e;
        }
        const code = (e as NodeJS.ErrnoException).code;
        throw new StackFileError(file, code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (e as Error).message})`);
    }
    if (text.trim() === "" || /^(\s*#[^\n]*\n?)*\s*$/.test(text)) {
        throw new StackFileError(file, "is empty");
    }
    try {
        return yaml.load(text, { filename: file });
    } catch (e) {
        if (e instanceof yaml.YAMLException) {
            const where = e.mark ? `${file}:${e.mark.line + 1}:${e.mark.column + 1}` : file;
            throw new StackFileError(where, hint(e.reason ?? "invalid YAML"));
        }
        throw e;
    }
}
