/** What a command answers, derived from the stream's state after it, so a replayed command answers the same. */
import type { CustomerCommand } from '../customer/commands';
import type { FoldedStream } from '../event-store/customer-stream';

export interface CommandResult {
  customerId: string;
  /** Stream revision after the command (first event = 0). */
  revision: number;
  /** Opaque global position of the command's last event; pass it as `waitForPosition`. */
  position: string | null;
  /** Whether this request appended events (false: an idempotent replay or nothing to do); not sent. */
  changed?: boolean;
  visitId?: string;
  complaintId?: string;
  followUpId?: string;
  surveyId?: string;
  purchaseId?: string;
  pointsEarned?: number;
  tier?: string;
  stage?: string;
  balance?: number;
  appended?: string[];
  refundId?: string;
  redemptionId?: string;
  adjustmentId?: string;
  pointsReversed?: number;
  unrecovered?: number;
  forgottenAt?: string;
  referrerId?: string;
  referredCustomerId?: string;
}

/** `appended`: the events this command appended (the first time), which an evaluation lists by type. */
export function resultOf(command: CustomerCommand, { state, revision, headPosition }: FoldedStream, appended: readonly { type: string }[]): CommandResult {
  const base: CommandResult = { customerId: command.data.customerId, revision: Number(revision ?? -1n), position: headPosition };
  switch (command.type) {
    case 'RecordVisit':
      return { ...base, visitId: command.data.visitId };
    case 'FileComplaint':
    case 'ResolveComplaint':
    case 'AssignComplaint':
    case 'EscalateComplaint':
    case 'ReopenComplaint':
      return { ...base, complaintId: command.data.complaintId };
    case 'ScheduleFollowUp':
      return { ...base, followUpId: command.data.followUpId, ...(command.data.complaintId === null ? {} : { complaintId: command.data.complaintId }) };
    case 'CompleteFollowUp':
    case 'CancelFollowUp':
      return { ...base, followUpId: command.data.followUpId };
    case 'AnswerSurvey':
      return { ...base, surveyId: command.data.surveyId };
    case 'RecordPurchase': {
      const purchase = state.purchases[state.purchaseIndex[command.data.purchaseId]];
      return { ...base, purchaseId: command.data.purchaseId, pointsEarned: purchase?.pointsEarned ?? 0, tier: state.loyalty.tier, stage: state.lifecycle.stage, balance: state.loyalty.balance };
    }
    case 'RefundPurchase': {
      const refund = state.loyalty.refunds[command.data.refundId];
      return { ...base, purchaseId: command.data.purchaseId, refundId: command.data.refundId, pointsReversed: refund?.pointsReversed ?? 0, unrecovered: refund?.unrecovered ?? 0, balance: state.loyalty.balance };
    }
    case 'RedeemPoints':
      return { ...base, redemptionId: command.data.redemptionId, balance: state.loyalty.balance };
    case 'AdjustPoints':
      return { ...base, adjustmentId: command.data.adjustmentId, balance: state.loyalty.balance };
    case 'ChangeTier':
      return { ...base, tier: state.loyalty.tier };
    case 'EvaluateCustomer':
      return { ...base, stage: state.lifecycle.stage, tier: state.loyalty.tier, balance: state.loyalty.balance, appended: appended.map((event) => event.type) };
    case 'RegisterCustomer':
      return { ...base, tier: state.loyalty.tier, stage: state.lifecycle.stage };
    case 'ForgetCustomer':
      return { ...base, forgottenAt: state.privacy.forgottenAt ?? undefined };
    case 'UpdateProfile':
    case 'ChangeConsent':
      return base;
    case 'ReferCustomer':
      return { ...base, referrerId: state.referral.referrerId ?? command.data.referrerId };
    case 'RewardReferral':
      return { ...base, referredCustomerId: command.data.referredCustomerId, balance: state.loyalty.balance };
  }
}
