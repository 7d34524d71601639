/** The OpenAPI document's shared error shape: every operation answers problem+json, with a code from the one list. */
import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CODES, ERROR_STATUS } from './error-codes';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details; `code` says what went wrong (see docs/api.md for when each is sent).',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: ERROR_CODES },
    detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

/** Adds the Problem schema and a 4XX / 5XX problem response to every operation; `/health*` and `/problems*` are public (no security). */
export function withProblems(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  const clientCodes = ERROR_CODES.filter((code) => ERROR_STATUS[code] < 500).join(', ');
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      operation.responses['4XX'] ??= problemResponse(`a refused request (${clientCodes})`);
      operation.responses['5XX'] ??= problemResponse('INTERNAL, STORE_UNAVAILABLE or POSITION_NOT_REACHED; nothing was written');
      if (path.startsWith('/health') || path.startsWith('/problems')) operation.security = [];
    }
  }
  return document;
}
