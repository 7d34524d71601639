/** Request bodies of the points ledger: refunds, redemptions, adjustments. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min, NotEquals } from 'class-validator';
import { MAX_AMOUNT } from '../../customer/money';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { IsId } from '../../shared/ids';

/** Points in one command: far above any balance, far below where sums stop being exact. */
const MAX_POINTS = 1_000_000_000;

export class RefundPurchaseDto {
  @ApiProperty({ example: 'r-20261124-0001' })
  @IsId()
  refundId!: string;

  @ApiProperty({ description: 'minor units of the purchase\'s currency; at most what is left of the purchase', type: 'integer', minimum: 1, maximum: MAX_AMOUNT, example: 5000 })
  @IsInt() @Min(1) @Max(MAX_AMOUNT)
  amount!: number;

  @ApiProperty({ example: 'damaged item returned' })
  @IsString() @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}

export class RedeemPointsDto {
  @ApiProperty({ example: 'rd-20261124-0001' })
  @IsId()
  redemptionId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_POINTS, example: 500 })
  @IsInt() @Min(1) @Max(MAX_POINTS)
  points!: number;

  @ApiProperty({ example: 'voucher 50 CNY' })
  @IsString() @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ example: 'outlet-7' })
  @IsOptional() @IsId()
  outletId?: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}

export class AdjustPointsDto {
  @ApiProperty({ example: 'adj-0001' })
  @IsId()
  adjustmentId!: string;

  @ApiProperty({ description: 'positive: a new lot; negative: taken first-expiring-first, never below zero', type: 'integer', minimum: -MAX_POINTS, maximum: MAX_POINTS, example: 200 })
  @IsInt() @NotEquals(0) @Min(-MAX_POINTS) @Max(MAX_POINTS)
  points!: number;

  @ApiProperty({ example: 'goodwill after complaint k-17' })
  @IsString() @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
