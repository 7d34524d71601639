/**
 * What the command routes answer (src/commands/command-result.ts CommandResult), for the OpenAPI
 * document: the fields every command answers, and per command the ones it adds.
 */
import { ApiProperty } from '@nestjs/swagger';
import { STAGES } from '../../customer/policies/lifecycle';
import { TIERS } from '../../customer/policies/tiers';
import { CUSTOMER_EVENT_TYPES } from '../../customer/evolve';
import { ID_SCHEMA } from '../../shared/ids';
import type { CommandResult } from '../command-result';

const id = (example: string, description?: string) => ({ ...ID_SCHEMA, example, ...(description ? { description } : {}) });

export class CommandResultDto implements Omit<CommandResult, 'changed'> {
  @ApiProperty(id('c-1001'))
  customerId!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'stream revision after the command (first event = 0); also the ETag', example: 3 })
  revision!: number;

  @ApiProperty({ type: String, nullable: true, pattern: '^\\d{1,20}/\\d{1,20}$', description: 'opaque global position of the stream\'s last event: pass it as `waitForPosition` to read your write', example: '1200/1200' })
  position!: string | null;
}

export class RegistrationResultDto extends CommandResultDto {
  @ApiProperty({ enum: TIERS, example: 'standard' })
  tier!: string;

  @ApiProperty({ enum: STAGES, example: 'prospect' })
  stage!: string;
}

export class VisitResultDto extends CommandResultDto {
  @ApiProperty(id('v-1'))
  visitId!: string;
}

export class ComplaintResultDto extends CommandResultDto {
  @ApiProperty(id('cmp-1'))
  complaintId!: string;
}

export class FollowUpResultDto extends CommandResultDto {
  @ApiProperty(id('fu-1'))
  followUpId!: string;
}

export class ScheduledFollowUpResultDto extends FollowUpResultDto {
  @ApiProperty({ ...id('cmp-1', 'the complaint the follow-up is about (reason complaint)'), required: false })
  complaintId?: string;
}

export class SurveyResultDto extends CommandResultDto {
  @ApiProperty(id('s-1'))
  surveyId!: string;
}

export class PurchaseResultDto extends CommandResultDto {
  @ApiProperty(id('p-20261124-0001'))
  purchaseId!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'points the purchase earned', example: 100 })
  pointsEarned!: number;

  @ApiProperty({ enum: TIERS, example: 'standard' })
  tier!: string;

  @ApiProperty({ enum: STAGES, example: 'new' })
  stage!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'points balance after the purchase', example: 100 })
  balance!: number;
}

export class RefundResultDto extends CommandResultDto {
  @ApiProperty(id('p-20261124-0001'))
  purchaseId!: string;

  @ApiProperty(id('r-20261124-0001'))
  refundId!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'points taken back', example: 50 })
  pointsReversed!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'points that could not be taken back (already spent)', example: 0 })
  unrecovered!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 50 })
  balance!: number;
}

export class RedemptionResultDto extends CommandResultDto {
  @ApiProperty(id('rd-20261124-0001'))
  redemptionId!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0 })
  balance!: number;
}

export class AdjustmentResultDto extends CommandResultDto {
  @ApiProperty(id('adj-0001'))
  adjustmentId!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 300 })
  balance!: number;
}

export class TierResultDto extends CommandResultDto {
  @ApiProperty({ enum: TIERS, example: 'gold' })
  tier!: string;
}

export class EvaluationResultDto extends CommandResultDto {
  @ApiProperty({ enum: STAGES, example: 'at_risk' })
  stage!: string;

  @ApiProperty({ enum: TIERS, example: 'silver' })
  tier!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0 })
  balance!: number;

  @ApiProperty({ type: 'string', enum: CUSTOMER_EVENT_TYPES, isArray: true, description: 'the event types this evaluation appended, in order (empty: nothing was due)', example: ['LifecycleStageChanged'] })
  appended!: string[];
}

export class ReferralResultDto extends CommandResultDto {
  @ApiProperty({ type: String, description: 'the referrer recorded on the referred customer (customerId is the referred customer)', example: 'c-1' })
  referrerId!: string;
}

export class ForgetResultDto extends CommandResultDto {
  @ApiProperty({ type: String, format: 'date-time', required: false, description: 'when the personal data was erased', example: '2026-11-24T10:00:00.000Z' })
  forgottenAt?: string;
}
