// JSON schemas of the analysis API (TypeBox): fastify validates queries and
// serialises answers with them, @fastify/swagger publishes them at /docs.
import { Type, type TSchema } from '@sinclair/typebox';
import { KpisSchema } from '../../metrics/metrics.ts';
import { EVENT_TYPES } from '../../../collector/contract/events.ts';
import { CHANNELS } from '../../../collector/contract/traffic-sources.ts';
import {
  ACTIVITY_KINDS,
  COHORT_KINDS,
  GRANULARITIES,
  HEATMAP_DAYS,
  MAX_FUNNEL_STEPS,
  MAX_RETENTION_DAYS,
  RANKING_SORTS,
  SOURCE_GROUPS,
  VISITOR_KINDS,
} from '../../wire/params.ts';

const StringEnum = <T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

const Instant = (what: string) =>
  Type.Optional(
    Type.String({
      maxLength: 40,
      description: `${what}: epoch ms or ISO 8601; without an offset the time is read in the API's TIME_ZONE (2017-11-25 = local midnight)`,
      examples: ['2017-11-25', '2017-11-25T08:00:00+08:00', '1511539200000'],
    }),
  );

const Key = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 128, description }));

const filterProperties = {
  from: Instant('start of the range, inclusive'),
  to: Instant('end of the range, exclusive'),
  category: Key('only events about products of this category (product events, order items)'),
  product: Key('only events about this product (product events, order items, reviews)'),
  province: Key('geo_province, as stored (e.g. 广东省)'),
  device: Key('ua_device: desktop, mobile, tablet or other'),
  visitor: Type.Optional(
    StringEnum(VISITOR_KINDS, { default: 'all', description: 'new: first seen at or after `from`; returning: first seen before it' }),
  ),
  channel: Type.Optional(StringEnum(CHANNELS, { description: 'only events whose session came through this channel (README "Traffic sources")' })),
  source: Key('only events whose session came from this source (baidu, wechat, newsletter, …), as stored'),
  campaign: Key('only events whose session came with this utm_campaign'),
};

const eventTypeList = `comma-separated event types (${EVENT_TYPES.join(', ')})`;

export const FilterQuery = Type.Object(filterProperties);

export const TimeSeriesQuery = Type.Object({
  ...filterProperties,
  granularity: Type.Optional(StringEnum(GRANULARITIES, { default: 'day' })),
  types: Type.Optional(Type.String({ maxLength: 400, description: `only these: ${eventTypeList}` })),
});

export const FunnelQuery = Type.Object({
  ...filterProperties,
  steps: Type.Optional(
    Type.String({
      maxLength: 400,
      default: 'product_view,cart_add,order_submit,order_pay',
      description: `2–${MAX_FUNNEL_STEPS} distinct steps in order: ${eventTypeList}`,
    }),
  ),
  window: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 90 * 86_400, default: 86_400, description: 'seconds from a visitor’s first step within which the later steps must happen' }),
  ),
});

export const RetentionQuery = Type.Object({
  from: Instant('cohorts whose first visit/purchase is at or after this'),
  to: Instant('… and before this'),
  cohort: Type.Optional(StringEnum(COHORT_KINDS, { default: 'first_visit' })),
  activity: Type.Optional(StringEnum(ACTIVITY_KINDS, { default: 'any', description: 'what counts as coming back on day N' })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RETENTION_DAYS, default: 7 })),
});

export const RankingQuery = Type.Object({
  ...filterProperties,
  sort: Type.Optional(StringEnum(RANKING_SORTS, { default: 'gmv' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
});

export const HeatmapQuery = Type.Object({
  ...filterProperties,
  day: Type.Optional(StringEnum(HEATMAP_DAYS, { default: 'weekday', description: 'date (YYYY-MM-DD) or ISO weekday (1 = Monday)' })),
  type: Type.Optional(Type.String({ maxLength: 32, description: 'count only this event type (default: all events)' })),
});

export const SourcesQuery = Type.Object({
  ...filterProperties,
  group_by: Type.Optional(StringEnum(SOURCE_GROUPS, { default: 'channel', description: 'what a row is: a channel, a source (site), a medium or a campaign' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'rows, most sessions first' })),
});

const Count = (description?: string) => Type.Integer({ minimum: 0, ...(description ? { description } : {}) });
const Ratio = (description: string) => Type.Number({ minimum: 0, description });
const Money = (description = 'in the shop currency') => Type.Number({ description });

export const OverviewReply = Type.Object({
  events: Count(),
  ...KpisSchema.properties,
  sessions: Count('distinct session_id'),
});

const TypePoint = Type.Object({ events: Count(), visitors: Count() });

export const TimeSeriesReply = Type.Object({
  granularity: StringEnum(GRANULARITIES),
  time_zone: Type.String(),
  points: Type.Array(
    Type.Object({
      t: Type.Integer({ description: 'bucket start, epoch ms' }),
      label: Type.String({ description: 'bucket start in the time zone' }),
      events: Count(),
      visitors: Count(),
      gmv: Money(),
      by_type: Type.Record(Type.String(), TypePoint),
    }),
  ),
});

export const FunnelReply = Type.Object({
  window_seconds: Type.Integer(),
  steps: Type.Array(
    Type.Object({
      step: Type.String(),
      visitors: Count('visitors who did this step and every earlier one, in order, inside the window'),
      conversion_from_first: Ratio('visitors / visitors of the first step'),
      conversion_from_previous: Ratio('visitors / visitors of the previous step'),
    }),
  ),
});

export const RetentionReply = Type.Object({
  cohort: StringEnum(COHORT_KINDS),
  activity: StringEnum(ACTIVITY_KINDS),
  days: Type.Integer(),
  time_zone: Type.String(),
  cohorts: Type.Array(
    Type.Object({
      cohort: Type.String({ description: 'YYYY-MM-DD in the time zone' }),
      size: Count(),
      retained: Type.Array(Count(), { description: 'active visitors of the cohort on day 0, 1, …, days' }),
      rates: Type.Array(Ratio('retained / size')),
    }),
  ),
});

const rankingMetrics = {
  views: Count(),
  viewers: Count(),
  cart_adds: Count(),
  favorites: Count(),
  orders: Count('paid orders (order_pay events) holding it; an order listing it twice counts once'),
  units: Count('paid units'),
  gmv: Money('price × quantity of paid items'),
  buyers: Count(),
  conversion_rate: Ratio('buyers / viewers'),
};

export const ProductRankingReply = Type.Object({
  sort: StringEnum(RANKING_SORTS),
  products: Type.Array(Type.Object({ product_id: Type.String(), name: Type.String(), category_id: Type.String(), ...rankingMetrics })),
});

export const CategoryRankingReply = Type.Object({
  sort: StringEnum(RANKING_SORTS),
  categories: Type.Array(Type.Object({ category_id: Type.String(), products: Count('distinct products touched'), ...rankingMetrics })),
});

export const ProvincesReply = Type.Object({
  provinces: Type.Array(
    Type.Object({
      province: Type.String({ description: "'' when unknown" }),
      visitors: Count(),
      events: Count(),
      pv: Count(),
      paid_orders: Count(),
      gmv: Money(),
      buyers: Count(),
      conversion_rate: Ratio('buyers / visitors'),
    }),
  ),
});

export const HeatmapReply = Type.Object({
  day: StringEnum(HEATMAP_DAYS),
  time_zone: Type.String(),
  cells: Type.Array(Type.Object({ day: Type.String(), hour: Type.Integer({ minimum: 0, maximum: 23 }), events: Count(), visitors: Count() })),
});

export const RepurchaseReply = Type.Object({
  buyers: Count('visitors with an order_pay in the range'),
  repeat_buyers: Count('buyers with two or more paid orders'),
  repurchase_rate: Ratio('repeat_buyers / buyers'),
  paid_orders: Count(),
  orders_per_buyer: Type.Number(),
  distribution: Type.Array(Type.Object({ orders: Count(), buyers: Count() })),
});

const AttributedSales = (model: string) =>
  Type.Object(
    {
      paid_orders: Count('order_pay events credited to this row'),
      gmv: Money('Σ order amount of those orders (matching items only under a product/category filter)'),
      avg_order_value: Money('gmv / paid_orders, 0 without orders'),
    },
    { description: model },
  );

export const SourcesReply = Type.Object({
  group_by: StringEnum(SOURCE_GROUPS),
  lookback_days: Type.Integer({ description: 'ATTRIBUTION_LOOKBACK_DAYS: the last-non-direct window' }),
  rows: Type.Array(
    Type.Object({
      key: Type.String({ description: "the channel, source, medium or campaign; '' = not known (events stored before traffic was kept) or, for campaigns, none" }),
      visitors: Count('distinct visitors of these sessions (a visitor who came by two channels is in both)'),
      sessions: Count('sessions with an event in the range whose touch this is; Σ over rows = the overview’s sessions'),
      bounce_rate: Ratio('sessions with at most one page view / sessions'),
      session_conversion_rate: Ratio('sessions with an order_pay / sessions'),
      last_non_direct: AttributedSales('orders credited to the latest non-direct touch within the lookback, else direct'),
      first_touch: AttributedSales('orders credited to the visitor’s first touch'),
    }),
  ),
});

const ErrorReply = Type.Object({ error: Type.String() });

/** The common parts of every analysis route's schema. */
export const routeSchema = (summary: string, querystring: TSchema, reply: TSchema, description?: string) => ({
  tags: ['analysis'],
  summary,
  ...(description ? { description } : {}),
  security: [{ bearerAuth: [] }],
  querystring,
  response: { 200: reply, 400: ErrorReply, 401: ErrorReply },
});
