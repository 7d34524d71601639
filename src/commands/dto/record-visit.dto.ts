import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../../shared/ids';

export const VISIT_CHANNELS = ['store', 'online', 'phone', 'email', 'app'] as const;
export const VISIT_PURPOSES = ['browse', 'service', 'follow_up', 'win_back', 'survey'] as const;

export class RecordVisitDto {
  @ApiPropertyOptional({ description: 'generated when omitted' })
  @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE })
  visitId?: string;

  @ApiProperty({ example: 'outlet-7' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  outletId!: string;

  @ApiProperty({ enum: VISIT_CHANNELS })
  @IsIn(VISIT_CHANNELS)
  channel!: (typeof VISIT_CHANNELS)[number];

  @ApiPropertyOptional({ enum: VISIT_PURPOSES })
  @IsOptional() @IsIn(VISIT_PURPOSES)
  purpose?: (typeof VISIT_PURPOSES)[number];

  @ApiPropertyOptional({ description: 'ISO-8601 instant; default now' })
  @IsOptional() @IsISO8601({ strict: true })
  occurredAt?: string;
}
