import type { FastifyPluginAsync } from 'fastify';
import type { EventPublisher } from '../delivery/durable-publisher.ts';

/** GET /readyz for load balancers: 200 while events reach Kafka (or a draining spool), 503 with the reason otherwise. */
export const readyzRoute: FastifyPluginAsync<{ publisher: EventPublisher }> = async (app, opts) => {
  app.get('/readyz', async (_request, reply) => {
    const readiness = opts.publisher.readiness();
    if (readiness.ready) return reply.code(200).send({ status: readiness.status, spooled_messages: readiness.spooled_messages });
    return reply.code(503).send({ status: 'unavailable', reason: readiness.reason, spooled_messages: readiness.spooled_messages });
  });
};
