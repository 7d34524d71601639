/** A small seeded PRNG (mulberry32) and the draws the demo network needs: the same seed, the same ledger. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** An item drawn with probability proportional to its weight; null when every weight is 0. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T | null {
    const weights = items.map(weight);
    let left = this.next() * weights.reduce((sum, w) => sum + w, 0);
    for (let i = 0; i < items.length; i++) if (weights[i] > 0 && (left -= weights[i]) < 0) return items[i];
    return null;
  }

  /** Exponentially distributed with this mean (waiting times between a customer's actions). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Log-normally distributed around `median` (spend per purchase): most near it, a long tail above. */
  logNormal(median: number, sigma: number): number {
    const normal = Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
    return median * Math.exp(sigma * normal);
  }

  digits(count: number): string {
    let text = '';
    for (let i = 0; i < count; i++) text += String(this.int(0, 9));
    return text;
  }
}
