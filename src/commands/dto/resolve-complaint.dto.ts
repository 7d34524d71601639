import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class ResolveComplaintDto {
  @ApiProperty()
  @IsString() @Length(1, 4000)
  resolution!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5 })
  @IsOptional() @IsInt() @Min(1) @Max(5)
  satisfaction?: number;

  @ApiPropertyOptional({ description: 'ISO-8601 instant; default now' })
  @IsOptional() @IsISO8601({ strict: true })
  occurredAt?: string;
}
