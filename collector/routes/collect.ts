// POST /collect (and its CORS preflight), in a context of its own: CORS and
// the rate limit apply to these routes only, and @fastify/cors' catch-all
// OPTIONS route stays under /collect/ instead of answering for the API.
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import type { RateLimitConfig } from '../config.ts';
import type { EventPublisher } from '../delivery/durable-publisher.ts';
import type { CollectorMetrics } from '../metrics.ts';
import { acceptBatch, type BatchLimits } from '../steps/accept-batch.ts';
import { createAddressMatcher, resolveClientAddress, type AddressMatcher } from '../steps/client-address.ts';
import { KNOWN_BOT_NAMES } from '../steps/detect-bot.ts';
import { enrichRequest, type EnrichDeps } from '../steps/enrich-request.ts';
import { rejectionToFailedEvent } from '../steps/to-failed-event.ts';

export interface CollectRouteOptions {
  publisher: EventPublisher;
  limits: BatchLimits;
  enrich: EnrichDeps;
  isTrustedProxy: AddressMatcher;
  corsOrigins: '*' | string[];
  rateLimit: RateLimitConfig;
  metrics: CollectorMetrics;
  now?: () => number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The full client address (X-Forwarded-For only from trusted proxies); never stored or logged. */
    clientAddress: string;
  }
}

export const collectRoute: FastifyPluginAsync<CollectRouteOptions> = async (app, opts) => {
  const now = opts.now ?? Date.now;
  const { metrics } = opts;

  app.decorateRequest('clientAddress', '');
  app.addHook('onRequest', async (request) => {
    request.clientAddress = resolveClientAddress(request.socket.remoteAddress ?? '', request.headers['x-forwarded-for'], opts.isTrustedProxy);
  });

  // Beacons come from shop pages on other origins. sendBeacon with text/plain
  // is a "simple" request (no preflight); fetch with application/json needs
  // the preflight answered. With an origin list, a browser on another origin
  // is refused outright: CORS alone only hides the response from it.
  const allowedOrigins = opts.corsOrigins === '*' ? undefined : new Set(opts.corsOrigins);
  await app.register(cors, {
    origin: allowedOrigins ? [...allowedOrigins] : '*',
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['content-type'],
    // The tracker reads Retry-After of a 429/503 to time its retry.
    exposedHeaders: ['retry-after'],
    maxAge: 86_400,
    strictPreflight: false,
  });
  if (allowedOrigins) {
    app.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (request.method === 'POST' && origin !== undefined && !allowedOrigins.has(origin)) {
        metrics.requestsRejected.inc({ reason: 'origin_not_allowed' });
        return reply.code(403).send({ error: 'origin not allowed' });
      }
    });
  }

  if (opts.rateLimit.max > 0) {
    const isAllowListed = createAddressMatcher(opts.rateLimit.allowList);
    await app.register(rateLimit, {
      max: opts.rateLimit.max,
      timeWindow: opts.rateLimit.windowMs,
      keyGenerator: (request) => request.clientAddress,
      allowList: (_request, key) => isAllowListed(key),
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: `rate limit of ${context.max} requests per ${context.after} exceeded`,
      }),
    });
  }

  app.options('/', async (_request, reply) => reply.code(204).send());

  app.post('/', async (request, reply) => {
    const receivedAt = now();
    const enrichment = enrichRequest(
      { receivedAt, userAgent: request.headers['user-agent'] ?? '', clientAddress: request.clientAddress },
      opts.enrich,
    );
    const outcome = acceptBatch(request.body, enrichment, opts.limits);
    if (!outcome.ok) {
      metrics.requestsRejected.inc({ reason: outcome.reason });
      return reply.code(400).send({ error: outcome.error });
    }
    const { accepted, rejected } = outcome;
    metrics.eventsReceived.inc(outcome.received);
    // Reply only after Kafka acknowledged or the spool fsync'ed: a 2xx (or the
    // `accepted` count of a 400) is a promise that those events are durable.
    const delivery = await opts.publisher.publish({ enrichment, events: accepted, failed: rejected.map((r) => rejectionToFailedEvent(r, receivedAt)) });

    metrics.eventsAccepted.inc(accepted.length);
    for (const r of rejected) metrics.eventsRejected.inc({ reason: r.reason });
    if (enrichment.bot && accepted.length > 0) {
      metrics.botEvents.inc({ bot: KNOWN_BOT_NAMES.has(enrichment.bot) ? enrichment.bot : 'other' }, accepted.length);
    }
    const spooled = delivery === 'spool' ? { spooled: true } : {};
    if (rejected.length > 0) {
      request.log.info({ accepted: accepted.length, rejected: rejected.length }, 'rejected invalid events');
      return reply.code(400).send({
        accepted: accepted.length,
        ...spooled,
        rejected: rejected.map(({ index, event_id, reason, errors }) => ({ index, event_id, reason, errors })),
      });
    }
    // 202: on disk, not yet in Kafka (it will be, in order, once Kafka is back).
    return reply.code(delivery === 'spool' ? 202 : 200).send({ accepted: accepted.length, ...spooled });
  });
};
