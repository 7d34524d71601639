import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { VISIT_CHANNELS, VISIT_PURPOSES } from '../../customer/events';
import { IsId } from '../../shared/ids';


export class RecordVisitDto {
  @ApiPropertyOptional({ description: 'generated when omitted' })
  @IsOptional() @IsId()
  visitId?: string;

  @ApiProperty({ example: 'outlet-7' })
  @IsId()
  outletId!: string;

  @ApiProperty({ enum: VISIT_CHANNELS })
  @IsIn(VISIT_CHANNELS)
  channel!: (typeof VISIT_CHANNELS)[number];

  @ApiPropertyOptional({ enum: VISIT_PURPOSES })
  @IsOptional() @IsIn(VISIT_PURPOSES)
  purpose?: (typeof VISIT_PURPOSES)[number];

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
