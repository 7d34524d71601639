import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, IsIn, IsOptional, Matches } from 'class-validator';
import { Transform } from 'class-transformer';
import { CUSTOMER_EVENT_TYPES } from '../customer/evolve';

const POSITION = /^\d{1,20}\/\d{1,20}$/;

export class LedgerExportQueryDto {
  @ApiPropertyOptional({ description: 'export the events strictly after this position (the `position` of the last line you have); default: from the start', pattern: POSITION.source, example: '1200/1200' })
  @IsOptional() @Matches(POSITION, { message: 'fromPosition must be a position such as "1200/1200" (from an export line or a command response)' })
  fromPosition?: string;

  // style/explode (comma-separated, OpenAPI form style) pass through to the parameter; Nest's options type does not list them.
  @ApiPropertyOptional({ description: `comma-separated event types to keep (${CUSTOMER_EVENT_TYPES.join(', ')}); default: all; repeating the parameter works too`, enum: CUSTOMER_EVENT_TYPES, isArray: true, style: 'form', explode: false, example: ['PurchaseRecorded', 'TierChanged'] } as ApiPropertyOptions)
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : typeof value === 'string' && value.length <= 2048 ? value.split(',').map((type) => type.trim()) : value))
  @IsIn(CUSTOMER_EVENT_TYPES, { each: true, message: `types must be a comma-separated list of ${CUSTOMER_EVENT_TYPES.join(', ')}` })
  @ArrayMaxSize(64, { message: 'types must name at most 64 types' })
  types?: string[];
}
