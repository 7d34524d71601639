/**
 * The OpenAPI document served at /docs-json is one a client generator can use: valid, clean under
 * Redocly's recommended rules, every operation with its success schema, headers and problem
 * codes; and docs/openapi.json plus the generated client types are that document, committed.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { ERROR_STATUS, type ErrorCode } from '../../src/http/error-codes';
import { ID_PATTERN } from '../../src/shared/ids';
import { documentText, generatedTypes, GENERATED_TYPES, OPENAPI_JSON } from '../../scripts/openapi-document';
import { startTestApp, type TestApp } from '../support/test-app';

interface Operation {
  operationId?: string;
  summary?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; schema?: Record<string, unknown> }[];
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }>; headers?: Record<string, unknown> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }> };
  security?: unknown[];
}

/** What class-validator records of a property's check (its MetadataStorage is not typed for reading). */
interface ValidationMetadata {
  name?: string;
  propertyName: string;
  constraints: unknown[];
  each: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const COMMAND_METHODS = ['post', 'put', 'patch', 'delete'];

/**
 * Redocly's recommended ruleset, as is. A rule turned off here needs the reason next to it; none
 * is (info-license stays a warning: the service is UNLICENSED and names no license to point at).
 */
const LINT_RULES: Record<string, 'off' | 'warn' | 'error'> = {};

let t: TestApp;
let document: Document;
let served: string;

beforeAll(async () => {
  t = await startTestApp();
  const response = await t.http().get('/docs-json').set(t.as('writer')).expect(200);
  served = response.text;
  document = JSON.parse(served) as Document;
});
afterAll(() => t.destroy());

const operations = (): [string, string, Operation][] =>
  Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).filter(([method]) => METHODS.includes(method)).map(([method, op]) => [path, method, op] as [string, string, Operation]));

describe('the OpenAPI document', () => {
  it('is valid OpenAPI (swagger-parser)', async () => {
    await expect(SwaggerParser.validate(JSON.parse(served))).resolves.toBeDefined();
  });

  it('has no errors under Redocly\'s recommended rules (warnings counted and printed)', async () => {
    const config = await createConfig({ extends: ['recommended'], rules: LINT_RULES });
    const problems = await lintFromString({ source: served, absoluteRef: 'docs-json.json', config });
    const describe = (problem: (typeof problems)[number]) => `${problem.ruleId} at ${problem.location[0]?.pointer ?? '?'}: ${problem.message}`;
    const warnings = problems.filter((problem) => problem.severity === 'warn');
    console.log(`Redocly recommended: ${warnings.length} warning(s)${warnings.map((w) => `\n  ${describe(w)}`).join('')}`);
    expect(problems.filter((problem) => problem.severity === 'error').map(describe)).toEqual([]);
  });

  it('names and summarises every operation, with unique operationIds', () => {
    const ids = operations().map(([path, method, op]) => {
      expect({ path, method, operationId: typeof op.operationId, summary: typeof op.summary }).toEqual({ path, method, operationId: 'string', summary: 'string' });
      return op.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(40);
  });

  it('gives every operation a 2xx response with a schema', () => {
    for (const [path, method, op] of operations()) {
      const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      expect({ path, method, successes: success.length > 0 }).toEqual({ path, method, successes: true });
      for (const [status, response] of success) {
        const media = Object.values(response.content ?? {});
        expect({ path, method, status, schemas: media.length > 0 && media.every((m) => m.schema !== undefined) }).toEqual({ path, method, status, schemas: true });
      }
    }
  });

  it('gives every success body an example: on the media type, or on every property of its schema', () => {
    const schemas = document.components.schemas as Record<string, { properties?: Record<string, Record<string, unknown>> }>;
    const refOf = (schema: Record<string, unknown>): string | undefined => {
      const ref = (schema.$ref ?? (schema.allOf as { $ref?: string }[] | undefined)?.[0]?.$ref ?? (schema.items as { $ref?: string } | undefined)?.$ref) as string | undefined;
      return ref?.split('/').pop();
    };
    const missing: string[] = [];
    const seen = new Set<string>();
    const walk = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const [property, schema] of Object.entries(schemas[name]?.properties ?? {})) {
        const ref = refOf(schema);
        if (ref) walk(ref);
        else if (schema.example === undefined) missing.push(`${name}.${property}`);
      }
    };
    for (const [path, method, op] of operations())
      for (const [status, response] of Object.entries(op.responses).filter(([s]) => /^2/.test(s)))
        for (const media of Object.values(response.content ?? {}) as { schema?: Record<string, unknown>; example?: unknown }[]) {
          const ref = media.schema && refOf(media.schema);
          if (ref) walk(ref);
          else if (media.example === undefined) missing.push(`${method} ${path} ${status}`);
        }
    expect(missing).toEqual([]);
  });

  it('documents the commands: 201 and 200 with ETag and X-Correlation-Id, the request headers, Location on registration', () => {
    const commands = operations().filter(([path, method]) => path.startsWith('/v1/customers') && COMMAND_METHODS.includes(method));
    expect(commands.length).toBeGreaterThanOrEqual(20);
    for (const [path, method, op] of commands) {
      const headers = (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
      expect({ path, method, headers }).toEqual({ path, method, headers: expect.arrayContaining(['Idempotency-Key', 'If-Match', 'X-Correlation-Id']) });
      const statuses = method === 'delete' ? ['200'] : ['200', '201'];
      for (const status of statuses) expect({ path, status, headers: Object.keys(op.responses[status]?.headers ?? {}) }).toEqual({ path, status, headers: expect.arrayContaining(['ETag', 'X-Correlation-Id']) });
    }
    expect(Object.keys(document.paths['/v1/customers'].post.responses['201'].headers ?? {})).toContain('Location');
    expect(document.paths['/v1/customers/{customerId}/personal-data'].delete.responses['201']).toBeUndefined();
  });

  it('documents waitForPosition and X-Projection-Position on every read-model route', () => {
    const reads = operations().filter(([, , op]) => (op.parameters ?? []).some((p) => p.in === 'query' && p.name === 'waitForPosition'));
    expect(reads.map(([path]) => path)).toEqual(expect.arrayContaining(['/v1/customers/{customerId}', '/v1/read-models/{collection}', '/v1/complaints', '/v1/analytics/rfm']));
    for (const [path, , op] of reads) expect({ path, headers: Object.keys(op.responses['200'].headers ?? {}) }).toEqual({ path, headers: ['X-Projection-Position'] });
  });

  it('lists problem codes under their own status, and keeps 4XX / 5XX problem+json for the rest', () => {
    // Problem responses are components (#/components/responses/…), shared by the operations.
    const resolve = (response: Operation['responses'][string] & { $ref?: string }): Operation['responses'][string] =>
      response.$ref ? (document.components as unknown as { responses: Record<string, Operation['responses'][string]> }).responses[response.$ref.split('/').pop()!] : response;
    for (const [path, method, op] of operations()) {
      expect({ path, method, ranges: ['4XX', '5XX'].map((range) => Object.keys(resolve(op.responses[range]).content ?? {})) }).toEqual({ path, method, ranges: [['application/problem+json'], ['application/problem+json']] });
      for (const [status, response] of Object.entries(op.responses).filter(([s]) => /^[45]\d\d$/.test(s)).map(([s, r]) => [s, resolve(r)] as const)) {
        const schema = response.content?.['application/problem+json']?.schema as { allOf?: { properties?: { code?: { enum: ErrorCode[] } } }[] } | undefined;
        if (!schema) continue; // a 503 of /health: its own body
        for (const code of schema.allOf?.[1]?.properties?.code?.enum ?? []) expect({ path, code, status: ERROR_STATUS[code] }).toEqual({ path, code, status: Number(status) });
      }
    }
    const register = document.paths['/v1/customers'].post.responses;
    expect(JSON.stringify(resolve(register['409']))).toContain('CUSTOMER_ALREADY_REGISTERED');
    expect(document.components.schemas.Problem.properties?.type).toMatchObject({ type: 'string', format: 'uri-reference' });
  });

  it('types what the server checks: integers, instants, ids, enums', () => {
    const schemas = document.components.schemas;
    expect(schemas.RecordPurchaseDto.properties?.amount).toMatchObject({ type: 'integer' });
    expect(schemas.LineItemDto.properties?.quantity).toMatchObject({ type: 'integer' });
    expect(schemas.RedeemPointsDto.properties?.points).toMatchObject({ type: 'integer' });
    expect(schemas.ResolveComplaintDto.properties?.satisfaction).toMatchObject({ type: 'integer' });
    expect(schemas.AnswerSurveyDto.properties?.score).toMatchObject({ type: 'integer', minimum: 0, maximum: 10 });
    expect(schemas.RecordPurchaseDto.properties?.occurredAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(schemas.RecordPurchaseDto.properties?.purchaseId).toMatchObject({ pattern: '^[A-Za-z0-9_-]{1,64}$', maxLength: 64 });
    expect(schemas.FileComplaintDto.properties?.severity).toMatchObject({ enum: ['low', 'normal', 'high', 'urgent'] });
    expect(schemas.ChangeTierDto.properties?.tier).toMatchObject({ enum: ['standard', 'silver', 'gold'] });
    const history = document.paths['/v1/customers/{customerId}/events'].get.parameters ?? [];
    expect(history.find((p) => p.name === 'limit')?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
    expect(history.find((p) => p.name === 'customerId')?.schema).toMatchObject({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
    const consent = document.paths['/v1/customers/{customerId}/consents/{channel}'].put.parameters ?? [];
    expect(consent.find((p) => p.name === 'channel')?.schema).toMatchObject({ enum: ['email', 'sms', 'phone', 'app', 'wechat'] });
    expect(document.paths['/v1/read-models/{collection}'].get.parameters?.find((p) => p.name === 'collection')?.schema?.enum).toContain('customer_profiles');
  });

  it('documents what every validator checks: IsInt an integer, IsIn an enum, IsInstant a date-time, an id its pattern', () => {
    const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, ValidationMetadata[]> };
    const queryParameters = new Map<string, Record<string, unknown>[]>();
    for (const [, , op] of operations()) for (const p of op.parameters ?? []) if (p.in === 'query' && p.schema) queryParameters.set(p.name, [...(queryParameters.get(p.name) ?? []), p.schema]);
    const expected: Record<string, (schema: Record<string, unknown>, m: ValidationMetadata) => boolean> = {
      isInt: (schema) => schema.type === 'integer',
      isIn: (schema, m) => Array.isArray(schema.enum) && [...(schema.enum as unknown[])].sort().join() === [...(m.constraints[0] as unknown[])].sort().join(),
      isInstant: (schema) => schema.format === 'date-time',
      isLocalDate: (schema) => schema.format === 'date',
      matches: (schema, m) => (m.constraints[0] as RegExp).source !== ID_PATTERN.source || schema.pattern === ID_PATTERN.source,
    };
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const [target, metadatas] of storage.validationMetadatas) {
      const properties = document.components.schemas[target.name]?.properties;
      for (const m of metadatas) {
        const check = m.name === undefined ? undefined : expected[m.name];
        if (!check) continue;
        // A body DTO is a schema of its own; a query DTO's properties are parameters, named alike
        // on the routes that share them (from, to, status, …): one of them must match.
        const schemas = properties ? [properties[m.propertyName]] : queryParameters.get(m.propertyName) ?? [];
        if (schemas.length === 0) continue; // a DTO the document does not use
        const where = `${target.name}.${m.propertyName} (${m.name})`;
        checked.push(where);
        const matches = schemas.some((schema) => {
          const own = m.each ? (schema?.items as Record<string, unknown> | undefined) : schema;
          return own !== undefined && check(own, m);
        });
        if (!matches) wrong.push(`${where}: ${JSON.stringify(schemas)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked.length).toBeGreaterThan(50);
  });

  it('is public where the service is (@Public()): /health… and /problems… need no key, the rest a bearer key of the roles it names (x-roles)', () => {
    expect(document.security).toEqual([{ bearer: [] }]);
    const roles = (path: string, method: string) => (document.paths[path][method] as { 'x-roles'?: string[] })['x-roles'];
    expect([roles('/v1/customers/{customerId}/points/adjustments', 'post'), roles('/v1/complaints', 'get'), roles('/v1/customers', 'post')]).toEqual([['admin'], ['analyst', 'writer'], ['writer']]);
    for (const [path, method, op] of operations()) {
      const open = path.startsWith('/health') || path.startsWith('/problems');
      if (!open) expect({ path, method, roles: Array.isArray((op as { 'x-roles'?: unknown })['x-roles']) }).toEqual({ path, method, roles: true });
      if (open) expect({ path, statuses: Object.keys(op.responses).filter((status) => ['401', '403', '429'].includes(status)) }).toEqual({ path, statuses: [] });
      expect({ path, method, open: Array.isArray(op.security) && op.security.length === 0 }).toEqual({ path, method, open });
    }
  });
});

describe('the committed document', () => {
  it('docs/openapi.json is the served document (run `npm run openapi` after changing a route or DTO)', () => {
    expect(readFileSync(OPENAPI_JSON, 'utf8')).toBe(documentText(document));
  });

  it('test/support/generated/api.d.ts is openapi-typescript\'s rendering of it (`npm run openapi`)', () => {
    expect(readFileSync(GENERATED_TYPES, 'utf8')).toBe(generatedTypes(documentText(document)));
  });
});
