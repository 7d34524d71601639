/** Opens the event store the configuration names. */
import { join } from 'node:path';
import type { AppConfig } from '../config/config';
import type { EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export async function openEventStore(config: AppConfig): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite':
      return new SqliteEventStore({ filename: join(config.dataDir, 'events.sqlite') });
    case 'eventstoredb':
      throw new Error('EVENT_STORE=eventstoredb is not wired yet');
  }
}
