import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { VISIT_CHANNELS, VISIT_PURPOSES } from '../../customer/events';
import { ID_MESSAGE, ID_PATTERN } from '../../shared/ids';


export class RecordVisitDto {
  @ApiPropertyOptional({ description: 'generated when omitted' })
  @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE })
  visitId?: string;

  @ApiProperty({ example: 'outlet-7' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
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
