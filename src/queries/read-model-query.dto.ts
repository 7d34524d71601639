import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const POSITION = /^\d{1,20}\/\d{1,20}$/;

export class ConsistencyQueryDto {
  @ApiPropertyOptional({ description: 'a command response\'s `position`: wait up to 5 s until the read model has applied it' })
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
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000)
  skip?: number;
}
