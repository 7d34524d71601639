import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { FOLLOW_UP_REASONS } from '../../customer/events';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { IsId } from '../../../src/shared/ids';

export class ScheduleFollowUpDto {
  @ApiPropertyOptional({ description: 'generated when omitted' })
  @IsOptional() @IsId()
  followUpId?: string;

  @ApiProperty({ description: 'when the customer should be called (RFC 3339 date-time)', format: 'date-time' })
  @IsInstant()
  dueAt!: string;

  @ApiProperty({ enum: FOLLOW_UP_REASONS })
  @IsIn(FOLLOW_UP_REASONS)
  reason!: (typeof FOLLOW_UP_REASONS)[number];

  @ApiPropertyOptional({ description: 'required when reason is complaint' })
  @IsOptional() @IsId()
  complaintId?: string;

  @ApiPropertyOptional({ example: 'agent-wang' })
  @IsOptional() @IsString() @Length(1, 128)
  assignee?: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
