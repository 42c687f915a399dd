// The endpoint benchmark's subject, in a process of its own: embedded chDB in
// a fresh directory (migrated), ≥ 10 million synthetic events loaded with
// INSERT … SELECT (endpoints-data.ts), the API as `npm start` serves it
// (apiPlugin on fastify, listening on a port, bearer token), the analytics
// jobs run once through POST /api/jobs/:name/run, then every dashboard
// endpoint timed through HTTP next to the same query functions called
// directly with a @clickhouse/client of its own on the same data (the
// reference: the same SQL, without fastify, validation, serialisation and
// HTTP). Both are timed here, in the same process, one request at a time,
// alternating which goes first.
//
// Usage: node --import tsx endpoints-child.ts '<json EndpointsChildArgs>'
// IPC: {type:'progress', message}, {type:'measuring'} when the timed requests
// start, {type:'done', result} at the end (then it exits).
import { deepStrictEqual } from 'node:assert/strict';
import { request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Fastify, { LogController } from 'fastify';
import { apiPlugin } from '../../api/app.ts';
import { readApiConfig } from '../../api/config.ts';
import { queryCategoryRanking } from '../../api/queries/analysis/category-ranking.ts';
import { queryHeatmap } from '../../api/queries/analysis/day-hour-heatmap.ts';
import type { AnalysisFilter } from '../../api/queries/analysis/filters.ts';
import { queryFunnel } from '../../api/queries/analysis/funnel.ts';
import { queryOverview } from '../../api/queries/analysis/overview.ts';
import { queryProductRanking } from '../../api/queries/analysis/product-ranking.ts';
import { queryProvinceDistribution } from '../../api/queries/analysis/province-distribution.ts';
import { queryRepurchase } from '../../api/queries/analysis/repurchase.ts';
import { querySources } from '../../api/queries/analysis/traffic-sources.ts';
import { queryRetention } from '../../api/queries/analysis/retention.ts';
import { queryTimeSeries } from '../../api/queries/analysis/time-series.ts';
import { queryBoughtTogether } from '../../api/queries/recommendations/bought-together.ts';
import { queryLatestRun as queryLatestRecommendationRun } from '../../api/queries/recommendations/latest-run.ts';
import { queryPopularItems } from '../../api/queries/recommendations/popular-items.ts';
import { querySimilarItems } from '../../api/queries/recommendations/similar-items.ts';
import { queryClusterRun } from '../../api/queries/segments/cluster-profiles.ts';
import { queryClusterUsers } from '../../api/queries/segments/cluster-users.ts';
import { queryLatestRun as queryLatestSegmentRun } from '../../api/queries/segments/latest-run.ts';
import { queryRfmSummary } from '../../api/queries/segments/rfm-summary.ts';
import { queryRfmUsers } from '../../api/queries/segments/rfm-users.ts';
import { queryUserProfile } from '../../api/queries/segments/user-profile.ts';
import { recommendForUser, type RecommendationMethod } from '../../api/recommendations/recommend-for-user.ts';
import { RECOMMENDATION_JOB_NAMES } from '../../api/recommendations/runs.ts';
import { DEFAULT_RECOMMENDATION_SETTINGS } from '../../api/recommendations/settings.ts';
import { createClickHouse, type ClickHouseTarget } from '../../infra/clickhouse/client.ts';
import { migrate } from '../../infra/clickhouse/migrate.ts';
import { createWorkloads } from '../../infra/clickhouse/workload.ts';
import { readEnginesConfig } from '../../infra/config.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { loadSyntheticTraffic, type LoadedTraffic, type SyntheticTraffic } from './endpoints-data.ts';
import { median, percentile } from './lib/machine.ts';
import { CLUSTER_FEATURES } from '../../api/wire/params.ts';

export interface EndpointsChildArgs {
  dataDir: string;
  traffic: SyntheticTraffic;
  /** measured runs; each run times every endpoint through HTTP and directly, the same number of times */
  runs: number;
  /** timed requests per endpoint, run and side: as many as fit in budgetMs (by the warm-up's latency), within min..max */
  requests: { min: number; max: number; budgetMs: number };
  /** untimed requests per endpoint and side before the runs */
  warmup: number;
  timeZone: string;
}

export type EndpointGroup = 'analysis' | 'segments' | 'recommendations';

export interface EndpointRun {
  apiP50Ms: number;
  apiP95Ms: number;
  directP50Ms: number;
  directP95Ms: number;
}

export interface EndpointResult {
  name: string;
  group: EndpointGroup;
  /** an example request (ids rotate over a sample of people and products) */
  path: string;
  runs: EndpointRun[];
  /** medians over the runs */
  median: EndpointRun;
  /** every timed request of all runs pooled (samples per side) */
  pooled: { apiP95Ms: number; directP95Ms: number; samples: number };
  /** timed requests per run and side */
  requests: number;
  /** the HTTP answer deep-equals the direct call's value (after JSON), checked on the warm-up requests */
  sameAnswer: boolean;
  mismatch?: string;
  /** the tables its queries read (seen in the SQL of the warm-up's direct calls); absent in older results */
  reads?: string[];
}

export interface JobTiming {
  name: string;
  ms: number;
  rows: number | null;
  error: string | null;
  /** the most memory one of its ClickHouse queries held (GET /api/jobs' last_peak_memory_bytes); absent in older results */
  peakMemoryBytes?: number | null;
}

export interface EndpointsResult {
  options: { events: number; runs: number; requests: { min: number; max: number; budgetMs: number }; warmup: number; timeZone: string; traffic: SyntheticTraffic };
  load: LoadedTraffic & {
    eventsPerS: number;
    visitors: number;
    identifiedUsers: number;
    sessions: number;
    products: number;
    paidOrders: number;
    /** after the load and the jobs: rows and compressed bytes on disk of the tables the endpoints read; absent in older results */
    tables?: Array<{ table: string; rows: number; bytes: number }>;
    /** every table's compressed bytes on disk */
    diskBytes?: number;
  };
  jobs: JobTiming[];
  /** what the jobs wrote that the endpoints read */
  jobFacts: { rfmUsers: number; clusterUsers: number; clusterFitUsers: number; clusterK: number; interactions: number; itemUsers: number; rules: number };
  endpoints: EndpointResult[];
  measureMs: number;
}

const TOKEN = 'bench-endpoints-token-0123456789';
const args = JSON.parse(process.argv[2] ?? '{}') as EndpointsChildArgs;
const log = createRootLogger({ name: 'bench-endpoints', level: 'warn' });
const say = (message: string) => process.send?.({ type: 'progress', message });

const target: ClickHouseTarget = { kind: 'embedded', dataDir: args.dataDir };
// As infra/all-in-one/stack.ts: every class of query under its limits (the defaults of this machine).
const workloads = createWorkloads({ target, policy: readEnginesConfig().workload, log });
const clickhouse = workloads.admin;
// The reference's own connection to the same data. During the warm-up it
// notes the tables each endpoint's SQL reads (the "reads" column).
const direct = createClickHouse(target);
const tablesSeen: { current?: Set<string>; known: Set<string> } = { known: new Set() };
const plainQuery = direct.query.bind(direct);
direct.query = ((params: Parameters<typeof plainQuery>[0]) => {
  if (tablesSeen.current) {
    for (const m of params.query.matchAll(/\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)/gi)) if (tablesSeen.known.has(m[1]!)) tablesSeen.current.add(m[1]!);
  }
  return plainQuery(params);
}) as typeof direct.query;

async function rows<T>(query: string, query_params: Record<string, unknown> = {}): Promise<T[]> {
  return (await direct.query({ query, query_params, format: 'JSONEachRow' })).json<T>();
}

// ------------------------------------------------------------------ HTTP

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One request; no client timeout (a job run answers when it is done). */
function call(port: number, method: 'GET' | 'POST', path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: text });
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// ------------------------------------------------------------------ endpoints

interface Endpoint {
  name: string;
  group: EndpointGroup;
  /** the i-th request's path (ids rotate) */
  path(i: number): string;
  /** what the route's handler answers for the same request, computed with the same query functions */
  direct(i: number): Promise<unknown>;
}

function buildEndpoints(loaded: LoadedTraffic, people: string[], products: string[], rfmSegment: string): Endpoint[] {
  const tz = args.timeZone;
  const DAY = 86_400_000;
  const range = `from=${loaded.fromMs}&to=${loaded.toMs}`;
  const all: AnalysisFilter = { fromMs: loaded.fromMs, toMs: loaded.toMs };
  const week: AnalysisFilter = { fromMs: loaded.toMs - 7 * DAY, toMs: loaded.toMs };
  const weekRange = `from=${week.fromMs}&to=${week.toMs}`;
  const person = (i: number) => people[i % people.length] as string;
  const product = (i: number) => products[i % products.length] as string;
  const enc = encodeURIComponent;
  const settings = DEFAULT_RECOMMENDATION_SETTINGS;
  const steps = ['product_view', 'cart_add', 'order_submit', 'order_pay'];
  const recommend = (method: RecommendationMethod) => (i: number) =>
    recommendForUser(direct, { userId: person(i), limit: 10, includePurchased: false, method, settings });
  const runDetails = (d: Record<string, unknown>) => {
    const int = (value: unknown) => (typeof value === 'number' ? value : 0);
    return { k: int(d.k), seed: int(d.seed), runs_per_k: int(d.runs_per_k), fit_users: int(d.fit_users), silhouette_users: int(d.silhouette_users) };
  };
  return [
    // ---- analysis: the whole 30 days, as a dashboard opening on "last 30 days"
    { name: 'overview', group: 'analysis', path: () => `/api/analysis/overview?${range}`, direct: () => queryOverview(direct, all) },
    {
      name: 'overview, last 7 days, new visitors',
      group: 'analysis',
      path: () => `/api/analysis/overview?${weekRange}&visitor=new`,
      direct: () => queryOverview(direct, { ...week, visitor: 'new' }),
    },
    {
      name: 'overview, one province and device',
      group: 'analysis',
      path: () => `/api/analysis/overview?${range}&province=${enc('广东省')}&device=mobile`,
      direct: () => queryOverview(direct, { ...all, province: '广东省', device: 'mobile' }),
    },
    {
      name: 'timeseries, day',
      group: 'analysis',
      path: () => `/api/analysis/timeseries?${range}&granularity=day`,
      direct: async () => ({ granularity: 'day', time_zone: tz, points: await queryTimeSeries(direct, { filter: all, granularity: 'day', timeZone: tz }) }),
    },
    {
      name: 'timeseries, hour, two types',
      group: 'analysis',
      path: () => `/api/analysis/timeseries?${weekRange}&granularity=hour&types=page_view,order_pay`,
      direct: async () => ({
        granularity: 'hour',
        time_zone: tz,
        points: await queryTimeSeries(direct, { filter: week, granularity: 'hour', timeZone: tz, types: ['page_view', 'order_pay'] }),
      }),
    },
    {
      name: 'funnel',
      group: 'analysis',
      path: () => `/api/analysis/funnel?${range}`,
      direct: async () => ({ window_seconds: 86_400, steps: await queryFunnel(direct, { filter: all, steps, windowMs: 86_400_000 }) }),
    },
    {
      name: 'retention, first visit',
      group: 'analysis',
      path: () => `/api/analysis/retention?${range}`,
      direct: async () => ({
        cohort: 'first_visit',
        activity: 'any',
        days: 7,
        time_zone: tz,
        cohorts: await queryRetention(direct, { cohort: 'first_visit', activity: 'any', days: 7, timeZone: tz, ...all }),
      }),
    },
    {
      name: 'retention, first purchase',
      group: 'analysis',
      path: () => `/api/analysis/retention?${range}&cohort=first_purchase&activity=purchase`,
      direct: async () => ({
        cohort: 'first_purchase',
        activity: 'purchase',
        days: 7,
        time_zone: tz,
        cohorts: await queryRetention(direct, { cohort: 'first_purchase', activity: 'purchase', days: 7, timeZone: tz, ...all }),
      }),
    },
    {
      name: 'top products by GMV',
      group: 'analysis',
      path: () => `/api/analysis/top-products?${range}`,
      direct: async () => ({ sort: 'gmv', products: await queryProductRanking(direct, { filter: all, sort: 'gmv', limit: 10 }) }),
    },
    {
      name: 'top products by views, one category',
      group: 'analysis',
      path: () => `/api/analysis/top-products?${range}&sort=views&category=c7`,
      direct: async () => ({ sort: 'views', products: await queryProductRanking(direct, { filter: { ...all, category: 'c7' }, sort: 'views', limit: 10 }) }),
    },
    {
      name: 'top categories by GMV',
      group: 'analysis',
      path: () => `/api/analysis/top-categories?${range}`,
      direct: async () => ({ sort: 'gmv', categories: await queryCategoryRanking(direct, { filter: all, sort: 'gmv', limit: 10 }) }),
    },
    {
      name: 'provinces',
      group: 'analysis',
      path: () => `/api/analysis/provinces?${range}`,
      direct: async () => ({ provinces: await queryProvinceDistribution(direct, all) }),
    },
    {
      name: 'heatmap, weekday × hour',
      group: 'analysis',
      path: () => `/api/analysis/heatmap?${range}`,
      direct: async () => ({ day: 'weekday', time_zone: tz, cells: await queryHeatmap(direct, { filter: all, day: 'weekday', timeZone: tz }) }),
    },
    { name: 'repurchase', group: 'analysis', path: () => `/api/analysis/repurchase?${range}`, direct: () => queryRepurchase(direct, all) },
    {
      name: 'sources by channel (both attribution models)',
      group: 'analysis',
      path: () => `/api/analysis/sources?${range}`,
      direct: async () => ({
        group_by: 'channel',
        lookback_days: config.attributionLookbackDays,
        rows: await querySources(direct, { filter: all, groupBy: 'channel', lookbackDays: config.attributionLookbackDays, limit: 100 }),
      }),
    },
    {
      name: 'sources by campaign, one channel',
      group: 'analysis',
      path: () => `/api/analysis/sources?${range}&group_by=campaign&channel=email`,
      direct: async () => ({
        group_by: 'campaign',
        lookback_days: config.attributionLookbackDays,
        rows: await querySources(direct, { filter: { ...all, channel: 'email' }, groupBy: 'campaign', lookbackDays: config.attributionLookbackDays, limit: 100 }),
      }),
    },
    {
      name: 'overview, one channel',
      group: 'analysis',
      path: () => `/api/analysis/overview?${range}&channel=social`,
      direct: () => queryOverview(direct, { ...all, channel: 'social' }),
    },
    // ---- segments: the newest job runs, and a live RFM over another window
    {
      name: 'RFM segments',
      group: 'segments',
      path: () => '/api/segments/rfm',
      direct: async () => {
        const run = await queryLatestSegmentRun(direct, 'rfm');
        if (!run) throw new Error('no rfm run');
        const fields = { source: 'job', computed_at: run.computedAt, as_of: run.asOf, window_days: run.windowDays };
        return { ...fields, ...(await queryRfmSummary(direct, { kind: 'run', computedAt: run.computedAt })) };
      },
    },
    {
      name: 'RFM segments, live over 30 days',
      group: 'segments',
      path: () => `/api/segments/rfm?as_of=${loaded.toMs}&window_days=30`,
      direct: async () => {
        const window = { asOfMs: loaded.toMs, windowDays: 30 };
        const fields = { source: 'live', computed_at: null, as_of: loaded.toMs, window_days: 30 };
        return { ...fields, ...(await queryRfmSummary(direct, { kind: 'live', window })) };
      },
    },
    {
      name: 'RFM users of a segment',
      group: 'segments',
      path: () => `/api/segments/rfm/users?segment=${enc(rfmSegment)}&limit=100`,
      direct: async () => {
        const run = await queryLatestSegmentRun(direct, 'rfm');
        if (!run) throw new Error('no rfm run');
        const source = { kind: 'run' as const, computedAt: run.computedAt };
        const fields = { source: 'job', computed_at: run.computedAt, as_of: run.asOf, window_days: run.windowDays };
        return { ...fields, segment: rfmSegment, ...(await queryRfmUsers(direct, { source, segment: rfmSegment, limit: 100, offset: 0 })) };
      },
    },
    {
      name: 'clusters',
      group: 'segments',
      path: () => '/api/segments/clusters',
      direct: async () => {
        const run = await queryLatestSegmentRun(direct, 'clusters');
        if (!run) throw new Error('no clusters run');
        const { profiles, kScores } = await queryClusterRun(direct, run.computedAt);
        return {
          computed_at: run.computedAt,
          as_of: run.asOf,
          window_days: run.windowDays,
          users: run.users,
          ...runDetails(run.details),
          features: CLUSTER_FEATURES.map((f) => ({ ...f })),
          k_scores: kScores,
          clusters: profiles,
        };
      },
    },
    {
      name: 'cluster users',
      group: 'segments',
      path: () => '/api/segments/clusters/users?cluster=0&limit=100',
      direct: async () => {
        const run = await queryLatestSegmentRun(direct, 'clusters');
        if (!run) throw new Error('no clusters run');
        return { computed_at: run.computedAt, cluster: 0, ...(await queryClusterUsers(direct, { computedAt: run.computedAt, cluster: 0, limit: 100, offset: 0 })) };
      },
    },
    {
      name: 'user profile',
      group: 'segments',
      path: (i) => `/api/users/${enc(person(i))}/profile?as_of=${loaded.toMs}`,
      direct: (i) => queryUserProfile(direct, { userKey: person(i), asOfMs: loaded.toMs, timeZone: tz }),
    },
    // ---- recommendations: the newest runs; a person's history is read live
    {
      name: 'similar products',
      group: 'recommendations',
      path: (i) => `/api/recommendations/items/${enc(product(i))}/similar`,
      direct: async (i) => {
        const run = await queryLatestRecommendationRun(direct, RECOMMENDATION_JOB_NAMES.itemSimilarity);
        const items = run ? await querySimilarItems(direct, { computedAt: run.computedAt, productId: product(i), limit: 10 }) : [];
        return { product_id: product(i), computed_at: run?.computedAt ?? null, items };
      },
    },
    {
      name: 'for a person, item-based',
      group: 'recommendations',
      path: (i) => `/api/recommendations/users/${enc(person(i))}`,
      direct: recommend('item'),
    },
    {
      name: 'for a person, user-based',
      group: 'recommendations',
      path: (i) => `/api/recommendations/users/${enc(person(i))}?method=user`,
      direct: recommend('user'),
    },
    {
      name: 'popular products',
      group: 'recommendations',
      path: () => '/api/recommendations/popular',
      direct: async () => {
        const run = await queryLatestRecommendationRun(direct, RECOMMENDATION_JOB_NAMES.itemSimilarity);
        const items = run ? await queryPopularItems(direct, { computedAt: run.computedAt, exclude: [], limit: 10 }) : [];
        return { computed_at: run?.computedAt ?? null, items };
      },
    },
    {
      name: 'bought together, one product',
      group: 'recommendations',
      path: (i) => `/api/recommendations/bought-together?product=${enc(product(i))}&basket=order`,
      direct: async (i) => {
        const run = await queryLatestRecommendationRun(direct, RECOMMENDATION_JOB_NAMES.associationRules);
        const rules = run
          ? await queryBoughtTogether(direct, { computedAt: run.computedAt, basket: 'order', product: product(i), minSupport: 0, minConfidence: 0, minLift: 0, limit: 10 })
          : [];
        return { product: product(i), basket: 'order', computed_at: run?.computedAt ?? null, rules };
      },
    },
    {
      name: 'bought together, top pairs',
      group: 'recommendations',
      path: () => '/api/recommendations/bought-together?basket=session&min_lift=1',
      direct: async () => {
        const run = await queryLatestRecommendationRun(direct, RECOMMENDATION_JOB_NAMES.associationRules);
        const rules = run
          ? await queryBoughtTogether(direct, { computedAt: run.computedAt, basket: 'session', minSupport: 0, minConfidence: 0, minLift: 1, limit: 10 })
          : [];
        return { product: null, basket: 'session', computed_at: run?.computedAt ?? null, rules };
      },
    },
  ];
}

// ------------------------------------------------------------------ run

const nowMs = Date.now();
await migrate(clickhouse, log);
say(`loading ${args.traffic.events.toLocaleString('en-US')} events into embedded chDB`);
const loaded = await loadSyntheticTraffic(clickhouse, args.traffic, {
  nowMs,
  timeZone: args.timeZone,
  onProgress: (n, ms) => say(`loaded ${n.toLocaleString('en-US')} events in ${(ms / 1000).toFixed(1)} s`),
});
const [facts] = await rows<Record<string, string>>(
  `SELECT uniqExact(anonymous_id) AS visitors, uniqExactIf(user_id, user_id != '') AS users, uniqExact(session_id) AS sessions,
          uniqExactIf(product_id, product_id != '') AS products, countIf(type = 'order_pay') AS paid FROM events`,
);

const config = { ...readApiConfig({}), apiToken: TOKEN, timeZone: args.timeZone, jobsIntervalMs: 0 };
const app = Fastify({ loggerInstance: log, logController: new LogController({ disableRequestLogging: true }) });
await app.register(apiPlugin, { workloads, config, bigscreenDir: join(args.dataDir, 'no-bigscreen') });
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as AddressInfo).port;

const jobs: JobTiming[] = [];
for (const name of ['rfm', 'clusters', 'item-similarity', 'association-rules']) {
  say(`running job ${name}`);
  const started = performance.now();
  const answer = await call(port, 'POST', `/api/jobs/${name}/run`);
  const job = (answer.body as { job?: { last_rows: number | null; last_error: string | null; last_peak_memory_bytes: number | null } }).job;
  jobs.push({
    name,
    ms: Math.round(performance.now() - started),
    rows: job?.last_rows ?? null,
    error: answer.status === 200 ? (job?.last_error ?? null) : `HTTP ${answer.status}`,
    peakMemoryBytes: job?.last_peak_memory_bytes ?? null,
  });
  say(`job ${name}: ${jobs.at(-1)?.ms} ms, ${job?.last_rows ?? 'no'} rows${job?.last_error ? `, error ${job.last_error}` : ''}`);
}
const one = async (query: string) => Number(Object.values((await rows<Record<string, string>>(query))[0] ?? {})[0] ?? 0);
const jobFacts = {
  rfmUsers: await one('SELECT users FROM segment_runs WHERE job = \'rfm\' ORDER BY computed_at DESC LIMIT 1'),
  clusterUsers: await one('SELECT users FROM segment_runs WHERE job = \'clusters\' ORDER BY computed_at DESC LIMIT 1'),
  clusterFitUsers: await one("SELECT JSONExtractUInt(details, 'fit_users') FROM segment_runs WHERE job = 'clusters' ORDER BY computed_at DESC LIMIT 1"),
  clusterK: await one("SELECT JSONExtractUInt(details, 'k') FROM segment_runs WHERE job = 'clusters' ORDER BY computed_at DESC LIMIT 1"),
  interactions: await one('SELECT count() FROM user_item_interactions WHERE computed_at = (SELECT max(computed_at) FROM recommendation_runs WHERE job = \'item-similarity\')'),
  itemUsers: await one('SELECT count() FROM item_users WHERE computed_at = (SELECT max(computed_at) FROM recommendation_runs WHERE job = \'item-similarity\')'),
  rules: await one('SELECT count() FROM association_rules WHERE computed_at = (SELECT max(computed_at) FROM recommendation_runs WHERE job = \'association-rules\')'),
};

// Requests rotate over 24 people with 5–50 products in the run and 24 products
// of the 1,000 most popular, picked by hash (not the heaviest, not the rarest).
const people = (
  await rows<{ person: string }>(
    `SELECT person FROM user_item_interactions
     WHERE computed_at = (SELECT max(computed_at) FROM recommendation_runs WHERE job = 'item-similarity')
     GROUP BY person HAVING count() BETWEEN 5 AND 50 ORDER BY cityHash64(person) LIMIT 24`,
  )
).map((r) => r.person);
const products = (
  await rows<{ product_id: string }>(
    `SELECT product_id FROM popular_items
     WHERE computed_at = (SELECT max(computed_at) FROM recommendation_runs WHERE job = 'item-similarity')
     ORDER BY cityHash64(product_id) LIMIT 24`,
  )
).map((r) => r.product_id);
const [segment] = await rows<{ segment: string }>(
  `SELECT segment FROM rfm_scores WHERE computed_at = (SELECT max(computed_at) FROM segment_runs WHERE job = 'rfm')
   GROUP BY segment ORDER BY count() DESC, segment LIMIT 1`,
);
if (people.length === 0 || products.length === 0 || !segment) throw new Error('the jobs left nothing to ask for (no people, products or segments)');
const endpoints = buildEndpoints(loaded, people, products, segment.segment);
const tables = await rows<{ table: string; rows: string; bytes: string }>(
  `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = currentDatabase() AND active GROUP BY table`,
);
for (const t of tables) tablesSeen.known.add(t.table);
for (const v of await rows<{ name: string }>("SELECT name FROM system.tables WHERE database = currentDatabase() AND engine = 'View'")) tablesSeen.known.add(v.name);
const reads = new Map<string, string[]>();

async function timeApi(e: Endpoint, i: number): Promise<{ ms: number; body: unknown }> {
  const started = performance.now();
  const answer = await call(port, 'GET', e.path(i));
  const ms = performance.now() - started;
  if (answer.status !== 200) throw new Error(`${e.name}: GET ${e.path(i)} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  return { ms, body: answer.body };
}
async function timeDirect(e: Endpoint, i: number): Promise<{ ms: number; value: unknown }> {
  const started = performance.now();
  const value = await e.direct(i);
  return { ms: performance.now() - started, value };
}

// Warm-up, and the check that both sides answer the same. The warm-up's
// latency plans how many timed requests an endpoint gets per run: as many as
// fit in the budget, so fast endpoints get enough samples for a meaningful
// p95 and slow ones do not stretch the benchmark past its time.
const checks = new Map<string, string | null>();
const planned = new Map<string, number>();
for (const e of endpoints) {
  say(`warming up ${e.name}`);
  let mismatch: string | null = null;
  let slowestPairMs = 0;
  for (let i = 0; i < Math.max(1, args.warmup); i++) {
    const api = await timeApi(e, i);
    tablesSeen.current = new Set();
    const ref = await timeDirect(e, i);
    reads.set(e.name, [...tablesSeen.current].sort());
    tablesSeen.current = undefined;
    slowestPairMs = Math.max(slowestPairMs, api.ms + ref.ms);
    try {
      deepStrictEqual(api.body, JSON.parse(JSON.stringify(ref.value)));
    } catch (err) {
      mismatch ??= err instanceof Error ? err.message.slice(0, 400) : String(err);
    }
  }
  checks.set(e.name, mismatch);
  planned.set(e.name, Math.min(args.requests.max, Math.max(args.requests.min, Math.floor(args.requests.budgetMs / slowestPairMs))));
}

process.send?.({ type: 'measuring' });
const measureStarted = performance.now();
const samples = new Map(endpoints.map((e) => [e.name, { api: [] as number[][], direct: [] as number[][] }]));
for (let run = 0; run < args.runs; run++) {
  say(`run ${run + 1} of ${args.runs}`);
  for (const s of samples.values()) {
    s.api.push([]);
    s.direct.push([]);
  }
  // Round-robin over the endpoints, so slow drifts of the machine hit all of them alike.
  for (let i = 0; i < args.requests.max; i++) {
    for (const e of endpoints) {
      if (i >= planned.get(e.name)!) continue;
      const s = samples.get(e.name)!;
      const k = run * args.requests.max + i;
      const apiFirst = k % 2 === 0;
      if (apiFirst) s.api[run]!.push((await timeApi(e, k)).ms);
      s.direct[run]!.push((await timeDirect(e, k)).ms);
      if (!apiFirst) s.api[run]!.push((await timeApi(e, k)).ms);
    }
  }
}
const measureMs = Math.round(performance.now() - measureStarted);

const round1 = (x: number) => Math.round(x * 10) / 10;
const results: EndpointResult[] = endpoints.map((e) => {
  const s = samples.get(e.name)!;
  const runs = s.api.map((api, r) => ({
    apiP50Ms: round1(percentile(api, 0.5)),
    apiP95Ms: round1(percentile(api, 0.95)),
    directP50Ms: round1(percentile(s.direct[r]!, 0.5)),
    directP95Ms: round1(percentile(s.direct[r]!, 0.95)),
  }));
  const mismatch = checks.get(e.name) ?? null;
  return {
    name: e.name,
    group: e.group,
    path: e.path(0),
    runs,
    median: {
      apiP50Ms: round1(median(runs.map((r) => r.apiP50Ms))),
      apiP95Ms: round1(median(runs.map((r) => r.apiP95Ms))),
      directP50Ms: round1(median(runs.map((r) => r.directP50Ms))),
      directP95Ms: round1(median(runs.map((r) => r.directP95Ms))),
    },
    pooled: { apiP95Ms: round1(percentile(s.api.flat(), 0.95)), directP95Ms: round1(percentile(s.direct.flat(), 0.95)), samples: s.api.flat().length },
    requests: planned.get(e.name)!,
    sameAnswer: mismatch === null,
    ...(mismatch ? { mismatch } : {}),
    reads: reads.get(e.name) ?? [],
  };
});

const result: EndpointsResult = {
  options: { events: args.traffic.events, runs: args.runs, requests: args.requests, warmup: args.warmup, timeZone: args.timeZone, traffic: args.traffic },
  load: {
    ...loaded,
    eventsPerS: loaded.events / (loaded.ms / 1000),
    visitors: Number(facts?.visitors ?? 0),
    identifiedUsers: Number(facts?.users ?? 0),
    sessions: Number(facts?.sessions ?? 0),
    products: Number(facts?.products ?? 0),
    paidOrders: Number(facts?.paid ?? 0),
    tables: tables
      .filter((t) => ['events', 'visits_15m', 'product_visits_15m', 'visitors_agg', 'events_minute', 'products_minute', 'sessions_agg', 'identities'].includes(t.table))
      .map((t) => ({ table: t.table, rows: Number(t.rows), bytes: Number(t.bytes) }))
      .sort((a, b) => b.bytes - a.bytes),
    diskBytes: tables.reduce((sum, t) => sum + Number(t.bytes), 0),
  },
  jobs,
  jobFacts,
  endpoints: results,
  measureMs,
};
process.send?.({ type: 'done', result });
await app.close();
await workloads.close();
await direct.close();
agent.destroy();
process.exit(0);

