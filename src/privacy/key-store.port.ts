export interface DataKeyRecord { customerId: string; /** wrapped data key; null once destroyed */ wrappedKey: Buffer | null; createdAt: string; destroyedAt: string | null }
export interface KeyStore {
  /** Records of those customers that have one (destroyed ones included, wrappedKey null). */
  getMany(customerIds: readonly string[]): Promise<Map<string, DataKeyRecord>>;
  /** Stores the key of a customer that has no record; returns the stored record (an existing one wins, a destroyed one too). Race-safe across processes. */
  putIfAbsent(customerId: string, wrappedKey: Buffer, createdAt: string): Promise<DataKeyRecord>;
  /** Destroys the key for good: the bytes are overwritten, and a record (tombstone) stays so no new key is ever made for this customer. Idempotent; works when there was no key. */
  destroy(customerId: string, destroyedAt: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
