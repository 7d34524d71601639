import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { TIERS } from '../../customer/policies/tiers';

export class ChangeTierDto {
  @ApiProperty({ enum: TIERS })
  @IsIn(TIERS)
  tier!: (typeof TIERS)[number];

  @ApiProperty({ example: 'goodwill after complaint c-17' })
  @IsString() @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ description: 'ISO-8601 instant; default now' })
  @IsOptional() @IsISO8601({ strict: true })
  occurredAt?: string;
}
