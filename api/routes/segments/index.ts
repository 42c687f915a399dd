// GET /api/segments/*: RFM segments and K-Means clusters (from the newest job
// runs, or RFM live for another as-of or window), and GET /api/users/:id/profile.
// Registered inside /api, so the bearer token applies. docs/segments.md.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { queryClusterRun } from '../../queries/segments/cluster-profiles.ts';
import { queryClusterUsers } from '../../queries/segments/cluster-users.ts';
import { queryLatestRun, type SegmentRun } from '../../queries/segments/latest-run.ts';
import type { RfmSource } from '../../queries/segments/rfm-source.ts';
import { queryRfmSummary } from '../../queries/segments/rfm-summary.ts';
import { queryRfmUsers } from '../../queries/segments/rfm-users.ts';
import { queryUserProfile } from '../../queries/segments/user-profile.ts';
import { findSegment, RFM_SEGMENTS } from '../../segments/rfm-segments.ts';
import { AnalysisQueryError, parseInstant } from '../analysis/parse-query.ts';
import {
  ClustersReply,
  ClusterUsersQuery,
  ClusterUsersReply,
  ProfileParams,
  ProfileQuery,
  ProfileReply,
  RfmQuery,
  RfmReply,
  RfmUsersQuery,
  RfmUsersReply,
  segmentsRouteSchema,
} from './schemas.ts';
import { CLUSTER_FEATURES } from '../../wire/params.ts';

export interface SegmentRoutesOptions {
  clickhouse: ClickHouseClient;
  /** IANA zone for as_of without an offset and for active hours (TIME_ZONE) */
  timeZone: string;
  /** the clock for as_of defaults (tests pin it) */
  now?: () => number;
}

interface RfmSourceInfo {
  source: RfmSource;
  fields: { source: 'job' | 'live'; computed_at: number | null; as_of: number; window_days: number | null };
}

const noRun = (reply: FastifyReply, job: string) =>
  reply.code(404).send({ error: `no ${job} run yet: POST /api/jobs/${job}/run computes one` });

export const segmentRoutes: FastifyPluginAsync<SegmentRoutesOptions> = async (app, opts) => {
  const { clickhouse, timeZone } = opts;
  const now = opts.now ?? Date.now;

  /** The newest rfm run, or a live computation when as_of or window_days is given; null when neither exists. */
  async function rfmSource(query: { as_of?: string; window_days?: number }): Promise<RfmSourceInfo | null> {
    if (query.as_of !== undefined || query.window_days !== undefined) {
      const asOfMs = query.as_of !== undefined ? parseInstant(query.as_of, timeZone, 'as_of') : now();
      const window = { asOfMs, ...(query.window_days !== undefined ? { windowDays: query.window_days } : {}) };
      return { source: { kind: 'live', window }, fields: { source: 'live', computed_at: null, as_of: asOfMs, window_days: query.window_days ?? null } };
    }
    const run = await queryLatestRun(clickhouse, 'rfm');
    if (!run) return null;
    return {
      source: { kind: 'run', computedAt: run.computedAt },
      fields: { source: 'job', computed_at: run.computedAt, as_of: run.asOf, window_days: run.windowDays },
    };
  }

  app.get<{ Querystring: Static<typeof RfmQuery> }>(
    '/segments/rfm',
    {
      schema: segmentsRouteSchema('RFM segments: users, shares and averages per segment', RfmReply, {
        querystring: RfmQuery,
        description:
          'From the newest run of the rfm job; with as_of or window_days, computed live over the paid orders in [as_of − window_days, as_of). ' +
          'Scores 1–5 are the fifth of the percent rank (ties share the lowest rank); a score above the mean score is high.',
      }),
    },
    async (request, reply) => {
      const info = await rfmSource(request.query);
      if (!info) return noRun(reply, 'rfm');
      return { ...info.fields, ...(await queryRfmSummary(clickhouse, info.source)) };
    },
  );

  app.get<{ Querystring: Static<typeof RfmUsersQuery> }>(
    '/segments/rfm/users',
    {
      schema: segmentsRouteSchema('The users of an RFM segment, biggest spenders first', RfmUsersReply, { querystring: RfmUsersQuery }),
    },
    async (request, reply) => {
      const q = request.query;
      const segment = q.segment === undefined ? undefined : findSegment(q.segment);
      if (q.segment !== undefined && !segment) {
        throw new AnalysisQueryError(`segment: unknown ${JSON.stringify(q.segment)}; expected one of ${RFM_SEGMENTS.map((s) => `${s.name} (${s.key})`).join(', ')}`);
      }
      const info = await rfmSource(q);
      if (!info) return noRun(reply, 'rfm');
      const page = await queryRfmUsers(clickhouse, {
        source: info.source,
        ...(segment ? { segment: segment.name } : {}),
        limit: q.limit ?? 100,
        offset: q.offset ?? 0,
      });
      return { ...info.fields, segment: segment?.name ?? null, ...page };
    },
  );

  app.get(
    '/segments/clusters',
    {
      schema: segmentsRouteSchema('K-Means user clusters: profiles, labels, and inertia and silhouette per k', ClustersReply, {
        description: 'From the newest run of the clusters job. Cluster 0 is the largest.',
      }),
    },
    async (_request, reply) => {
      const run = await queryLatestRun(clickhouse, 'clusters');
      if (!run) return noRun(reply, 'clusters');
      const { profiles, kScores } = await queryClusterRun(clickhouse, run.computedAt);
      return {
        computed_at: run.computedAt,
        as_of: run.asOf,
        window_days: run.windowDays,
        users: run.users,
        ...runDetails(run),
        features: CLUSTER_FEATURES.map((f) => ({ ...f })),
        k_scores: kScores,
        clusters: profiles,
      };
    },
  );

  app.get<{ Querystring: Static<typeof ClusterUsersQuery> }>(
    '/segments/clusters/users',
    { schema: segmentsRouteSchema('The users of a cluster, nearest to its centre first', ClusterUsersReply, { querystring: ClusterUsersQuery }) },
    async (request, reply) => {
      const run = await queryLatestRun(clickhouse, 'clusters');
      if (!run) return noRun(reply, 'clusters');
      const q = request.query;
      const page = await queryClusterUsers(clickhouse, {
        computedAt: run.computedAt,
        ...(q.cluster !== undefined ? { cluster: q.cluster } : {}),
        limit: q.limit ?? 100,
        offset: q.offset ?? 0,
      });
      return { computed_at: run.computedAt, cluster: q.cluster ?? null, ...page };
    },
  );

  app.get<{ Params: Static<typeof ProfileParams>; Querystring: Static<typeof ProfileQuery> }>(
    '/users/:id/profile',
    {
      schema: segmentsRouteSchema('A user’s profile tags: categories, price band, hours, device, place, lifecycle, RFM segment, cluster', ProfileReply, {
        params: ProfileParams,
        querystring: ProfileQuery,
        description: 'Tags from the user’s events before as_of (default now); rfm and cluster from the newest job runs (null when the user is not in them).',
      }),
    },
    async (request, reply) => {
      const asOfMs = request.query.as_of !== undefined ? parseInstant(request.query.as_of, timeZone, 'as_of') : now();
      const profile = await queryUserProfile(clickhouse, { userKey: request.params.id, asOfMs, timeZone });
      if (!profile) return reply.code(404).send({ error: `no events of user ${JSON.stringify(request.params.id)} before as_of` });
      return profile;
    },
  );
};

function runDetails(run: SegmentRun) {
  const d = run.details;
  const int = (value: unknown) => (typeof value === 'number' ? value : 0);
  return {
    k: int(d.k),
    seed: int(d.seed),
    runs_per_k: int(d.runs_per_k),
    fit_users: int(d.fit_users),
    silhouette_users: int(d.silhouette_users),
  };
}
