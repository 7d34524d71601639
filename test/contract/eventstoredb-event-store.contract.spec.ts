import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { eventStoreContract } from './event-store.contract';

const url = process.env.EVENTSTORE_URL;

if (url) {
  eventStoreContract(`EventStoreDB at ${url}`, async () => {
    const store = EventStoreDbEventStore.connect(url);
    return { store, dispose: () => store.close() };
  });
} else {
  console.log('EventStoreDB contract suite skipped: EVENTSTORE_URL is not set (docker compose up -d eventstore; EVENTSTORE_URL=esdb://localhost:2113?tls=false npm test)');
  describe.skip('EventStore contract: EventStoreDB (EVENTSTORE_URL not set)', () => {
    it('runs against a server', () => undefined);
  });
}
