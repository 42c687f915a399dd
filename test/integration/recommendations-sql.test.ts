// The recommendation jobs' SQL on the real ClickHouse engine (a fresh chDB
// directory, or a fresh database on CLICKHOUSE_URL), on fixtures small enough
// to compute by hand. Rows go straight into `events` through the stream
// processor's own row mapper; no Kafka needed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { RawEnvelope } from '../../collector/contract/events.ts';
import type { JobContext } from '../../api/jobs/job-runner.ts';
import { queryBoughtTogether } from '../../api/queries/recommendations/bought-together.ts';
import { queryLatestRun } from '../../api/queries/recommendations/latest-run.ts';
import { queryPopularItems } from '../../api/queries/recommendations/popular-items.ts';
import { querySimilarItems } from '../../api/queries/recommendations/similar-items.ts';
import { queryUserNeighbours } from '../../api/queries/recommendations/user-neighbours.ts';
import { buildItemSimilarityInsert, buildItemUsersInsert, buildPersonItemsInsert, buildUserItemsInsert, userItemEvents } from '../../api/recommendations/item-similarity-job.ts';
import { readHistoryWindow } from '../../api/recommendations/runs.ts';
import { planPersonPasses } from '../../api/jobs/person-passes.ts';
import { createRecommendationJobs } from '../../api/recommendations/jobs.ts';
import { recommendForUser } from '../../api/recommendations/recommend-for-user.ts';
import { DEFAULT_RECOMMENDATION_SETTINGS, type RecommendationSettings } from '../../api/recommendations/settings.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { openFreshClickHouse, type FreshClickHouse } from '../helpers/fresh-clickhouse.ts';
import { toEventRow } from '../../stream-processor/steps/to-event-row.ts';

const log = createRootLogger({ name: 'recommendations-sql-test', level: 'warn' });
const T0 = Date.UTC(2024, 2, 4, 2, 0);
let seq = 0;

/** One event, `seq` seconds after T0 so events keep their order. */
function ev(anonymousId: string, userId: string, type: RawEnvelope['type'], extra: Record<string, unknown>, session = `s-${anonymousId}`): RawEnvelope {
  const ts = T0 + seq++ * 1000;
  return {
    event_id: randomUUID(),
    schema_version: 1,
    type,
    ts,
    sent_at: ts,
    received_at: ts,
    anonymous_id: anonymousId,
    ...(userId ? { user_id: userId } : {}),
    session_id: session,
    user_agent: 'test',
    client_ip: '',
    skew_ms: 0,
    ...extra,
  } as RawEnvelope;
}
const product = (id: string) => ({ product: { id, price: 10 } });
const order = (id: string, items: string[]) => ({
  order: { id, amount: 10 * items.length, items: items.map((p) => ({ product_id: p, price: 10, quantity: 1 })) },
});

describe('recommendation SQL on hand-computed fixtures', () => {
  let ch: FreshClickHouse;
  let computedAt = Date.UTC(2030, 0, 1);
  const insert = (events: RawEnvelope[]) =>
    ch.client.insert({ table: 'events', values: events.map((e) => toEventRow(e, { partition: 0, offset: '0' })), format: 'JSONEachRow' });
  const runJob = async (name: string, settings: RecommendationSettings = DEFAULT_RECOMMENDATION_SETTINGS) => {
    const job = createRecommendationJobs(settings).find((j) => j.name === name)!;
    const ctx: JobContext = { clickhouse: ch.client, computedAt: (computedAt += 1000), log, timeZone: 'UTC' };
    return { computedAt: ctx.computedAt, ...(await job.run(ctx)) };
  };
  const rows = async <T>(query: string): Promise<T[]> => (await ch.client.query({ query, format: 'JSONEachRow' })).json<T>();

  before(async () => {
    ch = await openFreshClickHouse('recs-sql', log);
  });
  after(async () => {
    await ch?.close();
  });

  describe('item similarity: weights and cosine on a 3 people × 3 products example', () => {
    // Weights w(person, product), the largest of the person's events on it
    // (view 1, favourite 2, cart 3, order submitted 3, paid 5):
    //          A   B   C
    //   u1     1   3   0     views A as anonymous visitor v1 before identify(); views B, then carts it (max 3)
    //   u2     5   1   2     submits and pays an order of A (max 5); views B; favourites C
    //   u3     0   1   5     views B twice (still 1); pays C
    // ‖A‖ = √(1+25) = √26, ‖B‖ = √(9+1+1) = √11, ‖C‖ = √(4+25) = √29
    // cos(A,B) = (1·3 + 5·1) / √(26·11) = 8/√286  = 0.47305 (co-users u1, u2)
    // cos(A,C) = (5·2)       / √(26·29) = 10/√754 = 0.36418 (u2)
    // cos(B,C) = (1·2 + 1·5) / √(11·29) = 7/√319  = 0.39192 (u2, u3)
    let run: { computedAt: number; rows: number };

    before(async () => {
      await insert([
        ev('v1', '', 'product_view', product('A')),
        ev('v1', 'u1', 'page_view', { page: { url: 'https://shop.example/' } }),
        ev('v1', 'u1', 'product_view', product('B')),
        ev('v1', 'u1', 'cart_add', product('B')),
        ev('v2', 'u2', 'order_submit', order('o-u2', ['A'])),
        ev('v2', 'u2', 'order_pay', order('o-u2', ['A'])),
        ev('v2', 'u2', 'product_view', product('B')),
        ev('v2', 'u2', 'favorite_add', product('C')),
        ev('v3', 'u3', 'product_view', product('B')),
        ev('v3', 'u3', 'product_view', product('B')),
        ev('v3', 'u3', 'order_pay', order('o-u3', ['C'])),
      ]);
      run = await runJob('item-similarity');
    });

    test('interaction weights: the strongest event per person and product, anonymous browsing stitched to the user', async () => {
      const weights = await rows<{ person: string; product_id: string; weight: number; purchased: number }>(
        'SELECT person, product_id, weight, purchased FROM user_item_interactions ORDER BY person, product_id',
      );
      assert.deepEqual(weights, [
        { person: 'u1', product_id: 'A', weight: 1, purchased: 0 },
        { person: 'u1', product_id: 'B', weight: 3, purchased: 0 },
        { person: 'u2', product_id: 'A', weight: 5, purchased: 1 },
        { person: 'u2', product_id: 'B', weight: 1, purchased: 0 },
        { person: 'u2', product_id: 'C', weight: 2, purchased: 0 },
        { person: 'u3', product_id: 'B', weight: 1, purchased: 0 },
        { person: 'u3', product_id: 'C', weight: 5, purchased: 1 },
      ]);
    });

    test('the run leaves none of its working rows behind', async () => {
      const [left] = await rows<{ n: string }>('SELECT count() AS n FROM job_person_items');
      assert.equal(Number(left!.n), 0);
    });

    test('cosine similarity and co-users, neighbours best first', async () => {
      const similar = async (id: string) => querySimilarItems(ch.client, { computedAt: run.computedAt, productId: id, limit: 10 });
      assert.deepEqual(await similar('A'), [
        { product_id: 'B', rank: 1, cosine: 0.473, co_users: 2 },
        { product_id: 'C', rank: 2, cosine: 0.3642, co_users: 1 },
      ]);
      assert.deepEqual(await similar('B'), [
        { product_id: 'A', rank: 1, cosine: 0.473, co_users: 2 },
        { product_id: 'C', rank: 2, cosine: 0.3919, co_users: 2 },
      ]);
      assert.deepEqual(await similar('C'), [
        { product_id: 'B', rank: 1, cosine: 0.3919, co_users: 2 },
        { product_id: 'A', rank: 2, cosine: 0.3642, co_users: 1 },
      ]);
      // Stored with 9 decimals: 8/√286 = 0.473049917…
      const [ab] = await rows<{ cosine: number }>("SELECT cosine FROM item_similarity WHERE product_id = 'A' AND similar_product_id = 'B'");
      assert.equal(ab!.cosine, 0.473049917);
    });

    test('in chunks by product hash, and with pairs grouped by id instead of hash, the similarities and the people of each product are the same rows', async () => {
      // The same interactions under another run time, then steps 2 and 4 in three chunks.
      const again = run.computedAt + 1;
      await ch.client.command({
        query: `INSERT INTO user_item_interactions (computed_at, person, product_id, weight, last_ts, purchased, person_items, person_norm)
                SELECT fromUnixTimestamp64Milli(${again}, 'UTC'), person, product_id, weight, last_ts, purchased, person_items, person_norm
                FROM user_item_interactions WHERE computed_at = fromUnixTimestamp64Milli(${run.computedAt}, 'UTC')`,
      });
      await ch.client.command(buildPersonItemsInsert(again));
      for (let chunk = 0; chunk < 3; chunk++) await ch.client.command(buildItemSimilarityInsert(again, DEFAULT_RECOMMENDATION_SETTINGS, chunk, 3));
      const of = (at: number) =>
        rows(`SELECT product_id, rank, similar_product_id, cosine, co_users FROM item_similarity
              WHERE computed_at = fromUnixTimestamp64Milli(${at}, 'UTC') ORDER BY product_id, rank`);
      const whole = await of(run.computedAt);
      assert.equal(whole.length, 6);
      assert.deepEqual(await of(again), whole);
      // The fallback for products whose hashes collide: pairs grouped by the ids.
      await ch.client.command({ query: `ALTER TABLE item_similarity DELETE WHERE computed_at = fromUnixTimestamp64Milli(${again}, 'UTC') SETTINGS mutations_sync = 1` });
      for (let chunk = 0; chunk < 3; chunk++) await ch.client.command(buildItemSimilarityInsert(again, DEFAULT_RECOMMENDATION_SETTINGS, chunk, 3, false));
      assert.deepEqual(await of(again), whole);
      await ch.client.command({ query: `ALTER TABLE job_person_items DROP PARTITION ID '${again}'` });
      for (let chunk = 0; chunk < 3; chunk++) await ch.client.command(buildItemUsersInsert(again, DEFAULT_RECOMMENDATION_SETTINGS, chunk, 3));
      const people = (at: number) =>
        rows(`SELECT product_id, person, weight, person_norm FROM item_users
              WHERE computed_at = fromUnixTimestamp64Milli(${at}, 'UTC') ORDER BY product_id, person`);
      const everyone = await people(run.computedAt);
      assert.equal(everyone.length, 7);
      assert.deepEqual(await people(again), everyone);
      // The three chunks split the products: a hash that put them all in one would prove nothing.
      const [split] = await rows<{ n: string }>("SELECT uniqExact(cityHash64(p) % 3) AS n FROM (SELECT arrayJoin(['A', 'B', 'C']) AS p)");
      assert.ok(Number(split!.n) > 1);
      for (const table of ['item_similarity', 'item_users', 'user_item_interactions']) {
        await ch.client.command({ query: `ALTER TABLE ${table} DELETE WHERE computed_at = fromUnixTimestamp64Milli(${again}, 'UTC') SETTINGS mutations_sync = 1` });
      }
    });

    test('in passes over buckets of persons the interactions are the same rows', async () => {
      // Step 1 again under another run time, with passes so small that each holds a person or two.
      const again = run.computedAt + 2;
      const window = await readHistoryWindow(ch.client, DEFAULT_RECOMMENDATION_SETTINGS.windowDays);
      const plan = await planPersonPasses(
        ch.client,
        { job: 'item-similarity', computedAt: again, log },
        userItemEvents(window, DEFAULT_RECOMMENDATION_SETTINGS),
        { eventsPerPass: 2, visitorsPerPass: 1 },
      );
      assert.ok(plan.passes.length >= 6, `${plan.passes.length} passes`);
      for (const pass of plan.passes) {
        await ch.client.command(buildUserItemsInsert(again, window, DEFAULT_RECOMMENDATION_SETTINGS, pass));
        await ch.client.command(buildPersonItemsInsert(again, pass));
      }
      await plan.drop();
      const of = (at: number) =>
        rows(`SELECT person, product_id, weight, last_ts, purchased, person_items, person_norm FROM user_item_interactions
              WHERE computed_at = fromUnixTimestamp64Milli(${at}, 'UTC') ORDER BY person, product_id`);
      assert.deepEqual(await of(again), await of(run.computedAt));
      // Each person with two products or more has their array of them, written by the pass of their bucket.
      const arrays = await rows(`SELECT person, arrayMap(t -> (t.1, t.2), arraySort(items)) AS items FROM job_person_items WHERE computed_at = fromUnixTimestamp64Milli(${again}, 'UTC') ORDER BY person`);
      const grouped = await rows(`SELECT person, arraySort(groupArray((product_id, weight))) AS items FROM user_item_interactions
                                  WHERE computed_at = fromUnixTimestamp64Milli(${run.computedAt}, 'UTC') GROUP BY person HAVING count() >= 2 ORDER BY person`);
      assert.equal(arrays.length, 3);
      assert.deepEqual(arrays, grouped);
      await ch.client.command({ query: `ALTER TABLE job_person_items DROP PARTITION ID '${again}'` });
      // The persons fall in more than one bucket: one bucket holding them all would prove nothing.
      const buckets = plan.passes[0]!.buckets;
      const [split] = await rows<{ n: string }>(`SELECT uniqExact(cityHash64(p) % ${buckets}) AS n FROM (SELECT arrayJoin(['u1', 'u2', 'u3']) AS p)`);
      assert.ok(Number(split!.n) > 1);
      await ch.client.command({ query: `ALTER TABLE user_item_interactions DELETE WHERE computed_at = fromUnixTimestamp64Milli(${again}, 'UTC') SETTINGS mutations_sync = 1` });
    });

    test('popularity: Σ weights (C 2+5, A 1+5, B 3+1+1)', async () => {
      assert.deepEqual(await queryPopularItems(ch.client, { computedAt: run.computedAt, exclude: [], limit: 10 }), [
        { product_id: 'C', rank: 1, score: 7, users: 2, buyers: 1 },
        { product_id: 'A', rank: 2, score: 6, users: 2, buyers: 1 },
        { product_id: 'B', rank: 3, score: 5, users: 3, buyers: 0 },
      ]);
    });

    test('user recommendations: Σ weight × cosine, purchases left out unless asked, popularity for strangers', async () => {
      const recommend = (userId: string, includePurchased = false) =>
        recommendForUser(ch.client, { userId, limit: 10, includePurchased, settings: DEFAULT_RECOMMENDATION_SETTINGS });
      // u1 (A 1, B 3): C = 1·0.36418 + 3·0.39192 = 1.54; A = 3·0.47305 = 1.4191; B = 1·0.47305.
      assert.deepEqual(await recommend('u1'), {
        user_id: 'u1', method: 'item', computed_at: run.computedAt, history_items: 2, purchased_items: 0,
        items: [
          { product_id: 'C', score: 1.54, source: 'cf', because: ['B', 'A'] },
          { product_id: 'A', score: 1.4191, source: 'cf', because: ['B'] },
          { product_id: 'B', score: 0.473, source: 'cf', because: ['A'] },
        ],
      });
      // The anonymous visitor id finds the same history.
      assert.deepEqual((await recommend('v1')).items.map((i) => i.product_id), ['C', 'A', 'B']);
      // u2 (A 5 paid, B 1, C 2): B = 5·0.47305 + 2·0.39192 = 3.1491; C = 5·0.36418 + 1·0.39192 = 2.2128; A bought.
      const u2 = await recommend('u2');
      assert.deepEqual(u2.items, [
        { product_id: 'B', score: 3.1491, source: 'cf', because: ['A', 'C'] },
        { product_id: 'C', score: 2.2128, source: 'cf', because: ['A', 'B'] },
      ]);
      assert.equal(u2.purchased_items, 1);
      // With include_purchased: A = 1·0.47305 + 2·0.36418 = 1.2014 joins.
      assert.deepEqual((await recommend('u2', true)).items.map((i) => [i.product_id, i.score]), [['B', 3.1491], ['C', 2.2128], ['A', 1.2014]]);
      const stranger = await recommend('nobody');
      assert.deepEqual(stranger.items.map((i) => [i.product_id, i.source, i.score]), [['C', 'popular', 7], ['A', 'popular', 6], ['B', 'popular', 5]]);
      assert.equal(stranger.history_items, 0);
    });

    // User-based CF over the same weights. Norms over each person's products:
    // ‖u1‖ = √(1+9) = √10, ‖u2‖ = √(25+1+4) = √30, ‖u3‖ = √(1+25) = √26.
    //   cos(u1,u2) = (1·5 + 3·1)/√300 = 0.461880215   cos(u1,u3) = 3·1/√260 = 0.186052102
    //   cos(u2,u3) = (1·1 + 2·5)/√780 = 0.393863181
    // score(j) = Σ over the person's neighbours q of cos(P,q) · w(q,j).
    test('item_users: each product’s people with the norm of their whole vector', async () => {
      const stored = await rows<{ product_id: string; person: string; weight: number; norm: number }>(
        `SELECT product_id, person, weight, round(person_norm, 6) AS norm FROM item_users
         WHERE computed_at = fromUnixTimestamp64Milli(${run.computedAt}, 'UTC') ORDER BY product_id, person`,
      );
      const r10 = Math.round(Math.sqrt(10) * 1e6) / 1e6;
      const r30 = Math.round(Math.sqrt(30) * 1e6) / 1e6;
      const r26 = Math.round(Math.sqrt(26) * 1e6) / 1e6;
      assert.deepEqual(stored, [
        { product_id: 'A', person: 'u1', weight: 1, norm: r10 },
        { product_id: 'A', person: 'u2', weight: 5, norm: r30 },
        { product_id: 'B', person: 'u1', weight: 3, norm: r10 },
        { product_id: 'B', person: 'u2', weight: 1, norm: r30 },
        { product_id: 'B', person: 'u3', weight: 1, norm: r26 },
        { product_id: 'C', person: 'u2', weight: 2, norm: r30 },
        { product_id: 'C', person: 'u3', weight: 5, norm: r26 },
      ]);
      // 6 neighbour rows, 3 popular products, 7 item_users rows.
      assert.equal(run.rows, 6 + 3 + 7);
    });

    test('user-based recommendations: cosine between people, Σ similarity × weight, purchases left out unless asked', async () => {
      const recommend = (userId: string, includePurchased = false) =>
        recommendForUser(ch.client, { userId, limit: 10, includePurchased, settings: DEFAULT_RECOMMENDATION_SETTINGS, method: 'user' });
      // u1: neighbours u2 (0.46188), u3 (0.18605).
      //   A = 0.46188·5 = 2.3094; C = 0.46188·2 + 0.18605·5 = 1.8540; B = 0.46188·1 + 0.18605·1 = 0.6479.
      //   because: shared with u1 by the neighbours who touched j (w(u1,i)·w(q,i)): u2 A 5, B 3; u3 B 3.
      assert.deepEqual(await recommend('u1'), {
        user_id: 'u1', method: 'user', computed_at: run.computedAt, history_items: 2, purchased_items: 0, neighbours: 2,
        items: [
          { product_id: 'A', score: 2.3094, source: 'cf', because: ['A', 'B'] },
          { product_id: 'C', score: 1.854, source: 'cf', because: ['B', 'A'] },
          { product_id: 'B', score: 0.6479, source: 'cf', because: ['B', 'A'] },
        ],
      });
      const neighbours = await queryUserNeighbours(ch.client, { computedAt: run.computedAt, items: ['A', 'B'], weights: [1, 3], self: ['u1'], neighbours: 10 });
      assert.deepEqual(neighbours, [
        { person: 'u2', similarity: 0.461880215, shared: [{ product_id: 'A', weight: 5 }, { product_id: 'B', weight: 3 }] },
        { person: 'u3', similarity: 0.186052102, shared: [{ product_id: 'B', weight: 3 }] },
      ]);
      // v1 is u1's visitor id: u1 is never its own neighbour.
      const v1 = await recommend('v1');
      assert.equal(v1.neighbours, 2);
      assert.deepEqual(v1.items.map((i) => i.product_id), ['A', 'C', 'B']);
      // u2 (A paid): neighbours u1 (0.46188), u3 (0.39386); B = 0.46188·3 + 0.39386·1 = 1.7795; C = 0.39386·5 = 1.9693.
      const u2 = await recommend('u2');
      assert.deepEqual(u2.items, [
        { product_id: 'C', score: 1.9693, source: 'cf', because: ['C', 'B'] },
        { product_id: 'B', score: 1.7795, source: 'cf', because: ['C', 'A', 'B'] },
      ]);
      assert.equal(u2.purchased_items, 1);
      // include_purchased: A = 0.46188·1 = 0.4619 from u1.
      assert.deepEqual((await recommend('u2', true)).items.map((i) => [i.product_id, i.score]), [['C', 1.9693], ['B', 1.7795], ['A', 0.4619]]);
      // u3 (C paid): A = 0.39386·5 + 0.18605·1 = 2.1554; B = 0.39386·1 + 0.18605·3 = 0.952.
      assert.deepEqual((await recommend('u3')).items.map((i) => [i.product_id, i.score, i.source]), [['A', 2.1554, 'cf'], ['B', 0.952, 'cf']]);
      // Nobody similar: popularity only.
      const stranger = await recommend('nobody');
      assert.deepEqual([stranger.neighbours, stranger.items.map((i) => [i.product_id, i.source])], [0, [['C', 'popular'], ['A', 'popular'], ['B', 'popular']]]);
      // At most userNeighbours people: u1 keeps only u2.
      const one = await recommendForUser(ch.client, { userId: 'u1', limit: 10, includePurchased: false, settings: { ...DEFAULT_RECOMMENDATION_SETTINGS, userNeighbours: 1 }, method: 'user' });
      assert.deepEqual([one.neighbours, one.items.map((i) => [i.product_id, i.score])], [1, [['A', 2.3094], ['C', 0.9238], ['B', 0.4619]]]);
    });

    test('user-based: a product keeps only its maxUsersPerItem strongest people', async () => {
      // With 1 per product: A → u2 (5), B → u1 (3), C → u3 (5). u1 finds u2 through A only,
      // so their dot product lacks B: cos = 5/√300 = 0.288675 (the bound's approximation).
      const bounded = { ...DEFAULT_RECOMMENDATION_SETTINGS, maxUsersPerItem: 1 };
      const small = await runJob('item-similarity', bounded);
      const stored = await rows<{ product_id: string; person: string }>(
        `SELECT product_id, person FROM item_users WHERE computed_at = fromUnixTimestamp64Milli(${small.computedAt}, 'UTC') ORDER BY product_id`,
      );
      assert.deepEqual(stored, [{ product_id: 'A', person: 'u2' }, { product_id: 'B', person: 'u1' }, { product_id: 'C', person: 'u3' }]);
      const neighbours = await queryUserNeighbours(ch.client, { computedAt: small.computedAt, items: ['A', 'B'], weights: [1, 3], self: ['u1'], neighbours: 10 });
      assert.deepEqual(neighbours, [{ person: 'u2', similarity: 0.288675135, shared: [{ product_id: 'A', weight: 5 }] }]);
      const u1 = await recommendForUser(ch.client, { userId: 'u1', limit: 3, includePurchased: false, settings: bounded, method: 'user' });
      // A = 0.288675·5, C = 0.288675·2, B = 0.288675·1.
      assert.deepEqual(u1.items.map((i) => [i.product_id, i.score, i.because]), [['A', 1.4434, ['A']], ['C', 0.5774, ['A']], ['B', 0.2887, ['A']]]);
    });

    test('old runs are dropped, a run without its runs row is never read', async () => {
      await runJob('item-similarity');
      const third = await runJob('item-similarity');
      const parts = await rows<{ table: string; runs: number }>(
        `SELECT table, uniqExact(partition_id) AS runs FROM system.parts
         WHERE database = currentDatabase() AND active AND table IN ('user_item_interactions', 'item_similarity', 'popular_items', 'item_users')
         GROUP BY table ORDER BY table`,
      );
      assert.deepEqual(parts, [
        { table: 'item_similarity', runs: 2 }, { table: 'item_users', runs: 2 }, { table: 'popular_items', runs: 2 }, { table: 'user_item_interactions', runs: 2 },
      ]);
      // A newer run that died half-way: rows, no recommendation_runs row.
      await ch.client.command({
        query: "INSERT INTO item_similarity SELECT fromUnixTimestamp64Milli({c:Int64}, 'UTC'), 'A', 1, 'Z', 1, 1",
        query_params: { c: third.computedAt + 60_000 },
      });
      assert.equal((await queryLatestRun(ch.client, 'item-similarity'))?.computedAt, third.computedAt);
    });

    test('the window (RECS_WINDOW_DAYS): events older than windowDays before the newest one are left out', async () => {
      const old = (type: RawEnvelope['type'], id: string) => ({ ...ev('old-v', 'old1', type, product(id)), ts: T0 - 200 * 86_400_000 });
      await insert([old('product_view', 'A'), old('cart_add', 'Z')]);
      const people = async (settings: RecommendationSettings) => {
        const r = await runJob('item-similarity', settings);
        return rows<{ person: string; n: number }>(
          `SELECT person, count() AS n FROM user_item_interactions WHERE computed_at = fromUnixTimestamp64Milli(${r.computedAt}, 'UTC') GROUP BY person ORDER BY person`,
        );
      };
      assert.deepEqual(await people(DEFAULT_RECOMMENDATION_SETTINGS), [{ person: 'u1', n: 2 }, { person: 'u2', n: 3 }, { person: 'u3', n: 2 }]);
      assert.deepEqual(await people({ ...DEFAULT_RECOMMENDATION_SETTINGS, windowDays: 201 }), [
        { person: 'old1', n: 2 }, { person: 'u1', n: 2 }, { person: 'u2', n: 3 }, { person: 'u3', n: 2 },
      ]);
    });
  });

  describe('association rules: support, confidence and lift', () => {
    // Paid orders (baskets): o1 {P,Q}, o2 {P,Q,R}, o3 {P}, o4 {R,S}, o5 {Q}; N = 5.
    // n(P) = 3, n(Q) = 3, n(R) = 2, n(S) = 1; n(P,Q) = 2, n(P,R) = n(Q,R) = n(R,S) = 1.
    //   P→Q: support 2/5 = 0.4, confidence 2/3, lift 2·5/(3·3) = 1.1111
    //   R→S: support 1/5 = 0.2, confidence 1/2, lift 1·5/(2·1) = 2.5; S→R: confidence 1/1
    //   P→R: support 0.2, confidence 1/3, lift 1·5/(3·2) = 0.8333
    // o1 and o2 are paid in one session of visitor b1: session baskets {P,Q,R}, {P}, {R,S}, {Q}; N = 4.
    //   P→Q: support 1/4, confidence 1/2, lift 1·4/(2·2) = 1; S→R: confidence 1, lift 1·4/(2·1) = 2
    before(async () => {
      await ch.client.command({ query: 'TRUNCATE TABLE events' });
      await insert([
        ev('b1', 'buyer1', 'order_pay', order('o1', ['P', 'Q']), 'sb1'),
        ev('b1', 'buyer1', 'order_pay', order('o2', ['P', 'Q', 'R']), 'sb1'),
        ev('b2', 'buyer2', 'order_pay', order('o3', ['P']), 'sb2'),
        ev('b3', 'buyer3', 'order_pay', order('o4', ['R', 'S']), 'sb3'),
        ev('b4', 'buyer4', 'order_pay', order('o5', ['Q']), 'sb4'),
        // Submitted but never paid: not a basket.
        ev('b4', 'buyer4', 'order_submit', order('o6', ['P', 'S']), 'sb4'),
      ]);
    });

    test('order baskets: every pair both ways with its exact metrics', async () => {
      const run = await runJob('association-rules');
      const rules = await queryBoughtTogether(ch.client, { computedAt: run.computedAt, basket: 'order', minSupport: 0, minConfidence: 0, minLift: 0, limit: 100 });
      const byPair = Object.fromEntries(rules.map((r) => [`${r.antecedent}→${r.consequent}`, [r.pair_baskets, r.antecedent_baskets, r.consequent_baskets, r.total_baskets, r.support, r.confidence, r.lift]]));
      assert.deepEqual(byPair, {
        'P→Q': [2, 3, 3, 5, 0.4, 0.6667, 1.1111],
        'Q→P': [2, 3, 3, 5, 0.4, 0.6667, 1.1111],
        'P→R': [1, 3, 2, 5, 0.2, 0.3333, 0.8333],
        'R→P': [1, 2, 3, 5, 0.2, 0.5, 0.8333],
        'Q→R': [1, 3, 2, 5, 0.2, 0.3333, 0.8333],
        'R→Q': [1, 2, 3, 5, 0.2, 0.5, 0.8333],
        'R→S': [1, 2, 1, 5, 0.2, 0.5, 2.5],
        'S→R': [1, 1, 2, 5, 0.2, 1, 2.5],
      });
      assert.equal(run.rows, 8 + 8); // order rules + session rules
      // One product's rules, best confidence first; a minimum lift keeps the real associations.
      const r = await queryBoughtTogether(ch.client, { computedAt: run.computedAt, basket: 'order', product: 'R', minSupport: 0, minConfidence: 0, minLift: 0, limit: 10 });
      assert.deepEqual(r.map((x) => [x.consequent, x.confidence, x.lift]), [['S', 0.5, 2.5], ['P', 0.5, 0.8333], ['Q', 0.5, 0.8333]]);
      const lifted = await queryBoughtTogether(ch.client, { computedAt: run.computedAt, basket: 'order', minSupport: 0, minConfidence: 0, minLift: 1.1, limit: 10 });
      // Without a product: most frequent first, then confidence (S→R 1 before R→S 0.5).
      assert.deepEqual(lifted.map((x) => `${x.antecedent}→${x.consequent}`), ['P→Q', 'Q→P', 'S→R', 'R→S']);
    });

    test('session baskets join the orders a visitor paid in one session', async () => {
      const run = await queryLatestRun(ch.client, 'association-rules');
      const rules = await queryBoughtTogether(ch.client, { computedAt: run!.computedAt, basket: 'session', minSupport: 0, minConfidence: 0, minLift: 0, limit: 100 });
      const pick = (a: string, c: string) => rules.find((r) => r.antecedent === a && r.consequent === c);
      assert.deepEqual(pick('P', 'Q'), { antecedent: 'P', consequent: 'Q', pair_baskets: 1, antecedent_baskets: 2, consequent_baskets: 2, total_baskets: 4, support: 0.25, confidence: 0.5, lift: 1 });
      assert.deepEqual(pick('S', 'R'), { antecedent: 'S', consequent: 'R', pair_baskets: 1, antecedent_baskets: 1, consequent_baskets: 2, total_baskets: 4, support: 0.25, confidence: 1, lift: 2 });
      assert.equal(rules.length, 8);
    });

    test('job thresholds: minimum pair baskets, support and confidence; oversized baskets give no pairs', async () => {
      const strict = { ...DEFAULT_RECOMMENDATION_SETTINGS, rules: { ...DEFAULT_RECOMMENDATION_SETTINGS.rules, baskets: ['order'] as const, minPairBaskets: 2 } };
      let run = await runJob('association-rules', strict);
      let rules = await queryBoughtTogether(ch.client, { computedAt: run.computedAt, basket: 'order', minSupport: 0, minConfidence: 0, minLift: 0, limit: 100 });
      assert.deepEqual(rules.map((r) => `${r.antecedent}→${r.consequent}`), ['P→Q', 'Q→P']);

      const confident = { ...DEFAULT_RECOMMENDATION_SETTINGS, rules: { ...DEFAULT_RECOMMENDATION_SETTINGS.rules, baskets: ['order'] as const, minConfidence: 0.5, minSupport: 0.2 } };
      run = await runJob('association-rules', confident);
      rules = await queryBoughtTogether(ch.client, { computedAt: run.computedAt, basket: 'order', minSupport: 0, minConfidence: 0, minLift: 0, limit: 100 });
      assert.deepEqual(rules.map((r) => `${r.antecedent}→${r.consequent}`).sort(), ['P→Q', 'Q→P', 'R→P', 'R→Q', 'R→S', 'S→R']);

      // o2 (3 items) over the limit: it still counts in N and n(·), but gives no pairs.
      const small = { ...DEFAULT_RECOMMENDATION_SETTINGS, rules: { ...DEFAULT_RECOMMENDATION_SETTINGS.rules, baskets: ['order'] as const, maxBasketItems: 2 } };
      run = await runJob('association-rules', small);
      rules = await queryBoughtTogether(ch.client, { computedAt: run.computedAt, basket: 'order', product: 'P', minSupport: 0, minConfidence: 0, minLift: 0, limit: 100 });
      assert.deepEqual(rules.map((r) => [r.consequent, r.pair_baskets, r.antecedent_baskets, r.total_baskets, r.confidence]), [['Q', 1, 3, 5, 0.3333]]);
    });
  });
});
