import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";

/**
 * A thin wrapper around @cloud-copilot/iam-simulate (AGPL, devDependency only:
 * never imported by the program or the pack). It answers one question — is this
 * request allowed? — and fails loudly when the simulator rejects its input, so a
 * typo in a test can never pass as a "deny".
 */
export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface Caller {
    /** IAM principal ARN: a user, or a role (the simulator treats role ARNs as their sessions). */
    readonly arn: string;
    /** The caller's organization, or undefined for an account outside any organization. */
    readonly orgId?: string;
    /** Identity policies attached to the caller (user, its groups, or role). */
    readonly identityPolicies?: readonly object[];
    /** Permissions boundary of the caller, if any. */
    readonly permissionsBoundary?: object;
    /** Extra request context, e.g. MFA or a web identity token's claims. */
    readonly context?: Readonly<Record<string, string | string[]>>;
    /** The session policy the caller's session was opened with, if any. */
    readonly sessionPolicy?: object;
}

export interface Request {
    readonly caller: Caller;
    readonly action: string;
    readonly resourceArn: string;
    /** The account that owns the resource. */
    readonly resourceAccount: string;
    /** The organization of the account that owns the resource, if it is in one. */
    readonly resourceOrgId?: string;
    /** The trust policy or resource policy on the resource, if any. */
    readonly resourcePolicy?: object;
    /**
     * The SCPs over the caller and the RCPs over the resource, one list of documents
     * per level (root first, account last), where they apply: the simulator knows no
     * exemption, so leave out the management account's, as AWS does.
     */
    readonly serviceControlPolicies?: readonly (readonly object[])[];
    readonly resourceControlPolicies?: readonly (readonly object[])[];
}

/** The account id inside an IAM ARN. */
export function accountOf(arn: string): string {
    const account = arn.split(":")[4];
    if (!/^\d{12}$/.test(account ?? "")) {
        throw new Error(`no account id in ${arn}`);
    }
    return account;
}

/**
 * Context AWS itself adds to every signed request: the principal's ARN, account
 * and organization. The simulator does not fill these in, so we do, exactly as
 * the IAM global condition key reference defines them.
 */
function principalContext(caller: Caller): Record<string, string | string[]> {
    const context: Record<string, string | string[]> = {
        "aws:PrincipalArn": caller.arn,
        "aws:PrincipalAccount": accountOf(caller.arn),
        "aws:PrincipalType": caller.arn.includes(":user/") ? "User" : "AssumedRole",
    };
    if (caller.orgId) {
        context["aws:PrincipalOrgID"] = caller.orgId;
    }
    return { ...context, ...caller.context };
}

/**
 * Context AWS adds about the resource: its account always, its organization
 * when the account is in one (aws:ResourceAccount, aws:ResourceOrgID).
 */
function resourceContext(request: Request): Record<string, string> {
    return {
        "aws:ResourceAccount": request.resourceAccount,
        ...(request.resourceOrgId ? { "aws:ResourceOrgID": request.resourceOrgId } : {}),
    };
}

export async function decide(request: Request): Promise<Decision> {
    const simulation: Simulation = {
        request: {
            principal: request.caller.arn,
            action: request.action,
            resource: { resource: request.resourceArn, accountId: request.resourceAccount },
            contextVariables: { ...resourceContext(request), ...principalContext(request.caller) },
        },
        identityPolicies: (request.caller.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
        serviceControlPolicies: (request.serviceControlPolicies ?? []).map((docs, i) => ({
            orgIdentifier: `level-${i}`,
            policies: docs.map((policy, j) => ({ name: `scp-${i}-${j}`, policy })),
        })),
        resourceControlPolicies: (request.resourceControlPolicies ?? []).map((docs, i) => ({
            orgIdentifier: `level-${i}`,
            policies: docs.map((policy, j) => ({ name: `rcp-${i}-${j}`, policy })),
        })),
        ...(request.caller.sessionPolicy ? { sessionPolicy: request.caller.sessionPolicy } : {}),
        resourcePolicy: request.resourcePolicy,
        ...(request.caller.permissionsBoundary
            ? { permissionBoundaryPolicies: [{ name: "boundary", policy: request.caller.permissionsBoundary }] }
            : {}),
    } as Simulation;
    const response = await runSimulation(simulation, {});
    if (response.resultType === "error") {
        throw new Error(`simulator rejected the request: ${JSON.stringify(response.errors)}`);
    }
    return response.overallResult as Decision;
}

/**
 * A service principal (`config.amazonaws.com`) assuming a role, as a service does when it uses a
 * role it was passed: the role's trust policy decides, and the RCPs over the role's account when
 * given (one list per level, as `Request`), with the keys AWS sets for a service principal
 * (`aws:PrincipalIsAWSService`, `aws:PrincipalServiceName`: IAM global condition keys).
 */
export async function serviceAssumes(
    servicePrincipal: string,
    roleArn: string,
    roleAccount: string,
    trust: object,
    resourceControlPolicies: readonly (readonly object[])[] = [],
): Promise<Decision> {
    const simulation: Simulation = {
        request: {
            principal: servicePrincipal,
            action: "sts:AssumeRole",
            resource: { resource: roleArn, accountId: roleAccount },
            contextVariables:
                resourceControlPolicies.length > 0
                    ? {
                          "aws:PrincipalIsAWSService": "true",
                          "aws:PrincipalServiceName": servicePrincipal,
                          "aws:ResourceAccount": roleAccount,
                      }
                    : {},
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: resourceControlPolicies.map((docs, i) => ({
            orgIdentifier: `level-${i}`,
            policies: docs.map((policy, j) => ({ name: `rcp-${i}-${j}`, policy })),
        })),
        resourcePolicy: trust,
    } as Simulation;
    const response = await runSimulation(simulation, {});
    if (response.resultType === "error") {
        throw new Error(`simulator rejected the request: ${JSON.stringify(response.errors)}`);
    }
    return response.overallResult as Decision;
}
