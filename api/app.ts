// The API as a fastify plugin: health, the /live WebSocket, authenticated
// /api/* routes, and the built big screen at /.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { ApiConfig } from './config.ts';
import { attachLiveFeed } from './live/live-feed.ts';
import { createSnapshotSource } from './live/snapshot-source.ts';
import { createTokenCheck } from './live/token-check.ts';
import { analysisRoutes } from './routes/analysis/index.ts';
import { openApiOptions, swaggerUiOptions } from './routes/analysis/openapi.ts';
import { bearerAuth } from './routes/bearer-auth.ts';
import { healthRoute } from './routes/health.ts';
import { sqlRoute } from './routes/sql.ts';
import { createAllJobs, recommendationSettings } from './jobs/index.ts';
import { createJobRunner } from './jobs/job-runner.ts';
import { jobRoutes } from './routes/jobs.ts';
import { segmentRoutes } from './routes/segments/index.ts';
import { recommendationRoutes } from './routes/recommendations/index.ts';

export interface ApiOptions {
  clickhouse: ClickHouseClient;
  readOnlyClickhouse: ClickHouseClient;
  /** Its own connection: analytics jobs run long queries and must not hold up ingestion. */
  jobsClickhouse: ClickHouseClient;
  config: ApiConfig & { apiToken: string };
  /** Built big screen (dist/bigscreen); served at / when present. */
  bigscreenDir: string;
  /** The processor group's Kafka consumer lag for the wall; absent or null = unknown. */
  consumerLag?: () => Promise<number | null>;
}

export const apiPlugin: FastifyPluginAsync<ApiOptions> = async (app, opts) => {
  const { config } = opts;
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'api error');
      return reply.code(500).send({ error: 'internal error' });
    }
    return reply.code(status).send({ error: error.message });
  });
  // Before the routes: @fastify/swagger documents the routes registered after it.
  await app.register(fastifySwagger, openApiOptions);
  await app.register(fastifySwaggerUi, swaggerUiOptions);
  await app.register(healthRoute, { clickhouse: opts.clickhouse });

  const runner = createJobRunner({
    jobs: createAllJobs(config),
    clickhouse: opts.jobsClickhouse,
    timeZone: config.timeZone,
    intervalMs: config.jobsIntervalMs,
    log: app.log,
  });
  app.addHook('onClose', async () => runner.stop());

  await app.register(
    async (api) => {
      api.addHook('onRequest', bearerAuth(config.apiToken));
      await api.register(sqlRoute, {
        readOnlyClient: opts.readOnlyClickhouse,
        maxExecutionTimeS: config.sql.maxExecutionTimeS,
        maxResultRows: config.sql.maxResultRows,
      });
      await api.register(analysisRoutes, { prefix: '/analysis', clickhouse: opts.clickhouse, timeZone: config.timeZone });
      await api.register(jobRoutes, { runner });
      await api.register(segmentRoutes, { clickhouse: opts.clickhouse, timeZone: config.timeZone });
      await api.register(recommendationRoutes, { prefix: '/recommendations', clickhouse: opts.clickhouse, settings: recommendationSettings(config) });
    },
    { prefix: '/api' },
  );

  // The wall's view-only token or the analyst token; the socket gets it in its
  // first message (never in the URL), so no access log can record it.
  const feed = attachLiveFeed(app.server, {
    path: '/live',
    intervalMs: config.liveIntervalMs,
    computeSnapshot: createSnapshotSource({
      client: opts.clickhouse,
      timeZone: config.timeZone,
      log: app.log.child({ component: 'live-snapshot' }),
      ...(opts.consumerLag ? { consumerLag: opts.consumerLag } : {}),
    }),
    isAllowedToken: createTokenCheck([config.wallToken, config.apiToken]),
    log: app.log,
  });
  // preClose, not onClose: the HTTP server's close waits for every socket,
  // upgraded WebSockets included, so they must be gone before it starts.
  app.addHook('preClose', async () => feed.close());
  // Registering the plugin starts nothing: the schedule and the snapshot ticks
  // begin once the server listens, so tests build the app and call inject().
  app.addHook('onListen', async () => {
    feed.start();
    runner.start();
  });

  if (existsSync(join(opts.bigscreenDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: opts.bigscreenDir, prefix: '/', decorateReply: false });
  } else {
    app.get('/', async (_request, reply) =>
      reply.code(503).type('text/plain').send('The big screen is not built yet: run `npm run build`.'),
    );
  }
};
