import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, ValidateBy, type ValidationOptions } from 'class-validator';
import { parseDate } from '../customer/time';
import { IsInstant, INSTANT_DEFAULT_NOW } from '../http/instant';
import { ConsistencyQueryDto } from './read-model-query.dto';

/** A calendar date YYYY-MM-DD (a real one); the message names the field. */
const IsLocalDate = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy({ name: 'isLocalDate', validator: { validate: (value) => parseDate(value) !== null, defaultMessage: () => '$property must be a calendar date YYYY-MM-DD' } }, options);

export class OutletAnalyticsQueryDto extends ConsistencyQueryDto {
  @ApiProperty({ description: 'first business day (local date in BUSINESS_TIMEZONE), inclusive', format: 'date', example: '2026-03-01' })
  @IsLocalDate()
  from!: string;

  @ApiProperty({ description: 'last business day, inclusive', format: 'date', example: '2026-03-31' })
  @IsLocalDate()
  to!: string;
}

export class RfmQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ description: `customers with a purchase in the 365 days before this instant; ${INSTANT_DEFAULT_NOW}`, format: 'date-time' })
  @IsOptional() @IsInstant()
  asOf?: string;
}

export class AggregateBodyDto {
  @ApiProperty({
    description: 'MongoDB aggregation stages: $match $group $sort $limit $skip $project $addFields $unwind $count $bucket $facet, allow-listed operators only, at most 20 stages and 8 levels deep',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [{ $match: { tier: 'gold' } }, { $group: { _id: '$stage', customers: { $sum: 1 } } }],
  })
  @IsArray() @ArrayMaxSize(20) @IsObject({ each: true })
  pipeline!: Record<string, unknown>[];
}
