import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { COMPLAINT_SEVERITIES as SEVERITIES } from '../../customer/events';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';

export class EscalateComplaintDto {
  @ApiProperty({ example: 'customer called back twice' })
  @IsString() @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'a higher severity than the current one; leave out to record only the reason' })
  @IsOptional() @IsIn(SEVERITIES)
  severity?: (typeof SEVERITIES)[number];

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
