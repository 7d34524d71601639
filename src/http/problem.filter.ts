import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConcurrencyConflictError, IdempotencyKeyReusedError, RevisionConflictError } from '../commands/command-errors';
import { DomainError, type DomainErrorCode } from '../customer/errors';
import { EvaluationRunningError } from '../evaluation/batch-evaluation';
import { StoreUnavailableError } from '../event-store/event-store.port';
import { QueryTimeoutError } from '../read-store/read-model-store.port';
import { problem, ProblemError, type Problem } from './problem';
import type { RouteTable } from './route-table';

/** HTTP status of each domain refusal. */
export const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  VALIDATION_FAILED: 400,
  CUSTOMER_NOT_FOUND: 404,
  COMPLAINT_NOT_FOUND: 404,
  CUSTOMER_ALREADY_REGISTERED: 409,
  DUPLICATE_PURCHASE: 409,
  DUPLICATE_VISIT: 409,
  DUPLICATE_COMPLAINT: 409,
  COMPLAINT_ALREADY_RESOLVED: 409,
  OCCURRED_AT_TOO_OLD: 422,
  EXCHANGE_RATE_REQUIRED: 422,
  PURCHASE_NOT_FOUND: 404,
  REFUND_EXCEEDS_PURCHASE: 422,
  INSUFFICIENT_POINTS: 422,
  DUPLICATE_REDEMPTION: 409,
  DUPLICATE_REFUND: 409,
  DUPLICATE_ADJUSTMENT: 409,
  COMPLAINT_NOT_RESOLVED: 409, REOPEN_WINDOW_CLOSED: 409, FOLLOW_UP_NOT_FOUND: 404, FOLLOW_UP_CLOSED: 409, DUPLICATE_FOLLOW_UP: 409, DUPLICATE_SURVEY: 409,
};

const logger = new Logger('Errors');

/** Codes of the statuses the HTTP layer (fastify, Node) answers on its own; the rest of 4xx is VALIDATION_FAILED. */
const EDGE_CODES: Record<number, { code: string; detail?: string }> = {
  401: { code: 'UNAUTHENTICATED' },
  403: { code: 'FORBIDDEN' },
  404: { code: 'NOT_FOUND', detail: 'no such resource' },
  405: { code: 'METHOD_NOT_ALLOWED' },
  408: { code: 'REQUEST_TIMEOUT', detail: 'the request was not received in time' },
  413: { code: 'PAYLOAD_TOO_LARGE', detail: 'the request body is larger than the limit' },
  414: { code: 'URI_TOO_LONG', detail: 'the request URL, or a part of its path, is longer than the limit' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'send the body as application/json' },
  429: { code: 'RATE_LIMITED' },
  431: { code: 'HEADERS_TOO_LARGE', detail: 'the request headers are larger than the limit' },
};

/** A problem for a status the HTTP layer chose, with its message as detail unless a fixed one is better. */
function edgeProblem(status: number, message: string | undefined): Problem {
  if (status >= 500) {
    logger.error(`HTTP layer answered ${status}: ${message ?? ''}`);
    return problem(500, 'INTERNAL', 'an unexpected error occurred; nothing was written');
  }
  const known = EDGE_CODES[status];
  if (!known) return problem(400, 'VALIDATION_FAILED', message || 'bad request');
  const detail = status === 415 && message ? `${message}; send the body as application/json` : (known.detail ?? message ?? known.code);
  return problem(status, known.code, detail);
}

/** The one place that turns any error into a problem+json response. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ProblemError) return problem(error.status, error.code, error.message, error.errors, error.extra.members);
  if (error instanceof DomainError)
    return { ...problem(DOMAIN_STATUS[error.code], error.code, error.message, error.field ? [{ field: error.field, message: error.message }] : undefined), ...error.details };
  if (error instanceof RevisionConflictError) return problem(412, 'REVISION_CONFLICT', error.message);
  if (error instanceof ConcurrencyConflictError) return problem(409, 'CONCURRENCY_CONFLICT', error.message);
  if (error instanceof IdempotencyKeyReusedError) return problem(422, 'IDEMPOTENCY_KEY_REUSED', error.message);
  if (error instanceof EvaluationRunningError) return problem(409, 'EVALUATION_RUNNING', error.message);
  if (error instanceof QueryTimeoutError) return problem(422, 'QUERY_TIMEOUT', `${error.message}; narrow the filter to indexed fields or ask for fewer documents`);
  if (error instanceof StoreUnavailableError) return problem(503, 'STORE_UNAVAILABLE', 'a store is unavailable; nothing was written, retry later');
  if (error instanceof HttpException) return edgeProblem(error.getStatus(), error.message);
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) return edgeProblem(fastifyError.statusCode, fastifyError.message);
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return problem(500, 'INTERNAL', 'an unexpected error occurred; nothing was written');
}

export function sendProblem(reply: FastifyReply, body: Problem, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
  void reply.status(body.status).type('application/problem+json').send(body);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  /** `routes`: when given, a path no route serves with the request's method but some route serves otherwise is 405 with Allow. */
  constructor(private readonly routes?: RouteTable) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof NotFoundException && this.routes) {
      const request = host.switchToHttp().getRequest<FastifyRequest>();
      const allowed = this.routes.methodsFor(request.url);
      if (allowed.length > 0 && !allowed.includes(request.method)) {
        const allow = allowed.join(', ');
        sendProblem(reply, problem(405, 'METHOD_NOT_ALLOWED', `${request.method} is not served here; allowed: ${allow}`), { allow });
        return;
      }
    }
    sendProblem(reply, toProblem(error), error instanceof ProblemError ? error.extra.headers : {});
  }
}
