/** Versioned read-model collections: a rebuild writes `<name>_v<n+1>` while readers keep `<name>_v<n>`. */
import type { ReadModelStore } from '../read-store/read-model-store.port';

const settingKey = (projection: string) => `active-collection:${projection}`;

export const versionedCollection = (projection: string, version: number): string => `${projection}_v${version}`;

export const collectionVersion = (collection: string): number => Number(/_v(\d+)$/.exec(collection)?.[1] ?? 0);

/** The collection readers use for a projection; version 1 until a rebuild switched it. */
export async function activeCollection(store: ReadModelStore, projection: string): Promise<string> {
  return (await store.getSetting(settingKey(projection))) ?? versionedCollection(projection, 1);
}

export async function activateCollection(store: ReadModelStore, projection: string, collection: string): Promise<void> {
  await store.setSetting(settingKey(projection), collection);
}
