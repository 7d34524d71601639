import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { FOLLOW_UP_OUTCOMES } from '../../customer/events';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';

export class CompleteFollowUpDto {
  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES })
  @IsIn(FOLLOW_UP_OUTCOMES)
  outcome!: (typeof FOLLOW_UP_OUTCOMES)[number];

  @ApiPropertyOptional()
  @IsOptional() @IsString() @Length(1, 4000)
  notes?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5, example: 4 })
  @IsOptional() @IsInt() @Min(1) @Max(5)
  satisfaction?: number;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
