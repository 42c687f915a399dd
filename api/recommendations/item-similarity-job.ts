// Job `item-similarity`: item-based collaborative filtering computed inside
// ClickHouse (no event leaves the server). Four steps, one partition of each
// result table per run:
//   1. user_item_interactions — weight w(p, i) of person p for product i: the
//      largest event-type weight among p's events on i inside the window;
//      each person keeps their maxItemsPerUser strongest (then latest)
//      products, each row carrying the person's count and norm of them.
//   2. item_similarity — for every pair of products touched by a common person
//        cosine(i, j) = Σ_p w(p,i)·w(p,j) / (‖w(·,i)‖ · ‖w(·,j)‖)
//      with ‖w(·,i)‖ = sqrt(Σ_p w(p,i)²) over every person who touched i, and
//      co_users = the number of people who touched both; the `neighbours`
//      best per product (cosine, then co_users, then id) are kept.
//   3. popular_items — products by Σ_p w(p, i) (ties: more people, then id).
//   4. item_users — the same interactions indexed by product, for user-based
//      CF: per product its maxUsersPerItem strongest (then latest) people
//      with ≥ 2 products, each with the norm of their whole weight vector.
// No statement holds every person of the run at once, so memory stays the same
// whatever the number of events (more events: more passes and chunks, not
// bigger ones). Step 1 runs in passes over buckets of persons
// (api/jobs/person-passes.ts); each pass also writes its persons' products as
// one array per person (job_person_items, dropped when the run ends). Pairs
// come from those arrays (no self-join of the interactions), so the work is
// Σ_p n_p² with n_p ≤ maxItemsPerUser. Step 2 runs in chunks by a hash of the
// first product of the pair: every pair (a, ·) and so every rank of a lands
// in one chunk, the chunks together are the whole, and one chunk holds about
// PAIRS_PER_CHUNK pairs. Step 4 runs in chunks by a hash of the product and
// reads the person totals from each row instead of grouping by person.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Job, JobContext } from '../jobs/job-runner.ts';
import { countRunRows, dropOldRuns, readHistoryWindow, recordRun, RECOMMENDATION_JOB_NAMES, type HistoryWindow } from './runs.ts';
import { weightParams, type RecommendationSettings } from './settings.ts';
import { eventsWithPerson, IDENTITIES_SQL, inPersonBucket, type PersonPass } from '../metrics/person.ts';
import { planPersonPasses, type PassSizes } from '../jobs/person-passes.ts';

type Statement = { query: string; query_params: Record<string, unknown> };

const at = (param: string) => `fromUnixTimestamp64Milli({${param}:Int64}, 'UTC')`;

/** The events step 1 reads: product and order signals inside the window (conditions on `events AS e`). */
export function userItemEvents(window: HistoryWindow, settings: RecommendationSettings): { where: string; params: Record<string, unknown> } {
  return {
    where: `e.ts >= ${at('from_ms')} AND e.ts <= ${at('to_ms')}
      AND ((e.type IN {product_types:Array(String)} AND e.product_id != '') OR e.type IN {order_types:Array(String)})`,
    params: { from_ms: window.fromMs, to_ms: window.toMs, ...weightParams(settings.weights) },
  };
}

/**
 * Step 1 for the persons of one pass (api/jobs/person-passes.ts; the person
 * of each interaction is the rule of api/metrics/person.ts). A product event
 * is one interaction with its product, an order event one with each of its
 * items; the signal types of the two kinds are disjoint (settings.ts).
 */
export function buildUserItemsInsert(
  computedAt: number,
  window: HistoryWindow,
  settings: RecommendationSettings,
  pass: PersonPass = { bucket: 0, buckets: 1, identities: IDENTITIES_SQL },
): Statement {
  const events = userItemEvents(window, settings);
  return {
    query: `
INSERT INTO user_item_interactions (computed_at, person, product_id, weight, last_ts, purchased, person_items, person_norm)
SELECT ${at('computed_at')}, person, product_id, weight, last_ts, purchased,
       toUInt32(count() OVER by_person), sqrt(sum(weight * weight) OVER by_person)
FROM
(
  SELECT person, item AS product_id, max(weight) AS weight, max(ts) AS last_ts, max(paid) AS purchased
  FROM
  (
    SELECT person, item, ts, type = 'order_pay' AS paid,
           transform(type, arrayConcat({product_types:Array(String)}, {order_types:Array(String)}),
                     arrayConcat({product_weights:Array(Float64)}, {order_weights:Array(Float64)}), 0.) AS weight
    FROM ${eventsWithPerson(['type', 'ts', 'product_id', 'order_item_product_ids'], events.where, 'person', pass)}
    ARRAY JOIN if(type IN {order_types:Array(String)}, order_item_product_ids, [product_id]) AS item
    WHERE item != ''
  )
  GROUP BY person, item
  ORDER BY person, weight DESC, last_ts DESC, item
  LIMIT {max_items:UInt32} BY person
)
-- After LIMIT BY (a window of the same SELECT would count the products dropped by it).
WINDOW by_person AS (PARTITION BY person)`,
    query_params: { computed_at: computedAt, ...events.params, max_items: settings.maxItemsPerUser },
  };
}

/**
 * Step 1, second statement of a pass: the kept products of the pass's persons
 * with at least two, as one array per person (job_person_items), so that
 * step 2 generates pairs without grouping every person of the run at once.
 */
export function buildPersonItemsInsert(computedAt: number, pass: Pick<PersonPass, 'bucket' | 'buckets'> = { bucket: 0, buckets: 1 }): Statement {
  const bucket = pass.buckets > 1 ? `\n  AND ${inPersonBucket('person', pass)}` : '';
  return {
    query: `
INSERT INTO job_person_items (computed_at, person, items)
SELECT ${at('computed_at')}, person, groupArray((product_id, weight))
FROM user_item_interactions
WHERE computed_at = ${at('computed_at')} AND person_items >= 2${bucket}
GROUP BY person`,
    query_params: { computed_at: computedAt },
  };
}

/** Drops job_person_items' partitions: the run's own, or without `computedAt` every one (left by runs that died). */
async function dropPersonItems(client: ClickHouseClient, computedAt?: number): Promise<void> {
  const result = await client.query({ query: 'SELECT DISTINCT _partition_id AS id FROM job_person_items', format: 'JSONEachRow' });
  for (const { id } of await result.json<{ id: string }>()) {
    if (/^[0-9]+$/.test(id) && (computedAt === undefined || id === String(computedAt))) {
      await client.command({ query: 'ALTER TABLE job_person_items DROP PARTITION ID {id:String}', query_params: { id } });
    }
  }
}

/** Pairs one chunk of step 2 aggregates: about 150 MiB of aggregation state at a few dozen bytes a pair. */
export const PAIRS_PER_CHUNK = 4_000_000;

/** Σ_p n_p²: the pairs step 2 would aggregate in one go. */
function buildPairCountQuery(computedAt: number): Statement {
  return {
    query: `SELECT toUInt64(sum(length(items) * (length(items) - 1))) AS pairs FROM job_person_items WHERE computed_at = ${at('computed_at')}`,
    query_params: { computed_at: computedAt },
  };
}

export const chunksFor = (pairs: number): number => Math.max(1, Math.ceil(pairs / PAIRS_PER_CHUNK));

/**
 * Step 2 for the products a with cityHash64(a) % chunks = chunk (chunk 0 of 1:
 * all of them). Pairs are grouped by the products' cityHash64, not their ids:
 * grouping by two UInt64 took 14.1 s where two strings took 23.3 s at 10 M
 * synthetic events, same rows. `byHash` false groups by the ids themselves,
 * for a run whose products' hashes are not all distinct (see
 * buildHashesDistinctQuery; at 100,000 products the chance is about 3e-10).
 */
export function buildItemSimilarityInsert(computedAt: number, settings: RecommendationSettings, chunk = 0, chunks = 1, byHash = true): Statement {
  const key = (id: string) => (byHash ? `cityHash64(${id})` : id);
  return {
    query: `
INSERT INTO item_similarity (computed_at, product_id, rank, similar_product_id, cosine, co_users)
WITH
  norms AS
  (
    SELECT ${key('product_id')} AS key, any(product_id) AS id, sqrt(sum(weight * weight)) AS norm
    FROM user_item_interactions
    WHERE computed_at = ${at('computed_at')}
    GROUP BY key
  ),
  pairs AS
  (
    SELECT pair.1 AS a, pair.2 AS b, sum(pair.3) AS dot, count() AS co_users
    FROM
    (
      SELECT arrayMap(x -> (${key('x.1')}, x.2, cityHash64(x.1) % {chunks:UInt32} = {chunk:UInt32}), items) AS items
      FROM job_person_items WHERE computed_at = ${at('computed_at')}
    )
    ARRAY JOIN arrayFlatten(arrayMap(
      x -> arrayMap(y -> (x.1, y.1, x.2 * y.2), arrayFilter(y -> y.1 != x.1, items)),
      arrayFilter(x -> x.3, items)
    )) AS pair
    GROUP BY a, b
    HAVING co_users >= {min_co_users:UInt32}
  )
SELECT ${at('computed_at')}, a_id, rank, b_id, cosine, co_users
FROM
(
  SELECT a_id, b_id, cosine, co_users,
         row_number() OVER (PARTITION BY a ORDER BY cosine DESC, co_users DESC, b_id) AS rank
  FROM
  (
    -- Rounded so that equal similarities compare equal and ties fall to co_users, then id.
    SELECT pairs.a AS a, na.id AS a_id, nb.id AS b_id, round(pairs.dot / (na.norm * nb.norm), 9) AS cosine, pairs.co_users AS co_users
    FROM pairs
    INNER JOIN norms AS na ON na.key = pairs.a
    INNER JOIN norms AS nb ON nb.key = pairs.b
  )
)
WHERE rank <= {neighbours:UInt32}`,
    query_params: { computed_at: computedAt, min_co_users: settings.minCoUsers, neighbours: settings.neighbours, chunk, chunks },
  };
}

/** Whether the run's products have distinct cityHash64s (then step 2 may group by them). */
export function buildHashesDistinctQuery(computedAt: number): Statement {
  return {
    query: `SELECT uniqExact(product_id) = uniqExact(cityHash64(product_id)) AS distinct FROM user_item_interactions WHERE computed_at = ${at('computed_at')}`,
    query_params: { computed_at: computedAt },
  };
}

export function buildPopularItemsInsert(computedAt: number, settings: RecommendationSettings): Statement {
  return {
    query: `
INSERT INTO popular_items (computed_at, rank, product_id, score, users, buyers)
SELECT ${at('computed_at')}, toUInt32(row_number() OVER (ORDER BY score DESC, users DESC, product_id)) AS rank, product_id, score, users, buyers
FROM
(
  SELECT product_id, sum(weight) AS score, count() AS users, countIf(purchased = 1) AS buyers
  FROM user_item_interactions
  WHERE computed_at = ${at('computed_at')}
  GROUP BY product_id
  ORDER BY score DESC, users DESC, product_id
  LIMIT {popular_items:UInt32}
)`,
    query_params: { computed_at: computedAt, popular_items: settings.popularItems },
  };
}

/**
 * Step 4 for the products p with cityHash64(p) % chunks = chunk: the
 * interactions alone, each carrying its person's totals (step 1), so no join;
 * one chunk sorts about ITEM_USERS_ROWS_PER_CHUNK rows.
 */
export function buildItemUsersInsert(computedAt: number, settings: RecommendationSettings, chunk = 0, chunks = 1): Statement {
  return {
    query: `
INSERT INTO item_users (computed_at, product_id, person, weight, person_norm)
SELECT ${at('computed_at')}, product_id, person, weight, person_norm
FROM user_item_interactions
WHERE computed_at = ${at('computed_at')}
  -- Someone with a single product cannot recommend another one.
  AND person_items >= 2
  AND cityHash64(product_id) % {chunks:UInt32} = {chunk:UInt32}
ORDER BY product_id, weight DESC, last_ts DESC, person
LIMIT {max_users:UInt32} BY product_id`,
    query_params: { computed_at: computedAt, max_users: settings.maxUsersPerItem, chunk, chunks },
  };
}

/** Interaction rows one chunk of step 4 sorts: a few hundred MiB at most with the person ids. */
export const ITEM_USERS_ROWS_PER_CHUNK = 5_000_000;

async function timed<T>(ctx: JobContext, step: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const value = await work();
  ctx.log.info({ step, ms: Date.now() - started }, 'recommendation step finished');
  return value;
}

/** `passSizes`: how much one pass of step 1 over a bucket of persons may hold (api/jobs/person-passes.ts). */
export function createItemSimilarityJob(settings: RecommendationSettings, passSizes?: PassSizes): Job {
  const job = RECOMMENDATION_JOB_NAMES.itemSimilarity;
  return {
    name: job,
    description: 'Collaborative filtering: weighted user–item interactions, cosine similarity between products (top neighbours per product), the people of each product (for user-based CF) and the popularity fallback',
    async run(ctx) {
      const client: ClickHouseClient = ctx.clickhouse;
      const window = await readHistoryWindow(client, settings.windowDays);
      ctx.log.info({ window_from: new Date(window.fromMs).toISOString(), window_to: new Date(window.toMs).toISOString() }, 'item similarity window');
      // Only this job writes job_person_items, and one job runs at a time: what another run left is from a run that died.
      await dropPersonItems(client);
      try {
        await timed(ctx, 'user_item_interactions', async () => {
          const { passes, drop } = await planPersonPasses(client, { job, computedAt: ctx.computedAt, log: ctx.log }, userItemEvents(window, settings), passSizes);
          try {
            for (const pass of passes) {
              await client.command(buildUserItemsInsert(ctx.computedAt, window, settings, pass));
              await client.command(buildPersonItemsInsert(ctx.computedAt, pass));
            }
          } finally {
            await drop();
          }
        });
        const pairs = await client.query({ ...buildPairCountQuery(ctx.computedAt), format: 'JSONEachRow' });
        const chunks = chunksFor(Number((await pairs.json<{ pairs: string }>())[0]?.pairs ?? 0));
        const hashes = await client.query({ ...buildHashesDistinctQuery(ctx.computedAt), format: 'JSONEachRow' });
        const byHash = Number((await hashes.json<{ distinct: number | boolean }>())[0]?.distinct ?? 0) === 1;
        if (!byHash) ctx.log.warn('two products share a cityHash64: item similarity groups pairs by product id (slower)');
        await timed(ctx, 'item_similarity', async () => {
          for (let chunk = 0; chunk < chunks; chunk++) await client.command(buildItemSimilarityInsert(ctx.computedAt, settings, chunk, chunks, byHash));
        });
        ctx.log.info({ chunks }, 'item similarity computed in chunks');
      } finally {
        await dropPersonItems(client, ctx.computedAt);
      }
      await timed(ctx, 'popular_items', () => client.command(buildPopularItemsInsert(ctx.computedAt, settings)));
      const interactions = await countRunRows(client, 'user_item_interactions', ctx.computedAt);
      const userChunks = Math.max(1, Math.ceil(interactions / ITEM_USERS_ROWS_PER_CHUNK));
      await timed(ctx, 'item_users', async () => {
        for (let chunk = 0; chunk < userChunks; chunk++) await client.command(buildItemUsersInsert(ctx.computedAt, settings, chunk, userChunks));
      });
      ctx.log.info({ chunks: userChunks }, 'item users written in chunks');
      const tables = ['item_similarity', 'popular_items', 'item_users'];
      const counts = await Promise.all(tables.map((t) => countRunRows(client, t, ctx.computedAt)));
      const [similarities, popular, itemUsers] = counts as [number, number, number];
      ctx.log.info({ interactions, similarities, popular, item_users: itemUsers }, 'item similarity rows written');
      // The results read by the endpoints (the interactions are the job's input to them).
      const rows = similarities + popular + itemUsers;
      await recordRun(client, { job, computedAt: ctx.computedAt, window, rows, settings });
      const dropped = await dropOldRuns(client, job, settings.keepRuns);
      if (dropped.length > 0) ctx.log.info({ dropped }, 'dropped old recommendation runs');
      return { rows };
    },
  };
}
