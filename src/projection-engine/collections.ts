/**
 * Versioned read-model collections: a rebuild writes `<name>_v<n+1>` while readers keep `<name>_v<n>`.
 * Which version is active, which one a rebuild is building (or failed to), and which versions are
 * retired live in the read store's settings, so every process on the store follows the same state.
 */
import type { ReadModelStore } from '../read-store/read-model-store.port';

export const activeSettingKey = (projection: string) => `active-collection:${projection}`;
export const rebuildSettingKey = (projection: string) => `rebuild:${projection}`;

export const versionedCollection = (projection: string, version: number): string => `${projection}_v${version}`;

export const collectionVersion = (collection: string): number => Number(/_v(\d+)$/.exec(collection)?.[1] ?? 0);

/** `customer_profiles_v3` is a version of customer_profiles; `customer_profiles_archive` is not. */
export const isVersionOf = (projection: string, collection: string): boolean => collection.startsWith(`${projection}_v`) && /^\d+$/.test(collection.slice(projection.length + 2));

/** The projection a versioned collection belongs to. */
export const projectionOf = (collection: string): string => collection.replace(/_v\d+$/, '');

/** The collection readers use for a projection; version 1 until a rebuild switched it. */
export async function activeCollection(store: ReadModelStore, projection: string): Promise<string> {
  return (await store.getSetting(activeSettingKey(projection))) ?? versionedCollection(projection, 1);
}

export async function activateCollection(store: ReadModelStore, projection: string, collection: string): Promise<void> {
  await store.setSetting(activeSettingKey(projection), collection);
}

/** A rebuild as the store remembers it: survives the process that started it. */
export interface RebuildRecord {
  collection: string;
  status: 'rebuilding' | 'failed';
  requestedAt: string;
  error?: string;
}

export async function rebuildRecord(store: ReadModelStore, projection: string): Promise<RebuildRecord | null> {
  const text = await store.getSetting(rebuildSettingKey(projection));
  if (text === null) return null;
  try {
    const record = JSON.parse(text) as RebuildRecord;
    return typeof record.collection === 'string' ? record : null;
  } catch {
    return null;
  }
}
