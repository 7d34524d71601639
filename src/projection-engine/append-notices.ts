/**
 * Appends made by another thread, announced by it (the projection thread's worker hears of the
 * HTTP thread's commits this way). `alsoFor` gives an event store whose `onAppended` listeners hear
 * both its own appends and these announcements, so a projection track follows either at once.
 */
import type { EventStore } from '../event-store/event-store.port';

export class AppendNotices {
  private readonly listeners = new Set<() => void>();

  /** Another thread committed appends. */
  announce(): void {
    for (const listener of this.listeners) listener();
  }

  alsoFor<S extends EventStore>(store: S): S {
    const listeners = this.listeners;
    return new Proxy(store, {
      get(target, property) {
        if (property === 'onAppended')
          return (listener: () => void) => {
            const own = target.onAppended(listener);
            listeners.add(listener);
            return () => {
              own();
              listeners.delete(listener);
            };
          };
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}
