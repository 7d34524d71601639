import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import { ApiExtraModels, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { DEFAULT_READY_MAX_LAG } from '../config/config';
import type { EventStore } from '../event-store/event-store.port';
import { EVENT_STORE } from '../event-store/event-store.token';
import { Projections } from '../projection-engine/projections';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import { READ_MODEL_STORE } from '../read-store/read-model-store.token';
import type { PersonalDataVault } from '../privacy/personal-data-vault';
import { PERSONAL_DATA_VAULT } from '../privacy/personal-data-vault.token';
import { READY_MAX_LAG } from './health.tokens';
import { readiness, timed } from './readiness';
import { ApiRoute } from '../http/openapi';
import { HealthDto, LiveDto, ProjectionHealthDto, ReadinessDto } from './health.dto';

/**
 * Health, open to anyone (load balancers, orchestrators, compose healthchecks):
 * - `/health/live`: the process answers (restart it when this fails);
 * - `/health/ready`: it can serve now (route traffic to it only while this is 200), see readiness.ts;
 * - `/health`: the stores' state in its first shape. A store that cannot be written or read makes it
 *   503; a failed projection is reported but keeps it 200 (commands still work).
 */
@ApiTags('operations')
@ApiExtraModels(ProjectionHealthDto)
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readStore: ReadModelStore,
    @Inject(Projections) private readonly engine: Projections | null,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Optional() @Inject(READY_MAX_LAG) private readonly readyMaxLag: number = DEFAULT_READY_MAX_LAG,
  ) {}

  @Get()
  @Public()
  @ApiRoute({ operationId: 'getHealth', summary: 'Liveness and store health (no key needed)', type: HealthDto, also: [{ status: 503, description: 'a store is down (status error)' }] })
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const [{ checks }, projections] = await Promise.all([
      readiness({ eventStore: this.eventStore, readStore: this.readStore, vault: this.vault, engine: null }, this.readyMaxLag),
      this.engine ? this.projectionList() : Promise.resolve('external' as const),
    ]);
    const [eventStore, readStore, keyStore] = [checks.eventStore, checks.readStore, checks.keyStore].map((check) => (check.ok ? ('up' as const) : ('down' as const)));
    const ok = eventStore === 'up' && readStore === 'up' && keyStore === 'up';
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'error', eventStore, readStore, keyStore, projections };
  }

  @Get('live')
  @Public()
  @ApiRoute({ operationId: 'getLiveness', summary: 'Liveness: the process answers (no key needed)', type: LiveDto })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiRoute({ operationId: 'getReadiness', summary: 'Readiness: each store can be written and read now, projections not failed nor too far behind (no key needed)', type: ReadinessDto, also: [{ status: 503, description: 'not ready: the failing checks say why' }] })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const { ok, checks } = await readiness({ eventStore: this.eventStore, readStore: this.readStore, vault: this.vault, engine: this.engine }, this.readyMaxLag);
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'error', checks };
  }

  private async projectionList() {
    let list: { name: string; status: string; lag: number | null; error?: string }[] = [];
    const listed = await timed(async () => {
      list = (await this.engine!.states()).map(({ name, status, lag, error }) => ({ name, status, lag, ...(error ? { error } : {}) }));
    });
    return listed.ok ? list : [];
  }
}
