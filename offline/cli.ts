import * as pulumi from "@pulumi/pulumi";
import { parseArgs } from "node:util";
import { nearest } from "../config/nearest";
import { ConfigErrors, StackFileError } from "./yaml-errors";

/**
 * The one argument parser of every command (`npm run plan`, `policy-check`, `docs`, `bench`):
 * `node:util` `parseArgs` in strict mode, `--help` on each, and one-line errors.
 *
 * A command declares its flags as data; adding a flag is one entry. A flag that is not
 * `multiple` may be given once: `--config-file a --config-file b` is an error, not "the last
 * one wins". Usage errors exit 2, config and file errors exit 1, `--help` exits 0; nothing
 * prints a stack trace unless `ORG_ACCESS_STACK_TRACES=1`.
 */
export interface FlagSpec {
    readonly type: "string" | "boolean";
    /** May be given more than once (each value at most once). */
    readonly multiple?: boolean;
    /** The value's placeholder in usage, e.g. `NAME`. */
    readonly value?: string;
    readonly help: string;
}

export interface CommandSpec<F extends Record<string, FlagSpec>> {
    /** As the user types it, e.g. `npm run plan --`. */
    readonly usage: string;
    readonly description: string;
    readonly flags: F;
}

type ValueOf<S extends FlagSpec> = S["type"] extends "boolean"
    ? boolean | undefined
    : S["multiple"] extends true
      ? string[]
      : string | undefined;

/** The parsed flags, typed from the spec: strings, booleans, or lists for `multiple` flags. */
export type Flags<F extends Record<string, FlagSpec>> = { -readonly [K in keyof F]: ValueOf<F[K]> };

/** Misuse of a command: one line, exit 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** `--help` was asked for. */
export class HelpRequested {
    constructor(public readonly text: string) {}
}

export function usageText<F extends Record<string, FlagSpec>>(spec: CommandSpec<F>): string {
    const rows = Object.entries({ ...spec.flags, help: { type: "boolean", help: "print this help and exit" } as FlagSpec }).map(
        ([name, f]) => [`--${name}${f.type === "string" ? ` ${f.value ?? "VALUE"}` : ""}`, `${f.help}${f.multiple ? " (repeatable)" : ""}`],
    );
    const width = Math.max(...rows.map(([left]) => left.length));
    const synopsis = Object.entries(spec.flags)
        .map(([name, f]) => `[--${name}${f.type === "string" ? ` ${f.value ?? "VALUE"}` : ""}]${f.multiple ? "..." : ""}`)
        .join(" ");
    return [`usage: ${spec.usage} ${synopsis}`, "", spec.description, "", ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`), ""].join(
        "\n",
    );
}

/**
 * Parses argv against the spec. Throws `UsageError` (unknown flag with the nearest known one,
 * missing value, positional argument, repeated flag) or `HelpRequested`.
 */
export function parseCommandLine<F extends Record<string, FlagSpec>>(spec: CommandSpec<F>, argv: readonly string[]): Flags<F> {
    const known = Object.keys(spec.flags);
    const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = { help: { type: "boolean" } };
    for (const [name, f] of Object.entries(spec.flags)) {
        options[name] = { type: f.type, multiple: f.multiple === true };
    }
    // A lenient pass first, for messages that name the flag and value; then the strict pass.
    const loose = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
    const seen = new Map<string, string[]>();
    for (const token of loose.tokens ?? []) {
        if (token.kind === "positional") {
            throw new UsageError(`${show(token.value)}: unexpected argument (flags start with --; see --help)`);
        }
        if (token.kind !== "option") {
            continue;
        }
        if (token.name === "help") {
            if (token.value !== undefined) {
                throw new UsageError(`--help: takes no value, got ${show(token.value)}`);
            }
            throw new HelpRequested(usageText(spec));
        }
        if (!(token.name in spec.flags)) {
            // `-stack` reaches parseArgs as the short flags -s -t -a -c -k: name what was typed.
            const typed = token.rawName.startsWith("--") ? token.rawName : (argv[token.index] ?? token.rawName).split("=")[0];
            const near = nearest(typed.replace(/^-+/, ""), known);
            throw new UsageError(`${typed}: unknown flag${near ? ` (did you mean --${near}?)` : ""}; see --help`);
        }
        const flag = spec.flags[token.name];
        if (flag.type === "string" && (token.value === undefined || (token.inlineValue !== true && token.value.startsWith("-")))) {
            throw new UsageError(`--${token.name}: needs a value ${flag.value ?? "VALUE"}`);
        }
        if (flag.type === "boolean" && token.value !== undefined) {
            throw new UsageError(`--${token.name}: takes no value, got ${show(token.value)}`);
        }
        const values = seen.get(token.name) ?? [];
        const value = token.value ?? "true";
        if (values.length > 0 && !flag.multiple) {
            throw new UsageError(`--${token.name}: given more than once (${[...values, value].map(show).join(", ")}); it takes one value`);
        }
        if (values.includes(value)) {
            throw new UsageError(`--${token.name}: ${show(value)} given twice`);
        }
        seen.set(token.name, [...values, value]);
    }
    try {
        const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
        for (const [name, f] of Object.entries(spec.flags)) {
            if (f.multiple && values[name] === undefined) {
                values[name] = [];
            }
        }
        delete values.help;
        return values as Flags<F>;
    } catch (e) {
        throw new UsageError(String((e as Error).message).split("\n")[0]);
    }
}

/** What a command run came to: its exit code, and the help text or the one error line it printed. */
export interface CommandOutcome {
    readonly code: number;
    readonly help?: string;
    readonly error?: string;
}

/**
 * Runs a command in-process on `argv`: parses its flags, answers --help (exit 0), runs `main`, and
 * turns every error into one line with a non-zero exit: usage errors 2, everything else 1. `main`
 * returns the exit code. `runCommand` is this, wired to the process; tests call it directly.
 */
export async function execute<F extends Record<string, FlagSpec>>(
    spec: CommandSpec<F>,
    argv: readonly string[],
    main: (flags: Flags<F>) => Promise<number | void>,
): Promise<CommandOutcome> {
    try {
        const flags = parseCommandLine(spec, argv);
        return { code: (await main(flags)) ?? 0 };
    } catch (e) {
        if (e instanceof HelpRequested) {
            return { code: 0, help: e.text };
        }
        return { code: e instanceof UsageError ? 2 : 1, error: errorLine(e) };
    }
}

/** Runs a command as the process: prints help or the error line, and exits with the outcome's code. */
export function runCommand<F extends Record<string, FlagSpec>>(
    spec: CommandSpec<F>,
    main: (flags: Flags<F>) => Promise<number | void>,
): void {
    let done = false;
    const finish = (outcome: CommandOutcome) => {
        if (done) {
            return;
        }
        done = true;
        if (outcome.help !== undefined) {
            process.stdout.write(outcome.help);
        }
        if (outcome.error !== undefined) {
            console.error(outcome.error);
        }
        process.exit(outcome.code);
    };
    // The SDK's mock runtime can leave a second, unawaited promise rejected with the program's
    // error; Node would print it with its stack. It is the same error: one line, once, exit 1.
    process.on("unhandledRejection", (reason) => finish({ code: 1, error: errorLine(reason) }));
    void execute(spec, process.argv.slice(2), main).then(finish);
}

/**
 * The one line a failed command prints: `error: <key or file>: <what> <value>`. Config, file and
 * usage errors carry such a message already; anything else is reported by its first line, and its
 * stack only when ORG_ACCESS_STACK_TRACES is set (config/runtime.ts).
 */
export function errorLine(err: unknown): string {
    if (err instanceof ConfigErrors) {
        return err.errors.map((e) => `error: ${e.message}`).join("\n");
    }
    if (pulumi.RunError.isInstance(err) || err instanceof UsageError || err instanceof StackFileError) {
        return `error: ${(err as Error).message}`;
    }
    const text = err instanceof Error ? err.message : String(err);
    if (process.env.ORG_ACCESS_STACK_TRACES && err instanceof Error && err.stack) {
        return `error: ${err.stack}`;
    }
    return `error: ${text.split("\n")[0]} (internal error; set ORG_ACCESS_STACK_TRACES=1 for details)`;
}

function show(value: string): string {
    return JSON.stringify(value);
}
