import { expect } from "chai";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { Plan } from "../offline/plan";
import { renderPlan, toPlanJson } from "../offline/report";
import { configFileFor, readStackConfigFile } from "../offline/stack-files";
import { ACCESS, MANAGEMENT } from "./helpers/config";
import { planError, runPlan } from "./helpers/plan";

/**
 * What keeps a deployed organization safe to change: resources with a fixed
 * IAM name are replaced delete-first, every run refreshes first, and existing
 * entities can be adopted (`org-access:adopt`) instead of failing the first
 * `pulumi up` with EntityAlreadyExists. docs/runbook.md is the procedure.
 */
const ROOT = path.resolve(__dirname, "..");

/** Resources whose IAM (or Identity Center) name is an input: a create-before-delete replacement would collide on it. */
const NAMED_TYPES = [
    "aws:iam/role:Role",
    "aws:iam/user:User",
    "aws:iam/group:Group",
    "aws:iam/samlProvider:SamlProvider",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "aws:ssoadmin/permissionSet:PermissionSet",
];

const withConfig = (stack: string, extra: Record<string, unknown>) => {
    const flat = readStackConfigFile(configFileFor(stack));
    for (const [key, value] of Object.entries(extra)) {
        flat[`org-access:${key}`] = JSON.stringify(value);
    }
    return flat;
};

const imports = (plan: Plan) =>
    Object.fromEntries(plan.resources.filter((r) => r.importId !== undefined).map((r) => [`${r.type} ${r.name}`, r.importId]));

describe("lifecycle: replacement, refresh, adoption", () => {
    let access: Plan;
    let mgmt: Plan;
    before(async () => {
        access = await runPlan({ stack: "access" });
        mgmt = await runPlan({ stack: "mgmt" });
    });

    it("replaces every resource with a fixed IAM name delete-first, in both example plans", () => {
        for (const plan of [access, mgmt]) {
            const named = plan.resources.filter((r) => NAMED_TYPES.includes(r.type));
            expect(named.length, plan.stack).to.be.greaterThan(0);
            for (const r of named) {
                expect(r.deleteBeforeReplace, `${plan.stack}: ${r.type} ${r.name}`).to.equal(true);
            }
        }
        const types = new Set([...access.resources, ...mgmt.resources].map((r) => r.type));
        for (const type of NAMED_TYPES) {
            expect(types.has(type), `the examples plan a ${type}`).to.equal(true);
        }
    });

    it("refreshes on every preview, update and destroy (Pulumi.yaml options.refresh: always)", () => {
        const project = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { options?: { refresh?: unknown } };
        expect(project.options?.refresh).to.equal("always");
    });

    it("imports nothing unless org-access:adopt says so", () => {
        expect(imports(access)).to.deep.equal({});
        expect(imports(mgmt)).to.deep.equal({});
    });

    describe("org-access:adopt", () => {
        let adopted: Plan;
        before(async () => {
            adopted = await runPlan({
                stack: "access",
                config: withConfig("access", {
                    adopt: {
                        users: ["alice"],
                        groups: ["admins"],
                        saml: ["okta"],
                        oidc: ["github"],
                        teams: ["admins"],
                        roles: ["ReadOnly", { name: "Administrator", accounts: ["prod"] }],
                    },
                }),
            });
        });

        it("imports roles, users and groups by name and identity providers by ARN, nothing else", () => {
            expect(imports(adopted)).to.deep.equal({
                "aws:iam/user:User access-identity-user-alice": "alice",
                "aws:iam/group:Group access-identity-group-admins": "admins",
                "aws:iam/samlProvider:SamlProvider access-identity-saml-okta": `arn:aws:iam::${ACCESS}:saml-provider/okta`,
                "aws:iam/openIdConnectProvider:OpenIdConnectProvider access-identity-oidc-github": `arn:aws:iam::${ACCESS}:oidc-provider/token.actions.githubusercontent.com`,
                "aws:iam/role:Role access-team-admins": "admins",
                "aws:iam/role:Role access-role-ReadOnly-prod": "ReadOnly",
                "aws:iam/role:Role access-role-ReadOnly-log-archive": "ReadOnly",
                "aws:iam/role:Role access-role-Administrator-prod": "Administrator",
            });
        });

        it("plans the same resources with the same inputs: adoption changes no document", () => {
            const shape = (plan: Plan) => plan.resources.map((r) => JSON.stringify([r.type, r.name, r.inputs])).sort();
            expect(shape(adopted)).to.deep.equal(shape(access));
        });

        it("shows each import in npm run plan and in its --json resources", () => {
            const text = renderPlan(adopted);
            expect(text).to.include("= aws:iam/role:Role access-role-Administrator-prod [protected] [import Administrator]");
            expect(text).to.include(
                `= aws:iam/samlProvider:SamlProvider access-identity-saml-okta [import arn:aws:iam::${ACCESS}:saml-provider/okta]`,
            );
            expect(text).to.include("+ aws:iam/role:Role access-role-Administrator-dev [protected]\n");
            const json = toPlanJson(adopted);
            expect(json.resources.find((r) => r.name === "access-identity-user-alice")?.importId).to.equal("alice");
            expect(json.resources.find((r) => r.name === "access-identity-user-bob")?.importId).to.equal(undefined);
        });

        it("adopts the customer role and the preview reader in the mgmt stack", async () => {
            const plan = await runPlan({
                stack: "mgmt",
                config: withConfig("mgmt", { adopt: { customerRole: true, managementPreviewRole: true } }),
            });
            expect(imports(plan)).to.deep.equal({
                "aws:iam/role:Role customer-access": "PumpCustomerAccess",
                "aws:iam/role:Role management-preview": "OrgAccessPreview",
            });
            expect(plan.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "customer-access")?.accountId).to.equal(
                MANAGEMENT,
            );
        });

        it("adopts member roles in a shard stack, in the shard's accounts only", async () => {
            const shard = withConfig("access", {
                deploy: { identity: false, memberAccounts: ["prod"] },
                adopt: { roles: ["Administrator"] },
            });
            const plan = await runPlan({ stack: "access-prod", config: shard });
            expect(imports(plan)).to.deep.equal({ "aws:iam/role:Role access-role-Administrator-prod": "Administrator" });
        });

        const errors: [string, Record<string, unknown>, string][] = [
            [
                "a user the config does not create",
                { adopt: { users: ["dave"] } },
                'org-access:adopt.users[0]: "dave" is not created by this stack (not in org-access:identity.users); only what the config creates can be adopted',
            ],
            [
                "a group the config does not create",
                { adopt: { groups: ["operators"] } },
                'org-access:adopt.groups[0]: "operators" is not created by this stack (not in the groups of org-access:identity); only what the config creates can be adopted',
            ],
            [
                "an unknown member role",
                { adopt: { roles: ["Auditor"] } },
                'org-access:adopt.roles[0]: "Auditor" is not created by this stack (not in org-access:roles); only what the config creates can be adopted',
            ],
            [
                "a member role in an account it does not land in",
                { adopt: { roles: [{ name: "Developer", accounts: ["prod"] }] } },
                'org-access:adopt.roles[0].accounts[0]: "Developer" cannot be adopted in "prod": the role does not land there',
            ],
            [
                "a member role in an account another shard deploys",
                { deploy: { identity: false, memberAccounts: ["dev"] }, adopt: { roles: [{ name: "Deployer", accounts: ["prod"] }] } },
                'org-access:adopt.roles[0].accounts[0]: "Deployer" cannot be adopted in "prod": this stack does not deploy it there (org-access:deploy.memberAccounts)',
            ],
            [
                "a team in a shard that deploys no identities",
                { deploy: { identity: false, memberAccounts: ["dev"] }, adopt: { teams: ["admins"] } },
                'org-access:adopt.teams[0]: "admins" cannot be adopted here: this stack deploys no identities or team roles (org-access:deploy.identity is false)',
            ],
            [
                "the customer role in a stack without one",
                { adopt: { customerRole: true } },
                "org-access:adopt.customerRole: is true, but this stack deploys no customer role (org-access:customerAccess, org-access:deploy.customerAccess)",
            ],
            [
                "an unknown kind",
                { adopt: { policies: ["x"] } },
                "org-access:adopt.policies: unknown key (known keys: users, groups, saml, oidc, teams, roles, customerRole, managementPreviewRole)",
            ],
        ];
        for (const [name, extra, message] of errors) {
            it(`rejects adopting ${name}, in one line, before any resource`, async () => {
                expect(await planError("access", withConfig("access", extra))).to.equal(message);
            });
        }
    });
});
