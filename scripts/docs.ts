import * as fs from "fs";
import * as path from "path";
import { BenchResults, renderBenchmarksMarkdown, renderBenchmarksSvg } from "../bench/report";
import { accessGraphDoc } from "./access-graph";
import { customerAccessPermissionsDoc } from "./docs-customer-access";
import { deployOrderDoc } from "./docs-deploy-order";
import { PROJECT_DIR } from "../offline/stack-files";
import { packConfigText, packIds } from "../offline/pack-config";
import { runCommand } from "../offline/cli";

/**
 * `npm run docs` writes every generated document; `npm run docs -- --check`
 * (run by `npm test`) fails when a checked-in copy differs from what the code
 * generates, so docs cannot drift from the policies they describe.
 */
export interface GeneratedDoc {
    /** Path relative to the project root. */
    readonly file: string;
    readonly render: () => string | Promise<string>;
}

const GENERATED: readonly GeneratedDoc[] = [
    { file: "docs/customer-access-permissions.md", render: customerAccessPermissionsDoc },
    { file: "docs/access-graph.md", render: accessGraphDoc },
    { file: "docs/deploy-order.md", render: deployOrderDoc },
    // The pack's config for this repository's organization (`npm run pack-config`), not a hand-made copy.
    { file: "policy-pack/config.example.json", render: () => packConfigText(packIds(PROJECT_DIR)) },
    // Benchmarks are measured by `npm run bench` into docs/benchmarks.json (never in CI: timings are
    // noisy); what is checked here is that the table and plot are rendered from those measurements.
    { file: "docs/benchmarks.md", render: () => renderBenchmarksMarkdown(benchResults()) },
    { file: "docs/benchmarks.svg", render: () => renderBenchmarksSvg(benchResults()) },
];

function benchResults(): BenchResults {
    return JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "docs", "benchmarks.json"), "utf8")) as BenchResults;
}

export const DOCS_COMMAND = {
    usage: "npm run docs --",
    description: "Writes every generated document under docs/; with --check, writes nothing and fails when a checked-in copy is stale.",
    flags: {
        check: { type: "boolean", help: "fail (exit 1) when a generated document differs from the checked-in copy" },
    },
} as const;

export async function docsMain(check: boolean): Promise<number> {
    const stale: string[] = [];
    for (const doc of GENERATED) {
        const target = path.join(PROJECT_DIR, doc.file);
        const text = await doc.render();
        const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
        if (current === text) {
            continue;
        }
        if (check) {
            stale.push(doc.file);
        } else {
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, text);
            console.log(`wrote ${doc.file}`);
        }
    }
    if (stale.length > 0) {
        console.error(`error: generated docs are stale: ${stale.join(", ")}. Run \`npm run docs\` and commit the result.`);
        return 1;
    }
    if (check) {
        console.log(`docs are current (${GENERATED.length} files)`);
    }
    return 0;
}

if (require.main === module) {
    runCommand(DOCS_COMMAND, (flags) => docsMain(flags.check === true));
}
