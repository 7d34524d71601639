/** Reads a command's context from its HTTP request: who, which idempotency key, which revision, which correlation. */
import { hash, randomUUID } from 'node:crypto';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { nameBasedEventId } from '../event-store/event-id';
import { ProblemError } from '../http/problem';
import { canonicalJson } from '../shared/canonical-json';
import type { CommandContext } from './execute-customer-command';

const HEADER_VALUE = /^[\x21-\x7e]{1,128}$/;

function header(request: AuthenticatedRequest, name: string): string | null {
  const value = request.headers[name];
  if (value === undefined) return null;
  if (typeof value !== 'string' || !HEADER_VALUE.test(value))
    throw new ProblemError(400, 'VALIDATION_FAILED', `${name} must be 1–128 visible ASCII characters`, [{ field: name, message: 'invalid header' }]);
  return value;
}

/** `"<revision>"`: run only at that revision; `*`: run only if the customer exists (RFC 9110). */
function ifMatch(request: AuthenticatedRequest): bigint | 'exists' | null {
  const value = header(request, 'if-match');
  if (value === null) return null;
  if (value === '*') return 'exists';
  const match = /^(?:W\/)?"?(\d{1,18})"?$/.exec(value);
  if (!match) throw new ProblemError(400, 'VALIDATION_FAILED', 'If-Match must be a revision such as "3", or *', [{ field: 'if-match', message: 'not a revision' }]);
  return BigInt(match[1]);
}

export function commandContext(request: AuthenticatedRequest, route: string, now: Date): CommandContext {
  const idempotencyKey = header(request, 'idempotency-key');
  return {
    requestId: randomUUID(),
    correlationId: header(request, 'x-correlation-id') ?? randomUUID(),
    actor: request.actor,
    idempotencyKey,
    route,
    commandHash: hash('sha256', canonicalJson({ route, body: request.body ?? null }), 'hex'),
    expectedRevision: ifMatch(request),
    now,
  };
}

/**
 * An id the client left out: derived from the idempotency key when there is one, so that a retry
 * targets the same customer / complaint / visit; random otherwise.
 */
export function generatedId(context: CommandContext, field: string): string {
  return context.idempotencyKey === null ? randomUUID() : nameBasedEventId(`${context.actor.name}\u0000${context.idempotencyKey}\u0000${field}`);
}
