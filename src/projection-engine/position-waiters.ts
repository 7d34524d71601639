/** Readers waiting for a projection to reach a position, told whenever the projections move. */
import { comparePositions } from '../event-store/position';

export class PositionWaiters {
  private readonly waiters = new Set<() => void>();

  /** Resolves true once `at()` has reached `position`, false after `timeoutMs`. */
  waitFor(at: () => string | null, position: string, timeoutMs: number): Promise<boolean> {
    const reached = () => {
      const current = at();
      return current !== null && comparePositions(current, position) >= 0;
    };
    if (reached()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (reached()) finish(true);
      };
      const timer = setTimeout(() => finish(reached()), timeoutMs);
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(result);
      };
      this.waiters.add(check);
    });
  }

  /** The projections moved: every waiter looks again. */
  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
