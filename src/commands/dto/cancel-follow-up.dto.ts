import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';

export class CancelFollowUpDto {
  @ApiProperty({ example: 'customer asked not to be called' })
  @IsString() @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
