import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { QueryInt } from '../http/query-int';

const POSITION = /^\d{1,20}\/\d{1,20}$/;

export class ConsistencyQueryDto {
  @ApiPropertyOptional({ description: 'a command response\'s `position`: wait (WAIT_FOR_POSITION_MS, 5 s by default) until the read model has applied it; 504 POSITION_NOT_REACHED when it has not', pattern: POSITION.source, example: '1200/1200' })
  @IsOptional() @Matches(POSITION, { message: 'waitForPosition must be a position returned by a command' })
  waitForPosition?: string;
}

export class ReadModelQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ description: 'MongoDB query-language filter as JSON; operators are allow-listed', example: '{"tier":"gold"}' })
  @IsOptional() @IsString() @MaxLength(10_240)
  filter?: string;

  @ApiPropertyOptional({ description: 'sort as JSON, e.g. {"stats.totalSpent":-1}' })
  @IsOptional() @IsString() @MaxLength(1024)
  sort?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @QueryInt('limit', 1, 1000)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional() @QueryInt('skip', 0, 1_000_000)
  skip?: number;
}
