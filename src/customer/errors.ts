/** Why the domain refuses a command; the HTTP edge maps each code to a status in one place. */
export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'CUSTOMER_NOT_FOUND'
  | 'COMPLAINT_NOT_FOUND'
  | 'CUSTOMER_ALREADY_REGISTERED'
  | 'DUPLICATE_PURCHASE'
  | 'DUPLICATE_VISIT'
  | 'DUPLICATE_COMPLAINT'
  | 'COMPLAINT_ALREADY_RESOLVED'
  | 'OCCURRED_AT_TOO_OLD'
  | 'EXCHANGE_RATE_REQUIRED'
  | 'PURCHASE_NOT_FOUND'
  | 'REFUND_EXCEEDS_PURCHASE'
  | 'INSUFFICIENT_POINTS'
  | 'DUPLICATE_REDEMPTION'
  | 'DUPLICATE_REFUND'
  | 'DUPLICATE_ADJUSTMENT'

  | 'COMPLAINT_NOT_RESOLVED' | 'REOPEN_WINDOW_CLOSED' | 'FOLLOW_UP_NOT_FOUND' | 'FOLLOW_UP_CLOSED' | 'DUPLICATE_FOLLOW_UP' | 'DUPLICATE_SURVEY'
  | 'SELF_REFERRAL' | 'REFERRAL_EXISTS' | 'REFERRAL_NOT_ELIGIBLE'
  | 'CUSTOMER_FORGOTTEN';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The command field at fault, for validation errors. */
    readonly field?: string,
    /** Facts the caller can act on (e.g. the points available), added to the problem body. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A refusal of the command's input (400), naming the field. */
export const invalid = (field: string, message: string): DomainError => new DomainError('VALIDATION_FAILED', message, field);
