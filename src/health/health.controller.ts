import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExtraModels, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import type { EventStore } from '../event-store/event-store.port';
import { EVENT_STORE } from '../event-store/event-store.token';
import { ProjectionEngine } from '../projection-engine/projection-engine';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import { READ_MODEL_STORE } from '../read-store/read-model-store.token';
import type { PersonalDataVault } from '../privacy/personal-data-vault';
import { PERSONAL_DATA_VAULT } from '../privacy/personal-data-vault.token';
import { ApiRoute } from '../http/openapi';
import { HealthDto, ProjectionHealthDto } from './health.dto';

type Check = 'up' | 'down';

const check = (ping: () => Promise<void>): Promise<Check> => ping().then(() => 'up' as const, () => 'down' as const);

/**
 * Liveness and store health, open to anyone (load balancers, compose healthchecks). A store that is
 * down makes it 503; a failed projection is reported but keeps the service up (commands still work).
 */
@ApiTags('operations')
@ApiExtraModels(ProjectionHealthDto)
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readStore: ReadModelStore,
    @Inject(ProjectionEngine) private readonly engine: ProjectionEngine | null,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  @Get()
  @Public()
  @ApiRoute({ operationId: 'getHealth', summary: 'Liveness and store health (no key needed)', type: HealthDto, also: [{ status: 503, description: 'a store is down (status error)' }] })
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const [eventStore, readStore, keyStore] = await Promise.all([check(() => this.eventStore.ping()), check(() => this.readStore.ping()), check(() => this.vault.ping())]);
    const projections = this.engine ? (await this.engine.states().catch(() => [])).map(({ name, status, lag, error }) => ({ name, status, lag, ...(error ? { error } : {}) })) : 'external';
    const ok = eventStore === 'up' && readStore === 'up' && keyStore === 'up';
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'error', eventStore, readStore, keyStore, projections };
  }
}
