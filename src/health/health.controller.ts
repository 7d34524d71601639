import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import type { EventStore } from '../event-store/event-store.port';
import { EVENT_STORE } from '../event-store/event-store.token';

type Check = 'up' | 'down';

const check = (ping: () => Promise<void>): Promise<Check> => ping().then(() => 'up' as const, () => 'down' as const);

/** Liveness and store health, open to anyone (load balancers, compose healthchecks). */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  @Get()
  @Public()
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const eventStore = await check(() => this.eventStore.ping());
    const ok = eventStore === 'up';
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'error', eventStore };
  }
}
