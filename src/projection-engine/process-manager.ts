/**
 * What a process manager is: a subscription on the global log that turns events into commands.
 * `react` is pure, like a projection's `apply`: the commands and their ids are functions of the
 * triggering event alone, so a rerun after a crash sends the very same commands with the same ids.
 */
import type { ProjectionEvent } from '../../projections/projection';
import type { CustomerCommand } from '../customer/commands';
import type { CustomerEventType } from '../customer/events';
import { nameBasedEventId } from '../event-store/event-id';

export interface Reaction {
  command: CustomerCommand;
  /** Deterministic: derived from the triggering event (reactionId), never random or clock-based. */
  commandId: string;
}

export interface ProcessManagerDefinition {
  /** Stable name: its checkpoint is `pm:<name>`, its commands' actor `process-manager:<name>`. */
  name: string;
  /** Event types it reacts to; others never reach `react`. */
  handles: readonly CustomerEventType[];
  /** The commands an event calls for. Pure: no I/O, no clock; the same event always gives the same reactions. */
  react(event: ProjectionEvent): Reaction[];
}

/** The command id of the `index`-th reaction of process manager `name` to an event (a UUIDv5 of where the event is). */
export const reactionId = (name: string, event: Pick<ProjectionEvent, 'streamId' | 'revision'>, index = 0): string =>
  nameBasedEventId(`process-manager\u0000${name}\u0000${event.streamId}\u0000${event.revision}\u0000${index}`);
