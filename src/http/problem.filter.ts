import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, type DomainErrorCode } from '../customer/errors';
import { StoreUnavailableError } from '../event-store/event-store.port';
import { QueryTimeoutError } from '../read-store/read-model-store.port';
import { problem, ProblemError, type Problem } from './problem';

/** HTTP status of each domain refusal. */
const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  VALIDATION_FAILED: 400,
  CUSTOMER_NOT_FOUND: 404,
  COMPLAINT_NOT_FOUND: 404,
  CUSTOMER_ALREADY_REGISTERED: 409,
  DUPLICATE_PURCHASE: 409,
  DUPLICATE_VISIT: 409,
  DUPLICATE_COMPLAINT: 409,
  COMPLAINT_ALREADY_RESOLVED: 409,
};

const logger = new Logger('Errors');

/** The one place that turns any error into a problem+json response. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ProblemError) return problem(error.status, error.code, error.message, error.errors);
  if (error instanceof DomainError)
    return problem(DOMAIN_STATUS[error.code], error.code, error.message, error.field ? [{ field: error.field, message: error.message }] : undefined);
  if (error instanceof QueryTimeoutError) return problem(422, 'QUERY_TIMEOUT', `${error.message}; narrow the filter to indexed fields or ask for fewer documents`);
  if (error instanceof StoreUnavailableError) return problem(503, 'STORE_UNAVAILABLE', 'a store is unavailable; nothing was written, retry later');
  if (error instanceof HttpException) return fromHttpException(error);
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (fastifyError?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return problem(413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than the limit');
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500)
    return problem(fastifyError.statusCode === 415 ? 415 : 400, 'VALIDATION_FAILED', fastifyError.message ?? 'bad request');
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return problem(500, 'INTERNAL', 'an unexpected error occurred; nothing was written');
}

function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  if (status === 404) return problem(404, 'NOT_FOUND', 'no such resource');
  if (status === 413) return problem(413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than the limit');
  const code = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL';
  return problem(status, code, error.message);
}

export function sendProblem(reply: FastifyReply, body: Problem): void {
  void reply.status(body.status).type('application/problem+json').send(body);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    sendProblem(host.switchToHttp().getResponse<FastifyReply>(), toProblem(error));
  }
}
