import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import type { EventStore } from '../event-store/event-store.port';
import { EVENT_STORE } from '../event-store/event-store.token';
import { Projections } from '../projection-engine/projections';
import { Metrics } from './metrics';
import { ApiRoute } from '../http/openapi';

const STATUSES = ['running', 'rebuilding', 'stopped', 'failed'] as const;

/** Prometheus text: request rates and latency, appends, events stored, projection lag and status. */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('admin')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(Projections) private readonly engine: Projections | null,
  ) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiRoute({ operationId: 'getMetrics', summary: 'Prometheus metrics: requests, appends, events stored, projection lag and status', content: { mediaType: 'text/plain', schema: { type: 'string', description: 'Prometheus text format 0.0.4' }, example: 'ledger_events_stored 1200\n' } })
  async render(): Promise<string> {
    const lines = [await this.metrics.registry.metrics()];
    const stored = await this.eventStore.countEventsAfter(null).catch(() => null);
    if (stored !== null) lines.push('# HELP ledger_events_stored Events in the store', '# TYPE ledger_events_stored gauge', `ledger_events_stored ${stored}`);
    const states = this.engine ? await this.engine.states().catch(() => []) : [];
    if (states.length > 0) {
      lines.push('# HELP ledger_projection_lag_events Events a projection is behind the head', '# TYPE ledger_projection_lag_events gauge');
      for (const { name, collection, lag } of states) if (lag !== null) lines.push(`ledger_projection_lag_events{projection="${name}",collection="${collection}"} ${lag}`);
      lines.push('# HELP ledger_projection_status 1 for the status a projection is in', '# TYPE ledger_projection_status gauge');
      for (const { name, collection, status } of states) for (const s of STATUSES) lines.push(`ledger_projection_status{projection="${name}",collection="${collection}",status="${s}"} ${status === s ? 1 : 0}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
