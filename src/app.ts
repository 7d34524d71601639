/** Builds the HTTP app exactly as main.ts serves it; the e2e tests use the same function. */
import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { ApiKeys, loadApiKeys } from './auth/api-keys';
import type { Role } from './auth/roles';
import type { AppConfig } from './config/config';
import { edgeServerOptions, installEdge } from './http/edge';
import { ProblemFilter } from './http/problem.filter';
import { RouteTable } from './http/route-table';
import { completeOpenApi } from './http/openapi';
import { validationPipe } from './http/validation-pipe';
import { Metrics } from './metrics/metrics';
import { endRequestMark, probing, stageEnd, stageStart } from './metrics/stage-probe';
import { LedgerExportThreads } from './queries/export-thread';
import { openRuntime } from './runtime';

export interface CreatedApp {
  app: NestFastifyApplication;
  /** Keys generated on this first start (secrets shown once), empty otherwise. */
  generatedKeys: { name: string; role: Role; secret: string }[];
}

export interface CreateAppOptions {
  /**
   * Nest's own SIGTERM/SIGINT handling (app.close, then the signal re-raised: exit status 143).
   * main.ts turns it off and handles the signals itself (shutdown.ts): a deadline and exit 0.
   */
  shutdownHooks?: boolean;
}

export async function createApp(config: AppConfig, logger: LoggerService | LogLevel[] | false = ['error', 'warn'], options: CreateAppOptions = {}): Promise<CreatedApp> {
  const { keys, generated } = loadApiKeys(config.apiKeys, config.dataDir);
  const runtime = await openRuntime(config, !config.runProjections ? 'none' : config.projectionsThread ? 'thread' : 'here');
  const adapter = new FastifyAdapter(edgeServerOptions(config.bodyLimit));
  // bodyParser: false — the edge installs the one JSON parser (src/http/json-body.ts) and nothing else.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ ...runtime, ledgerExports: new LedgerExportThreads(config), apiKeys: keys, rules: config.rules, evaluationIntervalMinutes: config.evaluationIntervalMinutes, readyMaxLag: config.readyMaxLag }, { waitForPositionMs: config.waitForPositionMs }), adapter, {
    logger,
    abortOnError: false,
    bodyParser: false,
  });
  configureApp(app, config);
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, generatedKeys: generated };
}

/** The edge (body parser, keys, rate limit), pipes, the problem filter and the OpenAPI document: everything an app instance needs. */
export function configureApp(app: NestFastifyApplication, config: Pick<AppConfig, 'rateLimit'>): void {
  const fastify = app.getHttpAdapter().getInstance();
  const routes = new RouteTable();
  // Every key decision is taken on the route fastify matched (the decoded path): the OpenAPI routes
  // are fastify's, outside Nest's guard, and any valid key may read them.
  installEdge(fastify, { keys: app.get(ApiKeys), routes, rateLimit: config.rateLimit });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemFilter(routes));
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request, reply) => {
    const start = stageStart();
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime);
    stageEnd('metrics (onResponse)', start);
  });
  if (probing()) {
    // Bench only (npm run bench -- --only=profile): from the controller's return to the bytes handed to the socket.
    fastify.addHook('onSend', async (request, _reply, payload) => {
      endRequestMark('response (Nest + serialize)', request);
      return payload;
    });
    fastify.addHook('onResponse', async (_request, reply) => {
      stageEnd('request total (wall, onRequest to finish)', { wall: Number(process.hrtime.bigint()) - Math.round(reply.elapsedTime * 1e6), cpu: 0 });
    });
  }
  const document = completeOpenApi(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('customer-ledger')
        .setDescription('Event-sourced customer engine (docs/api.md). The committed copy of this document is docs/openapi.json (`npm run openapi`).')
        .setVersion('1')
        .addServer('/', 'the service itself')
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an API key (opaque), e.g. printed by npm start on first start' })
        .addSecurityRequirements('bearer')
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document);
  Logger.flush();
}
