import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsProviderSettings } from "../config/aws-provider-settings";
import { providerRoleName, ProviderRoleInputs } from "../config/deploy-identity";
import { Account, Organization } from "../config/organization";
import { roleArn } from "../iam/arns";

export interface AccountProvidersArgs {
    readonly organization: Organization;
    /** Default region of every provider. */
    readonly region: string;
    /** Pulumi project and stack, written into default tags. */
    readonly project: string;
    readonly stack: string;
    /** The session name of every deploy-role assumption, checked by config (`deploySessionName`). */
    readonly sessionName: string;
    /** The stack's other `aws:` config (profile, retries, proxies, endpoints, extra default tags), carried to every provider. */
    readonly settings: AwsProviderSettings;
    /** What decides the role each provider assumes (`org-access:providerRoles`, the deploy identity); without it, `organization`'s deploy role names. */
    readonly roles?: Omit<ProviderRoleInputs, "organization">;
}

/** Tags every resource carries, so the console shows who owns it. */
export function defaultTags(project: string, stack: string): Record<string, string> {
    return { "org-access:project": project, "org-access:stack": stack, "managed-by": "pulumi" };
}

/**
 * Makes one `aws.Provider` per (account, region), once, and hands out the same
 * instance afterwards. Every provider is pinned with `allowedAccountIds`, so a
 * mistaken credential fails the deploy instead of writing into the wrong account.
 */
export class AccountProviders {
    private readonly made = new Map<string, aws.Provider>();

    constructor(private readonly args: AccountProvidersArgs) {}

    /** The provider for `account`, in the default region unless another is named. */
    forAccount(account: Account, region: string = this.args.region): aws.Provider {
        const cacheKey = `${account.id}/${region}`;
        let provider = this.made.get(cacheKey);
        if (!provider) {
            const name = region === this.args.region ? `aws-${account.name}` : `aws-${account.name}-${region}`;
            provider = new aws.Provider(name, providerInputs(this.args, account, region));
            this.made.set(cacheKey, provider);
        }
        return provider;
    }

    /** Every provider made so far (for tests and the plan). */
    all(): aws.Provider[] {
        return [...this.made.values()];
    }
}

/** The provider's inputs: pinned account, deploy role, default tags. Pure. */
export function providerInputs(args: AccountProvidersArgs, account: Account, region: string): aws.ProviderArgs {
    const org = args.organization;
    const deployRole = providerRoleName({ providerRoles: "deploy", ...args.roles, organization: org }, account);
    const settings = args.settings;
    const passed = Object.fromEntries(
        Object.entries(settings.values).map(([key, value]) => [key, settings.secrets.includes(key) ? pulumi.secret(value) : value]),
    );
    return {
        // First, so that nothing the stack's config says can unpin a provider (config rejects those keys anyway).
        ...passed,
        region: region as aws.Region,
        allowedAccountIds: [account.id],
        defaultTags: { tags: { ...settings.extraTags, ...defaultTags(args.project, args.stack) } },
        // Ambient credentials where no role is named: the management account without `managementDeployRoleName`,
        // and the access account under a deploy identity (the job's own org-access-deploy session).
        assumeRoles: deployRole
            ? [{ roleArn: roleArn(account.id, deployRole, "/", org.partition), sessionName: args.sessionName }]
            : undefined,
    };
}
