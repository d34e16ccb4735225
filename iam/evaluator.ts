/**
 * The IAM evaluator, shared with the policy pack (which imports nothing of the
 * program, so it lives there): statements, request contexts, the identity and
 * trust sides of a request, and IAM's decision over both. Reach, the access
 * matrix and the pack's trust rules ask it, so they cannot disagree.
 */
export * from "../policy-pack/evaluator";
