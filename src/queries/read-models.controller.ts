import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PROJECTIONS } from '../../projections';
import type { ComplaintDocument } from '../../projections/complaints.projection';
import { Roles } from '../auth/auth.decorators';
import { EDGE_OPTIONS, type EdgeOptions } from '../http/edge-options';
import { CustomerIdParam } from '../http/params';
import { ProblemError } from '../http/problem';
import { ReadModels } from '../projection-engine/read-models';
import type { ReadModelDocument, ReadModelStore } from '../read-store/read-model-store.port';
import { READ_MODEL_STORE } from '../read-store/read-model-store.token';
import { canonicalInstant } from '../http/instant';
import type { Filter } from '../read-store/read-model-store.port';
import { ComplaintAnalyticsQueryDto, ComplaintWorklistQueryDto, FollowUpWorklistQueryDto } from './care-query.dto';
import { complaintKpis } from './complaint-kpis';
import { checkAnalystQuery, UnsafeQueryError } from './filter-guard';
import { ConsistencyQueryDto, ReadModelQueryDto } from './read-model-query.dto';
import { ApiRoute } from '../http/openapi';
import { ComplaintAnalyticsDto, SegmentsDto } from './dto/analytics.dto';
import { ComplaintPageDto, CustomerLifecycleDto, CustomerProfileDto, DocumentPageDto, FollowUpPageDto, LoyaltyBalanceDto } from './dto/read-model.dto';

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
  @ApiRoute({ operationId: 'getProfile', summary: "The customer's profile (customer_profiles)", type: CustomerProfileDto, readModel: true, errors: ['CUSTOMER_NOT_FOUND'] })
  profile(@CustomerIdParam() customerId: string, @Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.document('customer_profiles', customerId, query, reply);
  }

  @Get('customers/:customerId/lifecycle')
  @ApiRoute({ operationId: 'getLifecycle', summary: "The customer's lifecycle (customer_lifecycle)", type: CustomerLifecycleDto, readModel: true, errors: ['CUSTOMER_NOT_FOUND'] })
  lifecycle(@CustomerIdParam() customerId: string, @Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.document('customer_lifecycle', customerId, query, reply);
  }

  @Get('customers/:customerId/loyalty')
  @ApiRoute({ operationId: 'getLoyalty', summary: "The customer's points and tier (loyalty_balances)", type: LoyaltyBalanceDto, readModel: true, errors: ['CUSTOMER_NOT_FOUND'] })
  loyalty(@CustomerIdParam() customerId: string, @Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.document('loyalty_balances', customerId, query, reply);
  }

  @Get('read-models/:collection')
  @ApiRoute({ operationId: 'queryReadModel', summary: 'Query a read model with a guarded MongoDB filter and sort', type: DocumentPageDto, readModel: true, errors: ['NOT_FOUND', 'QUERY_TIMEOUT'] })
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
  @ApiRoute({ operationId: 'getSegments', summary: 'Customers per tier and stage', type: SegmentsDto, readModel: true, errors: ['QUERY_TIMEOUT'] })
  async segments(@Query() query: ConsistencyQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const collection = await this.consistent('customer_profiles', query, reply);
    const groups = await this.store.countBy(collection, ['tier', 'stage']);
    const segments = groups
      .map(({ key, count }) => ({ tier: key.tier as string, stage: key.stage as string, count }))
      .sort((a, b) => (a.tier === b.tier ? a.stage.localeCompare(b.stage) : a.tier.localeCompare(b.tier)));
    return { segments, total: segments.reduce((sum, segment) => sum + segment.count, 0) };
  }

  /** The care team's complaint worklist, earliest due first; `overdue=true`: not resolved and due before now. */
  @Get('complaints')
  @Roles('analyst', 'writer')
  @ApiRoute({ operationId: 'listComplaints', summary: 'The complaint worklist, earliest due first', type: ComplaintPageDto, readModel: true, errors: ['QUERY_TIMEOUT'] })
  async complaints(@Query() query: ComplaintWorklistQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const now = new Date().toISOString();
    const conditions: Filter[] = [];
    for (const field of ['customerId', 'status', 'severity', 'assignee'] as const) if (query[field] !== undefined) conditions.push({ [field]: query[field] });
    if (query.overdue === 'true') conditions.push({ status: { $ne: 'resolved' } }, { dueAt: { $lt: now } });
    if (query.overdue === 'false') conditions.push({ $or: [{ status: 'resolved' }, { dueAt: { $gte: now } }] });
    return this.worklist('complaints', conditions, query, reply);
  }

  /** The follow-up (回访) call list, earliest due first. */
  @Get('follow-ups')
  @Roles('analyst', 'writer')
  @ApiRoute({ operationId: 'listFollowUps', summary: 'The follow-up call list, earliest due first', type: FollowUpPageDto, readModel: true, errors: ['QUERY_TIMEOUT'] })
  async followUps(@Query() query: FollowUpWorklistQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const conditions: Filter[] = [];
    for (const field of ['customerId', 'status', 'reason', 'assignee'] as const) if (query[field] !== undefined) conditions.push({ [field]: query[field] });
    if (query.dueBefore !== undefined) conditions.push({ dueAt: { $lt: canonicalInstant(query.dueBefore) } });
    return this.worklist('follow_ups', conditions, query, reply);
  }

  /**
   * Complaint KPIs over the complaints filed in [from, to), per group. complaintRate: complaints
   * per 1 000 purchases recorded in the same period (per outlet when grouped by outlet).
   */
  @Get('analytics/complaints')
  @ApiRoute({ operationId: 'getComplaintAnalytics', summary: 'Complaint KPIs per group over the complaints filed in [from, to)', type: ComplaintAnalyticsDto, readModel: true, errors: ['QUERY_TIMEOUT'] })
  async complaintAnalytics(@Query() query: ComplaintAnalyticsQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const from = canonicalInstant(query.from);
    const to = canonicalInstant(query.to);
    if (from >= to) throw new ProblemError(400, 'VALIDATION_FAILED', 'from must lie before to', [{ field: 'to', message: 'to must lie after from' }]);
    const collection = await this.consistent('complaints', query, reply);
    const purchases = await this.readModels.collectionOf('purchases');
    const filed = (await this.store.find(collection, { filter: { filedAt: { $gte: from, $lt: to } } })) as ComplaintDocument[];
    const field = query.groupBy === 'outlet' ? 'outletId' : query.groupBy;
    const groups = new Map<string | null, ComplaintDocument[]>();
    for (const doc of filed) {
      const key = (doc[field] as string | null | undefined) ?? null;
      groups.set(key, [...(groups.get(key) ?? []), doc]);
    }
    const inPeriod = { occurredAt: { $gte: from, $lt: to } };
    const ledgerPurchases = query.groupBy === 'outlet' ? 0 : await this.store.count(purchases, inPeriod);
    const keys = [...groups.keys()].sort((a, b) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
    const items = [];
    for (const key of keys) {
      const count = query.groupBy === 'outlet' ? await this.store.count(purchases, { ...inPeriod, outletId: key }) : ledgerPurchases;
      items.push(complaintKpis(key, groups.get(key) ?? [], count));
    }
    return { from, to, groupBy: query.groupBy, items };
  }

  private async worklist(name: string, conditions: Filter[], query: { limit?: number; skip?: number } & ConsistencyQueryDto, reply: FastifyReply) {
    const limit = query.limit ?? 100;
    const skip = query.skip ?? 0;
    const collection = await this.consistent(name, query, reply);
    const filter = conditions.length === 0 ? {} : conditions.length === 1 ? conditions[0] : { $and: conditions };
    const items = await this.store.find(collection, { filter, sort: { dueAt: 1, _id: 1 }, limit, skip });
    return { items, limit, skip };
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
