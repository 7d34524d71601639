import { AppendNotifier, type LiveSubscriptionHandlers } from '../../../src/event-store/eventstoredb/append-notifier';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Records every subscription the notifier opens, and lets a test drive it. */
function fakeSubscriptions() {
  const opened: Array<{ handlers: LiveSubscriptionHandlers; closed: boolean }> = [];
  const open = jest.fn((handlers: LiveSubscriptionHandlers) => {
    const entry = { handlers, closed: false };
    opened.push(entry);
    return {
      close: async () => {
        entry.closed = true;
      },
    };
  });
  return { opened, open, live: () => opened.filter((entry) => !entry.closed) };
}

describe('AppendNotifier', () => {
  it('opens one subscription for all listeners and closes it with the last', async () => {
    const subs = fakeSubscriptions();
    const notifier = new AppendNotifier(subs.open);
    expect(subs.open).not.toHaveBeenCalled();
    const offA = notifier.add(() => undefined);
    const offB = notifier.add(() => undefined);
    expect(subs.open).toHaveBeenCalledTimes(1);
    offA();
    expect(subs.live()).toHaveLength(1);
    offB();
    await tick();
    expect(subs.live()).toHaveLength(0);
    expect(notifier.active).toBe(false);
  });

  it('wakes every listener once for a burst of events', async () => {
    const subs = fakeSubscriptions();
    const notifier = new AppendNotifier(subs.open);
    const a = jest.fn();
    const b = jest.fn();
    notifier.add(a);
    notifier.add(b);
    const { handlers } = subs.opened[0];
    handlers.onEvent();
    handlers.onEvent();
    handlers.onEvent();
    await tick();
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    handlers.onEvent();
    await tick();
    expect(a).toHaveBeenCalledTimes(2);
    await notifier.close();
  });

  it('keeps waking the other listeners when one throws', async () => {
    const subs = fakeSubscriptions();
    const notifier = new AppendNotifier(subs.open);
    const good = jest.fn();
    notifier.add(() => {
      throw new Error('listener failed');
    });
    notifier.add(good);
    notifier.notify();
    await tick();
    expect(good).toHaveBeenCalledTimes(1);
    await notifier.close();
  });

  it('counts the same function added twice as two listeners', async () => {
    const subs = fakeSubscriptions();
    const notifier = new AppendNotifier(subs.open);
    const listener = jest.fn();
    const off1 = notifier.add(listener);
    notifier.add(listener);
    off1();
    off1();
    notifier.notify();
    await tick();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(subs.live()).toHaveLength(1);
    await notifier.close();
  });

  it('reopens a dropped subscription after a delay and then wakes listeners to catch up', async () => {
    const subs = fakeSubscriptions();
    const notifier = new AppendNotifier(subs.open, { resubscribeDelayMs: 10 });
    const listener = jest.fn();
    notifier.add(listener);
    subs.opened[0].handlers.onConfirmed();
    await tick();
    expect(listener).not.toHaveBeenCalled();

    subs.opened[0].handlers.onDropped(new Error('connection reset'));
    expect(subs.opened[0].closed).toBe(true);
    expect(subs.open).toHaveBeenCalledTimes(1);
    await wait(30);
    expect(subs.open).toHaveBeenCalledTimes(2);

    // Late callbacks of the dropped subscription are ignored.
    subs.opened[0].handlers.onEvent();
    subs.opened[0].handlers.onDropped();
    await tick();
    expect(listener).not.toHaveBeenCalled();

    subs.opened[1].handlers.onConfirmed();
    await tick();
    expect(listener).toHaveBeenCalledTimes(1);
    await notifier.close();
  });

  it('reopens after open() itself throws', async () => {
    let calls = 0;
    const notifier = new AppendNotifier(
      () => {
        calls++;
        if (calls === 1) throw new Error('cannot subscribe');
        return { close: async () => undefined };
      },
      { resubscribeDelayMs: 5 },
    );
    notifier.add(() => undefined);
    expect(calls).toBe(1);
    await wait(25);
    expect(calls).toBe(2);
    await notifier.close();
  });

  it('does not reopen once the last listener is gone', async () => {
    const subs = fakeSubscriptions();
    const notifier = new AppendNotifier(subs.open, { resubscribeDelayMs: 5 });
    const off = notifier.add(() => undefined);
    subs.opened[0].handlers.onDropped();
    off();
    await wait(25);
    expect(subs.open).toHaveBeenCalledTimes(1);
    expect(notifier.active).toBe(false);
  });

  it('close() stops the subscription and ignores later listeners', async () => {
    const subs = fakeSubscriptions();
    const notifier = new AppendNotifier(subs.open);
    const listener = jest.fn();
    notifier.add(listener);
    await notifier.close();
    expect(subs.live()).toHaveLength(0);
    notifier.add(jest.fn())();
    notifier.notify();
    await tick();
    expect(listener).not.toHaveBeenCalled();
    expect(subs.open).toHaveBeenCalledTimes(1);
  });
});
