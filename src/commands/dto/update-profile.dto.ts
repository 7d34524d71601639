import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { E164, MAX_EMAIL_LENGTH, MAX_TAGS } from '../../customer/registration/decide';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { IsId } from '../../shared/ids';
import { PreferencesDto } from './register-customer.dto';
import { nullableObject, PREFERENCES_PROPERTIES } from '../../http/api-fields';

const CLEARS = 'null clears it';

/**
 * A JSON merge patch (RFC 7396) of the profile: an absent field is unchanged, null clears it
 * (`@IsOptional` lets null through; the domain refuses clearing `name` or the last of email and phone).
 */
export class UpdateProfileDto {
  @ApiPropertyOptional({ type: String, description: 'cannot be cleared', example: 'Li Wei' })
  @IsOptional() @IsString() @Length(1, 200)
  name?: string | null;

  @ApiPropertyOptional({ type: String, description: `${CLEARS}; one of email or phone must remain`, example: 'li.wei@example.com', nullable: true })
  @IsOptional() @IsEmail() @MaxLength(MAX_EMAIL_LENGTH)
  email?: string | null;

  @ApiPropertyOptional({ type: String, description: `E.164; ${CLEARS}; one of email or phone must remain`, example: '+8613800000000', nullable: true })
  @IsOptional() @Matches(E164, { message: 'phone must be E.164: + and up to 15 digits, e.g. +8613800000000' })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, description: CLEARS, nullable: true })
  @IsOptional() @IsString() @MaxLength(500)
  address?: string | null;

  @ApiPropertyOptional({ type: String, description: CLEARS, example: 'outlet-7', nullable: true })
  @IsOptional() @IsId()
  outletId?: string | null;

  @ApiPropertyOptional({ type: String, description: `calendar date YYYY-MM-DD, year 1900 or later, not after occurredAt; ${CLEARS}`, format: 'date', example: '1990-05-17', nullable: true })
  @IsOptional() @IsString()
  birthday?: string | null;

  @ApiPropertyOptional(nullableObject(PREFERENCES_PROPERTIES, [], { description: `replaced whole (not merged); ${CLEARS}` }))
  @IsOptional() @ValidateNested() @Type(() => PreferencesDto)
  preferences?: PreferencesDto | null;

  @ApiPropertyOptional({ type: [String], description: `replaced whole; at most ${MAX_TAGS}, each trimmed to 1–40 characters, duplicates removed; ${CLEARS}`, example: ['vip', 'wine'], nullable: true })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_TAGS) @IsString({ each: true })
  tags?: string[] | null;

  @ApiPropertyOptional({ type: String, description: `who looks after the customer; ${CLEARS}`, example: 'agent-wang', nullable: true })
  @IsOptional() @IsString() @Length(1, 128)
  accountManager?: string | null;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
