/** Builds the HTTP app exactly as main.ts serves it; the e2e tests use the same function. */
import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { UNAUTHENTICATED_DETAIL } from './auth/api-key.guard';
import { ApiKeys, loadApiKeys } from './auth/api-keys';
import type { Role } from './auth/roles';
import type { AppConfig } from './config/config';
import { ProblemFilter, sendProblem } from './http/problem.filter';
import { problem } from './http/problem';
import { validationPipe } from './http/validation-pipe';
import { Metrics } from './metrics/metrics';
import { openRuntime } from './runtime';

export interface CreatedApp {
  app: NestFastifyApplication;
  /** Keys generated on this first start (secrets shown once), empty otherwise. */
  generatedKeys: { name: string; role: Role; secret: string }[];
}

export async function createApp(config: AppConfig, logger: LoggerService | LogLevel[] | false = ['error', 'warn']): Promise<CreatedApp> {
  const { keys, generated } = loadApiKeys(config.apiKeys, config.dataDir);
  const runtime = await openRuntime(config, config.runProjections);
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimit, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ ...runtime, apiKeys: keys, rules: config.rules }), adapter, { logger, abortOnError: false });
  configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, generatedKeys: generated };
}

/** Pipes, the problem filter, body errors and the OpenAPI document: everything an app instance needs. */
export function configureApp(app: NestFastifyApplication): void {
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ProblemFilter());
  const fastify = app.getHttpAdapter().getInstance();
  // The OpenAPI routes are fastify's, outside Nest's guard: any valid key may read them.
  const keys = app.get(ApiKeys);
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime);
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/docs')) return;
    if (keys.authenticateHeader(request.headers.authorization)) return;
    sendProblem(reply, problem(401, 'UNAUTHENTICATED', UNAUTHENTICATED_DETAIL));
    return reply;
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('customer-ledger').setDescription('Event-sourced customer engine (API.md)').setVersion('1').addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, document);
  app.enableShutdownHooks();
  Logger.flush();
}
