/** Request body of a referral: the customer referred (the path names the referrer). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { IsId } from '../../shared/ids';

export class ReferCustomerDto {
  @ApiProperty({ description: 'the registered customer referred, who has no purchase yet', example: 'c-2' })
  @IsId()
  referredCustomerId!: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
