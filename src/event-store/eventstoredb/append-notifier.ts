/**
 * One live subscription shared by every `onAppended` listener: opened with the first listener,
 * reopened after a delay when it drops, closed with the last listener. Calls are coalesced: a burst
 * of events wakes each listener once.
 */

export interface LiveSubscriptionHandlers {
  /** An event arrived. */
  onEvent(): void;
  /** The server confirmed the subscription. */
  onConfirmed(): void;
  /** The subscription failed or ended. */
  onDropped(error?: unknown): void;
}

export interface LiveSubscription {
  close(): Promise<void>;
}

export type OpenLiveSubscription = (handlers: LiveSubscriptionHandlers) => LiveSubscription;

export interface AppendNotifierOptions {
  /** Delay before the first reopening after a drop; doubles up to maxResubscribeDelayMs (defaults 1 s, 30 s). */
  resubscribeDelayMs?: number;
  maxResubscribeDelayMs?: number;
}

export class AppendNotifier {
  private readonly listeners = new Set<() => void>();
  private subscription: LiveSubscription | null = null;
  /** Bumped whenever a subscription is abandoned, so its late callbacks are ignored. */
  private generation = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private notifyScheduled = false;
  private closed = false;

  constructor(
    private readonly open: OpenLiveSubscription,
    private readonly options: AppendNotifierOptions = {},
  ) {}

  get active(): boolean {
    return this.subscription !== null || this.retryTimer !== null;
  }

  /** Adds a listener; the returned function removes it (once, however often it is called). */
  add(listener: () => void): () => void {
    if (this.closed) return () => undefined;
    const entry = () => listener();
    this.listeners.add(entry);
    if (this.listeners.size === 1) this.start(false);
    let registered = true;
    return () => {
      if (!registered) return;
      registered = false;
      this.listeners.delete(entry);
      if (this.listeners.size === 0) void this.stop();
    };
  }

  /** Wakes every listener once, soon (several calls before then make one wake-up). */
  notify(): void {
    if (this.notifyScheduled || this.listeners.size === 0) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      for (const listener of [...this.listeners]) {
        try {
          listener();
        } catch {
          // A listener's failure is its own; the others still hear of the append.
        }
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.stop();
  }

  private start(reopened: boolean): void {
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.closed;
    try {
      const subscription = this.open({
        onEvent: () => {
          if (current()) this.notify();
        },
        onConfirmed: () => {
          if (!current()) return;
          this.failures = 0;
          // Events appended while the subscription was down were not seen: let listeners catch up.
          if (reopened) this.notify();
        },
        onDropped: () => {
          if (current()) this.reopenLater();
        },
      });
      // Dropped before open() returned: the reopening is already scheduled.
      if (current()) this.subscription = subscription;
      else void subscription.close().catch(() => undefined);
    } catch {
      if (current()) this.reopenLater();
    }
  }

  private reopenLater(): void {
    this.abandon();
    const base = this.options.resubscribeDelayMs ?? 1000;
    const max = this.options.maxResubscribeDelayMs ?? 30_000;
    const delay = Math.min(base * 2 ** this.failures, max);
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed && this.listeners.size > 0) this.start(true);
    }, delay);
    this.retryTimer.unref();
  }

  private async stop(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.failures = 0;
    await this.abandon();
  }

  private abandon(): Promise<void> {
    this.generation++;
    const subscription = this.subscription;
    this.subscription = null;
    return subscription ? subscription.close().catch(() => undefined) : Promise.resolve();
  }
}
