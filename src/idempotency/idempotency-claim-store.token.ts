/** Nest injection token of the IdempotencyClaimStore port. */
export const IDEMPOTENCY_CLAIMS = Symbol('IDEMPOTENCY_CLAIMS');
