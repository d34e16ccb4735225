import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { ALERTS_EXPLAINED, renderAlerts, renderGrid, renderPaths, renderReachMermaid } from "../../analysis/grid";
import { ReachResult } from "../../analysis/reach";
import { renderPlan } from "../../offline/report";
import { runPlan } from "../helpers/plan";

/** The renderers of reach: what a reviewer reads at a glance. */
const MGMT = "100000000000";
const member = (i: number) => String(200000000000 + i);
const name = (id: string) =>
    id === MGMT ? "management" : id === member(0) ? "access" : `member-${String(Number(id) - 200000000000).padStart(2, "0")}`;
const role = (account: string, roleName: string) => `arn:aws:iam::${account}:role/${roleName}`;

/** alice -> admins -> Administrator in N members -> the customer role; the customer role alerted. */
function synthetic(members: number): ReachResult {
    const admins = role(member(0), "admins");
    const customer = role(MGMT, "PumpCustomerAccess");
    const reach = [
        { from: "user:alice", to: admins, path: [admins] },
        ...Array.from({ length: members }, (_, i) => ({
            from: "user:alice",
            to: role(member(i + 1), "Administrator"),
            path: [admins, role(member(i + 1), "Administrator")],
        })),
        { from: "user:alice", to: customer, path: [admins, role(member(1), "Administrator"), customer] },
    ];
    const alerts = [
        {
            ...reach[reach.length - 1],
            why: `not granted: ${role(member(1), "Administrator")} -> ${customer} is allowed only by a wildcard permission`,
        },
        ...Array.from({ length: members }, (_, i) => ({
            from: `role:${role(member(i + 1), "Administrator")}`,
            to: customer,
            path: [customer],
            why: "member-account role may assume a management-account role",
        })),
    ];
    return { reach, alerts, entries: ["user:alice", "user:bob"], managementAccountId: MGMT, problems: [] };
}

describe("reach renderers", () => {
    it("the grid puts alerts first, the management account in the first column, and names accounts", () => {
        const lines = renderGrid(synthetic(3), name);
        expect(lines[0]).to.equal(`Alerts (2): ${ALERTS_EXPLAINED}`);
        const header = lines.find((l) => l.trim().startsWith("entry"));
        expect(header?.split("|").map((c) => c.trim())).to.deep.equal([
            "entry",
            "management",
            "access",
            "member-01",
            "member-02",
            "member-03",
        ]);
        const alice = lines
            .find((l) => l.trim().startsWith("user:alice"))
            ?.split("|")
            .map((c) => c.trim());
        expect(alice).to.deep.equal(["user:alice", "PumpCustomerAccess!", "admins", "Administrator", "Administrator", "Administrator"]);
        expect(
            lines
                .find((l) => l.trim().startsWith("user:bob"))
                ?.split("|")
                .slice(1)
                .every((c) => c.trim() === "-"),
        ).to.equal(true);
        expect(lines.findIndex((l) => l.startsWith("  !"))).to.be.lessThan(lines.indexOf(header as string));
    });

    it("a thousand accounts with the same cells read as one column and one alert line", () => {
        const result = synthetic(1000);
        const grid = renderGrid(result, name);
        const header = grid
            .find((l) => l.trim().startsWith("entry"))
            ?.split("|")
            .map((c) => c.trim());
        expect(header).to.deep.equal(["entry", "management", "access", "member-01 +999 like it"]);
        const alerts = renderAlerts(result, name);
        expect(alerts).to.have.length(2);
        expect(alerts[1]).to.equal(
            "! role Administrator @ member-01, member-02, member-03 and 997 more -> PumpCustomerAccess @ management: member-account role may assume a management-account role",
        );
        expect(grid.length).to.be.lessThan(10);
    });

    it("paths name roles by account", () => {
        expect(renderPaths(synthetic(1), name)).to.include(
            "user:alice: admins @ access -> Administrator @ member-01 -> PumpCustomerAccess @ management",
        );
    });

    it("the Mermaid graph shows the management account and marks the alert edge dashed and red", () => {
        const graph = renderReachMermaid(synthetic(2), name);
        expect(graph).to.match(/subgraph n\d+\["management \(100000000000\) management account"\]/);
        const alertEdges = graph.split("\n").filter((l) => l.includes("-.->|alert|"));
        expect(alertEdges).to.have.length(1);
        const edges = graph.split("\n").filter((l) => /-->|-\.->/.test(l));
        const index = edges.findIndex((l) => l.includes("-.->|alert|"));
        expect(graph).to.include(`linkStyle ${index} stroke:#d00`);
    });

    it("npm run plan for the mgmt stack names who can reach the customer role: principals, accounts, groups", async () => {
        const text = renderPlan(await runPlan({ stack: "mgmt" }));
        const start = text.indexOf("Who can reach PumpCustomerAccess @ management:");
        expect(start).to.be.greaterThan(0);
        const section = text.slice(start);
        // The example trusts no principal by ARN (a team role trusted without the permission is a problem: organization-plan.test.ts).
        expect(section).to.not.include("principal arn:");
        expect(section).to.include("accounts prod (444444444444), access (222222222222)");
        expect(section).to.include("group cloud-admins @ prod (444444444444)");
        expect(section).to.include("note: the trust admits all of prod (444444444444) for this group");
    });

    it("npm run plan for the access stack prints the grid instead of the per-path matrix", async () => {
        const text = renderPlan(await runPlan({ stack: "access" }));
        expect(text).to.include("Reach from this stack's documents alone (access):");
        expect(text).to.match(/user:alice +\| admins +\| Administrator +\| Administrator, ReadOnly +\| Administrator, ReadOnly/);
        expect(text).not.to.include("Access matrix");
    });

    it("npm run plan -- --paths, over every stack file, ends with the organization: alerts, grid, who reaches each management role, paths", function () {
        this.timeout(300_000);
        const root = path.resolve(__dirname, "..", "..");
        const run = spawnSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(root, "scripts", "plan.ts"), "--paths"],
            { cwd: root, encoding: "utf8" },
        );
        expect(run.status, run.stderr).to.equal(0);
        const org = run.stdout.slice(run.stdout.indexOf("Organization .: reach across stacks (access + mgmt)"));
        expect(org.length).to.be.greaterThan(100);
        const order = [
            "Alerts (",
            "Reach (roles",
            "Who can reach PumpCustomerAccess @ management:",
            "Who can reach OrgAccessPreview @ management:",
            "Paths:",
        ].map((h) => org.indexOf(h));
        expect(order.every((i) => i > 0)).to.equal(true);
        expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
        expect(org).to.include(
            "! oidc:token.actions.githubusercontent.com:repo:acme/infra:ref:refs/heads/main -> deployer @ access -> Deployer @ prod -> PumpCustomerAccess @ management",
        );
        expect(org).to.include("user:alice: admins @ access -> Administrator @ prod -> PumpCustomerAccess @ management");
    });
});
