import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsInstant } from '../http/instant';

export class HistoryQueryDto {
  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  fromRevision?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 1000 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}

export class StateQueryDto {
  @ApiPropertyOptional({ description: 'business time (RFC 3339): fold the events whose occurredAt is at or before it — what was true then', format: 'date-time' })
  @IsOptional() @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({ description: 'ledger time (RFC 3339): fold only the events recorded at or before it — what the ledger said then', format: 'date-time' })
  @IsOptional() @IsInstant()
  knownAt?: string;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  revision?: number;
}
