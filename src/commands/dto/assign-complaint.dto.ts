import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';

export class AssignComplaintDto {
  @ApiProperty({ description: 'who works on the complaint', example: 'agent-wang' })
  @IsString() @Length(1, 128)
  assignee!: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
