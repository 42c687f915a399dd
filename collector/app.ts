// The collector as a fastify plugin: no I/O on import; server.ts (or the
// all-in-one stack) supplies the publisher and listens.
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import secureJson from 'secure-json-parse';
import { PublishError, type EventPublisher } from './kafka-publisher.ts';
import { collectRoute } from './routes/collect.ts';
import { trackerScriptRoute } from './routes/tracker-script.ts';

export interface CollectorOptions {
  publisher: EventPublisher;
  trackerScript: string;
  bodyLimitBytes: number;
  maxEventsPerBatch: number;
  /** Serve the demo shop at /demo/ (npm start does; production need not). */
  demoDir?: string;
  now?: () => number;
}

/** JSON bodies, whether labelled application/json or text/plain (sendBeacon). */
function parseJsonBody(_req: unknown, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) {
  try {
    // Rejects __proto__ / constructor.prototype keys instead of honouring them.
    done(null, secureJson.parse(body.toString(), undefined, { protoAction: 'error', constructorAction: 'error' }));
  } catch (err) {
    const error = new Error(`invalid JSON: ${(err as Error).message}`) as FastifyError;
    (error as { statusCode: number }).statusCode = 400;
    done(error);
  }
}

export const collectorPlugin: FastifyPluginAsync<CollectorOptions> = async (app, opts) => {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  for (const type of ['application/json', 'text/plain']) {
    app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: opts.bodyLimitBytes }, parseJsonBody);
  }

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof PublishError) {
      request.log.error({ err: error }, 'could not publish events to Kafka');
      return reply.code(503).header('retry-after', '5').send({ error: 'temporarily unavailable, retry later' });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'collector error');
      return reply.code(500).send({ error: 'internal error' });
    }
    return reply.code(status).send({ error: error.message });
  });

  await app.register(collectRoute, {
    publisher: opts.publisher,
    maxEventsPerBatch: opts.maxEventsPerBatch,
    ...(opts.now ? { now: opts.now } : {}),
  });
  await app.register(trackerScriptRoute, { script: opts.trackerScript });
  if (opts.demoDir) {
    await app.register(fastifyStatic, { root: opts.demoDir, prefix: '/demo/', decorateReply: false });
  }
};
