import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../../shared/ids';

export class LineItemDto {
  @ApiProperty()
  @IsString() @Length(1, 64)
  sku!: string;

  @ApiProperty({ minimum: 1 })
  @IsInt() @Min(1) @Max(1_000_000)
  quantity!: number;

  @ApiProperty({ description: 'minor units', minimum: 0 })
  @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  amount!: number;
}

export class RecordPurchaseDto {
  @ApiProperty({ example: 'p-20261124-0001' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  purchaseId!: string;

  @ApiProperty({ description: 'positive integer in minor units (fen, cents)', example: 10099 })
  @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  amount!: number;

  @ApiProperty({ example: 'CNY' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO-4217 code such as CNY' })
  currency!: string;

  @ApiPropertyOptional()
  @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE })
  outletId?: string;

  @ApiPropertyOptional({ type: [LineItemDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => LineItemDto)
  items?: LineItemDto[];

  @ApiPropertyOptional({ description: 'ISO-8601 instant; default now' })
  @IsOptional() @IsISO8601({ strict: true })
  occurredAt?: string;
}
