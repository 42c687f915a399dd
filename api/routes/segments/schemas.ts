// JSON schemas of the segments API (TypeBox): fastify validates queries and
// serialises answers with them, @fastify/swagger publishes them at /docs.
import { Type, type TSchema } from '@sinclair/typebox';
import { FEATURE_NAMES } from '../../wire/params.ts';
import { LIFECYCLE_STAGES, PRICE_BANDS } from '../../segments/profile-tags.ts';
import { RFM_SEGMENTS } from '../../segments/rfm-segments.ts';

const StringEnum = <T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

const Count = (description?: string) => Type.Integer({ minimum: 0, ...(description ? { description } : {}) });
const Ratio = (description: string) => Type.Number({ minimum: 0, description });
const EpochMs = (description: string) => Type.Integer({ description: `${description}, epoch ms` });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const AsOf = Type.Optional(
  Type.String({
    maxLength: 40,
    description: "the instant recency is measured from, and the end of the window (exclusive): epoch ms or ISO 8601; without an offset read in the API's TIME_ZONE",
    examples: ['2011-12-10', '2017-12-04T00:00:00+08:00', '1323475200000'],
  }),
);
const WindowDays = Type.Optional(
  Type.Integer({ minimum: 1, maximum: 36_500, description: 'only the last window_days before as_of (default: all history)' }),
);
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }));
const Offset = Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, default: 0 }));

export const RfmQuery = Type.Object({ as_of: AsOf, window_days: WindowDays });

export const RfmUsersQuery = Type.Object({
  segment: Type.Optional(
    Type.String({
      maxLength: 64,
      description: `a segment name or key: ${RFM_SEGMENTS.map((s) => `${s.name} (${s.key})`).join(', ')}; absent = every scored user`,
    }),
  ),
  limit: Limit,
  offset: Offset,
  as_of: AsOf,
  window_days: WindowDays,
});

export const ClusterUsersQuery = Type.Object({
  cluster: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, description: 'cluster number (0 = the largest); absent = every clustered user' })),
  limit: Limit,
  offset: Offset,
});

export const ProfileParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 128, description: 'user_id, or the anonymous_id of a visitor never identified' }),
});
export const ProfileQuery = Type.Object({
  as_of: Type.Optional(
    Type.String({ maxLength: 40, description: 'describe the user as of this instant (events before it; default now): epoch ms or ISO 8601' }),
  ),
});

const RunFields = {
  source: StringEnum(['job', 'live'] as const, { description: 'job: the newest run of the job; live: computed for this request (as_of or window_days given)' }),
  computed_at: Nullable(EpochMs('when the job ran (null when live)')),
  as_of: EpochMs('recency is measured from here'),
  window_days: Nullable(Type.Integer({ description: 'null = all history before as_of' })),
};

const Scores = Type.Object({ r: Type.Number(), f: Type.Number(), m: Type.Number() });
const Distribution = Type.Array(Count(), { minItems: 5, maxItems: 5, description: 'users with score 1, 2, 3, 4, 5' });

export const RfmReply = Type.Object({
  ...RunFields,
  users: Count('users with a paid order in the window'),
  paid_orders: Count(),
  monetary: Type.Number({ description: 'sum of paid order amounts, shop currency' }),
  score_means: Type.Object(Scores.properties, { description: 'mean score per dimension; a score above it is high' }),
  score_distribution: Type.Object({ r: Distribution, f: Distribution, m: Distribution }),
  segments: Type.Array(
    Type.Object({
      segment: Type.String(),
      key: Type.String(),
      rule: Type.String(),
      users: Count(),
      share: Ratio('users / all scored users'),
      avg_recency_days: Type.Number(),
      avg_frequency: Type.Number(),
      avg_monetary: Type.Number(),
      monetary: Type.Number(),
      monetary_share: Ratio('monetary / all monetary'),
    }),
  ),
});

export const RfmUsersReply = Type.Object({
  ...RunFields,
  segment: Nullable(Type.String()),
  total: Count('users matching, before limit/offset'),
  users: Type.Array(
    Type.Object({
      user_id: Type.String({ description: 'user_id, or anonymous_id for a visitor never identified' }),
      last_order_at: EpochMs('newest paid order'),
      recency_days: Type.Number(),
      frequency: Count(),
      monetary: Type.Number(),
      r_score: Type.Integer({ minimum: 1, maximum: 5 }),
      f_score: Type.Integer({ minimum: 1, maximum: 5 }),
      m_score: Type.Integer({ minimum: 1, maximum: 5 }),
      segment: Type.String(),
    }),
  ),
});

const FeatureRecord = (description: string) =>
  Type.Object(Object.fromEntries(FEATURE_NAMES.map((f) => [f, Type.Number()])), { description });

export const ClustersReply = Type.Object({
  computed_at: EpochMs('when the job ran'),
  as_of: EpochMs('recency is measured from here'),
  window_days: Nullable(Type.Integer()),
  users: Count('clustered users'),
  k: Type.Integer({ description: 'the number of clusters kept (highest silhouette)' }),
  seed: Type.Integer(),
  runs_per_k: Type.Integer({ description: 'k-means++ restarts per k, the lowest inertia kept' }),
  fit_users: Count('users the model was fitted on (a seeded sample beyond the cap)'),
  silhouette_users: Count('users the silhouette was computed on'),
  features: Type.Array(Type.Object({ name: Type.String(), transform: Type.String(), description: Type.String() })),
  k_scores: Type.Array(
    Type.Object({
      k: Type.Integer(),
      inertia: Type.Number({ description: 'sum of squared distances to the nearest centre (the elbow curve)' }),
      silhouette: Nullable(Type.Number()),
      chosen: Type.Boolean(),
    }),
  ),
  clusters: Type.Array(
    Type.Object({
      cluster: Type.Integer(),
      label: Type.String(),
      label_key: Type.String(),
      users: Count(),
      share: Ratio('users / clustered users'),
      means: FeatureRecord('mean of each feature over the cluster, original units'),
      centroid_z: FeatureRecord('the cluster centre in z-scores of the transformed features'),
    }),
  ),
});

export const ClusterUsersReply = Type.Object({
  computed_at: EpochMs('when the job ran'),
  cluster: Nullable(Type.Integer()),
  total: Count('users matching, before limit/offset'),
  users: Type.Array(
    Type.Object({
      user_id: Type.String(),
      cluster: Type.Integer(),
      label: Type.String(),
      recency_days: Type.Number(),
      frequency: Count(),
      monetary: Type.Number(),
      avg_dwell_ms: Type.Number(),
      cart_rate: Type.Number(),
      favorite_rate: Type.Number(),
      category_breadth: Count(),
      distance: Type.Number({ description: 'to the cluster centre, standardised units (nearest first)' }),
    }),
  ),
});

export const ProfileReply = Type.Object({
  user_id: Type.String(),
  as_of: EpochMs('the profile describes the events before this'),
  time_zone: Type.String(),
  first_seen_at: EpochMs('first event'),
  last_seen_at: EpochMs('last event before as_of'),
  events: Count(),
  sessions: Count(),
  paid_orders: Count(),
  monetary: Type.Number(),
  lifecycle: Type.Object({
    stage: StringEnum(LIFECYCLE_STAGES),
    days_since_first_event: Type.Number(),
    days_since_last_event: Type.Number(),
  }),
  preferred_categories: Type.Array(
    Type.Object({ category_id: Type.String(), score: Count('1 per view, 2 per favourite, 3 per cart add, 5 per paid item'), views: Count(), favorites: Count(), cart_adds: Count(), purchases: Count() }),
  ),
  price_band: Nullable(
    Type.Object({
      band: StringEnum(PRICE_BANDS),
      median_price: Type.Number({ description: "median price of the products the user touched" }),
      shop_lower_tercile: Type.Number(),
      shop_upper_tercile: Type.Number(),
    }),
  ),
  active_hours: Type.Array(Type.Object({ hour: Type.Integer({ minimum: 0, maximum: 23 }), events: Count(), share: Ratio('of the user’s events') })),
  device: Nullable(Type.Object({ device: Type.String(), os: Type.String(), browser: Type.String(), share: Ratio('events on this device / events with a device') })),
  location: Nullable(Type.Object({ province: Type.String(), city: Type.String(), share: Ratio('events from this province / events with one') })),
  rfm: Nullable(
    Type.Object({
      segment: Type.String(),
      r_score: Type.Integer(),
      f_score: Type.Integer(),
      m_score: Type.Integer(),
      recency_days: Type.Number(),
      frequency: Count(),
      monetary: Type.Number(),
      computed_at: EpochMs('the rfm run'),
    }),
  ),
  cluster: Nullable(Type.Object({ cluster: Type.Integer(), label: Type.String(), label_key: Type.String(), computed_at: EpochMs('the clusters run') })),
});

const ErrorReply = Type.Object({ error: Type.String() });

export const segmentsRouteSchema = (summary: string, reply: TSchema, extra: { querystring?: TSchema; params?: TSchema; description?: string }) => ({
  tags: ['segments'],
  summary,
  ...(extra.description ? { description: extra.description } : {}),
  security: [{ bearerAuth: [] }],
  ...(extra.querystring ? { querystring: extra.querystring } : {}),
  ...(extra.params ? { params: extra.params } : {}),
  response: { 200: reply, 400: ErrorReply, 401: ErrorReply, 404: ErrorReply },
});
