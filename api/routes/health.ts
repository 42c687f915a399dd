import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyPluginAsync } from 'fastify';

export const healthRoute: FastifyPluginAsync<{ clickhouse: ClickHouseClient }> = async (app, opts) => {
  app.get('/healthz', async (_request, reply) => {
    const ping = await opts.clickhouse.ping();
    if (!ping.success) return reply.code(503).send({ status: 'unavailable', clickhouse: 'down' });
    return { status: 'ok' };
  });
};
