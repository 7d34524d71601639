/** Request body of a referral: the customer referred (the path names the referrer). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { ID_MESSAGE, ID_PATTERN } from '../../shared/ids';

export class ReferCustomerDto {
  @ApiProperty({ description: 'the registered customer referred, who has no purchase yet', example: 'c-2', pattern: ID_PATTERN.source })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  referredCustomerId!: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
