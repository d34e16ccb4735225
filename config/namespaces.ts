import * as awsConfig from "@pulumi/aws/config/vars";
import { ConfigError } from "./errors";
import { nearest } from "./nearest";

/**
 * Which config keys a stack may hold: every key is `<namespace>:<name>`, and the namespace is one
 * this program or its providers read. A typo in a namespace (`org-acess:roles`) would otherwise be
 * carried silently and its section dropped, so it is an error that names the nearest namespace.
 */

/**
 * Keys of the `aws` provider's config, read from `@pulumi/aws` itself (`config/vars`, one getter per
 * provider config key: `region`, `profile`, `assumeRoles`, …), so the list follows the installed
 * provider instead of a hand-typed copy.
 */
export const AWS_CONFIG_KEYS: readonly string[] = Object.keys(awsConfig)
    .filter((k) => k !== "default" && !k.startsWith("__"))
    .sort();

/**
 * Keys the Pulumi CLI and engine themselves read from stack config: `pulumi:disable-default-providers`
 * and `pulumi:autonaming` (engine), `pulumi:tags` (stack tags), `pulumi:template` (set by `pulumi new`).
 * https://www.pulumi.com/docs/iac/concepts/config/
 */
export const PULUMI_CONFIG_KEYS: readonly string[] = ["autonaming", "disable-default-providers", "tags", "template"];

/** Checks every key's namespace and, for the providers', the key itself. `ownNamespace` is this project's. */
export function checkConfigKeys(allConfig: Readonly<Record<string, string>>, ownNamespace: string): void {
    const namespaces: Record<string, readonly string[] | undefined> = {
        [ownNamespace]: undefined, // checked key by key in config/stack.ts
        aws: AWS_CONFIG_KEYS,
        pulumi: PULUMI_CONFIG_KEYS,
    };
    const known = Object.keys(namespaces);
    for (const fullKey of Object.keys(allConfig).sort()) {
        const colon = fullKey.indexOf(":");
        if (colon <= 0) {
            throw new ConfigError(fullKey, `is not <namespace>:<key> (this program reads ${known.map((n) => `${n}:`).join(", ")})`);
        }
        const namespace = fullKey.slice(0, colon);
        const key = fullKey.slice(colon + 1);
        if (!(namespace in namespaces)) {
            const near = nearest(namespace, known);
            throw new ConfigError(
                fullKey,
                `unknown config namespace ${JSON.stringify(namespace)}${near ? ` (did you mean ${near}:${key}?)` : ""}; this program reads ${known.map((n) => `${n}:`).join(", ")}`,
            );
        }
        const keys = namespaces[namespace];
        if (keys !== undefined && !keys.includes(key)) {
            const near = nearest(key, keys);
            throw new ConfigError(
                fullKey,
                `unknown ${namespace} config key${near ? ` (did you mean ${namespace}:${near}?)` : ` (known: ${keys.join(", ")})`}`,
            );
        }
    }
}
