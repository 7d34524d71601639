/**
 * Who used an `Idempotency-Key` first: one claim per (API key name, Idempotency-Key), written with
 * put-if-absent before the command's events are appended. The event store keeps the key in each
 * event's metadata, but only per stream (EventStoreDB cannot look a key up across streams); the claim
 * is what binds a key to one customer, one route and one body for the whole API key, in every process.
 *
 * Adapters: `sqlite-idempotency-claim-store.ts` (table `idempotency_keys` in
 * DATA_DIR/read-models.sqlite) and `mongodb-idempotency-claim-store.ts` (collection
 * `idempotency_keys`), chosen by `openIdempotencyClaims` in src/runtime.ts after READ_STORE.
 * Claims are kept for good (docs/api.md#conventions, "Idempotency-Key"). Unreachable stores fail
 * with StoreUnavailableError.
 */
export interface IdempotencyClaim {
  /** The API key's name (the actor's name). */
  apiKeyName: string;
  idempotencyKey: string;
  /** The customer's stream the key was used on. */
  streamId: string;
  /** The command route as the controllers name it, e.g. `purchase:c-1`. */
  route: string;
  /** sha256 of route and body (command-context.ts). */
  commandHash: string;
  createdAt: string;
}

export interface IdempotencyClaimStore {
  /** Stores the claim unless one exists for its (apiKeyName, idempotencyKey); returns the stored one (the first wins). Race-safe across processes. */
  putIfAbsent(claim: IdempotencyClaim): Promise<IdempotencyClaim>;
  get(apiKeyName: string, idempotencyKey: string): Promise<IdempotencyClaim | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Whether a stored claim is this request's: same customer, same route, same body. */
export function sameRequest(stored: IdempotencyClaim, claim: IdempotencyClaim): boolean {
  return stored.streamId === claim.streamId && stored.route === claim.route && stored.commandHash === claim.commandHash;
}
