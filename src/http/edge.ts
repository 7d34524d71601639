/**
 * What the HTTP edge does before a request reaches Nest: the one JSON body parser (limits first),
 * the API key and rate limit decided on the route fastify matched (its decoded path, never the raw
 * URL), and problem+json for the errors fastify and Node answer themselves.
 */
import type { ErrorCode } from './error-codes';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { UNAUTHENTICATED_DETAIL } from '../auth/api-key.guard';
import type { ApiKeys } from '../auth/api-keys';
import { stageEnd, stageStart } from '../metrics/stage-probe';
import { parseJsonBody } from './json-body';
import { problem, ProblemError } from './problem';
import { sendProblem, toProblem } from './problem.filter';
import { RateLimiter } from './rate-limit';
import type { RouteTable } from './route-table';

/** Routes anyone may call without a key (the @Public() routes: load balancers, healthchecks). */
export const PUBLIC_ROUTES = new Set(['/health', '/health/live', '/health/ready', '/problems', '/problems/:type']);

/** Longest path parameter fastify routes; longer answers 414 URI_TOO_LONG (ids are ≤ 64 characters). */
export const MAX_PARAM_LENGTH = 1024;

export interface EdgeSettings {
  keys: ApiKeys;
  routes: RouteTable;
  rateLimit: { perSecond: number; burst: number; limitAdmin: boolean };
}

/** Fastify options of the edge: router limits, and problem+json for URL and connection errors. */
export function edgeServerOptions(bodyLimit: number): FastifyServerOptions {
  return {
    bodyLimit,
    logger: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => sendProblem(reply, toProblem(error)),
    clientErrorHandler: clientError,
  };
}

/** Errors Node raises before there is a request (header overflow, bad request line, timeouts), answered as problem+json. */
function clientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail]: [number, ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'the request line and headers are larger than the limit']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'the request was not received in time']
        : [400, 'VALIDATION_FAILED', 'the request is not valid HTTP'];
  const body = JSON.stringify(problem(status, code, detail));
  if (socket.writable)
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  socket.destroy(error);
}

/** The media type of a JSON merge patch (RFC 7396), accepted besides application/json on PATCH. */
export const MERGE_PATCH = 'application/merge-patch+json';

/** Installs the edge on a fastify instance before any route is registered. */
export function installEdge(fastify: FastifyInstance, { keys, routes, rateLimit }: EdgeSettings): void {
  fastify.addHook('onRoute', (route) => routes.add(route.method, route.url ?? route.path));

  // JSON only: every other media type is 415; a JSON body is checked for its limits before it is parsed.
  // A JSON merge patch (RFC 7396) is JSON too, and is read the same way on PATCH routes only.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(['application/json', MERGE_PATCH], { parseAs: 'string' }, (request, body, done) => {
    const start = stageStart();
    try {
      if (request.method !== 'PATCH' && /^\s*application\/merge-patch\+json/i.test(request.headers['content-type'] ?? ''))
        throw new ProblemError(415, 'UNSUPPORTED_MEDIA_TYPE', `${MERGE_PATCH} is accepted on PATCH only; send application/json`);
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
      if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw new ProblemError(415, 'UNSUPPORTED_MEDIA_TYPE', `JSON is read as UTF-8 only (got charset=${charset})`);
      const parsed = parseJsonBody(body as string);
      stageEnd('body parse', start);
      done(null, parsed);
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  const limiter = new RateLimiter(rateLimit);
  fastify.addHook('onRequest', async (request, reply) => {
    const start = stageStart();
    try {
      return authorize(request, reply);
    } finally {
      stageEnd('http auth (edge)', start);
    }
  });
  const authorize = (request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    const route = request.routeOptions.url;
    // No route: 404 or 405 follows, whoever asks. A public route: no key needed, never limited.
    if (route === undefined || request.is404 || PUBLIC_ROUTES.has(route)) return;
    const actor = keys.authenticateRequest(request);
    if (!actor) {
      sendProblem(reply, problem(401, 'UNAUTHENTICATED', UNAUTHENTICATED_DETAIL));
      return reply;
    }
    if (actor.role === 'admin' && !rateLimit.limitAdmin) return;
    const retryAfter = limiter.take(actor.name);
    if (retryAfter > 0) {
      sendProblem(reply, problem(429, 'RATE_LIMITED', `API key ${actor.name} may send ${rateLimit.perSecond} requests a second (bursts of ${rateLimit.burst}); retry in ${retryAfter} s`), {
        'retry-after': String(retryAfter),
      });
      return reply;
    }
    return undefined;
  };
}
