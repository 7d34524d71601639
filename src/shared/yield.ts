/** Lets timers and I/O run: the embedded stores answer synchronously, so awaiting them alone never does. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
