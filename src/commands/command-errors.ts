/** Why the command pipeline refuses a command, apart from the domain's rules; the problem filter maps each to HTTP. */
export class RevisionConflictError extends Error {
  override readonly name = 'RevisionConflictError';
}

export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
}

export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor() {
    super('this Idempotency-Key was used with another request (customer, route or body); use a new key for a new request');
  }
}
