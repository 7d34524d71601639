/**
 * Where the per-customer data keys of crypto-shredding live (wrapped with the master key,
 * key-wrap.ts). Destroying a customer's key makes the personal data in that customer's events
 * unreadable for good; the tombstone that stays behind keeps a new key from ever being made for
 * the customer, so no later event can be readable while earlier ones are not.
 *
 * Adapters: `sqlite-key-store.ts` (DATA_DIR/keys.sqlite) and `mongodb-key-store.ts`
 * (collection `personal_data_keys`), chosen by `openKeyStore` in src/open-event-store.ts. Unreachable
 * stores fail with StoreUnavailableError.
 */
export interface DataKeyRecord {
  customerId: string;
  /** wrapped data key; null once destroyed */
  wrappedKey: Buffer | null;
  createdAt: string;
  destroyedAt: string | null;
}

export interface KeyStore {
  /** Records of those customers that have one (destroyed ones included, wrappedKey null). */
  getMany(customerIds: readonly string[]): Promise<Map<string, DataKeyRecord>>;
  /** Stores the key of a customer that has no record; returns the stored record (an existing one wins, a destroyed one too). Race-safe across processes. */
  putIfAbsent(customerId: string, wrappedKey: Buffer, createdAt: string): Promise<DataKeyRecord>;
  /** putIfAbsent for many customers in one write (one commit, one fsync): the records stored, per customer. */
  putManyIfAbsent(keys: readonly { customerId: string; wrappedKey: Buffer }[], createdAt: string): Promise<Map<string, DataKeyRecord>>;
  /** Destroys the key for good: the bytes are overwritten, and a record (tombstone) stays so no new key is ever made for this customer. Idempotent; works when there was no key. */
  destroy(customerId: string, destroyedAt: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
