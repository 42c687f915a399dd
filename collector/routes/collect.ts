import type { FastifyPluginAsync } from 'fastify';
import { acceptBatch } from '../steps/accept-batch.ts';
import { anonymiseIp } from '../steps/anonymise-ip.ts';
import type { EventPublisher } from '../kafka-publisher.ts';

export interface CollectRouteOptions {
  publisher: EventPublisher;
  maxEventsPerBatch: number;
  now?: () => number;
}

const MAX_USER_AGENT = 1024;

// Beacons are sent cross-origin from shop pages. sendBeacon with text/plain is
// a "simple" request (no preflight); a fetch with application/json needs the
// preflight answered below. Reading the response is never needed by the tracker.
const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '86400',
};

export const collectRoute: FastifyPluginAsync<CollectRouteOptions> = async (app, opts) => {
  const now = opts.now ?? Date.now;

  app.options('/collect', async (_request, reply) => reply.headers(corsHeaders).code(204).send());

  app.post('/collect', async (request, reply) => {
    reply.headers(corsHeaders);
    const receivedAt = now();
    const outcome = acceptBatch(
      request.body,
      {
        received_at: receivedAt,
        user_agent: (request.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT),
        client_ip: anonymiseIp(request.ip),
      },
      opts.maxEventsPerBatch,
    );
    if (!outcome.ok) return reply.code(400).send({ error: outcome.error });
    // Reply only after Kafka acknowledged: a 2xx (or the `accepted` count of a
    // 400) is a promise that those events are durable.
    if (outcome.accepted.length > 0) await opts.publisher.publish(outcome.accepted);
    if (outcome.rejected.length > 0) {
      request.log.info({ accepted: outcome.accepted.length, rejected: outcome.rejected.length }, 'rejected invalid events');
      return reply.code(400).send({ accepted: outcome.accepted.length, rejected: outcome.rejected });
    }
    return reply.code(200).send({ accepted: outcome.accepted.length });
  });
};
