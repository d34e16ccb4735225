/**
 * Keeps the Pulumi Node SDK's promise bookkeeping cheap at scale.
 *
 * For every promise it creates, `@pulumi/pulumi` (`runtime/debuggable.js`)
 * records `new Error().stack`, which it prints only when the
 * `PULUMI_DEBUG_PROMISE_LEAKS` environment variable is set. Under ts-node each
 * of those traces is source-mapped, and at thousands of resources that capture
 * dominates the program's run time (measured in docs/benchmarks.md). Unless
 * someone is debugging, the program records no stack frames; set
 * `ORG_ACCESS_STACK_TRACES=1` (or `PULUMI_DEBUG_PROMISE_LEAKS`) to keep them.
 * Our own errors are one-line config messages that never needed a trace.
 */
export function limitStackCapture(env: NodeJS.ProcessEnv = process.env): void {
    if (env.PULUMI_DEBUG_PROMISE_LEAKS || env.ORG_ACCESS_STACK_TRACES) {
        return;
    }
    Error.stackTraceLimit = 0;
}
