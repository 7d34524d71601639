/** The read-model documents the analysts' and care team's routes answer (projections/*.projection.ts), for the OpenAPI document. */
import { ApiProperty } from '@nestjs/swagger';
import { COMPLAINT_SEVERITIES, CONSENT_CHANNELS, CONSENT_PURPOSES, FOLLOW_UP_OUTCOMES, FOLLOW_UP_REASONS, VISIT_CHANNELS } from '../../customer/events';
import { COMPLAINT_STATUSES, FOLLOW_UP_STATUSES } from '../../customer/care/state';
import { STAGES } from '../../customer/policies/lifecycle';
import { TIERS } from '../../customer/policies/tiers';
import { anyObject, id, instant, int, nullableObject, PREFERENCES_PROPERTIES } from '../../http/api-fields';

/** What every read-model document holds: its key and the customer stream revision it reflects. */
export class ReadModelDocumentDto {
  @ApiProperty({ type: String, description: 'the document\'s key (the customer id for per-customer documents)', example: 'c-1001' })
  _id!: string;

  @ApiProperty(int(3, 'the customer stream revision the document reflects', { minimum: -1 }))
  revision!: number;
}

export class ProfileStatsDto {
  @ApiProperty(int(2, undefined, { minimum: 0 }))
  visitCount!: number;

  @ApiProperty(instant(undefined, true))
  lastVisitAt!: string | null;

  @ApiProperty(int(1, undefined, { minimum: 0 }))
  purchaseCount!: number;

  @ApiProperty(int(10099, 'net spend: purchases\' base amounts less refunds (minor units of the base currency)'))
  totalSpent!: number;

  @ApiProperty(int(0, 'refunded, minor units of the base currency', { minimum: 0 }))
  refundTotal!: number;

  @ApiProperty(instant(undefined, true))
  lastPurchaseAt!: string | null;

  @ApiProperty(int(0, undefined, { minimum: 0 }))
  complaintCount!: number;

  @ApiProperty(int(0, undefined, { minimum: 0 }))
  openComplaints!: number;
}

const CONSENT = { type: 'object', required: ['granted', 'source', 'changedAt'], properties: { granted: { type: 'boolean' }, source: { type: 'string' }, changedAt: { type: 'string', format: 'date-time' } } };

export class CustomerProfileDto extends ReadModelDocumentDto {
  @ApiProperty(id('c-1001'))
  customerId!: string;

  @ApiProperty({ type: String, nullable: true, description: 'null once forgotten', example: 'Li Wei' })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'li.wei@example.com' })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '+8613800000000' })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  address!: string | null;

  @ApiProperty(id('outlet-7', undefined, true))
  outletId!: string | null;

  @ApiProperty(nullableObject(PREFERENCES_PROPERTIES, ['channels', 'categories'], { description: 'null once forgotten', example: { channels: ['email'], categories: ['shoes'] } }))
  preferences!: { channels: string[]; categories: string[] } | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: '1990-05-17' })
  birthday!: string | null;

  @ApiProperty({ type: [String], example: ['vip'] })
  tags!: string[];

  @ApiProperty({ type: String, nullable: true, example: 'agent-3' })
  accountManager!: string | null;

  @ApiProperty({
    type: 'object',
    description: `the latest answer per channel (${CONSENT_CHANNELS.join(', ')}) and purpose (${CONSENT_PURPOSES.join(', ')}); one never asked is absent`,
    additionalProperties: { type: 'object', additionalProperties: CONSENT },
    example: { email: { marketing: { granted: true, source: 'web form', changedAt: '2026-11-24T10:00:00.000Z' } } },
  })
  consents!: Record<string, Record<string, { granted: boolean; source: string; changedAt: string }>>;

  @ApiProperty(instant(undefined, true))
  registeredAt!: string | null;

  @ApiProperty({ enum: TIERS, example: 'standard' })
  tier!: string;

  @ApiProperty(instant(undefined, true))
  tierSince!: string | null;

  @ApiProperty({ enum: STAGES, example: 'new' })
  stage!: string;

  @ApiProperty({ type: ProfileStatsDto })
  stats!: ProfileStatsDto;

  @ApiProperty(nullableObject({ at: { type: 'string', format: 'date-time' }, reason: { type: 'string' } }, ['at', 'reason'], { description: 'set when the personal data was erased', example: null }))
  forgotten!: { at: string; reason: string } | null;

  @ApiProperty(instant('ledger time of the last event applied'))
  updatedAt!: string;
}

export class StageChangeDto {
  @ApiProperty({ enum: STAGES, example: 'prospect' })
  from!: string;

  @ApiProperty({ enum: STAGES, example: 'new' })
  to!: string;

  @ApiProperty(instant())
  at!: string;

  @ApiProperty({ type: String, example: 'purchase' })
  reason!: string;
}

export class CustomerLifecycleDto extends ReadModelDocumentDto {
  @ApiProperty(id('c-1001'))
  customerId!: string;

  @ApiProperty({ enum: STAGES, example: 'new' })
  stage!: string;

  @ApiProperty(instant(undefined, true))
  stageSince!: string | null;

  @ApiProperty({ enum: STAGES, nullable: true, example: 'prospect' })
  previousStage!: string | null;

  @ApiProperty(int(1, undefined, { minimum: 0 }))
  purchaseCount!: number;

  @ApiProperty(int(1, 'purchases in the 365 days up to asOf', { minimum: 0 }))
  purchasesLast365Days!: number;

  @ApiProperty(instant(undefined, true))
  lastPurchaseAt!: string | null;

  @ApiProperty(instant(undefined, true))
  atRiskFrom!: string | null;

  @ApiProperty(instant(undefined, true))
  churnedFrom!: string | null;

  @ApiProperty({ type: [StageChangeDto] })
  history!: StageChangeDto[];

  @ApiProperty(instant('the business time the counts hold for', true))
  asOf!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', isArray: true, example: ['2026-11-24T10:00:00.000Z'] })
  recentPurchases!: string[];
}

export class PointsLotDto {
  @ApiProperty({ type: String, example: 'p-20261124-0001' })
  lotId!: string;

  @ApiProperty(int(100, undefined, { minimum: 0 }))
  remaining!: number;

  @ApiProperty(instant())
  expiresAt!: string;
}

export class RecentPurchaseDto {
  @ApiProperty(id('p-20261124-0001'))
  purchaseId!: string;

  @ApiProperty(instant())
  at!: string;

  @ApiProperty(int(10099, 'net of refunds, minor units of the base currency'))
  net!: number;
}

export class LoyaltyBalanceDto extends ReadModelDocumentDto {
  @ApiProperty(id('c-1001'))
  customerId!: string;

  @ApiProperty({ enum: TIERS, example: 'standard' })
  tier!: string;

  @ApiProperty(instant(undefined, true))
  tierSince!: string | null;

  @ApiProperty(instant(undefined, true))
  tierLockedUntil!: string | null;

  @ApiProperty(instant(undefined, true))
  nextReviewAt!: string | null;

  @ApiProperty(int(100, undefined, { minimum: 0 }))
  balance!: number;

  @ApiProperty(int(100, undefined, { minimum: 0 }))
  lifetimeEarned!: number;

  @ApiProperty(int(0, undefined, { minimum: 0 }))
  lifetimeRedeemed!: number;

  @ApiProperty(int(0, undefined, { minimum: 0 }))
  lifetimeExpired!: number;

  @ApiProperty(int(0, undefined, { minimum: 0 }))
  lifetimeReversed!: number;

  @ApiProperty(int(0, 'net of positive and negative adjustments'))
  lifetimeAdjusted!: number;

  @ApiProperty(instant(undefined, true))
  nextExpiryAt!: string | null;

  @ApiProperty(int(100, undefined, { nullable: true }))
  nextExpiryPoints!: number | null;

  @ApiProperty({ type: [PointsLotDto], description: 'open lots, first expiring first' })
  lots!: PointsLotDto[];

  @ApiProperty(int(10099, 'net base spend of the 12 months up to asOf'))
  rollingSpend!: number;

  @ApiProperty(instant(undefined, true))
  asOf!: string | null;

  @ApiProperty({ type: [RecentPurchaseDto] })
  recentPurchases!: RecentPurchaseDto[];
}

export class ComplaintDocumentDto extends ReadModelDocumentDto {
  @ApiProperty(id('c-1001'))
  customerId!: string;

  @ApiProperty(id('cmp-1'))
  complaintId!: string;

  @ApiProperty({ enum: COMPLAINT_STATUSES, example: 'open' })
  status!: string;

  @ApiProperty({ enum: COMPLAINT_SEVERITIES, example: 'high' })
  severity!: string;

  @ApiProperty({ type: String, example: 'service' })
  category!: string;

  @ApiProperty({ enum: VISIT_CHANNELS, example: 'store' })
  channel!: string;

  @ApiProperty(id('outlet-7', undefined, true))
  outletId!: string | null;

  @ApiProperty(instant())
  filedAt!: string;

  @ApiProperty(instant('when the current opening breaches its SLA'))
  dueAt!: string;

  @ApiProperty({ type: String, nullable: true, example: 'agent-3' })
  assignee!: string | null;

  @ApiProperty(instant(undefined, true))
  resolvedAt!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 4.5 })
  hoursToResolve!: number | null;

  @ApiProperty({ type: Boolean, example: false })
  slaBreached!: boolean;

  @ApiProperty(int(0, undefined, { minimum: 0 }))
  breachCount!: number;

  @ApiProperty(int(4, undefined, { minimum: 1, maximum: 5, nullable: true }))
  satisfaction!: number | null;

  @ApiProperty(int(0, undefined, { minimum: 0 }))
  reopenCount!: number;
}

export class FollowUpDocumentDto extends ReadModelDocumentDto {
  @ApiProperty(id('c-1001'))
  customerId!: string;

  @ApiProperty(id('fu-1'))
  followUpId!: string;

  @ApiProperty({ enum: FOLLOW_UP_REASONS, example: 'complaint' })
  reason!: string;

  @ApiProperty({ enum: FOLLOW_UP_STATUSES, example: 'scheduled' })
  status!: string;

  @ApiProperty(instant())
  dueAt!: string;

  @ApiProperty({ type: String, nullable: true, example: 'agent-3' })
  assignee!: string | null;

  @ApiProperty(id('cmp-1', undefined, true))
  complaintId!: string | null;

  @ApiProperty(instant())
  scheduledAt!: string;

  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES, nullable: true, example: null })
  outcome!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  notes!: string | null;

  @ApiProperty(int(4, undefined, { minimum: 1, maximum: 5, nullable: true }))
  satisfaction!: number | null;

  @ApiProperty(instant(undefined, true))
  completedAt!: string | null;

  @ApiProperty(instant(undefined, true))
  cancelledAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  cancelReason!: string | null;
}

/** A page of documents: `items` as the collection stores them. */
export class DocumentPageDto {
  @ApiProperty({ type: 'array', items: anyObject('a document of the collection (see its projection)'), example: [{ _id: 'c-1001', revision: 3, customerId: 'c-1001', tier: 'gold', stats: { totalSpent: 250000 } }] })
  items!: Record<string, unknown>[];

  @ApiProperty(int(100, undefined, { minimum: 1, maximum: 1000 }))
  limit!: number;

  @ApiProperty(int(0, undefined, { minimum: 0 }))
  skip!: number;
}

export class ComplaintPageDto {
  @ApiProperty({ type: [ComplaintDocumentDto] })
  items!: ComplaintDocumentDto[];

  @ApiProperty(int(100, undefined, { minimum: 1, maximum: 1000 }))
  limit!: number;

  @ApiProperty(int(0, undefined, { minimum: 0 }))
  skip!: number;
}

export class FollowUpPageDto {
  @ApiProperty({ type: [FollowUpDocumentDto] })
  items!: FollowUpDocumentDto[];

  @ApiProperty(int(100, undefined, { minimum: 1, maximum: 1000 }))
  limit!: number;

  @ApiProperty(int(0, undefined, { minimum: 0 }))
  skip!: number;
}
