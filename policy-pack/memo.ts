// Memos for what the pack derives from values that repeat across resources. Verdicts are pure
// functions of a document, an action name or a glob, and an organization repeats them: every
// member account's role carries the same trust text, every inline policy names the same actions.
// Without these the served pack judged the same trust with the evaluator once per role and policy.

/** Results by string key, emptied when it reaches `limit` entries (a bound, not an eviction policy). */
export class StringMemo<T> {
    private readonly entries = new Map<string, T>();

    constructor(private readonly limit: number) {}

    get(key: string, compute: () => T): T {
        if (this.entries.has(key)) {
            return this.entries.get(key) as T;
        }
        const value = compute();
        if (this.entries.size >= this.limit) {
            this.entries.clear();
        }
        this.entries.set(key, value);
        return value;
    }
}

/**
 * Results per parsed document (or statement) and variant (the config that also decides them).
 * Parsed documents are immutable and shared by every resource with the same text
 * (`parsePolicyDocument`), so a verdict is computed once per text and variant; entries go when
 * the document does.
 */
export class DocumentMemo<T> {
    private readonly entries = new WeakMap<object, Map<string, T>>();

    get(document: object, variant: string, compute: () => T): T {
        let variants = this.entries.get(document);
        if (variants === undefined) {
            variants = new Map();
            this.entries.set(document, variants);
        }
        if (variants.has(variant)) {
            return variants.get(variant) as T;
        }
        const value = compute();
        variants.set(variant, value);
        return value;
    }
}
