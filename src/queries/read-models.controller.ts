import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PROJECTIONS } from '../../projections';
import { Roles } from '../auth/auth.decorators';
import { EDGE_OPTIONS, type EdgeOptions } from '../http/edge-options';
import { CustomerIdParam } from '../http/params';
import { ProblemError } from '../http/problem';
import { ReadModels } from '../projection-engine/read-models';
import type { ReadModelDocument, ReadModelStore } from '../read-store/read-model-store.port';
import { READ_MODEL_STORE } from '../read-store/read-model-store.token';
import { checkAnalystQuery, UnsafeQueryError } from './filter-guard';
import { ConsistencyQueryDto, ReadModelQueryDto } from './read-model-query.dto';

/** The collections analysts may query: every projection's, by its name. */
const COLLECTIONS: readonly string[] = PROJECTIONS.map((projection) => projection.name);

/** Analysts' routes: read models straight from the read store, never through the domain. */
@ApiTags('read models')
@ApiBearerAuth()
@Roles('analyst')
@Controller('v1')
export class ReadModelsController {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly readModels: ReadModels,
    @Inject(EDGE_OPTIONS) private readonly edge: EdgeOptions,
  ) {}

  @Get('customers/:customerId')
  profile(@CustomerIdParam() customerId: string, @Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.document('customer_profiles', customerId, query, reply);
  }

  @Get('customers/:customerId/lifecycle')
  lifecycle(@CustomerIdParam() customerId: string, @Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.document('customer_lifecycle', customerId, query, reply);
  }

  @Get('customers/:customerId/loyalty')
  loyalty(@CustomerIdParam() customerId: string, @Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.document('loyalty_balances', customerId, query, reply);
  }

  @Get('read-models/:collection')
  async query(@Param('collection') name: string, @Query() query: ReadModelQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!COLLECTIONS.includes(name)) throw new ProblemError(404, 'NOT_FOUND', `no read model named ${name}; try ${COLLECTIONS.join(', ')}`);
    const { filter, sort } = this.checked(query);
    const limit = query.limit ?? 100;
    const skip = query.skip ?? 0;
    const collection = await this.consistent(name, query, reply);
    const items = await this.store.find(collection, { filter, sort, limit, skip });
    return { items, limit, skip };
  }

  @Get('analytics/segments')
  async segments(@Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const collection = await this.consistent('customer_profiles', query, reply);
    const groups = await this.store.countBy(collection, ['tier', 'stage']);
    const segments = groups
      .map(({ key, count }) => ({ tier: key.tier as string, stage: key.stage as string, count }))
      .sort((a, b) => (a.tier === b.tier ? a.stage.localeCompare(b.stage) : a.tier.localeCompare(b.tier)));
    return { segments, total: segments.reduce((sum, segment) => sum + segment.count, 0) };
  }

  private async document(name: string, customerId: string, query: ConsistencyQueryDto, reply: FastifyReply): Promise<ReadModelDocument> {
    const collection = await this.consistent(name, query, reply);
    const doc = await this.store.get(collection, customerId);
    if (!doc) throw new ProblemError(404, 'CUSTOMER_NOT_FOUND', `no ${name} document for customer ${customerId}`);
    return doc;
  }

  /**
   * Waits for `waitForPosition` when asked (504 POSITION_NOT_REACHED with the position reached when
   * the wait ends first: stale data is never served as if it were fresh), sets X-Projection-Position,
   * and names the collection to read.
   */
  private async consistent(name: string, query: ConsistencyQueryDto, reply: FastifyReply): Promise<string> {
    if (query.waitForPosition) {
      const waited = await this.readModels.waitFor(name, query.waitForPosition, this.edge.waitForPositionMs);
      if (!waited.reached) {
        const at = waited.position ?? 'none';
        throw new ProblemError(
          504,
          'POSITION_NOT_REACHED',
          `${name} has not applied position ${query.waitForPosition} within ${this.edge.waitForPositionMs} ms; it stands at ${at}, retry later`,
          undefined,
          { members: { position: waited.position }, headers: { 'x-projection-position': waited.position ?? '' } },
        );
      }
    }
    const position = await this.readModels.positionOf(name);
    void reply.header('x-projection-position', position ?? '');
    return this.readModels.collectionOf(name);
  }

  private checked(query: ReadModelQueryDto) {
    try {
      return checkAnalystQuery({ filter: query.filter, sort: query.sort });
    } catch (error) {
      if (error instanceof UnsafeQueryError) throw new ProblemError(400, 'VALIDATION_FAILED', error.message, [{ field: error.field, message: error.message }]);
      throw error;
    }
  }
}
