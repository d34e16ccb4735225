import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { BENCH_COMMAND } from "../bench/run";
import { DOCS_COMMAND } from "../scripts/docs";
import { PLAN_COMMAND } from "../scripts/plan";
import { POLICY_CHECK_COMMAND } from "../scripts/policy-check";
import { SHARDS_COMMAND } from "../scripts/shards";

/**
 * Docs lag code silently: a renamed file, a removed script or flag leaves a doc sending readers
 * nowhere. Every file path (a link, or a path in backticks) and every `npm run` command with its
 * flags that README.md and docs/*.md mention must exist.
 */
const ROOT = path.resolve(__dirname, "..");
/** The other Pulumi project in this repository: docs name its stack files too. */
const PROJECTS = [ROOT, path.join(ROOT, "examples", "organization")];
const SCRIPTS = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const FLAGS: Record<string, readonly string[]> = {
    plan: Object.keys(PLAN_COMMAND.flags),
    "policy-check": Object.keys(POLICY_CHECK_COMMAND.flags),
    docs: Object.keys(DOCS_COMMAND.flags),
    bench: Object.keys(BENCH_COMMAND.flags),
    shards: Object.keys(SHARDS_COMMAND.flags),
};

const PATH_IN_BACKTICKS = /^(?:\.{0,2}\/)?(?:[\w.-]+\/)*[\w.-]+(?:\.(?:ts|md|ya?ml|json|xml|svg|mjs|js)|\/)$/;

/** What a doc's text mentions that does not exist, one line each. */
export function missingReferences(text: string, docDir: string): string[] {
    const missing: string[] = [];
    const exists = (candidates: string[]) => candidates.some((c) => fs.existsSync(c));
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split("#")[0];
        if (target === "" || /^[a-z]+:/.test(target)) continue;
        if (!exists([path.resolve(docDir, decodeURIComponent(target))])) missing.push(`link ${m[1]}`);
    }
    for (const m of text.matchAll(/`([^`\n]+)`/g)) {
        const token = m[1].trim();
        // A path has a folder, or is a project or stack file; a bare `index.ts` is a name, not a path.
        const projectFile = /^Pulumi(\.[\w-]+)?\.ya?ml$/.test(token);
        if (!projectFile && !(PATH_IN_BACKTICKS.test(token) && token.includes("/"))) continue;
        const candidates = [path.resolve(docDir, token), ...PROJECTS.map((p) => path.resolve(p, token))];
        if (!exists(candidates)) missing.push(`path \`${token}\``);
    }
    for (const m of text.matchAll(/npm run ([\w:-]+)((?: +(?:--?[\w-]+|[^\s`|#[\]]+))*)/g)) {
        const [, script, rest] = m;
        if (!(script in SCRIPTS)) {
            missing.push(`npm run ${script}`);
            continue;
        }
        for (const flag of rest.matchAll(/(?:^|\s)\[?--([a-z][\w-]*)/g)) {
            if (!(script in FLAGS)) break;
            if (!FLAGS[script].includes(flag[1]) && flag[1] !== "help") missing.push(`npm run ${script} -- --${flag[1]}`);
        }
    }
    return missing;
}

const DOCS = [
    "README.md",
    ...fs
        .readdirSync(path.join(ROOT, "docs"))
        .filter((f) => f.endsWith(".md"))
        .map((f) => `docs/${f}`),
];

describe("docs: every path and npm command they mention exists", () => {
    for (const doc of DOCS) {
        it(doc, () => {
            const file = path.join(ROOT, doc);
            expect(missingReferences(fs.readFileSync(file, "utf8"), path.dirname(file))).to.deep.equal([]);
        });
    }

    it("finds what it checks, and can fail", () => {
        const all = DOCS.map((d) => fs.readFileSync(path.join(ROOT, d), "utf8")).join("\n");
        expect([...all.matchAll(/npm run /g)].length).to.be.greaterThan(10);
        const text = [
            "See [the guide](docs/nowhere.md), `config/nowhere.ts` and `Pulumi.nowhere.yaml`.",
            "Run `npm run nowhere`, then `npm run plan -- --nowhere` and `npm run plan -- --stack mgmt`.",
            "Real ones: [reach](docs/reach.md), `config/reader.ts`, `Pulumi.roles-prod.yaml`, `npm run plan -- --json FILE`.",
        ].join("\n");
        expect(missingReferences(text, ROOT)).to.deep.equal([
            "link docs/nowhere.md",
            "path `config/nowhere.ts`",
            "path `Pulumi.nowhere.yaml`",
            "npm run nowhere",
            "npm run plan -- --nowhere",
        ]);
    });
});
