import * as aws from "@pulumi/aws";
import { Account, Organization } from "../config/organization";
import { roleArn } from "../iam/arns";

export interface AccountProvidersArgs {
    readonly organization: Organization;
    /** Default region of every provider. */
    readonly region: string;
    /** Pulumi project and stack, written into default tags. */
    readonly project: string;
    readonly stack: string;
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
    const isManagement = account.id === org.management.id;
    const deployRole = isManagement ? org.managementDeployRoleName : org.deployRoleName;
    return {
        region: region as aws.Region,
        allowedAccountIds: [account.id],
        defaultTags: { tags: defaultTags(args.project, args.stack) },
        // The management account uses ambient credentials unless config names a role.
        assumeRoles: deployRole
            ? [{ roleArn: roleArn(account.id, deployRole, "/", org.partition), sessionName: `org-access-${args.stack}` }]
            : undefined,
    };
}
