import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';

export class ResolveComplaintDto {
  @ApiProperty()
  @IsString() @Length(1, 4000)
  resolution!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5, example: 4 })
  @IsOptional() @IsInt() @Min(1) @Max(5)
  satisfaction?: number;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
