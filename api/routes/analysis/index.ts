// GET /api/analysis/*: multi-dimensional analysis over `events`, with JSON
// schemas (published at /docs). Registered inside /api, so the bearer token applies.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { queryCategoryRanking } from '../../queries/analysis/category-ranking.ts';
import { queryHeatmap } from '../../queries/analysis/day-hour-heatmap.ts';
import { queryFunnel } from '../../queries/analysis/funnel.ts';
import { queryOverview } from '../../queries/analysis/overview.ts';
import { queryProductRanking } from '../../queries/analysis/product-ranking.ts';
import { queryProvinceDistribution } from '../../queries/analysis/province-distribution.ts';
import { queryRepurchase } from '../../queries/analysis/repurchase.ts';
import { queryRetention } from '../../queries/analysis/retention.ts';
import { queryTimeSeries } from '../../queries/analysis/time-series.ts';
import { querySources } from '../../queries/analysis/traffic-sources.ts';
import { AnalysisQueryError, parseEventTypes, parseFilter } from './parse-query.ts';
import {
  CategoryRankingReply,
  FilterQuery,
  FunnelQuery,
  FunnelReply,
  HeatmapQuery,
  HeatmapReply,
  OverviewReply,
  ProductRankingReply,
  ProvincesReply,
  RankingQuery,
  RepurchaseReply,
  RetentionQuery,
  RetentionReply,
  routeSchema,
  SourcesQuery,
  SourcesReply,
  TimeSeriesQuery,
  TimeSeriesReply,
} from './schemas.ts';
import { MAX_FUNNEL_STEPS, MIN_FUNNEL_STEPS } from '../../wire/params.ts';

export interface AnalysisRoutesOptions {
  clickhouse: ClickHouseClient;
  /** IANA zone where days and hours are cut (TIME_ZONE) */
  timeZone: string;
  /** the last-non-direct attribution window of /sources (ATTRIBUTION_LOOKBACK_DAYS) */
  attributionLookbackDays: number;
}

const DEFAULT_STEPS = 'product_view,cart_add,order_submit,order_pay';

export const analysisRoutes: FastifyPluginAsync<AnalysisRoutesOptions> = async (app, opts) => {
  const { clickhouse, timeZone, attributionLookbackDays } = opts;

  app.get<{ Querystring: Static<typeof FilterQuery> }>(
    '/overview',
    { schema: routeSchema('Overview KPIs', FilterQuery, OverviewReply) },
    async (request) => queryOverview(clickhouse, parseFilter(request.query, timeZone)),
  );

  app.get<{ Querystring: Static<typeof TimeSeriesQuery> }>(
    '/timeseries',
    {
      schema: routeSchema(
        'Events, visitors and GMV per minute, hour or day, per event type',
        TimeSeriesQuery,
        TimeSeriesReply,
        'Buckets are cut in TIME_ZONE; empty buckets are filled with zeros (from `from` to `to` when given). At most 5,000 buckets.',
      ),
    },
    async (request) => {
      const granularity = request.query.granularity ?? 'day';
      const types = request.query.types === undefined ? undefined : parseEventTypes(request.query.types, 'types');
      const points = await queryTimeSeries(clickhouse, {
        filter: parseFilter(request.query, timeZone),
        granularity,
        timeZone,
        ...(types ? { types } : {}),
      });
      return { granularity, time_zone: timeZone, points };
    },
  );

  app.get<{ Querystring: Static<typeof FunnelQuery> }>(
    '/funnel',
    {
      schema: routeSchema(
        'Ordered conversion funnel inside a time window per visitor',
        FunnelQuery,
        FunnelReply,
        'ClickHouse windowFunnel: a visitor reaches step i when they did steps 1..i in this order, all within `window` seconds of their step 1.',
      ),
    },
    async (request) => {
      const steps = parseEventTypes(request.query.steps ?? DEFAULT_STEPS, 'steps');
      if (steps.length < MIN_FUNNEL_STEPS || steps.length > MAX_FUNNEL_STEPS) {
        throw new AnalysisQueryError(`steps: ${MIN_FUNNEL_STEPS} to ${MAX_FUNNEL_STEPS} steps, got ${steps.length}`);
      }
      if (new Set(steps).size !== steps.length) throw new AnalysisQueryError('steps: each event type at most once');
      const windowSeconds = request.query.window ?? 86_400;
      const result = await queryFunnel(clickhouse, { filter: parseFilter(request.query, timeZone), steps, windowMs: windowSeconds * 1000 });
      return { window_seconds: windowSeconds, steps: result };
    },
  );

  app.get<{ Querystring: Static<typeof RetentionQuery> }>(
    '/retention',
    {
      schema: routeSchema(
        'Day-N retention by cohort (first visit or first purchase)',
        RetentionQuery,
        RetentionReply,
        'Cohort = the TIME_ZONE day of a visitor’s first event ever (first_visit) or first order_pay (first_purchase); day N counts cohort visitors with an event (activity=any) or an order_pay (activity=purchase) N days later.',
      ),
    },
    async (request) => {
      const q = request.query;
      const cohort = q.cohort ?? 'first_visit';
      const activity = q.activity ?? 'any';
      const days = q.days ?? 7;
      const range = parseFilter({ ...(q.from !== undefined ? { from: q.from } : {}), ...(q.to !== undefined ? { to: q.to } : {}) }, timeZone);
      const cohorts = await queryRetention(clickhouse, { cohort, activity, days, timeZone, ...range });
      return { cohort, activity, days, time_zone: timeZone, cohorts };
    },
  );

  app.get<{ Querystring: Static<typeof RankingQuery> }>(
    '/top-products',
    { schema: routeSchema('Top products by views, carts, favourites, orders, units, GMV or conversion', RankingQuery, ProductRankingReply) },
    async (request) => {
      const sort = request.query.sort ?? 'gmv';
      const products = await queryProductRanking(clickhouse, { filter: parseFilter(request.query, timeZone), sort, limit: request.query.limit ?? 10 });
      return { sort, products };
    },
  );

  app.get<{ Querystring: Static<typeof RankingQuery> }>(
    '/top-categories',
    { schema: routeSchema('Top categories by views, carts, favourites, orders, units, GMV or conversion', RankingQuery, CategoryRankingReply) },
    async (request) => {
      const sort = request.query.sort ?? 'gmv';
      const categories = await queryCategoryRanking(clickhouse, { filter: parseFilter(request.query, timeZone), sort, limit: request.query.limit ?? 10 });
      return { sort, categories };
    },
  );

  app.get<{ Querystring: Static<typeof FilterQuery> }>(
    '/provinces',
    { schema: routeSchema('Visitors, page views, orders and GMV per province', FilterQuery, ProvincesReply) },
    async (request) => ({ provinces: await queryProvinceDistribution(clickhouse, parseFilter(request.query, timeZone)) }),
  );

  app.get<{ Querystring: Static<typeof HeatmapQuery> }>(
    '/heatmap',
    { schema: routeSchema('Events and visitors per day (date or weekday) × hour', HeatmapQuery, HeatmapReply) },
    async (request) => {
      const day = request.query.day ?? 'weekday';
      const type = request.query.type === undefined ? undefined : parseEventTypes(request.query.type, 'type');
      if (type && type.length !== 1) throw new AnalysisQueryError('type: one event type');
      const cells = await queryHeatmap(clickhouse, {
        filter: parseFilter(request.query, timeZone),
        day,
        timeZone,
        ...(type ? { type: type[0]! } : {}),
      });
      return { day, time_zone: timeZone, cells };
    },
  );

  app.get<{ Querystring: Static<typeof FilterQuery> }>(
    '/repurchase',
    {
      schema: routeSchema(
        'Repurchase rate: buyers with two or more paid orders',
        FilterQuery,
        RepurchaseReply,
        'A buyer is a visitor (anonymous_id) with an order_pay in the range; an order is an order_pay event.',
      ),
    },
    async (request) => queryRepurchase(clickhouse, parseFilter(request.query, timeZone)),
  );

  app.get<{ Querystring: Static<typeof SourcesQuery> }>(
    '/sources',
    {
      schema: routeSchema(
        'Visitors, sessions and attributed sales per channel, source, medium or campaign',
        SourcesQuery,
        SourcesReply,
        'Sessions count under their own touch (their first event’s traffic). Every paid order of the range is credited once per model: ' +
          'last_non_direct = the visitor’s latest touch that is neither direct nor internal within ATTRIBUTION_LOOKBACK_DAYS before the payment, else direct; ' +
          'first_touch = the browser’s first touch (else the visitor’s first stored event’s). channel, source and campaign filter the touches.',
      ),
    },
    async (request) => {
      const groupBy = request.query.group_by ?? 'channel';
      const rows = await querySources(clickhouse, {
        filter: parseFilter(request.query, timeZone),
        groupBy,
        lookbackDays: attributionLookbackDays,
        limit: request.query.limit ?? 100,
      });
      return { group_by: groupBy, lookback_days: attributionLookbackDays, rows };
    },
  );
};
