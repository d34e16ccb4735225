/**
 * Tests plan the real program many times in one process (offline/plan.ts requires `index.ts` and its
 * modules anew for each plan). Under ts-node each of those requires transpiles the file again,
 * which costs more than running it. This keeps, per file, the JavaScript ts-node produced the first
 * time and hands the same text to Node on the next require: the same code runs, fresh each time,
 * without transpiling it again. A file whose text changes on disk is transpiled again.
 */
import * as fs from "fs";

type Compile = (this: NodeJS.Module, code: string, filename: string) => unknown;
type Loader = (module: NodeJS.Module, filename: string) => void;

const extensions = require.extensions as unknown as Record<string, Loader>;
const transpile = extensions[".ts"];
const compiled = new Map<string, { source: string; js: string }>();

if (transpile && !(transpile as { cached?: boolean }).cached) {
    const cachedLoader: Loader & { cached?: boolean } = (module, filename) => {
        const source = fs.readFileSync(filename, "utf8");
        const hit = compiled.get(filename);
        const compile = (module as unknown as { _compile: Compile })._compile;
        if (hit && hit.source === source) {
            compile.call(module, hit.js, filename);
            return;
        }
        (module as unknown as { _compile: Compile })._compile = function (js: string, name: string) {
            compiled.set(filename, { source, js });
            return compile.call(this, js, name);
        };
        transpile(module, filename);
    };
    cachedLoader.cached = true;
    extensions[".ts"] = cachedLoader;
}
