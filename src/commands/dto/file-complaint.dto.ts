import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { COMPLAINT_SEVERITIES as SEVERITIES } from '../../customer/events';
import { IsId } from '../../shared/ids';


export class FileComplaintDto {
  @ApiPropertyOptional({ description: 'generated when omitted' })
  @IsOptional() @IsId()
  complaintId?: string;

  @ApiProperty({ example: 'phone' })
  @IsString() @Length(1, 64)
  channel!: string;

  @ApiProperty({ example: 'billing' })
  @IsString() @Length(1, 64)
  category!: string;

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity!: (typeof SEVERITIES)[number];

  @ApiProperty()
  @IsString() @Length(1, 4000)
  description!: string;

  @ApiPropertyOptional({ description: 'the outlet the complaint is about', example: 'outlet-7' })
  @IsOptional() @IsId()
  outletId?: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
