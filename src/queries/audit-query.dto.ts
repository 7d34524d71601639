import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
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
  @ApiPropertyOptional({ description: 'ISO-8601 instant: the state as the ledger held it then' })
  @IsOptional() @IsISO8601({ strict: true })
  asOf?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'at most the stream\'s head revision' })
  @IsOptional() @QueryInt('revision', 0, Number.MAX_SAFE_INTEGER)
  revision?: number;
}
