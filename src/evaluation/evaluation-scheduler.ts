/** Runs batch evaluation every EVALUATION_INTERVAL_MINUTES in the process that runs the projections (0 = off). */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BatchEvaluation, EvaluationRunningError } from './batch-evaluation';

export const EVALUATION_INTERVAL_MS = Symbol('EVALUATION_INTERVAL_MS');

@Injectable()
export class EvaluationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EvaluationScheduler');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly batch: BatchEvaluation,
    @Inject(EVALUATION_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    try {
      await this.batch.start(new Date().toISOString());
    } catch (error) {
      if (!(error instanceof EvaluationRunningError)) this.logger.warn(`scheduled evaluation did not start: ${(error as Error).message}`);
    }
  }
}
