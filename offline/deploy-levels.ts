import type { Dependency } from "./deploy-dependencies";

/**
 * `deployOrder` in stages, for deploying in parallel: a stack goes in the first stage after every stack it
 * must follow, so stacks of one stage depend on none of each other and may run at once. Derived from the
 * same order and dependencies as `deployOrder`, so the two cannot disagree: flattening the stages gives an
 * order in which every stack still follows what it depends on. A dependency that points forward in the
 * order (only in a reported cycle) is left out, as the order itself leaves it out.
 */
export function deployLevels(order: readonly string[], dependencies: readonly Pick<Dependency, "stack" | "after">[]): string[][] {
    const level = new Map<string, number>();
    for (const stack of order) {
        const before = dependencies.filter((d) => d.stack === stack && level.has(d.after)).map((d) => (level.get(d.after) as number) + 1);
        level.set(stack, Math.max(0, ...before));
    }
    const levels: string[][] = [];
    for (const stack of order) {
        const n = level.get(stack) as number;
        (levels[n] ??= []).push(stack);
    }
    return levels;
}
