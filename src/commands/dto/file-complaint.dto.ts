import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../../shared/ids';

export const SEVERITIES = ['low', 'normal', 'high', 'urgent'] as const;

export class FileComplaintDto {
  @ApiPropertyOptional({ description: 'generated when omitted' })
  @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE })
  complaintId?: string;

  @ApiProperty({ example: 'phone' })
  @IsString() @Length(1, 64)
  channel!: string;

  @ApiProperty({ example: 'billing' })
  @IsString() @Length(1, 64)
  category!: string;

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity!: (typeof SEVERITIES)[number];

  @ApiProperty()
  @IsString() @Length(1, 4000)
  description!: string;

  @ApiPropertyOptional({ description: 'ISO-8601 instant; default now' })
  @IsOptional() @IsISO8601({ strict: true })
  occurredAt?: string;
}
