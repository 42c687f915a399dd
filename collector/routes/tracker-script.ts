import type { FastifyPluginAsync } from 'fastify';

export interface TrackerScriptOptions {
  /** The minified tracker, built once at start-up (tracker/build-tracker.ts). */
  script: string;
}

export const trackerScriptRoute: FastifyPluginAsync<TrackerScriptOptions> = async (app, opts) => {
  app.get('/t.js', async (_request, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      // Short cache: shops pick up tracker fixes within minutes.
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .send(opts.script),
  );
};
