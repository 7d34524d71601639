/**
 * Every code the API answers with, and its HTTP status: the one list. `problem()` and
 * `ProblemError` take only these codes (so a new one cannot be sent without being listed), the
 * OpenAPI document's Problem schema enumerates them, and a test holds docs/api.md to them.
 */
import type { DomainErrorCode } from '../customer/errors';

/** HTTP status of each domain refusal. */
export const DOMAIN_STATUS = {
  VALIDATION_FAILED: 400,
  CUSTOMER_NOT_FOUND: 404,
  COMPLAINT_NOT_FOUND: 404,
  PURCHASE_NOT_FOUND: 404,
  FOLLOW_UP_NOT_FOUND: 404,
  CUSTOMER_ALREADY_REGISTERED: 409,
  DUPLICATE_PURCHASE: 409,
  DUPLICATE_VISIT: 409,
  DUPLICATE_COMPLAINT: 409,
  DUPLICATE_REDEMPTION: 409,
  DUPLICATE_REFUND: 409,
  DUPLICATE_ADJUSTMENT: 409,
  DUPLICATE_FOLLOW_UP: 409,
  DUPLICATE_SURVEY: 409,
  COMPLAINT_ALREADY_RESOLVED: 409,
  COMPLAINT_NOT_RESOLVED: 409,
  REOPEN_WINDOW_CLOSED: 409,
  FOLLOW_UP_CLOSED: 409,
  REFERRAL_EXISTS: 409,
  CUSTOMER_FORGOTTEN: 410,
  OCCURRED_AT_TOO_OLD: 422,
  EXCHANGE_RATE_REQUIRED: 422,
  REFUND_EXCEEDS_PURCHASE: 422,
  INSUFFICIENT_POINTS: 422,
  SELF_REFERRAL: 422,
  REFERRAL_NOT_ELIGIBLE: 422,
} as const satisfies Record<DomainErrorCode, number>;

/** Codes of the HTTP edge and the application around the domain. */
const EDGE_STATUS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONCURRENCY_CONFLICT: 409,
  EVALUATION_RUNNING: 409,
  REVISION_CONFLICT: 412,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  QUERY_TIMEOUT: 422,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  STORE_UNAVAILABLE: 503,
  POSITION_NOT_REACHED: 504,
} as const;

export const ERROR_STATUS = { ...DOMAIN_STATUS, ...EDGE_STATUS } as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];
