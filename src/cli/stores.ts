/** Opens the configured stores for one command and closes them whatever happens. */
import type { AppConfig } from '../config/config';
import type { DecryptingEventStore } from '../privacy/decrypting-event-store';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import { openEventStore } from '../open-event-store';
import { openReadStore } from '../runtime';

export async function withEventStore<T>(config: AppConfig, use: (store: DecryptingEventStore) => Promise<T>): Promise<T> {
  const store = await openEventStore(config);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** `queryWorkers`: the read store's query threads (its default when omitted; 0 for a command that only writes read models). */
export async function withStores<T>(config: AppConfig, use: (events: DecryptingEventStore, readModels: ReadModelStore) => Promise<T>, queryWorkers?: number): Promise<T> {
  return withEventStore(config, async (events) => {
    const readModels = await openReadStore(config, queryWorkers);
    try {
      return await use(events, readModels);
    } finally {
      await readModels.close();
    }
  });
}
