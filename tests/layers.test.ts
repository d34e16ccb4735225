import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

/**
 * The house is laid out by layer, and imports point one way: a module may import
 * from its own layer or any layer below it, never above. The README's
 * architecture section lists the same layers.
 */
export const LAYERS: readonly (readonly string[])[] = [
    ["config"], // parse and validate; imports nothing of ours
    ["iam"], // ARNs, typed policy documents
    ["model"], // the organization model and the document builders
    ["accounts"], // per-account providers, identities, Identity Center
    ["roles"], // role components and the access setup that composes them
    ["outputs"], // profiles, console links, the matrix and its renderers
    ["analysis"], // reach: who can get where, judged from planned documents across stacks
    ["index.ts"], // the program: a function of the validated config
    ["offline"], // the mock-runtime plan, the organization plan, stack files, the served pack, the command-line parser
    ["bench"],
    ["scripts"],
    ["tests"],
];

const ROOT = path.resolve(__dirname, "..");
const PACK = "policy-pack";

function layerOf(file: string): number | undefined {
    const top = path.relative(ROOT, file).split(path.sep)[0];
    const index = LAYERS.findIndex((names) => names.includes(top));
    return index < 0 ? undefined : index;
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === "node_modules" || entry.name.startsWith(".") ? [] : sourceFiles(full);
        }
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

/** The one module that writes ARNs; everything else builds them with its functions (tests write fixtures as text). */
const ARN_MODULE = path.join(PACK, "arns.ts");

/** Lines holding a template literal that starts an ARN and interpolates into it. */
function arnTemplates(text: string): string[] {
    return text.split("\n").filter((line) => /`arn:[^`]*\$\{/.test(line));
}

/** Relative import targets of a module, resolved to files or folders under the project. */
function relativeImports(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const specs = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)"(\.{1,2}\/[^"]*)"/g)].map((m) => m[1]);
    return specs.map((spec) => path.resolve(path.dirname(file), spec));
}

describe("layers: imports point one way", () => {
    const files = sourceFiles(ROOT);

    it("places every source file in a layer or the pack", () => {
        const homeless = files.filter((f) => layerOf(f) === undefined && !path.relative(ROOT, f).startsWith(PACK + path.sep));
        expect(homeless.map((f) => path.relative(ROOT, f))).to.deep.equal([]);
    });

    it("never imports from a higher layer", () => {
        const upward: string[] = [];
        for (const file of files) {
            const from = layerOf(file);
            if (from === undefined) {
                continue;
            }
            for (const target of relativeImports(file)) {
                const to = layerOf(target);
                if (to !== undefined && to > from) {
                    upward.push(`${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`);
                }
            }
        }
        expect(upward).to.deep.equal([]);
    });

    it("keeps the policy pack self-contained: it imports nothing of the program", () => {
        const outward = files
            .filter((f) => path.relative(ROOT, f).startsWith(PACK + path.sep))
            .flatMap((f) => relativeImports(f).map((t) => [f, t] as const))
            .filter(([, t]) => !path.relative(ROOT, t).startsWith(PACK + path.sep))
            .map(([f, t]) => `${path.relative(ROOT, f)} -> ${path.relative(ROOT, t)}`);
        expect(outward).to.deep.equal([]);
    });

    it("builds ARNs in one place: no source outside the ARN module (policy-pack/arns.ts) writes an `arn:` template", () => {
        const handBuilt = files
            .filter((f) => path.relative(ROOT, f) !== ARN_MODULE && layerOf(f) !== LAYERS.length - 1)
            .flatMap((f) => arnTemplates(fs.readFileSync(f, "utf8")).map((line) => `${path.relative(ROOT, f)}: ${line}`));
        expect(handBuilt).to.deep.equal([]);
    });

    it("would catch a hand-built ARN (the check can fail)", () => {
        expect(arnTemplates("const a = 1;\nconst arn = `arn:${partition}:iam::${account}:role/x`;")).to.have.length(1);
        expect(arnTemplates("/** `arn:<partition>:iam::<account>:root` */")).to.deep.equal([]);
    });

    it("would catch an upward import (the check can fail)", () => {
        const config = path.join(ROOT, "config", "x.ts");
        const model = path.join(ROOT, "model", "organization.ts");
        expect(layerOf(model)).to.be.greaterThan(layerOf(config) as number);
    });
});
