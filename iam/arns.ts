/**
 * ARNs built from account ids and names alone, so they are known at preview
 * time. A policy document that reads an unknown Output is only advisory to
 * CrossGuard, so trust policies must never depend on a resource's `arn` output.
 */
import { DEFAULT_PARTITION, Partition } from "../config/partition";
import { iamArn, parseArn } from "../policy-pack/arns";

/** Parsing and building ARNs in any partition: the pack's ARN module, shared (the pack imports nothing of the program). */
export { accountOfArn, accountOfPrincipal, buildArn, iamArn, parseArn, partitionOfArn } from "../policy-pack/arns";
export type { Arn } from "../policy-pack/arns";

/**
 * The default partition. Every builder takes the organization's partition last
 * (`org-access:organization.partition`, config/partition.ts), defaulting to this.
 */
export const PARTITION: Partition = DEFAULT_PARTITION;

export function roleArn(accountId: string, roleName: string, path = "/", partition: Partition = PARTITION): string {
    return iamArn(partition, accountId, `role${path}${roleName}`);
}

export function userArn(accountId: string, userName: string, path = "/", partition: Partition = PARTITION): string {
    return iamArn(partition, accountId, `user${path}${userName}`);
}

export function groupArn(accountId: string, groupName: string, path = "/", partition: Partition = PARTITION): string {
    return iamArn(partition, accountId, `group${path}${groupName}`);
}

export function policyArn(accountId: string, policyName: string, path = "/", partition: Partition = PARTITION): string {
    return iamArn(partition, accountId, `policy${path}${policyName}`);
}

export function accountRootArn(accountId: string, partition: Partition = PARTITION): string {
    return iamArn(partition, accountId, "root");
}

export function samlProviderArn(accountId: string, name: string, partition: Partition = PARTITION): string {
    return iamArn(partition, accountId, `saml-provider/${name}`);
}

export function oidcProviderArn(accountId: string, issuerHost: string, partition: Partition = PARTITION): string {
    return iamArn(partition, accountId, `oidc-provider/${issuerHost}`);
}

export function mfaDeviceArn(accountId: string, name: string, partition: Partition = PARTITION): string {
    return iamArn(partition, accountId, `mfa/${name}`);
}

/** A stable resource-name key for a managed policy: `aws-AdministratorAccess`, `123456789012-Boundary` (names are unique per account, whatever the path). */
export function managedPolicyKey(policyArn: string): string {
    return `${parseArn(policyArn)?.account}-${policyArn.split("/").pop()}`;
}
