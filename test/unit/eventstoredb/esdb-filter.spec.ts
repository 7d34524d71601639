import { EVENT_TYPE } from '@eventstore/db-client';
import { isLedgerEvent, ledgerEventFilter } from '../../../src/event-store/eventstoredb/esdb-filter';

describe('ledgerEventFilter', () => {
  it('filters out system event types on the server', () => {
    const filter = ledgerEventFilter();
    expect(filter).toMatchObject({ filterOn: EVENT_TYPE, checkpointInterval: 1 });
    if (!('regex' in filter)) throw new Error('expected a regex filter');
    const regex = new RegExp(filter.regex);
    expect(regex.test('CustomerRegistered')).toBe(true);
    expect(regex.test('$metadata')).toBe(false);
    expect(regex.test('$>')).toBe(false);
    expect(regex.test('$streamDeleted')).toBe(false);
  });

  it('is a new object each time (callers may not share mutable filters)', () => {
    expect(ledgerEventFilter()).not.toBe(ledgerEventFilter());
    expect(ledgerEventFilter()).toEqual(ledgerEventFilter());
  });
});

describe('isLedgerEvent', () => {
  it('keeps events of ordinary streams', () => {
    expect(isLedgerEvent({ streamId: 'customer-c1', type: 'PurchaseRecorded' })).toBe(true);
    expect(isLedgerEvent({ streamId: 'other-stream', type: 'Something' })).toBe(true);
  });

  it('leaves out system and metadata streams', () => {
    expect(isLedgerEvent({ streamId: '$stats-127.0.0.1:2113', type: 'StatsCollected' })).toBe(false);
    expect(isLedgerEvent({ streamId: '$$customer-c1', type: '$metadata' })).toBe(false);
    expect(isLedgerEvent({ streamId: '$ce-customer', type: '$>' })).toBe(false);
  });

  it('leaves out system event types in ordinary streams', () => {
    expect(isLedgerEvent({ streamId: 'customer-c1', type: '$streamDeleted' })).toBe(false);
  });
});
