import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { SURVEY_CHANNELS } from '../../customer/events';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { IsId } from '../../../src/shared/ids';

export class AnswerSurveyDto {
  @ApiPropertyOptional({ description: 'generated when omitted' })
  @IsOptional() @IsId()
  surveyId?: string;

  @ApiProperty({ description: 'NPS: how likely to recommend, 0–10', type: 'integer', minimum: 0, maximum: 10, example: 9 })
  @IsInt() @Min(0) @Max(10)
  score!: number;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @Length(1, 4000)
  comment?: string;

  @ApiProperty({ enum: SURVEY_CHANNELS })
  @IsIn(SURVEY_CHANNELS)
  channel!: (typeof SURVEY_CHANNELS)[number];

  @ApiPropertyOptional({ example: 'outlet-7' })
  @IsOptional() @IsId()
  outletId?: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
