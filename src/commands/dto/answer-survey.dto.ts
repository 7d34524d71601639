import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { SURVEY_CHANNELS } from '../../customer/events';
import { INSTANT_DEFAULT_NOW, IsInstant } from '../../http/instant';
import { ID_MESSAGE, ID_PATTERN } from '../../../src/shared/ids';

export class AnswerSurveyDto {
  @ApiPropertyOptional({ description: 'generated when omitted' })
  @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE })
  surveyId?: string;

  @ApiProperty({ description: 'NPS: how likely to recommend, 0–10', minimum: 0, maximum: 10 })
  @IsInt() @Min(0) @Max(10)
  score!: number;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @Length(1, 4000)
  comment?: string;

  @ApiProperty({ enum: SURVEY_CHANNELS })
  @IsIn(SURVEY_CHANNELS)
  channel!: (typeof SURVEY_CHANNELS)[number];

  @ApiPropertyOptional({ example: 'outlet-7' })
  @IsOptional() @Matches(ID_PATTERN, { message: ID_MESSAGE })
  outletId?: string;

  @ApiPropertyOptional({ description: INSTANT_DEFAULT_NOW, format: 'date-time' })
  @IsOptional() @IsInstant()
  occurredAt?: string;
}
