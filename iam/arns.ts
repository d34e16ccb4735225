/**
 * ARNs built from account ids and names alone, so they are known at preview
 * time. A policy document that reads an unknown Output is only advisory to
 * CrossGuard, so trust policies must never depend on a resource's `arn` output.
 */
import { DEFAULT_PARTITION, Partition } from "../config/partition";

/**
 * The default partition. Every builder takes the organization's partition last
 * (`org-access:organization.partition`, config/partition.ts), defaulting to this.
 */
export const PARTITION: Partition = DEFAULT_PARTITION;

export function roleArn(accountId: string, roleName: string, path = "/", partition: Partition = PARTITION): string {
    return `arn:${partition}:iam::${accountId}:role${path}${roleName}`;
}

export function userArn(accountId: string, userName: string, path = "/", partition: Partition = PARTITION): string {
    return `arn:${partition}:iam::${accountId}:user${path}${userName}`;
}

export function groupArn(accountId: string, groupName: string, path = "/", partition: Partition = PARTITION): string {
    return `arn:${partition}:iam::${accountId}:group${path}${groupName}`;
}

export function accountRootArn(accountId: string, partition: Partition = PARTITION): string {
    return `arn:${partition}:iam::${accountId}:root`;
}

export function samlProviderArn(accountId: string, name: string, partition: Partition = PARTITION): string {
    return `arn:${partition}:iam::${accountId}:saml-provider/${name}`;
}

export function oidcProviderArn(accountId: string, issuerHost: string, partition: Partition = PARTITION): string {
    return `arn:${partition}:iam::${accountId}:oidc-provider/${issuerHost}`;
}

export function mfaDeviceArn(accountId: string, name: string, partition: Partition = PARTITION): string {
    return `arn:${partition}:iam::${accountId}:mfa/${name}`;
}

/** A stable resource-name key for a managed policy: `aws-AdministratorAccess`, `123456789012-Boundary` (names are unique per account, whatever the path). */
export function managedPolicyKey(policyArn: string): string {
    return `${policyArn.split(":")[4]}-${policyArn.split("/").pop()}`;
}

/** The account id of an IAM or STS ARN in any partition (`arn:<partition>:iam::<account>:…`), or "" when it has none. */
export function accountOfArn(arn: string): string {
    return /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1] ?? "";
}

/** The partition of an ARN (`aws`, `aws-us-gov`, `aws-cn`), or undefined for something that is not an ARN. */
export function partitionOfArn(arn: string): string | undefined {
    return /^arn:(aws[a-z-]*):/.exec(arn)?.[1];
}
