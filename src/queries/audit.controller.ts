import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Roles } from '../auth/auth.decorators';
import { customerStream } from '../event-store/customer-stream';
import type { EventStore } from '../event-store/event-store.port';
import { EVENT_STORE } from '../event-store/event-store.token';
import { verifyChain } from '../event-store/hash-chain';
import { canonicalInstant } from '../http/instant';
import { CustomerIdParam } from '../http/params';
import { ProblemError } from '../http/problem';
import { HistoryQueryDto, StateQueryDto } from './audit-query.dto';
import { auditView, exportLines, foldHistory } from './audit-reads';
import { publicState } from './public-state';
import { ApiRoute } from '../http/openapi';
import { ChainVerificationDto, HistoryDto, StateAtDto } from './dto/audit.dto';

/** Auditors' routes: the full history with metadata, state at a past moment, integrity, export. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor')
@Controller('v1/customers/:customerId')
export class AuditController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('events')
  @ApiRoute({ operationId: 'getHistory', summary: "The customer's events with their metadata, in stream order", type: HistoryDto, errors: ['CUSTOMER_NOT_FOUND', 'VALIDATION_FAILED', 'STORE_UNAVAILABLE'] })
  async history(@CustomerIdParam() customerId: string, @Query() query: HistoryQueryDto) {
    const limit = query.limit ?? 1000;
    const fromRevision = BigInt(query.fromRevision ?? 0);
    await this.requireCustomer(customerId);
    const events: ReturnType<typeof auditView>[] = [];
    for await (const event of this.store.readStream(customerStream(customerId), { fromRevision, maxCount: limit + 1 })) events.push(auditView(event));
    const more = events.length > limit;
    return { customerId, events: events.slice(0, limit), ...(more ? { nextRevision: events[limit].revision } : {}) };
  }

  @Get('state')
  @ApiRoute({ operationId: 'getStateAt', summary: "The customer's state as of a business time, a ledger time or a revision", type: StateAtDto, errors: ['CUSTOMER_NOT_FOUND', 'VALIDATION_FAILED', 'STORE_UNAVAILABLE'] })
  async state(@CustomerIdParam() customerId: string, @Query() query: StateQueryDto) {
    if ((query.asOf !== undefined || query.knownAt !== undefined) && query.revision !== undefined)
      throw new ProblemError(400, 'VALIDATION_FAILED', 'give asOf and/or knownAt, or revision, not both', [{ field: 'revision', message: 'not with asOf or knownAt' }]);
    await this.requireCustomer(customerId);
    const asOf = query.asOf === undefined ? null : canonicalInstant(query.asOf);
    const knownAt = query.knownAt === undefined ? null : canonicalInstant(query.knownAt);
    const { revision, state } = await foldHistory(this.store, customerStream(customerId), {
      ...(asOf === null ? {} : { asOf }),
      ...(knownAt === null ? {} : { knownAt }),
      ...(query.revision === undefined ? {} : { revision: BigInt(query.revision) }),
    });
    if (query.revision !== undefined && (revision === null || revision < query.revision)) {
      const detail = `revision ${query.revision} is beyond the head of customer ${customerId}'s history (revision ${revision ?? 'none'})`;
      throw new ProblemError(400, 'VALIDATION_FAILED', detail, [{ field: 'revision', message: detail }]);
    }
    return { customerId, revision, asOf, knownAt, state: publicState(state) };
  }

  @Get('events/verify')
  @ApiRoute({ operationId: 'verifyHistory', summary: "Recompute the customer stream's hash chain", type: ChainVerificationDto, errors: ['CUSTOMER_NOT_FOUND', 'VALIDATION_FAILED', 'STORE_UNAVAILABLE'] })
  async verify(@CustomerIdParam() customerId: string) {
    await this.requireCustomer(customerId);
    return verifyChain(this.store.readStream(customerStream(customerId)));
  }

  /** NDJSON, one event per line, read page by page: memory does not grow with the history. */
  @Get('events/export')
  @ApiRoute({ operationId: 'exportHistory', summary: "The customer's events as NDJSON (attachment customer-<id>.ndjson)", content: { mediaType: 'application/x-ndjson', schema: { type: 'string', description: 'one event a line: {"revision", "position", "type", "data", "metadata"}' }, example: '{"revision":0,"position":"1/1","type":"CustomerRegistered","data":{},"metadata":{}}\n' }, errors: ['CUSTOMER_NOT_FOUND', 'VALIDATION_FAILED', 'STORE_UNAVAILABLE'] })
  async export(@CustomerIdParam() customerId: string, @Res() reply: FastifyReply) {
    await this.requireCustomer(customerId);
    const lines = Readable.from(exportLines(this.store, customerStream(customerId)));
    return reply.type('application/x-ndjson').header('content-disposition', `attachment; filename="customer-${customerId}.ndjson"`).send(lines);
  }

  private async requireCustomer(customerId: string): Promise<void> {
    for await (const _ of this.store.readStream(customerStream(customerId), { maxCount: 1 })) return;
    throw new ProblemError(404, 'CUSTOMER_NOT_FOUND', `customer ${customerId} has no history`);
  }
}
