import * as pulumi from "@pulumi/pulumi";

/**
 * A problem with the stack configuration. The message always names the full
 * config key (for example `org-access:organization.accounts[1].id`) and the
 * offending value, so the user can fix it without reading code.
 *
 * It extends `pulumi.RunError` so that `pulumi preview` prints the message as
 * one line, without a stack trace, and exits non-zero.
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        public readonly key: string,
        public readonly detail: string,
    ) {
        super(`${key}: ${detail}`);
        this.name = "ConfigError";
    }
}

/** Renders a config value for an error message: short, single-line JSON. */
export function show(value: unknown): string {
    if (value === undefined) {
        return "undefined";
    }
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
