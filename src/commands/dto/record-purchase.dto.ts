import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { MAX_AMOUNT } from '../../customer/money';
import { IsId } from '../../shared/ids';

export class LineItemDto {
  @ApiProperty()
  @IsString() @Length(1, 64)
  sku!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1_000_000, example: 2 })
  @IsInt() @Min(1) @Max(1_000_000)
  quantity!: number;

  @ApiProperty({ description: 'line total (quantity × unit price), minor units; the items add up to the purchase amount', type: 'integer', minimum: 0, maximum: MAX_AMOUNT })
  @IsInt() @Min(0) @Max(MAX_AMOUNT)
  amount!: number;
}

export class RecordPurchaseDto {
  @ApiProperty({ example: 'p-20261124-0001' })
  @IsId()
  purchaseId!: string;

  @ApiProperty({ description: 'positive integer in minor units of `currency` (fen, cents; yen have none)', example: 10099, type: 'integer', minimum: 1, maximum: MAX_AMOUNT })
  @IsInt() @Min(1) @Max(MAX_AMOUNT)
  amount!: number;

  @ApiProperty({ description: 'ISO-4217 code', example: 'CNY', pattern: '^[A-Z]{3}$' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO-4217 code such as CNY' })
  currency!: string;

  @ApiPropertyOptional({ description: 'base-currency units per one unit of `currency`, as a decimal string; required when `currency` is not the base currency', example: '0.0482' })
  @IsOptional() @IsString() @Matches(/^\d{1,9}(\.\d{1,12})?$/, { message: 'exchangeRate must be a positive decimal string such as "0.0482"' })
  exchangeRate?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsId()
  outletId?: string;

  @ApiPropertyOptional({ type: [LineItemDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => LineItemDto)
  items?: LineItemDto[];

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
