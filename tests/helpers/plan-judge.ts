import { mfaDeviceArn } from "../../iam/arns";
import { Plan } from "../../offline/plan";
import { PlanJson } from "../../offline/report";
import { IamRole } from "../../iam/entities";
import { SESSION_NAME } from "../../outputs/session-names";
import { ORG_ID } from "./config";
import { decide } from "./simulate";
import { AssumeRoleRequest, Caller, Judge, PortalRequest, Refusal } from "./sts-standin";

/** The token the tests cache as `aws sso login` would; the portal stand-in accepts only it. */
export const SSO_TOKEN = "fake-identity-center-token";

/** Decides each request with the plan's documents, as IAM and STS would. */
export class PlanJudge implements Judge {
    private readonly roles: Map<string, IamRole>;
    /** Identity policies of principals that are not roles of the plan: IAM users, reserved SSO roles, outsiders. */
    readonly identityPolicies = new Map<string, object[]>();

    constructor(
        json: PlanJson,
        private readonly plan: Plan,
    ) {
        this.roles = new Map(json.iam.roles.map((r) => [r.arn, r]));
        for (const user of json.iam.users) {
            const groups = json.iam.groups.filter((g) => g.accountId === user.accountId && user.groups.includes(g.name));
            this.identityPolicies.set(user.arn, [...user.policies, ...groups.flatMap((g) => g.policies)]);
        }
    }

    async assumeRole(request: AssumeRoleRequest): Promise<Refusal | { mfa: boolean }> {
        const role = this.roles.get(request.roleArn);
        if (!role) {
            return { code: "AccessDenied", message: `no role ${request.roleArn} in the plan` };
        }
        if (!SESSION_NAME.test(request.sessionName)) {
            return { code: "ValidationError", message: `RoleSessionName ${JSON.stringify(request.sessionName)} fails [\\w+=,.@-]{2,64}` };
        }
        const maxSession = request.caller.session ? 3600 : this.maxSessionDuration(role);
        if (request.durationSeconds < 900 || request.durationSeconds > maxSession) {
            return {
                code: "ValidationError",
                message: `DurationSeconds ${request.durationSeconds} exceeds ${maxSession}${request.caller.session ? " (role chaining)" : ""}`,
            };
        }
        let mfa = request.caller.mfa;
        if (request.serialNumber !== undefined || request.tokenCode !== undefined) {
            const expected = request.caller.session
                ? undefined
                : mfaDeviceArn(request.caller.arn.split(":")[4], request.caller.arn.split("/").pop() ?? "");
            if (request.serialNumber !== expected || !/^\d{6}$/.test(request.tokenCode ?? "")) {
                return { code: "AccessDenied", message: `MFA ${request.serialNumber} is not the caller's device, or no code` };
            }
            mfa = true;
        }
        const context: Record<string, string> = mfa ? { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "60" } : {};
        if (request.externalId) {
            context["sts:ExternalId"] = request.externalId;
        }
        const decision = await decide({
            caller: { arn: request.caller.arn, orgId: ORG_ID, identityPolicies: this.policiesOf(request.caller), context },
            action: "sts:AssumeRole",
            resourceArn: role.arn,
            resourceAccount: role.accountId ?? "",
            // Every account the plan names is in the organization; AWS adds its org id to the request.
            resourceOrgId: ORG_ID,
            resourcePolicy: role.trustPolicy,
        });
        return decision === "Allowed"
            ? { mfa }
            : { code: "AccessDenied", message: `${request.caller.arn} may not assume ${role.arn}: ${decision}` };
    }

    async roleCredentials(request: PortalRequest): Promise<Refusal | { roleArn: string }> {
        if (request.token !== SSO_TOKEN) {
            return { code: "UnauthorizedException", message: "bad token" };
        }
        const assigned = this.plan.resources.some(
            (r) =>
                r.type === "aws:ssoadmin/accountAssignment:AccountAssignment" &&
                r.inputs.targetId === request.accountId &&
                r.name.includes(`-${request.roleName}-`),
        );
        if (!assigned) {
            return { code: "ForbiddenException", message: `${request.roleName} is not assigned in ${request.accountId}` };
        }
        const roleArn = `arn:aws:iam::${request.accountId}:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_${request.roleName}_0123456789abcdef`;
        const inline = this.plan.resources.find(
            (r) =>
                r.type === "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy" &&
                r.name.endsWith(`-${request.roleName}-inline`),
        );
        this.identityPolicies.set(roleArn, inline ? [JSON.parse(inline.inputs.inlinePolicy as string) as object] : []);
        return { roleArn };
    }

    private policiesOf(caller: Caller): readonly object[] {
        return this.roles.get(caller.arn)?.policies ?? this.identityPolicies.get(caller.arn) ?? [];
    }

    private maxSessionDuration(role: IamRole): number {
        const resource = this.plan.resources.find(
            (r) => r.type === "aws:iam/role:Role" && r.inputs.name === role.name && r.accountId === role.accountId,
        );
        return Number(resource?.inputs.maxSessionDuration ?? 3600);
    }
}
