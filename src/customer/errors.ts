/** Why the domain refuses a command; the HTTP edge maps each code to a status in one place. */
export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'CUSTOMER_NOT_FOUND'
  | 'COMPLAINT_NOT_FOUND'
  | 'CUSTOMER_ALREADY_REGISTERED'
  | 'DUPLICATE_PURCHASE'
  | 'DUPLICATE_VISIT'
  | 'DUPLICATE_COMPLAINT'
  | 'COMPLAINT_ALREADY_RESOLVED';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The command field at fault, for validation errors. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
