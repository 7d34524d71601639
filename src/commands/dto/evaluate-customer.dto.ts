import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsInstant } from '../../http/instant';

export class EvaluateCustomerDto {
  @ApiPropertyOptional({ description: 'business time to evaluate at (RFC 3339 date-time); default now', format: 'date-time' })
  @IsOptional() @IsInstant()
  asOf?: string;
}
