import { ConfigError, show } from "./errors";
import { Account, Organization } from "./organization";
import { ORGANIZATIONAL_UNIT_ID, PREVIEW_ROLE_NAME, ROOT_ID } from "./patterns";
import { ConfigValue } from "./reader";
import type { OidcProviderSpec } from "./access/types";

/**
 * The identity CI deploys with (`org-access:deployIdentity`), made and checked by
 * the program itself:
 * - the access account (with `deploy.identity`): the GitHub OIDC provider and
 *   `org-access-deploy`, trusted only by one repository's jobs in one environment;
 * - the management account (with `deploy.customerAccess`): `OrgAccessDeploy`,
 *   trusted only by `org-access-deploy`, and a service-managed StackSet that puts
 *   `OrgAccessDeploy` (trusted only by `org-access-deploy`) into every member
 *   account, new ones included, without a deploy.
 */
export interface DeployIdentity {
    readonly github: GithubDeployer;
    /** The organization root (`r-…`) or OUs (`ou-…`) whose accounts get the member deploy role (the StackSet's targets). */
    readonly organizationalUnitIds: readonly string[];
}

export interface GithubDeployer {
    /** As configured: `owner/name` or `owner@id/name@id`. */
    readonly repository: string;
    /** `owner/name`, the form GitHub's default `sub` claim carries. */
    readonly name: string;
    /** `owner@id/name@id`, when config gave the immutable ids. */
    readonly immutable?: string;
    /** The GitHub environment the deploy jobs run in. */
    readonly environment: string;
}

/** Fixed names, so every stack builds the others' ARNs without a lookup. */
export const DEPLOY_ROLE_NAMES = {
    /** In the access account: the role GitHub OIDC lands in. */
    access: "org-access-deploy",
    /** In the management account and in every member account (the StackSet's role). */
    account: "OrgAccessDeploy",
    /** The StackSet that puts `OrgAccessDeploy` into member accounts. */
    stackSet: "org-access-deploy-role",
} as const;

/** GitHub's issuer and the audience aws-actions/configure-aws-credentials asks for by default (its action.yml: `audience: sts.amazonaws.com`). */
export const GITHUB_OIDC = {
    url: "https://token.actions.githubusercontent.com",
    host: "token.actions.githubusercontent.com",
    audience: "sts.amazonaws.com",
};

// GitHub: owner 1-39 of letters, digits and single hyphens; repository name 1-100 of letters, digits, `.`, `_`, `-`;
// ids are decimal. The immutable form is `owner@ownerId/name@repoId`
// (https://docs.github.com/en/actions/reference/security/oidc#customizing-the-subject-claims-for-an-organization-or-repository).
const OWNER = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})";
const REPO = "[A-Za-z0-9._-]{1,100}";
const REPOSITORY = {
    pattern: new RegExp(`^(${OWNER})(?:@(\\d+))?/(${REPO})(?:@(\\d+))?$`),
    what: "a GitHub repository (OWNER/REPO or OWNER@ID/REPO@ID, no wildcards)",
};
// GitHub environment names: up to 255 characters; kept to those that need no escaping in a `sub` claim.
const ENVIRONMENT = { pattern: /^[A-Za-z0-9._-]{1,255}$/, what: "a GitHub environment name (1-255 of A-Z a-z 0-9 . _ -)" };
const OU_ID = {
    pattern: new RegExp(`${ROOT_ID.pattern.source}|${ORGANIZATIONAL_UNIT_ID.pattern.source}`),
    what: "an organization root id (r-…) or OU id (ou-…-…)",
};

export function parseDeployIdentity(value: ConfigValue, accessAccount: Account | undefined): DeployIdentity {
    const o = value.object(["github", "organizationalUnitIds"]);
    if (!accessAccount) {
        value.fail("needs org-access:accessAccount (the account the deploy identity signs in to)");
    }
    const g = o.required("github").object(["repository", "environment"]);
    const repoValue = g.required("repository");
    const repository = repoValue.string(REPOSITORY.pattern, REPOSITORY.what);
    const [, owner, ownerId, repo, repoId] = REPOSITORY.pattern.exec(repository) as RegExpExecArray;
    if ((ownerId === undefined) !== (repoId === undefined)) {
        repoValue.fail(`${show(repository)} gives one id: give both (OWNER@ID/REPO@ID) or neither (OWNER/REPO)`);
    }
    const environment = g.required("environment").string(ENVIRONMENT.pattern, ENVIRONMENT.what);
    const organizationalUnitIds = o.required("organizationalUnitIds").stringList(OU_ID.pattern, OU_ID.what);
    if (organizationalUnitIds.length === 0) {
        o.field("organizationalUnitIds").fail("is empty: name the organization root (r-…) or the OUs whose accounts get the deploy role");
    }
    return {
        github: { repository, name: `${owner}/${repo}`, immutable: ownerId ? repository : undefined, environment },
        organizationalUnitIds,
    };
}

/** The `sub` claims of the deploy jobs: GitHub's default form, and the immutable form when config gives ids. */
export function deploySubjects(github: GithubDeployer): string[] {
    const env = `environment:${github.environment}`;
    return [`repo:${github.name}:${env}`, ...(github.immutable ? [`repo:${github.immutable}:${env}`] : [])];
}

/**
 * Which role every provider assumes (`org-access:providerRoles`), set per run, never in project config:
 * - `deploy` (default): with a deploy identity, `OrgAccessDeploy` in the management and member accounts and
 *   the ambient `org-access-deploy` session in the access account; without one, `organization.deployRoleName`
 *   and `organization.managementDeployRoleName`;
 * - `preview`: the read-only `OrgAccessPreview` roles (pull-request previews);
 * - `bootstrap`: `organization.deployRoleName` / `managementDeployRoleName`, as before a deploy identity
 *   exists (the first deploy, run by an administrator: docs/runbook.md).
 * A key of its own, so that `pulumi config set` writes it next to the project's `organization`
 * instead of replacing that object at stack level.
 */
export type ProviderRoles = "deploy" | "preview" | "bootstrap";
const PROVIDER_ROLES: readonly ProviderRoles[] = ["deploy", "preview", "bootstrap"];

export function parseProviderRoles(value: ConfigValue, hasPreview: boolean): ProviderRoles {
    if (!value.present) {
        return "deploy";
    }
    const mode = value.raw;
    if (typeof mode !== "string" || !(PROVIDER_ROLES as readonly string[]).includes(mode)) {
        value.fail(`${show(mode)} is not one of ${PROVIDER_ROLES.join(", ")}`);
    }
    if (mode === "preview" && !hasPreview) {
        value.fail("is preview, but org-access:previewRole is not set (it makes the OrgAccessPreview roles)");
    }
    return mode as ProviderRoles;
}

/** What decides the role each provider assumes. */
export interface ProviderRoleInputs {
    readonly organization: Organization;
    readonly providerRoles: ProviderRoles;
    readonly deployIdentity?: DeployIdentity;
    readonly accessAccount?: Account;
}

/** The role a provider for `account` assumes on top of the ambient credentials; undefined: the ambient credentials themselves. Pure. */
export function providerRoleName(inputs: ProviderRoleInputs, account: Account): string | undefined {
    const org = inputs.organization;
    const isManagement = account.id === org.management.id;
    if (inputs.providerRoles === "preview") {
        return PREVIEW_ROLE_NAME;
    }
    if (inputs.providerRoles === "deploy" && inputs.deployIdentity && inputs.accessAccount) {
        // The jobs sign in to the access account as org-access-deploy, which holds that account's permissions itself.
        return account.id === inputs.accessAccount.id ? undefined : DEPLOY_ROLE_NAMES.account;
    }
    return isManagement ? org.managementDeployRoleName : org.deployRoleName;
}

/** A repository named twice must be the same one: the preview role and the deploy role trust one repository. */
export function checkPreviewRepository(deploy: DeployIdentity, previewRepository: string | undefined): void {
    if (previewRepository !== undefined && previewRepository.toLowerCase() !== deploy.github.name.toLowerCase()) {
        throw new ConfigError(
            "org-access:deployIdentity.github.repository",
            `${show(deploy.github.repository)} is not org-access:previewRole.repository (${show(previewRepository)}): previews and deploys run from one repository`,
        );
    }
}

/** The deploy role shares `identity.oidc`'s GitHub provider when it declares one (IAM allows one provider per URL): it must admit the action's audience. */
export function checkGithubAudience(oidc: readonly OidcProviderSpec[]): void {
    const i = oidc.findIndex((p) => p.host === GITHUB_OIDC.host);
    if (i >= 0 && !oidc[i].clientIds.includes(GITHUB_OIDC.audience)) {
        throw new ConfigError(
            `org-access:identity.oidc[${i}].clientIds`,
            `${show(oidc[i].clientIds)} lacks ${show(GITHUB_OIDC.audience)}, the audience org-access:deployIdentity's jobs sign in with`,
        );
    }
}
