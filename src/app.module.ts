import { DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeys } from './auth/api-keys';
import { CustomerCommandsController } from './commands/customer-commands.controller';
import { LoyaltyCommandsController } from './commands/loyalty-commands.controller';
import { PrivacyCommandsController } from './commands/privacy-commands.controller';
import { ReferralCommandsController } from './commands/referral-commands.controller';
import { BatchEvaluation } from './evaluation/batch-evaluation';
import { EVALUATION_INTERVAL_MS, EvaluationScheduler } from './evaluation/evaluation-scheduler';
import { EvaluationsController } from './evaluation/evaluations.controller';
import { CommandBusHandler, ExecuteCustomerCommandHandler } from './commands/execute-customer-command';
import type { EventStore } from './event-store/event-store.port';
import { EVENT_STORE } from './event-store/event-store.token';
import { HealthController } from './health/health.controller';
import { ProblemTypesController } from './http/problem-types.controller';
import type { IdempotencyClaimStore } from './idempotency/idempotency-claim-store.port';
import { IDEMPOTENCY_CLAIMS } from './idempotency/idempotency-claim-store.token';
import { READY_MAX_LAG } from './health/health.tokens';
import { DEFAULT_READY_MAX_LAG } from './config/config';
import { DEFAULT_EDGE_OPTIONS, EDGE_OPTIONS, type EdgeOptions } from './http/edge-options';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { Projections } from './projection-engine/projections';
import { ReadModels } from './projection-engine/read-models';
import { AnalyticsController } from './queries/analytics.controller';
import { AuditController } from './queries/audit.controller';
import { LedgerExportThreads } from './queries/export-thread';
import { LedgerExportController } from './queries/ledger-export.controller';
import { ProjectionsController } from './queries/projections.controller';
import { ReadModelsController } from './queries/read-models.controller';
import type { Rules } from './customer/rules';
import { RULES } from './commands/rules.token';
import type { PersonalDataVault } from './privacy/personal-data-vault';
import { PERSONAL_DATA_VAULT } from './privacy/personal-data-vault.token';
import type { ReadModelStore } from './read-store/read-model-store.port';
import { READ_MODEL_STORE } from './read-store/read-model-store.token';

/** What the app runs on, opened before Nest starts so configuration errors surface as one line. */
export interface AppRuntime {
  eventStore: EventStore;
  readStore: ReadModelStore;
  apiKeys: ApiKeys;
  rules: Rules;
  evaluationIntervalMinutes: number;
  /** The data keys that seal and open personal data. */
  vault: PersonalDataVault;
  /** The projections and process managers, when this process runs them. */
  engine: Projections | null;
  /** The one command pipeline of the process (the process managers send through it too). */
  commands: ExecuteCustomerCommandHandler;
  metrics: Metrics;
  /** Who used each Idempotency-Key first, per API key. */
  idempotencyClaims: IdempotencyClaimStore;
  /** READY_MAX_LAG; the default when absent. */
  readyMaxLag?: number;
  /** Whole-ledger exports, each on a thread of its own. */
  ledgerExports: LedgerExportThreads;
}

/** Stops a batch evaluation and the projections, then closes the stores, when the app shuts down. */
@Injectable()
class RuntimeShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readStore: ReadModelStore,
    @Inject(Projections) private readonly engine: Projections | null,
    @Inject(IDEMPOTENCY_CLAIMS) private readonly idempotencyClaims: IdempotencyClaimStore,
    private readonly evaluation: BatchEvaluation,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // Nest runs the shutdown hooks of a module together: a running batch evaluation is stopped (between customers) before the stores close under it.
    await this.evaluation.onApplicationShutdown();
    await this.engine?.stop();
    await Promise.all([this.eventStore.close(), this.readStore.close(), this.idempotencyClaims.close()]);
  }
}

@Module({})
export class AppModule {
  static forRoot(runtime: AppRuntime, edge: EdgeOptions = DEFAULT_EDGE_OPTIONS): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [CustomerCommandsController, LoyaltyCommandsController, ReferralCommandsController, PrivacyCommandsController, EvaluationsController, AuditController, LedgerExportController, ReadModelsController, AnalyticsController, ProjectionsController, HealthController, MetricsController, ProblemTypesController],
      providers: [
        { provide: EVENT_STORE, useValue: runtime.eventStore },
        { provide: READ_MODEL_STORE, useValue: runtime.readStore },
        { provide: LedgerExportThreads, useValue: runtime.ledgerExports },
        { provide: Projections, useValue: runtime.engine },
        { provide: ReadModels, useValue: new ReadModels(runtime.readStore, runtime.engine) },
        { provide: ApiKeys, useValue: runtime.apiKeys },
        { provide: RULES, useValue: runtime.rules },
        { provide: PERSONAL_DATA_VAULT, useValue: runtime.vault },
        { provide: IDEMPOTENCY_CLAIMS, useValue: runtime.idempotencyClaims },
        { provide: READY_MAX_LAG, useValue: runtime.readyMaxLag ?? DEFAULT_READY_MAX_LAG },
        { provide: EVALUATION_INTERVAL_MS, useValue: runtime.engine ? runtime.evaluationIntervalMinutes * 60_000 : 0 },
        BatchEvaluation,
        EvaluationScheduler,
        { provide: EDGE_OPTIONS, useValue: edge },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: Metrics, useValue: runtime.metrics },
        { provide: ExecuteCustomerCommandHandler, useValue: runtime.commands },
        CommandBusHandler,
        RuntimeShutdown,
      ],
    };
  }
}
