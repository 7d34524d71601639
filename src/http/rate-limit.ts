/** Per-API-key token buckets: `perSecond` tokens refill each second, up to `burst`; one request takes one. */
export interface RateLimitOptions {
  /** 0 turns limiting off. */
  perSecond: number;
  burst: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get enabled(): boolean {
    return this.options.perSecond > 0;
  }

  /**
   * Takes a token from `key`'s bucket: 0 when the request may go, otherwise the whole seconds to wait
   * before the next token (for Retry-After). Buckets exist per configured key, so the map stays small.
   */
  take(key: string): number {
    if (!this.enabled) return 0;
    const { perSecond, burst } = this.options;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  }
}
