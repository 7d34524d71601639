import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class EvaluateLifecycleDto {
  @ApiPropertyOptional({ description: 'moment to evaluate the lifecycle stage at (ISO-8601); default now' })
  @IsOptional() @IsISO8601({ strict: true })
  asOf?: string;
}
