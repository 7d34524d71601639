/** Recorded events as projections see them. */
import { isCustomerStream, toCustomerEvent } from '../event-store/customer-stream';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { ProjectionEvent } from '../../projections/projection';

/** The projection view of a recorded customer event, or null for other streams and unknown types. */
export function toProjectionEvent(recorded: RecordedEvent): ProjectionEvent | null {
  if (!isCustomerStream(recorded.streamId)) return null;
  const event = toCustomerEvent(recorded);
  if (!event) return null;
  return { type: event.type, data: event.data, streamId: recorded.streamId, revision: Number(recorded.revision), position: recorded.position, recordedAt: recorded.recordedAt } as ProjectionEvent;
}
