/**
 * What readers need of the projections: which collection to read, where it stands, and waiting for
 * a position. Served by the in-process engine, or from the read store when the projector runs apart.
 */
import { comparePositions } from '../event-store/position';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import { activeCollection } from './collections';
import type { Projections } from './projections';

const POLL_MS = 25;

export class ReadModels {
  constructor(
    private readonly store: ReadModelStore,
    private readonly engine: Projections | null,
  ) {}

  async collectionOf(projection: string): Promise<string> {
    return (await this.engine?.collectionOf(projection)) ?? activeCollection(this.store, projection);
  }

  async positionOf(projection: string): Promise<string | null> {
    if (this.engine) return this.engine.positionOf(projection);
    return this.store.getCheckpoint(await this.collectionOf(projection));
  }

  /**
   * Waits until the projection has applied `position`, at most `timeoutMs`; tells whether it got
   * there and the position the projection stands at (null before its first event).
   */
  async waitFor(projection: string, position: string, timeoutMs: number): Promise<{ reached: boolean; position: string | null }> {
    if (this.engine) {
      const reached = await this.engine.waitFor(projection, position, timeoutMs);
      return { reached, position: this.engine.positionOf(projection) };
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = await this.positionOf(projection);
      if (at !== null && comparePositions(at, position) >= 0) return { reached: true, position: at };
      if (Date.now() >= deadline) return { reached: false, position: at };
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
