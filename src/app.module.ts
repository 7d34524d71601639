import { DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeys } from './auth/api-keys';
import { CustomerCommandsController } from './commands/customer-commands.controller';
import { ExecuteCustomerCommandHandler } from './commands/execute-customer-command';
import type { EventStore } from './event-store/event-store.port';
import { EVENT_STORE } from './event-store/event-store.token';
import { HealthController } from './health/health.controller';
import { AuditController } from './queries/audit.controller';

/** What the app runs on, opened before Nest starts so configuration errors surface as one line. */
export interface AppRuntime {
  eventStore: EventStore;
  apiKeys: ApiKeys;
}

@Injectable()
class StoresShutdown implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.eventStore.close();
  }
}

@Module({})
export class AppModule {
  static forRoot(runtime: AppRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [CustomerCommandsController, AuditController, HealthController],
      providers: [
        { provide: EVENT_STORE, useValue: runtime.eventStore },
        { provide: ApiKeys, useValue: runtime.apiKeys },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        ExecuteCustomerCommandHandler,
        StoresShutdown,
      ],
    };
  }
}
