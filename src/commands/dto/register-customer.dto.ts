import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { IsId } from '../../shared/ids';

export class PreferencesDto {
  @ApiPropertyOptional({ type: [String], example: ['email', 'sms'] })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(64, { each: true })
  channels?: string[];

  @ApiPropertyOptional({ type: [String], example: ['shoes'] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(64, { each: true })
  categories?: string[];
}

export class RegisterCustomerDto {
  @ApiPropertyOptional({ description: 'generated (UUID) when omitted', example: 'c-1001' })
  @IsOptional() @IsId()
  customerId?: string;

  @ApiProperty({ example: 'Li Wei' })
  @IsString() @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ description: 'one of email or phone is required', example: 'li.wei@example.com' })
  @IsOptional() @IsEmail() @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+86 138 0000 0000' })
  @IsOptional() @Matches(/^\+?[0-9 ()-]{3,32}$/, { message: 'phone must be digits, spaces, ( ) - and an optional leading +' })
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(500)
  address?: string;

  @ApiPropertyOptional({ example: 'outlet-7' })
  @IsOptional() @IsId()
  outletId?: string;

  @ApiPropertyOptional({ type: PreferencesDto })
  @IsOptional() @ValidateNested() @Type(() => PreferencesDto)
  preferences?: PreferencesDto;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time', example: '2026-11-24T10:00:00Z' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
