/**
 * Seals events that the first release stored in clear (`ledger migrate`) and chains their hashes
 * again over the sealed form, stream by stream. Each stream's events must come through in
 * order from its first; memory holds a head hash per stream and a bounded set of sealers.
 */
import type { NewEvent } from '../event-store/event-store.port';
import { chainHash, GENESIS_HASH } from '../event-store/hash-chain';
import { needsSealing } from './personal-data-cipher';
import type { PersonalDataVault, Sealer } from './personal-data-vault';

const SEALERS = 10_000;

export class Resealer {
  private readonly heads = new Map<string, string>();
  private readonly sealers = new Map<string, Sealer>();
  /** Events whose personal fields were sealed so far. */
  sealed = 0;

  constructor(private readonly vault: PersonalDataVault) {}

  /** Streams seen so far. */
  get streams(): number {
    return this.heads.size;
  }

  /** The events (the next ones of `streamId`) with personal fields sealed and hashes chained from the stream's new head. */
  async reseal(streamId: string, events: readonly NewEvent[]): Promise<NewEvent[]> {
    let previous = this.heads.get(streamId) ?? GENESIS_HASH;
    const out: NewEvent[] = [];
    for (const event of events) {
      let data = event.data;
      if (needsSealing(event.type, data)) {
        data = (await this.sealerFor(data.customerId as string))(event.type, data);
        this.sealed++;
      }
      const { occurredAt, recordedAt } = event.metadata;
      const hash = chainHash(previous, { type: event.type, data, occurredAt, recordedAt });
      out.push({ type: event.type, data, metadata: { ...event.metadata, prevHash: previous, hash } });
      previous = hash;
    }
    this.heads.set(streamId, previous);
    return out;
  }

  private async sealerFor(customerId: string): Promise<Sealer> {
    let sealer = this.sealers.get(customerId);
    if (!sealer) {
      sealer = await this.vault.sealerFor(customerId);
      this.remember(customerId, sealer);
    }
    return sealer;
  }

  private remember(customerId: string, sealer: Sealer): void {
    if (this.sealers.size >= SEALERS) this.sealers.delete(this.sealers.keys().next().value as string);
    this.sealers.set(customerId, sealer);
  }
}
