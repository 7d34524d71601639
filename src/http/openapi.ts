/**
 * The OpenAPI document's conventions, in one place: the route decorators every controller method
 * carries (`@ApiCommandRoute` on commands, `@ApiRoute` on everything else) and `completeOpenApi`,
 * which adds what is the same everywhere (the Problem schema, the problem responses, the shared
 * headers, path parameter shapes, `security: []` on @Public() routes). docs/openapi.json is this document, committed.
 */
import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtension, ApiHeader, ApiOperation, ApiResponse, type OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_EXTENSION, ROLES_EXTENSION } from '../auth/auth.decorators';
import { ERROR_CODES, ERROR_STATUS, type ErrorCode } from './error-codes';
import { PATH_PARAMETER_SCHEMAS } from './params';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details; `code` says what went wrong (see docs/api.md for when each is sent).',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri-reference', description: 'the code\'s problem type, relative to the service: GET it for the description', example: '/problems/customer-not-found' },
    title: { type: 'string', example: 'Not Found' },
    status: { type: 'integer', minimum: 400, maximum: 599, example: 404 },
    code: { type: 'string', enum: ERROR_CODES, example: 'CUSTOMER_NOT_FOUND' },
    detail: { type: 'string', example: 'customer c-1001 is not registered' },
    errors: {
      type: 'array',
      description: 'the fields refused (VALIDATION_FAILED)',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string', example: 'amount' }, message: { type: 'string', example: 'amount must be an integer' } } },
    },
  },
  additionalProperties: true,
};

/** Response headers shared by many routes (components.headers). */
const HEADERS = {
  ETag: { description: 'the customer stream\'s revision after the command, quoted: pass it back as If-Match', schema: { type: 'string', pattern: '^"\\d+"$', example: '"3"' } },
  'X-Correlation-Id': { description: 'the request\'s X-Correlation-Id, or the one generated for it; stored in the events\' metadata', schema: { type: 'string', example: '6f1c2d4e-0a5b-4c3d-9e8f-7a6b5c4d3e2f' } },
  Location: { description: 'the registered customer\'s profile', schema: { type: 'string', format: 'uri-reference', example: '/v1/customers/c-1001' } },
  'X-Projection-Position': { description: 'the global position the read model has applied (empty before its first event): compare with a command\'s `position`', schema: { type: 'string', example: '1200/1200' } },
  'Retry-After': { description: 'seconds until the key\'s token bucket has a token again', schema: { type: 'integer', minimum: 0, example: 1 } },
} as const;

type HeaderName = keyof typeof HEADERS;
const headers = (...names: HeaderName[]) => Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));

const VISIBLE_ASCII = '^[\\x21-\\x7e]{1,128}$';

/** Codes every route that needs a key can answer (listed as responses of their statuses); a @Public() route answers only INTERNAL of them. */
const KEYED_CODES: ErrorCode[] = ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED', 'INTERNAL'];

const NEEDS_A_KEY: ErrorCode[] = ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED'];

/** What every command can answer besides its own domain refusals. */
const COMMAND_CODES: ErrorCode[] = [
  'VALIDATION_FAILED',
  'CUSTOMER_FORGOTTEN',
  'CONCURRENCY_CONFLICT',
  'REVISION_CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'IDEMPOTENCY_KEY_REUSED',
  'OCCURRED_AT_TOO_OLD',
  'STORE_UNAVAILABLE',
];

/** What a read-model route can answer besides its own: a bad query, a wait not met, a store down. */
const READ_MODEL_CODES: ErrorCode[] = ['VALIDATION_FAILED', 'POSITION_NOT_REACHED', 'STORE_UNAVAILABLE'];

/** The extension the route decorators record their problem codes in; completeOpenApi turns it into responses. */
const CODES_EXTENSION = 'x-problem-codes';

interface RouteDocs {
  /** Unique, camelCase: the client generators' method name. */
  operationId: string;
  summary: string;
  description?: string;
  /** Codes this route answers besides the ones of its kind (listed under their statuses). */
  errors?: ErrorCode[];
}

export interface CommandRouteDocs extends RouteDocs {
  /** The response body (a CommandResultDto). */
  result: Type<unknown>;
  /** A registration: its 201 carries Location. */
  creates?: boolean;
  /** The status when the command appended: 201 (default), 200 for the erasure. */
  changedStatus?: 200 | 201;
  /** Not a customer's command on an existing customer (registration): no CUSTOMER_NOT_FOUND. */
  newCustomer?: boolean;
}

/**
 * A command route: its body answers both 201 (appended) and 200 (nothing changed: a replay, a
 * re-sent command, nothing due), with ETag and X-Correlation-Id; the request headers
 * Idempotency-Key, If-Match and X-Correlation-Id.
 */
export function ApiCommandRoute({ operationId, summary, description, errors = [], result, creates = false, changedStatus = 201, newCustomer = false }: CommandRouteDocs): MethodDecorator {
  const answered = [...KEYED_CODES, ...COMMAND_CODES, ...(newCustomer ? [] : (['CUSTOMER_NOT_FOUND'] as ErrorCode[])), ...errors];
  const decorators = [
    ApiOperation({ operationId, summary, ...(description ? { description } : {}) }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key, route and body answers the first response (200); another route or body is 422 IDEMPOTENCY_KEY_REUSED', schema: { type: 'string', pattern: VISIBLE_ASCII, example: 'order-7781-points' } }),
    ApiHeader({ name: 'If-Match', required: false, description: '`"<revision>"`: run only at that stream revision (the ETag of the last response), else 412 REVISION_CONFLICT; `*`: only if the customer exists', schema: { type: 'string', pattern: '^(\\*|(W/)?"?\\d{1,18}"?)$', example: '"3"' } }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'stored in the events\' metadata and echoed; generated when absent', schema: { type: 'string', pattern: VISIBLE_ASCII, example: 'req-2026-11-24-0001' } }),
    ApiResponse({ status: 200, type: result, description: changedStatus === 200 ? 'appended (or nothing changed: a replay answers the first response)' : 'nothing changed, nothing appended: a replayed or re-sent command', headers: headers('ETag', 'X-Correlation-Id') }),
    ApiExtension(CODES_EXTENSION, unique(answered)),
  ];
  if (changedStatus === 201) decorators.push(ApiResponse({ status: 201, type: result, description: 'appended', headers: headers('ETag', 'X-Correlation-Id', ...(creates ? (['Location'] as const) : [])) }));
  return applyDecorators(...decorators);
}

export interface ReadRouteDocs extends RouteDocs {
  /** The JSON body's schema: a DTO class (or `[Dto]` for an array); omit with `content`. */
  type?: Type<unknown> | [Type<unknown>];
  /** 200 (default) or 202 (accepted, runs on). */
  status?: 200 | 202;
  /** A read-model route: waitForPosition, X-Projection-Position, 504 POSITION_NOT_REACHED. */
  readModel?: boolean;
  /** A body that is not JSON (NDJSON exports, Prometheus text): its media type and schema. */
  content?: { mediaType: string; schema: Record<string, unknown>; example?: unknown };
  /** Other documented responses (e.g. 503 of /health with the same body). */
  also?: { status: number; description: string }[];
}

/** Any route but a command: its success body and status, the headers it sets, the problems it answers. */
export function ApiRoute({ operationId, summary, description, errors = [], type, status = 200, readModel = false, content, also = [] }: ReadRouteDocs): MethodDecorator {
  const answered = [...KEYED_CODES, ...(readModel ? READ_MODEL_CODES : []), ...errors];
  const responseHeaders = readModel ? headers('X-Projection-Position') : undefined;
  const success = content
    ? ApiResponse({ status, description: summary, content: { [content.mediaType]: { schema: content.schema, ...(content.example === undefined ? {} : { example: content.example }) } }, ...(responseHeaders ? { headers: responseHeaders } : {}) })
    : ApiResponse({ status, description: status === 202 ? 'accepted: runs on in the background' : 'OK', type: Array.isArray(type) ? type[0] : type, isArray: Array.isArray(type), ...(responseHeaders ? { headers: responseHeaders } : {}) });
  return applyDecorators(
    ApiOperation({ operationId, summary, ...(description ? { description } : {}) }),
    success,
    ...also.map((other) => ApiResponse({ status: other.status, description: other.description, type: Array.isArray(type) ? type[0] : type })),
    ApiExtension(CODES_EXTENSION, unique(answered)),
  );
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];

const problemContent = (schema: Record<string, unknown>) => ({ 'application/problem+json': { schema } });
const problemResponse = (description: string) => ({ description, content: problemContent({ $ref: '#/components/schemas/Problem' }) });

/** A status's problem response, its `code` narrowed to the codes the route answers with that status. */
function codesResponse(codes: ErrorCode[]) {
  return {
    description: codes.join(', '),
    content: problemContent({ allOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'object', properties: { code: { type: 'string', enum: codes } } }] }),
    ...(codes.includes('RATE_LIMITED') ? { headers: headers('Retry-After') } : {}),
  };
}

/**
 * What is the same on every operation: the Problem schema and shared headers; under each status
 * the route answers (`x-problem-codes`) a problem response naming its codes, plus 4XX / 5XX for
 * the edge's own (405, 408, 414, 431, …); path parameter shapes; @Public() routes without security.
 */
export function completeOpenApi(document: OpenAPIObject): OpenAPIObject {
  const clientCodes = ERROR_CODES.filter((code) => ERROR_STATUS[code] < 500).join(', ');
  // Problem responses are components, one per status and set of codes, referenced by the operations.
  const responses: Record<string, unknown> = {
    ClientProblem: problemResponse(`another refusal of the HTTP layer (any of ${clientCodes})`),
    ServerProblem: problemResponse('INTERNAL, STORE_UNAVAILABLE or POSITION_NOT_REACHED; nothing was written'),
  };
  const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const extensions = operation as unknown as Record<string, unknown>;
      const open = extensions[PUBLIC_EXTENSION] === true;
      delete extensions[PUBLIC_EXTENSION];
      // A @Public() route: no key, no rate limit, so none of their refusals.
      const codes = ((extensions[CODES_EXTENSION] as ErrorCode[] | undefined) ?? []).filter((code) => !open || !NEEDS_A_KEY.includes(code));
      delete extensions[CODES_EXTENSION];
      const byStatus = new Map<number, ErrorCode[]>();
      for (const code of codes) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
      for (const [status, listed] of [...byStatus].sort(([a], [b]) => a - b)) {
        const sorted = [...listed].sort();
        const name = `Problem${status}.${sorted.join('.')}`;
        responses[name] ??= codesResponse(sorted);
        operation.responses[String(status)] ??= responseRef(name);
      }
      operation.responses['4XX'] ??= responseRef('ClientProblem');
      operation.responses['5XX'] ??= responseRef('ServerProblem');
      if (open) operation.security = [];
      const roles = extensions[ROLES_EXTENSION] as string[] | undefined;
      const who = open ? 'No key needed.' : roles ? `Key role: ${roles.join(' or ')}${roles.includes('admin') ? '' : ' (admin may use every route)'}.` : undefined;
      if (who) operation.description = operation.description ? `${operation.description}\n\n${who}` : who;
      for (const parameter of operation.parameters ?? []) {
        if (!('in' in parameter) || parameter.in !== 'path') continue;
        const schema = PATH_PARAMETER_SCHEMAS[parameter.name];
        if (schema) parameter.schema = { ...parameter.schema, ...schema };
      }
    }
  }
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA },
    headers: { ...document.components?.headers, ...HEADERS },
    responses: { ...document.components?.responses, ...(responses as NonNullable<OpenAPIObject['components']>['responses']) },
  };
  return document;
}
