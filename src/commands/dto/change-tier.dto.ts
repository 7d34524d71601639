import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { TIERS } from '../../customer/policies/tiers';

export class ChangeTierDto {
  @ApiProperty({ enum: TIERS })
  @IsIn(TIERS)
  tier!: (typeof TIERS)[number];

  @ApiProperty({ example: 'goodwill after complaint c-17' })
  @IsString() @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ description: 'no automatic upgrade or downgrade before this instant (RFC 3339); default one year after the change', format: 'date-time' })
  @IsOptional() @IsInstant()
  lockedUntil?: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
