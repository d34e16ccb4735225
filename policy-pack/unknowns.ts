// `@pulumi/policy` marks its proxy helpers @internal, so its published typings declare neither
// `UnknownValueError` nor `unknownCheckingProxy`. This module gives them types in one place.

import * as policy from "@pulumi/policy";

/** The error the engine's props proxy throws when a policy reads a value unknown during preview. */
export function isUnknownValueError(error: unknown): error is Error {
    const UnknownValueError: unknown = Reflect.get(policy, "UnknownValueError");
    return typeof UnknownValueError === "function" && error instanceof UnknownValueError;
}
