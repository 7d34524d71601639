/**
 * Group commit's queue, shared by the embedded stores: what is pushed during one turn of the event
 * loop is handed over together in the next check phase (setImmediate), so one transaction and one
 * fsync serve every request of the turn.
 */
export class TurnBatch<T> {
  private items: T[] = [];
  private scheduled = false;

  constructor(private readonly handle: (items: T[]) => void) {}

  push(item: T): void {
    this.items.push(item);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Hands over what is pending now (a store that closes commits it first). */
  flush(): void {
    this.scheduled = false;
    const items = this.items;
    this.items = [];
    if (items.length > 0) this.handle(items);
  }
}
