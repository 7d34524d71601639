import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Roles } from '../auth/auth.decorators';
import type { EventStore } from '../event-store/event-store.port';
import { EVENT_STORE } from '../event-store/event-store.token';
import { LedgerExportQueryDto } from './ledger-export-query.dto';
import { ledgerExportChunks } from './ledger-export';

/** The whole ledger for auditors: every stream's events in global order, the same lines as `ledger export`. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor')
@Controller('v1/events')
export class LedgerExportController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** NDJSON, one event per line with its `position`, read page by page: memory does not grow with the ledger. */
  @Get('export')
  async export(@Query() query: LedgerExportQueryDto, @Res() reply: FastifyReply) {
    const lines = Readable.from(ledgerExportChunks(this.store, { fromPosition: query.fromPosition ?? null, types: query.types ?? null }));
    return reply.type('application/x-ndjson').header('content-disposition', 'attachment; filename="ledger.ndjson"').send(lines);
  }
}
