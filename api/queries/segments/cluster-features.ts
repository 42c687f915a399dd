// The clusters job's SQL (api/segments/cluster-job.ts). Each user's activity
// counts over the window are staged into cluster_features (one partition per
// run); over that partition ClickHouse computes the features
// (CLUSTER_FEATURES, api/wire/params.ts), z-scores them, draws the fit
// sample, assigns every user to the nearest fitted centre, profiles the
// clusters and writes user_clusters. Only the fit sample (at most
// maxFitRows users) and one row per cluster pass through Node, so the job's
// memory does not grow with the number of users. docs/segments.md has the
// feature table.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { instant, type QueryParams } from '../analysis/filters.ts';
import { num } from '../../metrics/numbers.ts';
import type { RfmWindow } from './rfm-scores.ts';
import { eventsWithPerson } from '../../metrics/person.ts';
import { planPersonPasses, type PassSizes } from '../../jobs/person-passes.ts';
import { eventKpiSql } from '../../metrics/metrics.ts';
import { CLUSTER_FEATURES, FEATURE_NAMES, type FeatureName } from '../../wire/params.ts';

const metrics = eventKpiSql();
const COLUMNS = ['ts', 'type', 'order_amount', 'dwell_ms', 'product_category_id', 'order_item_category_ids'];
const DAY_MS = 86_400_000;

/** Each feature in its original units, over a row of cluster_features; {as_of_ms} is the run's as_of. */
const FEATURE_SQL: Readonly<Record<FeatureName, string>> = {
  recency_days: `({as_of_ms:Int64} - last_event_ms) / ${DAY_MS}`,
  frequency: 'frequency',
  monetary: 'toFloat64(monetary)',
  avg_dwell_ms: 'avg_dwell_ms',
  cart_rate: 'if(product_views > 0, cart_adds / product_views, 0)',
  favorite_rate: 'if(product_views > 0, favorites / product_views, 0)',
  category_breadth: 'category_breadth',
};

/**
 * Each feature as it enters the model, before z-scoring: through its
 * transform, and recency as −last_event_ms / day. z-scoring removes the
 * constant as_of, so the model (and the clusters) do not depend on the
 * instant the job ran.
 */
const MODEL_SQL = CLUSTER_FEATURES.map(({ name, transform }) => {
  const value = name === 'recency_days' ? `-last_event_ms / ${DAY_MS}` : `toFloat64(${FEATURE_SQL[name]})`;
  return transform === 'log1p' ? `log1p(${value})` : value;
});

const RUN = `computed_at = fromUnixTimestamp64Milli({computed_at_ms:Int64}, 'UTC')`;

/**
 * One row per user of the run: its cluster_features columns, f_<feature>
 * for each feature in original units, and z
 * (the model row z-scored with the population standard deviation, as
 * scikit-learn's StandardScaler; a constant column becomes all zeros).
 */
function standardizedRows(): string {
  const width = MODEL_SQL.length;
  return `
SELECT
  *,
  ${FEATURE_NAMES.map((name) => `${FEATURE_SQL[name]} AS f_${name}`).join(',\n  ')},
  [${MODEL_SQL.join(', ')}] AS x,
  (SELECT [${MODEL_SQL.map((m) => `avg(${m})`).join(', ')}] FROM cluster_features WHERE ${RUN}) AS means,
  (SELECT [${MODEL_SQL.map((m) => `stddevPopStable(${m})`).join(', ')}] FROM cluster_features WHERE ${RUN}) AS stds,
  arrayMap(i -> if(stds[i] > 0, (x[i] - means[i]) / stds[i], 0), range(1, ${width + 1})) AS z
FROM cluster_features
WHERE ${RUN}`;
}

/** standardizedRows, each with raw_cluster (0-based index of the nearest of {centres}, the first on a tie) and d2 to it. */
function assignedRows(): string {
  return `
SELECT
  *,
  arrayMap(c -> arraySum(arrayMap((a, b) -> (a - b) * (a - b), z, c)), {centres:Array(Array(Float64))}) AS d2s,
  arrayMin(d2s) AS d2,
  indexOf(d2s, d2) - 1 AS raw_cluster
FROM (${standardizedRows()})`;
}

/**
 * Writes the run's activity counts per user with any event in
 * [as_of − windowDays, as_of) into cluster_features, one bucket of users at
 * a time (api/jobs/person-passes.ts); returns the users.
 */
export async function stageClusterFeatures(
  client: ClickHouseClient,
  window: RfmWindow,
  computedAt: number,
  options: { log: Pick<Logger, 'info'>; sizes?: PassSizes },
): Promise<number> {
  const conditions = [`e.ts < ${instant('as_of_ms')}`];
  const params: QueryParams = { as_of_ms: window.asOfMs, computed_at_ms: computedAt };
  if (window.windowDays !== undefined) {
    conditions.push(`e.ts >= ${instant('as_of_ms')} - toIntervalDay({window_days:UInt32})`);
    params.window_days = window.windowDays;
  }
  const where = conditions.join(' AND ');
  const { passes, drop } = await planPersonPasses(client, { job: 'clusters', computedAt, log: options.log }, { where, params }, options.sizes);
  try {
    for (const pass of passes) {
      await client.command({
        query: `
INSERT INTO cluster_features
  (computed_at, user_key, last_event_ms, frequency, monetary, avg_dwell_ms, product_views, cart_adds, favorites, category_breadth)
SELECT
  fromUnixTimestamp64Milli({computed_at_ms:Int64}, 'UTC'),
  user_key,
  toUnixTimestamp64Milli(max(ts)),
  ${metrics.paid_orders},
  ${metrics.gmv},
  sumIf(ifNull(dwell_ms, 0), type = 'page_leave' AND dwell_ms IS NOT NULL)
    / greatest(countIf(type = 'page_leave' AND dwell_ms IS NOT NULL), 1),
  countIf(type = 'product_view'),
  countIf(type = 'cart_add'),
  countIf(type = 'favorite_add'),
  length(arrayFilter(c -> c != '',
    groupUniqArrayArray(if(type = 'order_pay', order_item_category_ids, [product_category_id]))))
FROM ${eventsWithPerson(COLUMNS, where, 'user_key', pass)}
GROUP BY user_key`,
        query_params: params,
      });
    }
  } finally {
    await drop();
  }
  const result = await client.query({
    query: `SELECT count() AS n FROM cluster_features WHERE ${RUN}`,
    query_params: { computed_at_ms: computedAt },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string | number }>();
  return num(row?.n);
}

export interface StagedFeatures {
  userKey: string;
  features: Record<FeatureName, number>;
  /** the model row, z-scored over all of the run's users */
  z: number[];
}

const toStaged = (row: Record<string, unknown>): StagedFeatures => ({
  userKey: String(row.user_key),
  features: Object.fromEntries(FEATURE_NAMES.map((name) => [name, num(row[`f_${name}`])])) as Record<FeatureName, number>,
  z: (row.z as unknown[]).map(num),
});

/**
 * The fit sample: the maxRows users of the run with the smallest
 * sha1("<seed>:<user_key>") (so whether a user is drawn does not depend on the
 * others), all of them when there are fewer, in user_key order.
 */
export async function queryFitSample(
  client: ClickHouseClient,
  run: { computedAt: number; asOfMs: number },
  sample: { seed: number; maxRows: number },
): Promise<StagedFeatures[]> {
  const result = await client.query({
    query: `
SELECT user_key, ${FEATURE_NAMES.map((name) => `f_${name}`).join(', ')}, z FROM (
  SELECT * FROM (${standardizedRows()})
  ORDER BY SHA1(concat({seed:String}, ':', user_key)), user_key
  LIMIT {max_rows:UInt32}
)
ORDER BY user_key`,
    query_params: { computed_at_ms: run.computedAt, as_of_ms: run.asOfMs, seed: String(sample.seed), max_rows: sample.maxRows },
    format: 'JSONEachRow',
  });
  return (await result.json<Record<string, unknown>>()).map(toStaged);
}

export interface AssignedCluster {
  /** index of the centre in the order given */
  rawCluster: number;
  users: number;
  /** mean of each feature over the cluster's users, original units */
  means: Record<FeatureName, number>;
  /** mean z of each feature over the cluster's users */
  centroidZ: Record<FeatureName, number>;
}

/** Every user of the run assigned to the nearest of `centres` (z units): per centre with users, its size and means. */
export async function queryAssignedClusters(
  client: ClickHouseClient,
  run: { computedAt: number; asOfMs: number },
  centres: readonly (readonly number[])[],
): Promise<AssignedCluster[]> {
  const result = await client.query({
    query: `
SELECT
  raw_cluster,
  count() AS users,
  ${FEATURE_NAMES.map((name) => `avg(f_${name}) AS mean_${name}`).join(',\n  ')},
  ${FEATURE_NAMES.map((name, d) => `avg(z[${d + 1}]) AS z_${name}`).join(',\n  ')}
FROM (${assignedRows()})
GROUP BY raw_cluster
ORDER BY raw_cluster`,
    query_params: { computed_at_ms: run.computedAt, as_of_ms: run.asOfMs, centres },
    format: 'JSONEachRow',
  });
  return (await result.json<Record<string, unknown>>()).map((row) => ({
    rawCluster: num(row.raw_cluster),
    users: num(row.users),
    means: Object.fromEntries(FEATURE_NAMES.map((name) => [name, num(row[`mean_${name}`])])) as Record<FeatureName, number>,
    centroidZ: Object.fromEntries(FEATURE_NAMES.map((name) => [name, num(row[`z_${name}`])])) as Record<FeatureName, number>,
  }));
}

/**
 * INSERT … SELECT of every user of the run into user_clusters: the nearest of
 * `centres`, renumbered by `numbering` (raw index → cluster), and the
 * Euclidean distance to it in z units.
 */
export async function insertUserClusters(
  client: ClickHouseClient,
  run: { computedAt: number; asOfMs: number },
  centres: readonly (readonly number[])[],
  numbering: readonly number[],
): Promise<void> {
  await client.command({
    query: `
INSERT INTO user_clusters
  (computed_at, user_key, cluster, ${FEATURE_NAMES.join(', ')}, distance)
SELECT
  fromUnixTimestamp64Milli({computed_at_ms:Int64}, 'UTC'),
  user_key,
  {numbering:Array(UInt8)}[raw_cluster + 1],
  ${FEATURE_NAMES.map((name) => (name === 'monetary' ? 'monetary' : `f_${name}`)).join(', ')},
  sqrt(d2)
FROM (${assignedRows()})`,
    query_params: { computed_at_ms: run.computedAt, as_of_ms: run.asOfMs, centres, numbering },
  });
}

/** Drops the run's partition of cluster_features (done with it, or the run failed). */
export async function dropStagedFeatures(client: ClickHouseClient, computedAt: number): Promise<void> {
  await client.command({
    // The partition value must be a literal: a bound DateTime64 is one, a function call is not.
    query: 'ALTER TABLE cluster_features DROP PARTITION {c:DateTime64(3, \'UTC\')}',
    query_params: { c: new Date(computedAt).toISOString().replace('T', ' ').replace('Z', '') },
  });
}
