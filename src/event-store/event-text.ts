/**
 * New events sent between threads as JSON text. Structured clone of an event's objects cost about
 * five times JSON.stringify of them (the demo generator's appends: 35 µs an event against 7), and a
 * store that keeps text (SQLite) writes the text as it came.
 */
import type { EventMetadata, NewEvent } from './event-store.port';

/** [type, data as JSON, metadata as JSON]. */
export type EventText = readonly [type: string, data: string, metadata: string];

export const toEventText = (event: NewEvent): EventText => [event.type, event.encoded?.data ?? JSON.stringify(event.data), event.encoded?.metadata ?? JSON.stringify(event.metadata)];

/** The event `toEventText` sent; its fields are decoded on first use. */
export const fromEventText = (text: EventText): NewEvent => new TextEvent(text);

class TextEvent implements NewEvent {
  readonly type: string;
  readonly encoded: { data: string; metadata: string };
  private decodedData: Record<string, unknown> | undefined;
  private decodedMetadata: EventMetadata | undefined;

  constructor([type, data, metadata]: EventText) {
    this.type = type;
    this.encoded = { data, metadata };
  }

  get data(): Record<string, unknown> {
    return (this.decodedData ??= JSON.parse(this.encoded.data) as Record<string, unknown>);
  }

  get metadata(): EventMetadata {
    return (this.decodedMetadata ??= JSON.parse(this.encoded.metadata) as EventMetadata);
  }
}
