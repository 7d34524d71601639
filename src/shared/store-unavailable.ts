/** Thrown by any store (event store, read store, key store) that cannot be reached or answered with a transient fault; nothing was written. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
