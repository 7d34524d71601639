/**
 * One page of the global log from a catch-up subscription to `$all`: the projection source on
 * EventStoreDB. The subscription filters on the server (the 6.x client's readAll takes no filter);
 * the page ends at `maxCount` events, when the subscription reports it has caught up, or after
 * `idleMs` without news (servers older than 23.10 send no caught-up). A drop before that rejects:
 * the projection track then subscribes again from its last checkpoint.
 */
import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import { type RecordedEvent } from '../event-store.port';
import { StoreUnavailableError } from '../../shared/store-unavailable';
import type { LogPosition } from '../position';
import { isLedgerEvent } from './esdb-filter';
import { compareEsdbPositions, toRecordedEvent } from './esdb-mapping';

export function catchUpPage(subscription: AllStreamSubscription, after: LogPosition | null, maxCount: number, idleMs: number): Promise<RecordedEvent[]> {
  const page: RecordedEvent[] = [];
  return new Promise<RecordedEvent[]>((resolve, reject) => {
    let idle: NodeJS.Timeout | undefined;
    const finish = (error?: unknown) => {
      clearTimeout(idle);
      subscription.off('data', onData).off('caughtUp', onCaughtUp).off('error', onError).off('end', onEnd).off('close', onEnd);
      if (error === undefined) resolve(page);
      else reject(error);
    };
    const wait = () => {
      clearTimeout(idle);
      idle = setTimeout(() => finish(), idleMs);
    };
    const onData = (resolved: AllStreamResolvedEvent) => {
      wait();
      const record = resolved.event ?? resolved.link;
      // A subscription from a position may repeat the event at it; the page starts strictly after.
      if (!record || (after && compareEsdbPositions(record.position, after) <= 0) || !isLedgerEvent(record)) return;
      page.push(toRecordedEvent(resolved));
      if (page.length >= maxCount) finish();
    };
    const onCaughtUp = () => finish();
    const onError = (error: Error) => finish(error);
    const onEnd = () => finish(new StoreUnavailableError('the subscription to $all ended before it caught up'));
    subscription.on('data', onData).on('caughtUp', onCaughtUp).on('error', onError).on('end', onEnd).on('close', onEnd);
    wait();
  });
}
