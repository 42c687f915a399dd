// GET /api/jobs: what each job did last; POST /api/jobs/:name/run: run one now.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { JobRunner } from '../jobs/job-runner.ts';

const Params = Type.Object({ name: Type.String({ pattern: '^[a-z0-9-]{1,64}$' }) });

export const jobRoutes: FastifyPluginAsync<{ runner: JobRunner }> = async (app, { runner }) => {
  app.get('/jobs', async () => ({ jobs: runner.status() }));
  app.post<{ Params: Static<typeof Params> }>('/jobs/:name/run', { schema: { params: Params } }, async (request, reply) => {
    if (!runner.has(request.params.name)) return reply.code(404).send({ error: `unknown job ${request.params.name}` });
    // Waits for the run: a caller triggering a recompute wants its outcome.
    return { job: await runner.run(request.params.name) };
  });
};
