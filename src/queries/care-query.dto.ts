import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { COMPLAINT_STATUSES, FOLLOW_UP_STATUSES } from '../customer/care/state';
import { COMPLAINT_SEVERITIES, FOLLOW_UP_REASONS } from '../customer/events';
import { IsInstant } from '../http/instant';
import { QueryInt } from '../http/query-int';
import { IsId } from '../../src/shared/ids';
import { ConsistencyQueryDto } from './read-model-query.dto';

class WorklistPageDto extends ConsistencyQueryDto {
  @ApiPropertyOptional()
  @IsOptional() @IsId()
  customerId?: string;

  @ApiPropertyOptional({ example: 'agent-wang' })
  @IsOptional() @IsString() @Length(1, 128)
  assignee?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @QueryInt('limit', 1, 1000)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional() @QueryInt('skip', 0, 1_000_000)
  skip?: number;
}

export class ComplaintWorklistQueryDto extends WorklistPageDto {
  @ApiPropertyOptional({ enum: COMPLAINT_STATUSES })
  @IsOptional() @IsIn(COMPLAINT_STATUSES)
  status?: (typeof COMPLAINT_STATUSES)[number];

  @ApiPropertyOptional({ enum: COMPLAINT_SEVERITIES })
  @IsOptional() @IsIn(COMPLAINT_SEVERITIES)
  severity?: (typeof COMPLAINT_SEVERITIES)[number];

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: not resolved and dueAt before now; false: the others' })
  @IsOptional() @IsIn(['true', 'false'], { message: 'overdue must be true or false' })
  overdue?: 'true' | 'false';
}

export class FollowUpWorklistQueryDto extends WorklistPageDto {
  @ApiPropertyOptional({ enum: FOLLOW_UP_STATUSES })
  @IsOptional() @IsIn(FOLLOW_UP_STATUSES)
  status?: (typeof FOLLOW_UP_STATUSES)[number];

  @ApiPropertyOptional({ enum: FOLLOW_UP_REASONS })
  @IsOptional() @IsIn(FOLLOW_UP_REASONS)
  reason?: (typeof FOLLOW_UP_REASONS)[number];

  @ApiPropertyOptional({ description: 'only follow-ups due before this instant (RFC 3339 date-time)', format: 'date-time' })
  @IsOptional() @IsInstant()
  dueBefore?: string;
}

export const COMPLAINT_GROUPS = ['category', 'severity', 'channel', 'outlet'] as const;

export class ComplaintAnalyticsQueryDto extends ConsistencyQueryDto {
  @ApiProperty({ description: 'complaints filed at or after this instant (RFC 3339 date-time)', format: 'date-time' })
  @IsInstant()
  from!: string;

  @ApiProperty({ description: 'complaints filed before this instant (RFC 3339 date-time)', format: 'date-time' })
  @IsInstant()
  to!: string;

  @ApiProperty({ enum: COMPLAINT_GROUPS })
  @IsIn(COMPLAINT_GROUPS)
  groupBy!: (typeof COMPLAINT_GROUPS)[number];
}
