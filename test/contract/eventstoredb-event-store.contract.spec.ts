import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store';
import { eventStoreContract } from './event-store.contract';

const url = process.env.EVENTSTORE_URL;

if (url) {
  eventStoreContract(`EventStoreDB at ${url}`, async () => {
    const store = EventStoreDbEventStore.connect(url);
    return { store, dispose: () => store.close() };
  });
} else {
  // The reason is printed once by test/support/skip-reasons.ts (jest's globalSetup).
  describe.skip('EventStore contract: EventStoreDB (EVENTSTORE_URL not set)', () => {
    it('runs against a server', () => undefined);
  });
}
