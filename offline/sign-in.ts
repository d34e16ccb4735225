/**
 * Where each person goes, at the end of `npm run plan`: one `~/.aws/config`
 * fragment per IAM user, one for Identity Center and one for the customer role,
 * written into a directory the plan names, and the console links each person
 * can use. Everything comes from the planned stacks' outputs (index.ts), so the
 * plan shows exactly what `pulumi stack output` will hand over after `pulumi up`.
 *
 * The directory is `out/sign-in/` of this repository by default (gitignored,
 * rewritten by every plan); `--sign-in DIR` puts it elsewhere.
 */
import * as fs from "fs";
import * as path from "path";
import { SamlOutput, TeamOutput } from "../outputs/profiles";
import { modelOf, Plan } from "./plan";

/** The access stack's outputs, as index.ts exports them. */
interface AccessOutputs {
    readonly teams: Record<string, TeamOutput>;
    readonly awsConfig: Record<string, string>;
    readonly identityCenterAwsConfig?: string | null;
    readonly saml: Record<string, SamlOutput>;
}

/** The management stack's customer role outputs. */
interface CustomerOutputs {
    readonly roleArn: string;
    readonly switchRoleUrl: string;
    readonly cliProfile: string;
}

export interface SignInMaterial {
    /** File name (in the sign-in directory) to `~/.aws/config` text. */
    readonly files: Readonly<Record<string, string>>;
    /** The report, one line each, with `{dir}` where the directory goes. */
    readonly lines: readonly string[];
}

/** Profile names of a `~/.aws/config` text, in order. */
function profileNames(text: string): string[] {
    return [...text.matchAll(/^\[profile ([^\]]+)\]$/gm)].map((m) => m[1]);
}

/** The setting `key` of `profile` in a `~/.aws/config` text. */
function settingOf(text: string, profile: string, key: string): string | undefined {
    const block = text.split(/^\[/m).find((b) => b.startsWith(`profile ${profile}]`)) ?? "";
    return new RegExp(`^${key} = (.*)$`, "m").exec(block)?.[1];
}

/** The sign-in material of planned stacks: each stack contributes what it outputs. */
export function signInMaterial(plans: readonly Plan[]): SignInMaterial {
    const files: Record<string, string> = {};
    const lines: string[] = [];
    for (const plan of plans) {
        const access = plan.outputs.access as AccessOutputs | null | undefined;
        const model = plan.model && modelOf(plan);
        if (access && model?.access) {
            const teams = model.access.teams.map((t) => t.team);
            for (const user of model.access.users) {
                const text = access.awsConfig[user.spec.name];
                if (text === undefined) continue;
                const file = `user-${user.spec.name}.config`;
                files[file] = text;
                lines.push(`user ${user.spec.name}: {dir}/${file} (profiles ${profileNames(text).join(", ")})`);
                for (const team of teams.filter((t) => t.groups.some((g) => user.spec.groups.includes(g)))) {
                    const url = access.teams[team.name]?.switchRoleUrl;
                    if (url) lines.push(`  console, signed in as ${user.spec.name} with MFA: team ${team.name} ${url}`);
                }
            }
            for (const [name, saml] of Object.entries(access.saml ?? {})) {
                const samlTeams = teams.filter((t) => t.saml.includes(name));
                lines.push(`SAML ${name}: the IdP's AWS app posts to ${saml.acsUrl} with provider ${saml.providerArn}`);
                for (const team of samlTeams) {
                    const out = access.teams[team.name];
                    lines.push(`  lands in team ${team.name} (${out.roleArn}); then switch role:`);
                    for (const m of out.memberRoles.filter((r) => r.switchRoleUrl)) {
                        lines.push(`    ${m.roleArn.split("/").pop()} @ ${m.account}: ${m.switchRoleUrl}`);
                    }
                }
            }
            const ic = access.identityCenterAwsConfig;
            if (ic) {
                files["identity-center.config"] = ic;
                const startUrl = /sso_start_url = (\S+)/.exec(ic)?.[1] ?? "";
                lines.push(`Identity Center ${startUrl}: {dir}/identity-center.config (aws sso login --profile ${profileNames(ic)[0]})`);
                for (const team of teams.filter((t) => t.identityCenter.length > 0)) {
                    const url = access.teams[team.name]?.switchRoleUrl;
                    if (url) lines.push(`  console, from permission set ${team.identityCenter.join(", ")}: team ${team.name} ${url}`);
                }
            }
            for (const team of teams.filter((t) => t.groups.length + t.saml.length + t.identityCenter.length === 0)) {
                lines.push(`team ${team.name}: ${access.teams[team.name].roleArn} for OIDC (CI) only; no console link`);
            }
        }
        const customer = plan.outputs.customerAccess as CustomerOutputs | null | undefined;
        if (customer) {
            files["customer-access.config"] = customer.cliProfile;
            const source = settingOf(customer.cliProfile, "customer-access", "source_profile");
            lines.push(
                `customer role ${customer.roleArn}: {dir}/customer-access.config for people of trusted accounts, chained from their own profile "${source}" (customerAccess.sourceProfile); IAM users of a trusted group have it in their own file`,
            );
            lines.push(`  console: ${customer.switchRoleUrl}`);
        }
    }
    return { files, lines };
}

/** Writes the material's files into `dir` (created, and emptied of the files an earlier plan wrote), and returns the report lines. */
export function writeSignIn(material: SignInMaterial, dir: string): string[] {
    fs.mkdirSync(dir, { recursive: true });
    // Only files an earlier plan wrote: a user removed from config loses their file here too.
    for (const old of fs.readdirSync(dir).filter((f) => /^(user-.+|identity-center|customer-access)\.config$/.test(f))) {
        fs.rmSync(path.join(dir, old));
    }
    for (const [file, text] of Object.entries(material.files)) {
        fs.writeFileSync(path.join(dir, file), text);
    }
    // Relative when inside the working directory (out/sign-in), absolute otherwise.
    const relative = path.relative(process.cwd(), dir);
    const shown = relative.startsWith("..") || path.isAbsolute(relative) ? dir : relative || ".";
    if (material.lines.length === 0) {
        return ["Sign-in: these stacks sign no one in (no IAM users, SAML, Identity Center or customer role)"];
    }
    return [
        `Sign-in: where each person goes (append your file to ~/.aws/config; files in ${shown})`,
        ...material.lines.map((l) => `  ${l.split("{dir}").join(shown)}`),
    ];
}
