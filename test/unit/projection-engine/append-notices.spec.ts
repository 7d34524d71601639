/** AppendNotices: a track on the projection thread hears both its own store's appends and those another thread announces, and stops hearing both when it unsubscribes. */
import { AppendNotices } from '../../../src/projection-engine/append-notices';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { newEvent } from '../../support/new-events';

describe('AppendNotices.alsoFor', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:' });
  });
  afterEach(() => store.close());

  it('tells a listener of announcements and of the store\'s own commits, until it unsubscribes; everything else is the store', async () => {
    const notices = new AppendNotices();
    const followed = notices.alsoFor(store);
    let heard = 0;
    const unsubscribe = followed.onAppended(() => heard++);
    notices.announce();
    expect(heard).toBe(1);
    await followed.append('customer-a', [newEvent('CustomerRegistered', { customerId: 'a' })], 'no_stream');
    expect(heard).toBe(2);
    expect(await followed.headPosition()).toBe(await store.headPosition());
    unsubscribe();
    notices.announce();
    await store.append('customer-a', [newEvent('CustomerRegistered', { customerId: 'a' })], 'any');
    expect(heard).toBe(2);
  });
});
