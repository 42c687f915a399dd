// The collector as a fastify plugin: no I/O on import; server.ts (or the
// all-in-one stack) supplies the publisher and listens.
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { wellFormedReviver } from './contract/well-formed.ts';
import type { CollectorConfig } from './config.ts';
import type { EventPublisher } from './delivery/durable-publisher.ts';
import { createIp2RegionSearch } from './ip2region-search.ts';
import { PublishError } from './delivery/kafka-sender.ts';
import { createCollectorMetrics, type CollectorMetrics } from './metrics.ts';
import { collectRoute } from './routes/collect.ts';
import { metricsRoute } from './routes/metrics.ts';
import { readyzRoute } from './routes/readyz.ts';
import { trackerScriptRoute } from './routes/tracker-script.ts';
import { SpoolFullError } from './delivery/spool.ts';
import { exceedsJsonDepth } from './steps/check-json-depth.ts';
import { createAddressMatcher } from './steps/client-address.ts';
import type { RegionSearch } from './steps/lookup-geo.ts';

/** The slice of the collector config the HTTP side uses. */
export type CollectorHttpConfig = Pick<
  CollectorConfig,
  'bodyLimitBytes' | 'maxEventsPerBatch' | 'maxJsonDepth' | 'maxFutureMs' | 'maxPastMs' | 'corsOrigins' | 'rateLimit' | 'trustedProxies' | 'botHeadless'
>;

export interface CollectorOptions {
  publisher: EventPublisher;
  trackerScript: string;
  config: CollectorHttpConfig;
  /** Shared with the publisher so /metrics shows both; a fresh registry when omitted. */
  metrics?: CollectorMetrics;
  /** IP → region; ip2region's bundled database when omitted. */
  searchRegion?: RegionSearch;
  /** Serve the demo shop at /demo/ (npm start does; production need not). */
  demoDir?: string;
  now?: () => number;
}

/** A whole request refused before any event was looked at; `reason` labels the metric. */
class BodyError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly reason: 'invalid_json' | 'too_deep',
    message: string,
  ) {
    super(message);
  }
}

/** JSON bodies, whether labelled application/json or text/plain (sendBeacon). */
function createJsonBodyParser(maxDepth: number) {
  return (_req: unknown, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    const text = body.toString();
    // Before parsing: JSON.parse builds the whole nesting (or overflows the stack) first.
    if (exceedsJsonDepth(text, maxDepth)) return done(new BodyError('too_deep', `JSON nested deeper than ${maxDepth} levels`));
    try {
      // Rejects __proto__ / constructor.prototype keys instead of honouring them.
      done(null, secureJson.parse(text, wellFormedReviver(text), { protoAction: 'error', constructorAction: 'error' }));
    } catch (err) {
      done(new BodyError('invalid_json', `invalid JSON: ${(err as Error).message}`));
    }
  };
}

const REJECTED_BY_STATUS: Record<number, string> = { 413: 'body_too_large', 415: 'unsupported_media_type', 429: 'rate_limited' };

const isCollectRequest = (request: FastifyRequest) => request.routeOptions.url?.startsWith('/collect') === true;

export const collectorPlugin: FastifyPluginAsync<CollectorOptions> = async (app, opts) => {
  const { config } = opts;
  const metrics = opts.metrics ?? createCollectorMetrics();
  const parseJsonBody = createJsonBodyParser(config.maxJsonDepth);
  app.removeContentTypeParser(['application/json', 'text/plain']);
  for (const type of ['application/json', 'text/plain']) {
    app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: config.bodyLimitBytes }, parseJsonBody);
  }

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const count = (reason: string) => isCollectRequest(request) && metrics.requestsRejected.inc({ reason });
    if (error instanceof SpoolFullError) {
      count('spool_full'); // logged once by the publisher when the spool filled up
      return reply.code(503).header('retry-after', '30').send({ error: 'temporarily unavailable, retry later' });
    }
    if (error instanceof PublishError) {
      count('unavailable');
      request.log.error({ err: error }, 'could not publish events to Kafka or the spool');
      return reply.code(503).header('retry-after', '5').send({ error: 'temporarily unavailable, retry later' });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'collector error');
      return reply.code(500).send({ error: 'internal error' });
    }
    count(error instanceof BodyError ? error.reason : (REJECTED_BY_STATUS[status] ?? 'bad_request'));
    return reply.code(status).send({ error: error.message });
  });

  await app.register(collectRoute, {
    prefix: '/collect',
    publisher: opts.publisher,
    limits: {
      maxEvents: config.maxEventsPerBatch,
      maxFutureMs: config.maxFutureMs,
      maxPastMs: config.maxPastMs,
    },
    enrich: { searchRegion: opts.searchRegion ?? createIp2RegionSearch(), bots: { headless: config.botHeadless } },
    isTrustedProxy: createAddressMatcher(config.trustedProxies),
    corsOrigins: config.corsOrigins,
    rateLimit: config.rateLimit,
    metrics,
    ...(opts.now ? { now: opts.now } : {}),
  });
  await app.register(readyzRoute, { publisher: opts.publisher });
  await app.register(metricsRoute, { registry: metrics.registry });
  await app.register(trackerScriptRoute, { script: opts.trackerScript });
  if (opts.demoDir) {
    await app.register(fastifyStatic, { root: opts.demoDir, prefix: '/demo/', decorateReply: false });
  }
};
