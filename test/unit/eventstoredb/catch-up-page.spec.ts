import type { AllStreamSubscription, Position } from '@eventstore/db-client';
import { EventEmitter } from 'node:events';
import { catchUpPage } from '../../../src/event-store/eventstoredb/catch-up-page';
import { resolvedEvent } from './fixtures';

const pos = (n: bigint): Position => ({ commit: n, prepare: n });
const subscription = () => new EventEmitter() as unknown as AllStreamSubscription & EventEmitter;

describe('a catch-up page of $all', () => {
  it('ends when the subscription has caught up, strictly after the start and without system events', async () => {
    const sub = subscription();
    const page = catchUpPage(sub, pos(5n), 10, 1000);
    sub.emit('data', resolvedEvent({ streamId: 'customer-a', position: pos(5n) }));
    sub.emit('data', resolvedEvent({ streamId: '$stats', type: '$statsCollected', position: pos(6n) }));
    sub.emit('data', resolvedEvent({ streamId: 'customer-b', position: pos(7n) }));
    sub.emit('caughtUp');
    expect((await page).map((e) => [e.streamId, e.position])).toEqual([['customer-b', '7/7']]);
    expect(sub.listenerCount('data')).toBe(0);
  });

  it('ends at maxCount events without waiting to catch up', async () => {
    const sub = subscription();
    const page = catchUpPage(sub, null, 2, 1000);
    for (const n of [1n, 2n, 3n]) sub.emit('data', resolvedEvent({ position: pos(n) }));
    expect((await page).map((e) => e.position)).toEqual(['1/1', '2/2']);
  });

  it('ends after a silence when the server never says it caught up (before 23.10)', async () => {
    const sub = subscription();
    const page = catchUpPage(sub, null, 10, 20);
    sub.emit('data', resolvedEvent({ position: pos(1n) }));
    expect(await page).toHaveLength(1);
  });

  it('rejects on an error or a drop before catching up (the track then resubscribes from its checkpoint)', async () => {
    const failed = subscription();
    const failing = catchUpPage(failed, null, 10, 1000);
    failed.emit('error', new Error('connection reset'));
    await expect(failing).rejects.toThrow('connection reset');
    const dropped = subscription();
    const dropping = catchUpPage(dropped, null, 10, 1000);
    dropped.emit('end');
    await expect(dropping).rejects.toMatchObject({ name: 'StoreUnavailableError' });
  });
});
