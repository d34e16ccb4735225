import { ConfigError, show } from "./errors";

/**
 * A cursor into raw (untyped) config, carrying the dotted key path so every
 * error names exactly where the bad value sits. All checks are pure and throw
 * `ConfigError`.
 */
export class ConfigValue {
    constructor(
        public readonly key: string,
        public readonly raw: unknown,
    ) {}

    get present(): boolean {
        return this.raw !== undefined && this.raw !== null;
    }

    fail(detail: string): never {
        throw new ConfigError(this.key, detail);
    }

    /** Reads an object, rejecting keys this program does not know. */
    object(knownKeys: readonly string[]): ConfigObject {
        if (typeof this.raw !== "object" || this.raw === null || Array.isArray(this.raw)) {
            this.fail(`expected an object, got ${show(this.raw)}`);
        }
        const record = this.raw as Record<string, unknown>;
        for (const k of Object.keys(record)) {
            if (!knownKeys.includes(k)) {
                throw new ConfigError(`${this.key}.${k}`, `unknown key (known keys: ${knownKeys.join(", ")})`);
            }
        }
        return new ConfigObject(this.key, record);
    }

    array(): ConfigValue[] {
        if (!Array.isArray(this.raw)) {
            this.fail(`expected a list, got ${show(this.raw)}`);
        }
        return this.raw.map((item, i) => new ConfigValue(`${this.key}[${i}]`, item));
    }

    string(pattern?: RegExp, what?: string): string {
        if (typeof this.raw !== "string" || this.raw.length === 0) {
            this.fail(`expected a non-empty string, got ${show(this.raw)}`);
        }
        if (pattern && !pattern.test(this.raw)) {
            this.fail(`${show(this.raw)} is not ${what ?? `a match for ${pattern}`}`);
        }
        return this.raw;
    }

    /** Accepts a number, or a string of digits as YAML may give it. */
    integer(min: number, max: number): number {
        const n = typeof this.raw === "string" && /^\d+$/.test(this.raw) ? Number(this.raw) : this.raw;
        if (typeof n !== "number" || !Number.isInteger(n)) {
            this.fail(`expected a whole number, got ${show(this.raw)}`);
        }
        if (n < min || n > max) {
            this.fail(`${show(this.raw)} is outside ${min}-${max}`);
        }
        return n;
    }

    boolean(): boolean {
        if (typeof this.raw !== "boolean") {
            this.fail(`expected true or false, got ${show(this.raw)}`);
        }
        return this.raw;
    }

    /** A list of strings with no repeats. */
    stringList(pattern?: RegExp, what?: string): string[] {
        const values = this.array().map((v) => v.string(pattern, what));
        assertUnique(this, values, (v) => v, "value");
        return values;
    }
}

/** An object whose keys have already been checked. */
export class ConfigObject {
    constructor(
        public readonly key: string,
        private readonly record: Record<string, unknown>,
    ) {}

    field(name: string): ConfigValue {
        return new ConfigValue(`${this.key}.${name}`, this.record[name]);
    }

    required(name: string): ConfigValue {
        const value = this.field(name);
        if (!value.present) {
            value.fail("is required");
        }
        return value;
    }

    optional<T>(name: string, read: (v: ConfigValue) => T): T | undefined {
        const value = this.field(name);
        return value.present ? read(value) : undefined;
    }
}

/** Throws on the first item whose key repeats an earlier one. */
export function assertUnique<T>(at: ConfigValue, items: readonly T[], keyOf: (item: T) => string, what: string): void {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
        const k = keyOf(item);
        const first = seen.get(k);
        if (first !== undefined) {
            throw new ConfigError(`${at.key}[${i}]`, `duplicate ${what} ${show(k)} (also at [${first}])`);
        }
        seen.set(k, i);
    });
}

/** IAM names are unique regardless of case. */
export function assertUniqueIam<T>(at: ConfigValue, items: readonly T[], nameOf: (item: T) => string, what: string): void {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
        const name = nameOf(item);
        const first = seen.get(name.toLowerCase());
        if (first !== undefined) {
            const same = nameOf(items[first]) === name;
            throw new ConfigError(
                `${at.key}[${i}]`,
                `duplicate ${what} ${show(name)} (also at [${first}]${same ? "" : " as " + show(nameOf(items[first])) + "; IAM names ignore case"})`,
            );
        }
        seen.set(name.toLowerCase(), i);
    });
}

/** An optional list under `key`, each item read by `read`; absent means empty. */
export function listOf<T>(o: ConfigObject, key: string, read: (item: ConfigValue) => T): T[] {
    return o.optional(key, (v) => v.array().map(read)) ?? [];
}
