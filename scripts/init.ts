import * as fs from "fs";
import * as path from "path";
import { Flags, runCommand, UsageError } from "../offline/cli";
import { PROJECT_DIR } from "../offline/stack-files";
import { displayPath } from "../offline/yaml-errors";

/**
 * `npm run init -- --project DIR`: a project of your own, beside the example. Writes a minimal
 * organization (`Pulumi.yaml`) and its two stacks (`Pulumi.mgmt.yaml`, `Pulumi.access.yaml`) into
 * DIR, which `npm run plan -- --project DIR` plans clean. Nothing of this repository's example
 * config is copied or read, and no existing file is overwritten.
 */
export const INIT_COMMAND = {
    usage: "npm run init --",
    description:
        "Writes a new project directory with a minimal organization (Pulumi.yaml) and its mgmt and access stacks, to edit and plan with npm run plan -- --project DIR. Refuses to overwrite any file.",
    flags: {
        project: { type: "string", value: "DIR", help: "the directory to write the project into (required; created when missing)" },
    },
} as const;

/**
 * The files of a new project, by name. `main` is the path from DIR to this program, for `pulumi up`
 * run in DIR: the project file's `main` is "Path to the Pulumi program, relative to the location of
 * Pulumi.yaml" and may name a directory (https://www.pulumi.com/docs/iac/concepts/projects/project-file/).
 */
export function skeletonFiles(main: string): Record<string, string> {
    return {
        "Pulumi.yaml": `# Your organization, planned offline with:  npm run plan -- --project <this directory>
# Replace the ids and names below with your own (README.md, "Configuration"). The config every
# stack shares sits here, structured values under value: as the Pulumi CLI requires; each
# Pulumi.<stack>.yaml says only what that stack deploys.
name: org-access
runtime:
  name: nodejs
  options:
    typescript: true
# The org-access program, relative to this directory (pulumi up runs it from here).
main: ${JSON.stringify(main)}
config:
  aws:region: us-east-1
  org-access:organization:
    value:
      id: o-exampleorg1                   # your AWS Organizations id
      managementAccountId: "111111111111" # quote account ids: YAML would read them as numbers
      accounts:
        - name: access                    # the account people and CI sign in to
          id: "222222222222"
        - name: prod
          id: "333333333333"
  org-access:accessAccount: access
  # The customer role in the management account; without trust:, every member account may assume it.
  org-access:customerAccess:
    value:
      roleName: PumpCustomerAccess
  org-access:identity:
    value:
      users:
        - name: admin
          groups: [admins]
  org-access:teams:
    value:
      - name: admins
        groups: [admins]
  org-access:roles:
    value:
      - name: Administrator
        teams: [admins]
        accounts: "*"
        managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"]
`,
        "Pulumi.mgmt.yaml": `# Stack mgmt: the management account (run with its credentials).
config:
  org-access:deploy:
    customerAccess: true
`,
        "Pulumi.access.yaml": `# Stack access: the access account's users, groups and team roles, and the member roles in every member account.
config:
  org-access:deploy:
    identity: true
    memberAccounts: "*"
`,
    };
}

/** Writes the skeleton into `dir`; every file is checked first, so a refusal writes nothing. Returns the files written. */
export function writeSkeleton(dir: string): string[] {
    const target = path.resolve(dir);
    if (fs.existsSync(target) && !fs.statSync(target).isDirectory()) {
        throw new UsageError(`--project: ${JSON.stringify(dir)} is a file, not a directory`);
    }
    if (target === PROJECT_DIR) {
        throw new UsageError(`--project: ${JSON.stringify(dir)} is this repository, whose files are the example; name a new directory`);
    }
    const files = Object.entries(skeletonFiles(path.relative(target, PROJECT_DIR) || "."));
    const existing = files.map(([name]) => path.join(target, name)).filter((file) => fs.existsSync(file));
    if (existing.length > 0) {
        throw new UsageError(`--project: ${existing.map((f) => displayPath(f)).join(", ")} already exist(s); nothing was written`);
    }
    fs.mkdirSync(target, { recursive: true });
    return files.map(([name, text]) => {
        const file = path.join(target, name);
        fs.writeFileSync(file, text, { flag: "wx" });
        return file;
    });
}

export async function initMain(flags: Flags<typeof INIT_COMMAND.flags>): Promise<number> {
    if (flags.project === undefined) {
        throw new UsageError("--project: is required: the directory to write the new project into (see --help)");
    }
    for (const file of writeSkeleton(flags.project)) {
        console.log(`wrote ${displayPath(file)}`);
    }
    console.log(
        `next: edit ${displayPath(path.join(path.resolve(flags.project), "Pulumi.yaml"))}, then npm run plan -- --project ${flags.project}`,
    );
    return 0;
}

if (require.main === module) {
    runCommand(INIT_COMMAND, initMain);
}
