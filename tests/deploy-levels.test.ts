import { expect } from "chai";
import { deployLevels } from "../offline/deploy-levels";
import { deployOrder } from "../offline/deploy-dependencies";

/** Stages from the same order and dependencies as deployOrder: flattened, every stack still follows what it depends on. */
describe("deploy stages (deployLevels)", () => {
    const cases: { title: string; stacks: string[]; deps: [string, string][]; levels: string[][] }[] = [
        {
            title: "independent stacks: one stage",
            stacks: ["mgmt", "access", "roles-a"],
            deps: [],
            levels: [["access", "mgmt", "roles-a"]],
        },
        {
            title: "a chain: one stage each",
            stacks: ["a", "b", "c"],
            deps: [
                ["b", "a"],
                ["c", "b"],
            ],
            levels: [["a"], ["b"], ["c"]],
        },
        {
            title: "a diamond: the two middles together",
            stacks: ["top", "left", "right", "bottom"],
            deps: [
                ["left", "top"],
                ["right", "top"],
                ["bottom", "left"],
                ["bottom", "right"],
            ],
            levels: [["top"], ["left", "right"], ["bottom"]],
        },
        {
            title: "one stack first, the rest after it in parallel",
            stacks: ["mgmt", "access", "roles-a", "roles-b"],
            deps: [
                ["access", "mgmt"],
                ["roles-a", "mgmt"],
                ["roles-b", "mgmt"],
            ],
            levels: [["mgmt"], ["access", "roles-a", "roles-b"]],
        },
    ];
    for (const { title, stacks, deps, levels } of cases) {
        it(title, () => {
            const dependencies = deps.map(([stack, after]) => ({ stack, after, why: "test" }));
            const order = deployOrder(stacks, dependencies);
            const got = deployLevels(order.order, dependencies);
            expect(got).to.deep.equal(levels);
            const flat = got.flat();
            expect(flat).to.have.members(stacks);
            for (const d of dependencies) {
                expect(
                    got.findIndex((l) => l.includes(d.after)),
                    `${d.stack} after ${d.after}`,
                ).to.be.lessThan(got.findIndex((l) => l.includes(d.stack)));
            }
        });
    }

    it("a cycle (reported by deployOrder) still gives every stack a stage", () => {
        const dependencies = [
            { stack: "a", after: "b", why: "x" },
            { stack: "b", after: "a", why: "y" },
        ];
        const order = deployOrder(["a", "b"], dependencies);
        expect(order.problems.length).to.be.greaterThan(0);
        expect(deployLevels(order.order, dependencies).flat()).to.have.members(["a", "b"]);
    });
});
