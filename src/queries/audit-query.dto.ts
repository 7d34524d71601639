import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsInstant } from '../http/instant';
import { QueryInt } from '../http/query-int';

export class HistoryQueryDto {
  @ApiPropertyOptional({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 })
  @IsOptional() @QueryInt('fromRevision', 0, Number.MAX_SAFE_INTEGER)
  fromRevision?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 1000 })
  @IsOptional() @QueryInt('limit', 1, 1000)
  limit?: number;
}

export class StateQueryDto {
  @ApiPropertyOptional({ description: 'business time (RFC 3339): fold the events whose occurredAt is at or before it — what was true then', format: 'date-time' })
  @IsOptional() @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({ description: 'ledger time (RFC 3339): fold only the events recorded at or before it — what the ledger said then', format: 'date-time' })
  @IsOptional() @IsInstant()
  knownAt?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'at most the stream\'s head revision' })
  @IsOptional() @QueryInt('revision', 0, Number.MAX_SAFE_INTEGER)
  revision?: number;
}
