/** What the analytics routes answer (src/queries/analytics.controller.ts, read-models.controller.ts), for the OpenAPI document. */
import { ApiProperty } from '@nestjs/swagger';
import { STAGES } from '../../customer/policies/lifecycle';
import { TIERS } from '../../customer/policies/tiers';
import { anyObject, id, instant, int, num } from '../../http/api-fields';
import { COMPLAINT_GROUPS } from '../care-query.dto';
import { RFM_SEGMENTS } from '../rfm';

export class SegmentDto {
  @ApiProperty({ enum: TIERS, example: 'standard' })
  tier!: string;

  @ApiProperty({ enum: STAGES, example: 'new' })
  stage!: string;

  @ApiProperty(int(42, undefined, { minimum: 0 }))
  count!: number;
}

export class SegmentsDto {
  @ApiProperty({ type: [SegmentDto] })
  segments!: SegmentDto[];

  @ApiProperty(int(42, undefined, { minimum: 0 }))
  total!: number;
}

export class OutletSummaryDto {
  @ApiProperty(id('outlet-7'))
  outletId!: string;

  @ApiProperty(int(120, undefined, { minimum: 0 }))
  visits!: number;

  @ApiProperty(int(80, undefined, { minimum: 0 }))
  purchases!: number;

  @ApiProperty(int(807920, 'minor units of the base currency, net of refunds'))
  netSales!: number;

  @ApiProperty(int(12, undefined, { minimum: 0 }))
  newCustomers!: number;

  @ApiProperty(int(2, undefined, { minimum: 0 }))
  complaints!: number;

  @ApiProperty(num(25, 'complaints per 1 000 purchases (null without purchases)', true))
  complaintRate!: number | null;

  @ApiProperty(num(40, 'promoters % − detractors % of the surveys (null without surveys)', true))
  nps!: number | null;

  @ApiProperty({ enum: ['A', 'B', 'C'], example: 'A' })
  abcClass!: string;
}

export class RfmThresholdsDto {
  @ApiProperty({ type: [Number], example: [30, 60, 120, 240] })
  recencyDays!: number[];

  @ApiProperty({ type: [Number], example: [1, 2, 3, 5] })
  frequency!: number[];

  @ApiProperty({ type: [Number], example: [5000, 10000, 20000, 50000] })
  monetary!: number[];
}

export class RfmScoreDto {
  @ApiProperty(int(5, undefined, { minimum: 1, maximum: 5 }))
  r!: number;

  @ApiProperty(int(4, undefined, { minimum: 1, maximum: 5 }))
  f!: number;

  @ApiProperty(int(3, undefined, { minimum: 1, maximum: 5 }))
  m!: number;

  @ApiProperty(int(7, undefined, { minimum: 0 }))
  count!: number;
}

const SEGMENT_NAMES = RFM_SEGMENTS.map(({ segment }) => segment);
const bySegment = (value: Record<string, unknown>, example: Record<string, unknown>) => ({
  type: 'object' as const,
  properties: Object.fromEntries(SEGMENT_NAMES.map((name) => [name, value])),
  required: SEGMENT_NAMES,
  additionalProperties: false,
  example,
});

export class RfmReportDto {
  @ApiProperty(instant())
  asOf!: string;

  @ApiProperty(instant('365 days before asOf'))
  since!: string;

  @ApiProperty(int(240, 'customers with a purchase in (since, asOf]', { minimum: 0 }))
  customers!: number;

  @ApiProperty({ type: RfmThresholdsDto })
  thresholds!: RfmThresholdsDto;

  @ApiProperty({ type: [RfmScoreDto] })
  scores!: RfmScoreDto[];

  @ApiProperty(bySegment({ type: 'integer', minimum: 0 }, Object.fromEntries(SEGMENT_NAMES.map((name) => [name, 0]))))
  segments!: Record<string, number>;

  @ApiProperty(bySegment({ type: 'string' }, Object.fromEntries(RFM_SEGMENTS.map(({ segment, rule }) => [segment, rule]))))
  segmentRules!: Record<string, string>;
}

export class ComplaintKpisDto {
  @ApiProperty({ type: String, nullable: true, description: 'the group (null: complaints without one)', example: 'service' })
  key!: string | null;

  @ApiProperty(int(10, undefined, { minimum: 0 }))
  filed!: number;

  @ApiProperty(int(8, undefined, { minimum: 0 }))
  resolved!: number;

  @ApiProperty(int(2, undefined, { minimum: 0 }))
  open!: number;

  @ApiProperty(int(1, undefined, { minimum: 0 }))
  breached!: number;

  @ApiProperty(num(12.5, 'complaints per 1 000 purchases (null without purchases)', true))
  complaintRate!: number | null;

  @ApiProperty(num(0.8))
  resolutionRate!: number;

  @ApiProperty(num(0.1))
  slaBreachRate!: number;

  @ApiProperty(num(6.25, undefined, true))
  medianHoursToResolve!: number | null;

  @ApiProperty(num(4.2, undefined, true))
  avgSatisfaction!: number | null;
}

export class ComplaintAnalyticsDto {
  @ApiProperty(instant())
  from!: string;

  @ApiProperty(instant())
  to!: string;

  @ApiProperty({ enum: COMPLAINT_GROUPS, example: 'category' })
  groupBy!: string;

  @ApiProperty({ type: [ComplaintKpisDto] })
  items!: ComplaintKpisDto[];
}

export class AggregateResultDto {
  @ApiProperty({ type: 'array', items: anyObject('a document the pipeline produced'), example: [{ _id: 'gold', customers: 42 }] })
  items!: Record<string, unknown>[];

  @ApiProperty({ type: Boolean, description: 'more than 10 000 documents: the first ones only', example: false })
  truncated!: boolean;
}
