import { expect } from "chai";
import { Plan, PlannedResource } from "../../offline/plan";
import { configFileFor, readStackConfigFile } from "../../offline/stack-files";
import { planError, runPlan } from "../helpers/plan";

/**
 * Splitting one organization's access across stacks (`org-access:deploy`):
 * an identity stack plus member-role shards must together plan exactly what one
 * stack plans, resource for resource, so a large organization can move to
 * shards without a single trust policy changing.
 */
const example = readStackConfigFile(configFileFor("access"));
const withDeploy = (deploy: object) => ({ ...example, "org-access:deploy": JSON.stringify(deploy) });

/** A resource as AWS would see it: where, what, and with which inputs. */
const fingerprint = (r: PlannedResource) => JSON.stringify([r.accountId, r.type, r.name, r.inputs]);
const awsResources = (plan: Plan) => plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));

describe("access stack split across stacks (org-access:deploy)", () => {
    let whole: Plan;
    before(async () => {
        whole = await runPlan({ stack: "access" });
    });

    it("identity stack + two member-role shards = the single stack, exactly", async () => {
        const identity = await runPlan({ stack: "access-identity", config: withDeploy({ identity: true }) });
        const shardA = await runPlan({
            stack: "access-a",
            config: withDeploy({ identity: false, memberAccounts: ["access", "log-archive"] }),
        });
        const shardB = await runPlan({ stack: "access-b", config: withDeploy({ identity: false, memberAccounts: ["prod", "dev"] }) });

        const union = [identity, shardA, shardB].flatMap(awsResources).map(fingerprint).sort();
        expect(union).to.deep.equal(awsResources(whole).map(fingerprint).sort());
        expect(new Set(union).size, "no resource planned twice").to.equal(union.length);
    });

    it("a shard holds only member roles, in its own accounts, trusting the access account's team role ARNs", async () => {
        const shard = await runPlan({ stack: "access-b", config: withDeploy({ identity: false, memberAccounts: ["prod"] }) });
        const resources = awsResources(shard);
        expect(resources.length).to.be.greaterThan(0);
        expect([...new Set(resources.map((r) => r.accountId))]).to.deep.equal(["444444444444"]);
        const roles = resources.filter((r) => r.type === "aws:iam/role:Role");
        for (const role of roles) {
            type TrustStatement = { Principal: { AWS: string | string[] }; Condition: { ArnEquals: Record<string, string | string[]> } };
            const trust = JSON.parse(role.inputs.assumeRolePolicy as string) as { Statement: TrustStatement[] };
            const admitted = trust.Statement.flatMap((s) => [s.Condition.ArnEquals["aws:PrincipalArn"]].flat());
            expect(trust.Statement.flatMap((s) => [s.Principal.AWS].flat())).to.deep.equal(["arn:aws:iam::222222222222:root"]);
            expect(admitted.length).to.be.greaterThan(0);
            for (const arn of admitted) {
                expect(arn, `${role.name} trusts a team role of the access account`).to.match(/^arn:aws:iam::222222222222:role\//);
            }
        }
        expect(shard.resources.filter((r) => r.type === "pulumi:providers:aws").map((r) => r.name)).to.deep.equal(["aws-prod"]);
    });

    it("rejects a shard that deploys nothing, and an unknown account, naming the key", async () => {
        expect(await planError("access", withDeploy({ identity: false, memberAccounts: [] }))).to.equal(
            "org-access:deploy: deploys nothing: customerAccess, managementPreviewRole and identity are false and memberAccounts is empty",
        );
        expect(await planError("access", withDeploy({ memberAccounts: ["staging"] }))).to.equal(
            'org-access:deploy.memberAccounts[0]: unknown account "staging" (not in org-access:organization.accounts)',
        );
        expect(await planError("access", withDeploy({ memberAccounts: ["management"] }))).to.include("org-access:deploy.memberAccounts[0]");
        expect(await planError("access", withDeploy({ identity: "no" }))).to.equal(
            'org-access:deploy.identity: expected true or false, got "no"',
        );
    });
});
