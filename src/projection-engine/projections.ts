/**
 * What the service needs of the projections it runs (and of the process managers beside them):
 * where each stands, waiting for a position, their states, a rebuild, start and stop. Served by a
 * ProjectionEngine on the HTTP thread or by a ProjectionThread that runs the engine on a worker
 * thread (`PROJECTIONS_THREAD`). An abstract class, not an interface, so that Nest can inject it.
 */
import type { ProjectionDefinition, ProjectionDocument } from '../../projections/projection';
import type { ProcessManagerState, ProjectionState } from './projection-engine';

export abstract class Projections {
  abstract start(): Promise<void>;
  /** Flushes documents and checkpoints, then stops every track. */
  abstract stop(): Promise<void>;
  abstract definition(name: string): ProjectionDefinition<ProjectionDocument> | undefined;
  abstract rebuild(name: string): Promise<{ collection: string }>;
  abstract states(): Promise<ProjectionState[]>;
  abstract processManagerStates(): Promise<ProcessManagerState[]>;
  /** The collection readers of a projection use now (undefined: no such projection). */
  abstract collectionOf(name: string): Promise<string | undefined>;
  /** Where a projection stands (its checkpoint). */
  abstract positionOf(name: string): string | null;
  /** Resolves true once the projection has applied `position`, false after `timeoutMs`. */
  abstract waitFor(name: string, position: string, timeoutMs: number): Promise<boolean>;
}
