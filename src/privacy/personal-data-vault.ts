/**
 * The customers' data keys, wrapped by the master key in the key store: made on a customer's first
 * personal datum, used to seal events before they are hashed and appended and to open them when
 * read, destroyed when the customer is forgotten. No key is cached between calls: a key destroyed
 * by another process is never used again here.
 */
import { ConfigError } from '../config/config';
import { DomainError } from '../customer/errors';
import { StoreUnavailableError } from '../shared/store-unavailable';
import { erasedData, PERSONAL_FIELDS } from '../customer/personal-data';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { KeyStore } from './key-store.port';
import { newDataKey, unwrapDataKey, wrapDataKey } from './key-wrap';
import { isSealed, mayHoldPersonalData, openData, sealData } from './personal-data-cipher';

/** Seals one event's data with the customer's key (see personal-data-cipher.ts). */
export type Sealer = (type: string, data: Record<string, unknown>) => Record<string, unknown>;

const customerIdOf = (event: RecordedEvent): string => event.data.customerId as string;

/** The event types `open` acts on: erasures, and the types with personal fields. It returns every other event as it is. */
export const TYPES_TO_OPEN: ReadonlySet<string> = new Set(['CustomerForgotten', ...Object.keys(PERSONAL_FIELDS)]);

/** A key store record no customer id can name (ids are A–Z, a–z, 0–9, _ and -): proof of which master key the store's keys are wrapped with. */
const MASTER_CHECK_ID = '~master-key-check';

export class PersonalDataVault {
  /** The master key's check against the key store: done once it could be asked. */
  private checked: Promise<void> | null = null;

  private constructor(
    private readonly keys: KeyStore,
    private readonly masterKey: Buffer,
  ) {}

  /**
   * The vault on a key store, refusing a master key other than the one the store's keys are wrapped
   * with (two hosts that generated their own master.key, a LEDGER_MASTER_KEY mistyped): such a
   * process could neither read nor erase what the others wrote. A key store that cannot be reached
   * does not stop the start (the service degrades, like with its other stores): the check then runs
   * before the first use of a key.
   */
  static async open(keys: KeyStore, masterKey: Buffer): Promise<PersonalDataVault> {
    const vault = new PersonalDataVault(keys, masterKey);
    try {
      await vault.ensureChecked();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) {
        await keys.close();
        throw error;
      }
    }
    return vault;
  }

  private ensureChecked(): Promise<void> {
    this.checked ??= this.checkMasterKey().catch((error: unknown) => {
      // Unreachable: ask again next time. A wrong master key stays refused.
      if (error instanceof StoreUnavailableError) this.checked = null;
      throw error;
    });
    return this.checked;
  }

  private async checkMasterKey(): Promise<void> {
    const check = await this.keys.putIfAbsent(MASTER_CHECK_ID, wrapDataKey(this.masterKey, newDataKey(), MASTER_CHECK_ID), new Date().toISOString());
    try {
      if (check.wrappedKey) unwrapDataKey(this.masterKey, check.wrappedKey, MASTER_CHECK_ID);
    } catch {
      throw new ConfigError('the master key (LEDGER_MASTER_KEY or DATA_DIR/master.key) is not the one the key store was made with');
    }
  }

  /** Seals with the customer's data key, made and stored on first use (a key stored first by another process wins). */
  async sealerFor(customerId: string): Promise<Sealer> {
    return (await this.sealersFor([customerId])).get(customerId)!;
  }

  /** Sealers for many customers: the missing keys made and stored in one write. */
  async sealersFor(customerIds: readonly string[]): Promise<Map<string, Sealer>> {
    const sealers = new Map<string, Sealer>();
    for (const [customerId, key] of await this.dataKeysFor(customerIds)) sealers.set(customerId, (type, data) => sealData(type, data, key, customerId));
    return sealers;
  }

  /**
   * The customers' data keys, unwrapped, the missing ones made and stored in one write (one fsync
   * for a whole seed-demo). Only for sealing where a Sealer cannot go: the demo generator's worker
   * thread seals with them (sealData). Keys of forgotten customers are refused.
   */
  async dataKeysFor(customerIds: readonly string[]): Promise<Map<string, Buffer>> {
    await this.ensureChecked();
    const records = await this.keys.getMany(customerIds);
    const missing = [...new Set(customerIds)].filter((customerId) => !records.has(customerId));
    for (const [customerId, record] of await this.keys.putManyIfAbsent(missing.map((customerId) => ({ customerId, wrappedKey: wrapDataKey(this.masterKey, newDataKey(), customerId) })), new Date().toISOString())) records.set(customerId, record);
    const keys = new Map<string, Buffer>();
    for (const [customerId, record] of records) {
      if (record.wrappedKey === null) throw new DomainError('CUSTOMER_FORGOTTEN', `customer ${customerId} was forgotten: its data key is destroyed`);
      keys.set(customerId, unwrapDataKey(this.masterKey, record.wrappedKey, customerId));
    }
    return keys;
  }

  /**
   * The events with their personal fields opened: decrypted, or erased placeholders for a forgotten
   * customer; `storedData` keeps what was stored (what the hash chain covers). Events without
   * sealed data are returned as they are, unless an earlier release stored them in clear and the
   * customer is forgotten since: they read as erased too (`ledger migrate` removes the clear text
   * from the files).
   * Meeting a `CustomerForgotten` whose key still exists (a crash between the erasure's append and
   * the key's destruction) destroys the key first.
   */
  async open(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const sealedFor = new Set<string>();
    const inClear = new Set<string>();
    const forgotten = new Set<string>();
    for (const event of events) {
      if (event.type === 'CustomerForgotten') forgotten.add(customerIdOf(event));
      else if (mayHoldPersonalData(event.type)) (isSealed(event.data) ? sealedFor : inClear).add(customerIdOf(event));
    }
    if (sealedFor.size === 0 && inClear.size === 0 && forgotten.size === 0) return events;
    await this.ensureChecked();
    const records = await this.keys.getMany([...new Set([...sealedFor, ...inClear, ...forgotten])]);
    for (const customerId of forgotten) {
      if (records.get(customerId)?.wrappedKey === null) continue;
      await this.destroy(customerId);
      records.delete(customerId);
    }
    const erased = (customerId: string) => forgotten.has(customerId) || records.get(customerId)?.wrappedKey === null;
    if (sealedFor.size === 0 && ![...inClear].some(erased)) return events;
    const keys = new Map<string, Buffer | null>();
    for (const customerId of sealedFor) {
      const record = records.get(customerId);
      if (record === undefined && !forgotten.has(customerId)) throw new Error(`no data key for customer ${customerId}: the key store is not the one its events were sealed with`);
      keys.set(customerId, record?.wrappedKey ? unwrapDataKey(this.masterKey, record.wrappedKey, customerId) : null);
    }
    return events.map((event) => {
      if (!mayHoldPersonalData(event.type)) return event;
      const customerId = customerIdOf(event);
      const sealed = isSealed(event.data);
      if (!sealed && !erased(customerId)) return event;
      const opened: RecordedEvent = {
        type: event.type,
        data: sealed ? openData(event.type, event.data, keys.get(customerId) ?? null, customerId) : erasedData(event.type, event.data),
        // Read through: a stored event decodes its metadata on first use, which projections never make.
        get metadata() {
          return event.metadata;
        },
        streamId: event.streamId,
        revision: event.revision,
        position: event.position,
        recordedAt: event.recordedAt,
        schemaVersion: event.schemaVersion,
        storedData: event.data,
      };
      return opened;
    });
  }

  /** Destroys the customer's data key for good (idempotent). */
  async destroy(customerId: string): Promise<void> {
    await this.ensureChecked();
    await this.keys.destroy(customerId, new Date().toISOString());
  }

  ping(): Promise<void> {
    return this.keys.ping();
  }

  close(): Promise<void> {
    return this.keys.close();
  }
}
