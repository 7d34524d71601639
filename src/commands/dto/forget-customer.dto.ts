import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';

export class ForgetCustomerDto {
  @ApiProperty({ example: 'erasure request #4711', description: 'why the data is erased (a ticket, a legal basis); stored in clear, so never personal data' })
  @IsString() @Length(1, 200)
  reason!: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
