import * as fs from "fs";
import * as path from "path";
import { Flags, runCommand } from "../offline/cli";
import { packConfigText, packIds } from "../offline/pack-config";
import { PROJECT_DIR } from "../offline/stack-files";

/**
 * `npm run pack-config -- [--project DIR] [--out FILE]`: the policy pack's config, generated from the
 * organization's config (offline/pack-config.ts), to FILE or standard output.
 */
export const PACK_CONFIG_COMMAND = {
    usage: "npm run pack-config --",
    description:
        "Writes the policy pack's config (for --policy-pack-config) from the project's organization config: the organization, management and access account ids every stack names.",
    flags: {
        project: { type: "string", value: "DIR", help: "the Pulumi project (default: this repository)" },
        out: { type: "string", value: "FILE", help: "write to FILE instead of standard output" },
    },
} as const;

export async function packConfigMain(flags: Flags<typeof PACK_CONFIG_COMMAND.flags>): Promise<number> {
    const text = packConfigText(packIds(path.resolve(flags.project ?? PROJECT_DIR)));
    if (flags.out === undefined) {
        process.stdout.write(text);
    } else {
        fs.writeFileSync(flags.out, text);
        console.error(`wrote ${flags.out}`);
    }
    return 0;
}

if (require.main === module) {
    runCommand(PACK_CONFIG_COMMAND, packConfigMain);
}
