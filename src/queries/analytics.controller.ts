import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PROJECTIONS } from '../../projections';
import type { CustomerProfile } from '../../projections/customer-profiles.projection';
import type { OutletActivityDocument } from '../../projections/outlet-activity.projection';
import { Roles } from '../auth/auth.decorators';
import { addDays } from '../customer/time';
import { EDGE_OPTIONS, type EdgeOptions } from '../http/edge-options';
import { canonicalInstant } from '../http/instant';
import { ProblemError } from '../http/problem';
import { ReadModels } from '../projection-engine/read-models';
import { AGGREGATION_FAILED, AggregateInputTooLargeError } from '../read-store/sqlite/query-executor';
import type { ReadModelStore } from '../read-store/read-model-store.port';
import { READ_MODEL_STORE } from '../read-store/read-model-store.token';
import { AggregateBodyDto, OutletAnalyticsQueryDto, RfmQueryDto } from './analytics-query.dto';
import { summarizeOutlets } from './outlet-analytics';
import { checkPipeline, UnsafePipelineError } from './pipeline-guard';
import { ConsistencyQueryDto } from './read-model-query.dto';
import { rfmReport } from './rfm';
import { ApiRoute } from '../http/openapi';
import { AggregateResultDto, OutletSummaryDto, RfmReportDto } from './dto/analytics.dto';

/** At most this many documents an aggregation answers (more: the first ones and `truncated: true`). */
export const MAX_AGGREGATE_RESULTS = 10_000;

/** Outlet ranking, RFM segmentation and analysts' aggregations, computed from the read models. */
@ApiTags('analytics')
@ApiBearerAuth()
@Roles('analyst')
@Controller('v1')
export class AnalyticsController {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly readModels: ReadModels,
    @Inject(EDGE_OPTIONS) private readonly edge: EdgeOptions,
  ) {}

  /** outlet_activity days in [from, to] (local business dates) summed per outlet, by net sales descending, with ABC classes. */
  @Get('analytics/outlets')
  @ApiRoute({ operationId: 'getOutletAnalytics', summary: 'Outlets ranked by net sales over local days [from, to], with ABC classes', type: [OutletSummaryDto], readModel: true, errors: ['QUERY_TIMEOUT'] })
  async outlets(@Query() query: OutletAnalyticsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    if (query.from > query.to) throw new ProblemError(400, 'VALIDATION_FAILED', 'from must not lie after to', [{ field: 'to', message: 'to must not lie before from' }]);
    const collection = await this.consistent('outlet_activity', query, reply);
    const days = (await this.store.find(collection, { filter: { day: { $gte: query.from, $lte: query.to } } })) as OutletActivityDocument[];
    return summarizeOutlets(days);
  }

  /** RFM quintile scores of the customers with a purchase in the 365 days before asOf (default now). */
  @Get('analytics/rfm')
  @ApiRoute({ operationId: 'getRfm', summary: 'RFM quintile scores and segments of the customers with a purchase in the 365 days before asOf', type: RfmReportDto, readModel: true, errors: ['QUERY_TIMEOUT'] })
  async rfm(@Query() query: RfmQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const asOf = query.asOf === undefined ? new Date().toISOString() : canonicalInstant(query.asOf);
    const since = addDays(asOf, -365);
    const collection = await this.consistent('customer_profiles', query, reply);
    const profiles = (await this.store.find(collection, { filter: { 'stats.lastPurchaseAt': { $gt: since, $lte: asOf } } })) as CustomerProfile[];
    return rfmReport(profiles, asOf, since);
  }

  /** An aggregation pipeline over one read model, checked by the pipeline guard (400 VALIDATION_FAILED naming the stage and operator refused). */
  @Post('read-models/:collection/aggregate')
  @HttpCode(200)
  @ApiRoute({ operationId: 'aggregateReadModel', summary: 'Run a guarded aggregation pipeline over a read model', type: AggregateResultDto, readModel: true, errors: ['NOT_FOUND', 'QUERY_TIMEOUT', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'] })
  async aggregate(@Param('collection') name: string, @Body() body: AggregateBodyDto, @Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const names = PROJECTIONS.map((projection) => projection.name);
    if (!names.includes(name)) throw new ProblemError(404, 'NOT_FOUND', `no read model named ${name}; try ${names.join(', ')}`);
    let pipeline;
    try {
      pipeline = checkPipeline(body.pipeline);
    } catch (error) {
      if (error instanceof UnsafePipelineError) throw new ProblemError(400, 'VALIDATION_FAILED', error.message, [{ field: error.field, message: error.message }]);
      throw error;
    }
    const collection = await this.consistent(name, query, reply);
    let items;
    try {
      items = await this.store.aggregate(collection, [...pipeline, { $limit: MAX_AGGREGATE_RESULTS + 1 }]);
    } catch (error) {
      if (error instanceof AggregateInputTooLargeError || (error instanceof Error && error.message.startsWith(AGGREGATION_FAILED))) throw new ProblemError(400, 'VALIDATION_FAILED', error.message, [{ field: 'pipeline', message: error.message }]);
      throw error;
    }
    const truncated = items.length > MAX_AGGREGATE_RESULTS;
    return { items: truncated ? items.slice(0, MAX_AGGREGATE_RESULTS) : items, truncated };
  }

  /** As the read-model routes: waits for `waitForPosition` (504 when not reached), sets X-Projection-Position, names the collection. */
  private async consistent(name: string, query: ConsistencyQueryDto, reply: FastifyReply): Promise<string> {
    if (query.waitForPosition) {
      const waited = await this.readModels.waitFor(name, query.waitForPosition, this.edge.waitForPositionMs);
      if (!waited.reached) {
        throw new ProblemError(
          504,
          'POSITION_NOT_REACHED',
          `${name} has not applied position ${query.waitForPosition} within ${this.edge.waitForPositionMs} ms; it stands at ${waited.position ?? 'none'}, retry later`,
          undefined,
          { members: { position: waited.position }, headers: { 'x-projection-position': waited.position ?? '' } },
        );
      }
    }
    void reply.header('x-projection-position', (await this.readModels.positionOf(name)) ?? '');
    return this.readModels.collectionOf(name);
  }
}
