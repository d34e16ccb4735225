import * as fs from "fs";
import * as yaml from "js-yaml";

/**
 * Where a value of a YAML file was written: its line and column (1-based) and its source text
 * as typed (quotes included), so an error can name `FILE:LINE:COL` and show `081492000031`
 * rather than the number YAML read it as.
 *
 * Built from js-yaml's own parse (its `listener` option reports every node it composes, with
 * the offset where composing started and ended), so the positions are those of the parse the
 * tools use, not of a second reading of the text.
 */
export interface YamlPosition {
    readonly line: number;
    readonly column: number;
    /** The node's source text, trimmed: `"4444"`, `081492000031`, `[a, b]`. */
    readonly source: string;
    /** What YAML read there. */
    readonly value: unknown;
    /** Whether the node is a scalar written without quotes. */
    readonly plain: boolean;
}

/** One composed node: where composing started and ended, what it produced, and the nodes it composed. */
interface Node {
    readonly start: number;
    end: number;
    result: unknown;
    kind: string | null;
    readonly children: Node[];
}

/** A parsed file that can answer where a path of keys and indexes was written. */
export class YamlPositions {
    private constructor(
        private readonly text: string,
        private readonly root: Node | undefined,
    ) {}

    /** Parses `file`; undefined when it cannot be read or parsed (its reader reports that). */
    static ofFile(file: string): YamlPositions | undefined {
        try {
            return YamlPositions.ofText(fs.readFileSync(file, "utf8"));
        } catch {
            return undefined;
        }
    }

    static ofText(text: string): YamlPositions {
        const stack: Node[] = [{ start: 0, end: text.length, result: undefined, kind: null, children: [] }];
        yaml.load(text, {
            listener(event, state) {
                if (event === "open") {
                    const node: Node = { start: state.position, end: state.position, result: undefined, kind: null, children: [] };
                    stack[stack.length - 1].children.push(node);
                    stack.push(node);
                } else if (stack.length > 1) {
                    const node = stack.pop() as Node;
                    node.end = state.position;
                    node.result = state.result;
                    node.kind = state.kind;
                }
            },
        });
        return new YamlPositions(text, stack[0].children[0]);
    }

    /**
     * The deepest node on `path` (mapping keys and sequence indexes) from the document's root,
     * with how many steps of the path it reached; undefined when not even the first step exists.
     * For a mapping entry whose value is a collection the position is its key's (the line that
     * names it); for a scalar, the scalar's. `key` is the entry's key, where the path ends in one.
     */
    locate(path: readonly (string | number)[]): { position: YamlPosition; depth: number; key?: YamlPosition } | undefined {
        let node = this.root;
        let found: { position: YamlPosition; depth: number; key?: YamlPosition } | undefined;
        for (let depth = 0; node !== undefined && depth < path.length; depth++) {
            const step = entryOf(unwrap(node), path[depth]);
            if (step === undefined) {
                break;
            }
            node = step.value;
            const value = unwrap(step.value);
            const at = value.kind === "scalar" || step.key === undefined ? value : step.key;
            found = {
                position: this.positionOf(at, value),
                depth: depth + 1,
                key: step.key && this.positionOf(step.key, unwrap(step.key)),
            };
        }
        return found;
    }

    private positionOf(at: Node, value: Node): YamlPosition {
        const start = skipBlank(this.text, at.start);
        const before = this.text.slice(0, start);
        const line = before.split("\n").length;
        const column = start - before.lastIndexOf("\n");
        const source = this.text.slice(skipBlank(this.text, value.start), value.end).trim();
        const plain = value.kind === "scalar" && !/^['"]/.test(source);
        return { line, column, source, value: value.result, plain };
    }
}

/** A node that only wraps the node it composed (js-yaml tries a flow collection as a block key first). */
function unwrap(node: Node): Node {
    let current = node;
    while (current.children.length === 1 && current.children[0].result === current.result && current.kind !== "scalar") {
        current = current.children[0];
    }
    return current;
}

/** The key node and value node of `step` in a mapping (by key) or a sequence (by index). */
function entryOf(node: Node, step: string | number): { key?: Node; value: Node } | undefined {
    if (node.kind === "sequence" && typeof step === "number" && Array.isArray(node.result)) {
        return node.children.length === node.result.length && step < node.children.length ? { value: node.children[step] } : undefined;
    }
    if (node.kind === "mapping" && typeof step === "string" && node.children.length % 2 === 0) {
        for (let i = 0; i < node.children.length; i += 2) {
            const key = unwrap(node.children[i]);
            if (key.kind === "scalar" && String(key.result) === step) {
                return { key, value: node.children[i + 1] };
            }
        }
    }
    return undefined;
}

/** Past spaces, line breaks, comments and a sequence entry's `- `: where the node's text starts. */
function skipBlank(text: string, from: number): number {
    let i = from;
    for (;;) {
        const rest = /^(?:\s+|#[^\n]*|-(?=\s))/.exec(text.slice(i, i + 200));
        if (rest === null || rest[0].length === 0) {
            return i;
        }
        i += rest[0].length;
    }
}
