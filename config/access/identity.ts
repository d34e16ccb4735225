import * as fs from "fs";
import * as path from "path";
import { ConfigError, show } from "../errors";
import { IAM_GROUP_NAME, IAM_NAME } from "../patterns";
import { assertUnique, assertUniqueIam, ConfigValue, listOf } from "../reader";
import * as P from "./patterns";
import { samlMetadataProblem } from "../saml-metadata";
import { Identity, IamUserSpec, OidcProviderSpec, SamlProviderSpec } from "./types";

export function parseIdentity(value: ConfigValue, projectDir: string): Identity {
    if (!value.present) {
        return { users: [], groups: [], saml: [], oidc: [], mfaMaxAgeSeconds: P.DEFAULT_MFA_MAX_AGE_SECONDS };
    }
    const o = value.object(["users", "groups", "saml", "oidc", "mfaMaxAgeSeconds", "mfaEnrolmentUntil"]);
    const users = listOf(o, "users", (item): IamUserSpec => {
        const u = item.object(["name", "groups", "loginProfile", "pgpKey"]);
        const name = u.required("name").string(IAM_NAME.pattern, IAM_NAME.what);
        const groups = u.optional("groups", (g) => g.stringList(IAM_GROUP_NAME.pattern, IAM_GROUP_NAME.what)) ?? [];
        const login = u.optional("loginProfile", (l) => l.boolean()) ?? false;
        const pgpKey = u.optional("pgpKey", (p) => p.string(P.PGP_KEY.pattern, P.PGP_KEY.what));
        if (pgpKey && !login) {
            u.field("pgpKey").fail("is set, but loginProfile is not true");
        }
        if (login && !pgpKey) {
            // Without a key the first password sits in state in plain text (@pulumi/aws UserLoginProfile).
            u.field("loginProfile").fail(
                `is true for ${show(name)} without pgpKey ("keybase:<user>" or a base64 public key), which would leave the first password readable in state`,
            );
        }
        return { name, groups, loginProfile: login ? { pgpKey } : undefined };
    });
    assertUniqueIam(o.field("users"), users, (u) => u.name, "user name");
    const explicitGroups = o.optional("groups", (g) => g.stringList(IAM_GROUP_NAME.pattern, IAM_GROUP_NAME.what)) ?? [];
    assertUniqueIam(o.field("groups"), explicitGroups, (g) => g, "group name");
    const byLower = new Map<string, string>();
    for (const g of [...explicitGroups, ...users.flatMap((u) => u.groups)]) {
        const known = byLower.get(g.toLowerCase());
        if (known !== undefined && known !== g) {
            throw new ConfigError(
                o.field("users").key,
                `group ${show(g)} differs from group ${show(known)} only in case; IAM names ignore case`,
            );
        }
        byLower.set(g.toLowerCase(), g);
    }
    const groups = [...new Set(byLower.values())].sort();

    const saml = listOf(o, "saml", (item): SamlProviderSpec => {
        const s = item.object(["name", "metadata", "metadataFile"]);
        const name = s.required("name").string(P.SAML_NAME.pattern, P.SAML_NAME.what);
        const inline = s.optional("metadata", (m) => m.string());
        const file = s.optional("metadataFile", (m) => m.string());
        if ((inline === undefined) === (file === undefined)) {
            item.fail("needs exactly one of metadata or metadataFile");
        }
        const metadata = inline ?? readMetadataFile(s.field("metadataFile"), projectDir);
        const problem = samlMetadataProblem(metadata);
        if (problem !== undefined) {
            (inline !== undefined ? s.field("metadata") : s.field("metadataFile")).fail(`${show(inline ?? file)} ${problem}`);
        }
        return { name, metadata };
    });
    assertUnique(o.field("saml"), saml, (s) => s.name, "SAML provider name");

    const oidc = listOf(o, "oidc", (item): OidcProviderSpec => {
        const p = item.object(["name", "url", "clientIds", "thumbprints"]);
        const name = p.required("name").string(P.SAML_NAME.pattern, P.SAML_NAME.what.replace("SAML", "OIDC"));
        const url = p.required("url").string(P.OIDC_URL.pattern, P.OIDC_URL.what);
        const clientIds = p.required("clientIds").stringList(P.CLIENT_ID.pattern, P.CLIENT_ID.what);
        if (clientIds.length === 0) {
            p.field("clientIds").fail("needs at least one client id (the token's aud)");
        }
        const thumbprints = p.optional("thumbprints", (t) => t.stringList(P.THUMBPRINT.pattern, P.THUMBPRINT.what)) ?? [];
        return { name, url, host: url.slice("https://".length), clientIds, thumbprints };
    });
    assertUnique(o.field("oidc"), oidc, (p) => p.name, "OIDC provider name");
    assertUnique(o.field("oidc"), oidc, (p) => p.host, "OIDC provider url");

    const mfaMaxAgeSeconds = o.optional("mfaMaxAgeSeconds", (m) => m.integer(900, 43200)) ?? P.DEFAULT_MFA_MAX_AGE_SECONDS;
    const mfaEnrolmentUntil = o.optional("mfaEnrolmentUntil", (m) => m.string(P.UTC_TIME.pattern, P.UTC_TIME.what));
    return { users, groups, saml, oidc, mfaMaxAgeSeconds, mfaEnrolmentUntil };
}

function readMetadataFile(value: ConfigValue, projectDir: string): string {
    const relative = value.string();
    if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes("..")) {
        value.fail(`${show(relative)} must be a path inside the project, relative to it`);
    }
    const file = path.join(projectDir, relative);
    if (!fs.existsSync(file)) {
        value.fail(`${show(relative)} does not exist (paths are relative to the project directory)`);
    }
    return fs.readFileSync(file, "utf8");
}
