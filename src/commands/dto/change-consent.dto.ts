import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../../customer/registration/events';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';

export class ChangeConsentDto {
  @ApiProperty({ enum: CONSENT_PURPOSES })
  @IsIn(CONSENT_PURPOSES)
  purpose!: ConsentPurpose;

  @ApiProperty({ description: 'whether the customer agrees to be contacted on this channel for this purpose' })
  @IsBoolean()
  granted!: boolean;

  @ApiProperty({ description: 'where the answer was given (1–100 characters)', example: 'store tablet, outlet-7' })
  @IsString() @Length(1, 100)
  source!: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
