/** RFC 9457 problem details: the one error shape of the API (codes in error-codes.ts and docs/api.md). */
import type { ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  /** Extension members of a problem type (e.g. `position` of POSITION_NOT_REACHED). */
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** An error the edge answers with a problem: application rules (idempotency, revisions, auth) and bad requests. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    detail: string,
    readonly errors?: FieldError[],
    /** Extension members added to the problem body, and response headers to send with it. */
    readonly extra: { members?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

/** A code's problem type: a URI reference to its description, served by the service (GET /problems/{type}). */
export const problemTypeOf = (code: ErrorCode): string => `/problems/${code.toLowerCase().replace(/_/g, '-')}`;

export function problem(status: number, code: ErrorCode, detail: string, errors?: FieldError[], members: Record<string, unknown> = {}): Problem {
  return {
    ...members,
    type: problemTypeOf(code),
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}
