// The API as a fastify plugin: health, the /live WebSocket, authenticated
// /api/* routes, and the built big screen at /.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { isCancelled, limitExceeded, withRequestSignal, WorkloadBusyError, type Workloads } from '../infra/clickhouse/workload.ts';
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
  /** The live wall's queries run as the live class, the routes as analyst, the jobs as jobs (infra/clickhouse/workload.ts). */
  workloads: Workloads;
  config: ApiConfig & { apiToken: string };
  /** Built big screen (dist/bigscreen); served at / when present. */
  bigscreenDir: string;
  /** The processor group's Kafka consumer lag for the wall; absent or null = unknown. */
  consumerLag?: () => Promise<number | null>;
}

export const apiPlugin: FastifyPluginAsync<ApiOptions> = async (app, opts) => {
  const { config, workloads } = opts;
  const analyst = workloads.client('analyst');
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // The analyst class is full: come back later.
    if (error instanceof WorkloadBusyError) {
      request.log.info({ workload: error.workload }, 'query refused: class full');
      return reply.code(429).header('retry-after', String(error.retryAfterS)).send({ error: error.message, code: error.code });
    }
    // A query over its class's limits is the request's problem, not the server's.
    const limit = limitExceeded(error);
    if (limit) {
      request.log.info({ limit: limit.limit }, 'query stopped by a limit');
      return reply.code(limit.status).send({ error: limit.message, code: 'QUERY_LIMIT', limit: limit.limit });
    }
    // Its client went away and the query was stopped: nobody reads the answer.
    if (isCancelled(error)) return reply.code(499).send({ error: 'cancelled' });
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
  await app.register(healthRoute, { clickhouse: workloads.client('live') });

  const runner = createJobRunner({
    jobs: createAllJobs(config),
    clickhouse: workloads.client('jobs'),
    // A failed query's entry stays in chDB's system.processes with its peak until the next: the peak is kept either way.
    sampleMemory: async () => Math.max(0, ...(await workloads.running('jobs')).map((q) => q.peakMemoryBytes)),
    timeZone: config.timeZone,
    intervalMs: config.jobsIntervalMs,
    log: app.log,
  });
  app.addHook('onClose', async () => runner.stop());

  await app.register(
    async (api) => {
      api.addHook('onRequest', bearerAuth(config.apiToken));
      // Every query a request starts stops when its client goes away before the
      // answer. preHandler: the body has been read, so the handler runs inside.
      api.addHook('preHandler', (_request, reply, done) => {
        const gone = new AbortController();
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) gone.abort();
        });
        withRequestSignal(gone.signal, done);
      });
      await api.register(sqlRoute, { workloads, maxResultRows: config.sql.maxResultRows });
      await api.register(analysisRoutes, {
        prefix: '/analysis',
        clickhouse: analyst,
        timeZone: config.timeZone,
        attributionLookbackDays: config.attributionLookbackDays,
      });
      await api.register(jobRoutes, { runner });
      await api.register(segmentRoutes, { clickhouse: analyst, timeZone: config.timeZone });
      await api.register(recommendationRoutes, { prefix: '/recommendations', clickhouse: analyst, settings: recommendationSettings(config) });
    },
    { prefix: '/api' },
  );

  // The wall's view-only token or the analyst token; the socket gets it in its
  // first message (never in the URL), so no access log can record it.
  const feed = attachLiveFeed(app.server, {
    path: '/live',
    intervalMs: config.liveIntervalMs,
    computeSnapshot: createSnapshotSource({
      client: workloads.client('live'),
      timeZone: config.timeZone,
      attributionLookbackDays: config.attributionLookbackDays,
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
