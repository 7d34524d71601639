import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Roles } from '../auth/auth.decorators';
import type { EventStore } from '../event-store/event-store.port';
import { EVENT_STORE } from '../event-store/event-store.token';
import { LedgerExportQueryDto } from './ledger-export-query.dto';
import { ledgerExportChunks } from './ledger-export';
import { ApiRoute } from '../http/openapi';

/** The whole ledger for auditors: every stream's events in global order, the same lines as `ledger export`. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor')
@Controller('v1/events')
export class LedgerExportController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** NDJSON, one event per line with its `position`, read page by page: memory does not grow with the ledger. */
  @Get('export')
  @ApiRoute({ operationId: 'exportLedger', summary: 'The whole ledger as NDJSON in global order (attachment ledger.ndjson)', content: { mediaType: 'application/x-ndjson', schema: { type: 'string', description: 'one event a line: {"position", "streamId", "revision", "type", …}, the same lines as `ledger export`' }, example: '{"position":"1/1","streamId":"customer-c-1001","revision":0,"type":"CustomerRegistered"}\n' }, errors: ['VALIDATION_FAILED', 'STORE_UNAVAILABLE'] })
  async export(@Query() query: LedgerExportQueryDto, @Res() reply: FastifyReply) {
    const lines = Readable.from(ledgerExportChunks(this.store, { fromPosition: query.fromPosition ?? null, types: query.types ?? null }));
    return reply.type('application/x-ndjson').header('content-disposition', 'attachment; filename="ledger.ndjson"').send(lines);
  }
}
