import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { LedgerExportQueryDto } from './ledger-export-query.dto';
import { LedgerExportThreads } from './export-thread';
import { ApiRoute } from '../http/openapi';

/** The whole ledger for auditors: every stream's events in global order, the same lines as `ledger export`. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor')
@Controller('v1/events')
export class LedgerExportController {
  constructor(@Inject(LedgerExportThreads) private readonly exports: LedgerExportThreads) {}

  /**
   * NDJSON, one event per line with its `position`, read page by page on a thread of its own
   * (export-thread.ts): memory does not grow with the ledger, and this thread only writes the chunks.
   * A store that cannot be read before the first line is a 503 problem; later, the response is cut.
   */
  @Get('export')
  @ApiRoute({ operationId: 'exportLedger', summary: 'The whole ledger as NDJSON in global order (attachment ledger.ndjson)', content: { mediaType: 'application/x-ndjson', schema: { type: 'string', description: 'one event a line: {"position", "streamId", "revision", "type", …}, the same lines as `ledger export`' }, example: '{"position":"1/1","streamId":"customer-c-1001","revision":0,"type":"CustomerRegistered"}\n' }, errors: ['VALIDATION_FAILED', 'STORE_UNAVAILABLE'] })
  async export(@Query() query: LedgerExportQueryDto, @Res() reply: FastifyReply) {
    const run = await this.exports.start({ fromPosition: query.fromPosition ?? null, types: query.types ?? null });
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'content-disposition': 'attachment; filename="ledger.ndjson"' });
    await run.writeTo(reply.raw).catch(() => undefined);
  }
}
