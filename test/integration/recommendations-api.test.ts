// The recommendation API end to end: hand-built events go through the real
// POST /collect, Kafka and the stream processor into ClickHouse; the jobs run
// through POST /api/jobs/:name/run; every endpoint must give the answers
// worked out by hand below.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TrackedEvent } from '../../collector/contract/events.ts';
import { pollUntil, postEvents } from '../helpers/events.ts';
import { startTestStack, TEST_API_TOKEN, type TestStack } from '../helpers/test-stack.ts';

// Ten minutes ago, one second apart: inside the collector's accepted range.
const T0 = Date.now() - 10 * 60_000;
let seq = 0;
function ev(anonymousId: string, userId: string, type: TrackedEvent['type'], extra: Record<string, unknown>, session = `s-${anonymousId}`): TrackedEvent {
  const ts = T0 + seq++ * 1000;
  return {
    event_id: randomUUID(),
    schema_version: 1,
    type,
    ts,
    sent_at: ts,
    anonymous_id: anonymousId,
    ...(userId ? { user_id: userId } : {}),
    session_id: session,
    ...extra,
  } as TrackedEvent;
}
const product = (id: string) => ({ product: { id, category_id: 'c', price: 10 } });
const order = (id: string, items: string[]) => ({
  order: { id, amount: 10 * items.length, items: items.map((p) => ({ product_id: p, price: 10, quantity: 1 })) },
});

// Browsing and buying of products A, B, C (interaction weights, the largest per person and product:
// view 1, favourite 2, cart 3, paid 5):
//          A   B   C
//   u1     1   3   0     A viewed as visitor v1 before identify()
//   u2     5   1   2
//   u3     0   1   5
// cos(A,B) = 8/√286 = 0.47305, cos(A,C) = 10/√754 = 0.36418, cos(B,C) = 7/√319 = 0.39192.
// Baskets of products P, Q, R, S by other buyers; with u2's {A} and u3's {C}, N = 7 paid orders:
// o1 {P,Q}, o2 {P,Q,R} (same session), o3 {P}, o4 {R,S}, o5 {Q}.
// Popularity (Σ weights): P, Q, R 10 each (2 people each, ties by id), C 7, A 6, B 5 (3 people), S 5 (1).
const EVENTS: TrackedEvent[] = [
  ev('v1', '', 'product_view', product('A')),
  ev('v1', 'u1', 'product_view', product('B')),
  ev('v1', 'u1', 'cart_add', product('B')),
  ev('v2', 'u2', 'order_submit', order('o-u2', ['A'])),
  ev('v2', 'u2', 'order_pay', order('o-u2', ['A'])),
  ev('v2', 'u2', 'product_view', product('B')),
  ev('v2', 'u2', 'favorite_add', product('C')),
  ev('v3', 'u3', 'product_view', product('B')),
  ev('v3', 'u3', 'order_pay', order('o-u3', ['C'])),
  ev('b1', 'buyer1', 'order_pay', order('o1', ['P', 'Q']), 'sb1'),
  ev('b1', 'buyer1', 'order_pay', order('o2', ['P', 'Q', 'R']), 'sb1'),
  ev('b2', 'buyer2', 'order_pay', order('o3', ['P']), 'sb2'),
  ev('b3', 'buyer3', 'order_pay', order('o4', ['R', 'S']), 'sb3'),
  ev('b4', 'buyer4', 'order_pay', order('o5', ['Q']), 'sb4'),
];

describe('recommendation API on hand-built events through the pipeline', () => {
  let stack: TestStack;
  const request = async (method: 'GET' | 'POST', path: string, token: string | null = TEST_API_TOKEN) => {
    const response = await fetch(`${stack.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: (await response.json()) as any };
  };
  const ok = async (path: string) => {
    const { status, body } = await request('GET', path);
    assert.equal(status, 200, `${path}: ${JSON.stringify(body)}`);
    return body;
  };

  before(async () => {
    stack = await startTestStack();
    const posted = await postEvents(stack.url, EVENTS);
    assert.equal(posted.status, 200, JSON.stringify(posted.body));
    const rows = await pollUntil(() => stack.sql<{ n: number }>('SELECT count() AS n FROM events'), (r) => r[0]!.n >= EVENTS.length, 30_000);
    assert.equal(rows[0]!.n, EVENTS.length);
  });
  after(async () => {
    await stack?.stop();
  });

  test('routes need the token; parameters are checked', async () => {
    assert.equal((await request('GET', '/api/recommendations/users/u1', null)).status, 401);
    assert.equal((await request('GET', '/api/recommendations/items/A/similar?limit=0')).status, 400);
    assert.equal((await request('GET', '/api/recommendations/users/u1?limit=101')).status, 400);
    assert.equal((await request('GET', '/api/recommendations/users/u1?method=person')).status, 400);
    assert.equal((await request('GET', '/api/recommendations/bought-together?basket=week')).status, 400);
    assert.equal((await request('GET', '/api/recommendations/bought-together?min_confidence=2')).status, 400);
  });

  test('before the first run: empty answers with computed_at null', async () => {
    assert.deepEqual(await ok('/api/recommendations/items/A/similar'), { product_id: 'A', computed_at: null, items: [] });
    assert.deepEqual(await ok('/api/recommendations/bought-together?product=P'), { product: 'P', basket: 'order', computed_at: null, rules: [] });
    const u1 = await ok('/api/recommendations/users/u1');
    assert.deepEqual(u1, { user_id: 'u1', method: 'item', computed_at: null, history_items: 2, purchased_items: 0, items: [] });
    const byUsers = await ok('/api/recommendations/users/u1?method=user');
    assert.deepEqual(byUsers, { user_id: 'u1', method: 'user', computed_at: null, history_items: 2, purchased_items: 0, neighbours: 0, items: [] });
  });

  test('the jobs run through POST /api/jobs/:name/run and are listed', async () => {
    const listed = await ok('/api/jobs');
    const names = listed.jobs.map((j: { name: string }) => j.name);
    assert.ok(names.includes('item-similarity') && names.includes('association-rules'), names.join(','));
    const similarity = await request('POST', '/api/jobs/item-similarity/run');
    assert.equal(similarity.status, 200);
    // 6 A/B/C neighbour rows + 8 among P/Q/R/S (pairs P-Q, P-R, Q-R, R-S both ways), 7 popular products,
    // 12 item_users rows (the products of u1 2, u2 3, u3 2, buyer1 3, buyer3 2; buyer2 and buyer4 have one product).
    assert.deepEqual([similarity.body.job.last_error, similarity.body.job.last_rows], [null, 14 + 7 + 12]);
    const rules = await request('POST', '/api/jobs/association-rules/run');
    assert.equal(rules.status, 200);
    // 8 order rules and 8 session rules (o1 + o2 form one session basket {P,Q,R}).
    assert.deepEqual([rules.body.job.last_error, rules.body.job.last_rows], [null, 16]);
  });

  test('similar items: cosine and co-users, best first', async () => {
    const a = await ok('/api/recommendations/items/A/similar');
    assert.equal(typeof a.computed_at, 'number');
    assert.deepEqual(a.items, [
      { product_id: 'B', rank: 1, cosine: 0.473, co_users: 2 },
      { product_id: 'C', rank: 2, cosine: 0.3642, co_users: 1 },
    ]);
    assert.deepEqual((await ok('/api/recommendations/items/C/similar?limit=1')).items, [{ product_id: 'B', rank: 1, cosine: 0.3919, co_users: 2 }]);
    assert.deepEqual((await ok('/api/recommendations/items/unknown/similar')).items, []);
  });

  test('user recommendations: CF scores, purchases excluded unless asked, popular fill and fallback flagged', async () => {
    // u1 (A 1, B 3): C = 0.36418 + 3·0.39192, A = 3·0.47305, B = 0.47305; then the popular P, Q.
    const u1 = await ok('/api/recommendations/users/u1?limit=5');
    assert.deepEqual(u1.items, [
      { product_id: 'C', score: 1.54, source: 'cf', because: ['B', 'A'] },
      { product_id: 'A', score: 1.4191, source: 'cf', because: ['B'] },
      { product_id: 'B', score: 0.473, source: 'cf', because: ['A'] },
      { product_id: 'P', score: 10, source: 'popular', because: [] },
      { product_id: 'Q', score: 10, source: 'popular', because: [] },
    ]);
    assert.deepEqual([u1.history_items, u1.purchased_items], [2, 0]);
    // u3 (B 1, C 5 paid): C is left out; A = 0.47305 + 5·0.36418, B = 5·0.39192; filled with P, Q.
    const u3 = await ok('/api/recommendations/users/u3?limit=4');
    assert.deepEqual(u3.items.map((i: any) => [i.product_id, i.score, i.source]), [['A', 2.2939, 'cf'], ['B', 1.9596, 'cf'], ['P', 10, 'popular'], ['Q', 10, 'popular']]);
    assert.deepEqual([u3.history_items, u3.purchased_items], [2, 1]);
    // include_purchased=true: C (0.39192 from B) comes back.
    const again = await ok('/api/recommendations/users/u3?limit=3&include_purchased=true');
    assert.deepEqual(again.items.map((i: any) => [i.product_id, i.score, i.source]), [['A', 2.2939, 'cf'], ['B', 1.9596, 'cf'], ['C', 0.3919, 'cf']]);
    // A buyer of P, Q, R never gets them back; the popular fill skips them too.
    const buyer1 = await ok('/api/recommendations/users/buyer1?limit=10');
    // S from R: cos(R,S) = 5·5 / (√50 · 5) = 0.70711, weight 5 → 3.5355; then popular C, A, B.
    assert.deepEqual(buyer1.items.map((i: any) => [i.product_id, i.score, i.source]), [['S', 3.5355, 'cf'], ['C', 7, 'popular'], ['A', 6, 'popular'], ['B', 5, 'popular']]);
    // Unknown person: popularity only, flagged.
    const stranger = await ok('/api/recommendations/users/nobody?limit=3');
    assert.deepEqual(stranger, {
      user_id: 'nobody', method: 'item', computed_at: u1.computed_at, history_items: 0, purchased_items: 0,
      items: [
        { product_id: 'P', score: 10, source: 'popular', because: [] },
        { product_id: 'Q', score: 10, source: 'popular', because: [] },
        { product_id: 'R', score: 10, source: 'popular', because: [] },
      ],
    });
    const popular = await ok('/api/recommendations/popular?limit=10');
    assert.deepEqual(popular.items.map((i: any) => [i.product_id, i.score, i.users, i.buyers]), [
      ['P', 10, 2, 2], ['Q', 10, 2, 2], ['R', 10, 2, 2], ['C', 7, 2, 1], ['A', 6, 2, 1], ['B', 5, 3, 0], ['S', 5, 1, 1],
    ]);
  });

  test('user-based recommendations (method=user): similar people’s products, purchases excluded, popular fill flagged', async () => {
    // People vectors as above; cos(u1,u2) = 8/√300 = 0.46188, cos(u1,u3) = 3/√260 = 0.18605, cos(u2,u3) = 11/√780 = 0.39386.
    // The P/Q/R/S buyers share no product with u1, u2, u3.
    // u1: A = 0.46188·5 = 2.3094, C = 0.46188·2 + 0.18605·5 = 1.854, B = 0.46188 + 0.18605 = 0.6479; then popular P, Q.
    const u1 = await ok('/api/recommendations/users/u1?method=user&limit=5');
    assert.deepEqual(u1, {
      user_id: 'u1', method: 'user', computed_at: u1.computed_at, history_items: 2, purchased_items: 0, neighbours: 2,
      items: [
        { product_id: 'A', score: 2.3094, source: 'cf', because: ['A', 'B'] },
        { product_id: 'C', score: 1.854, source: 'cf', because: ['B', 'A'] },
        { product_id: 'B', score: 0.6479, source: 'cf', because: ['B', 'A'] },
        { product_id: 'P', score: 10, source: 'popular', because: [] },
        { product_id: 'Q', score: 10, source: 'popular', because: [] },
      ],
    });
    assert.equal(typeof u1.computed_at, 'number');
    // u3 (C paid): A = 0.39386·5 + 0.18605·1 = 2.1554, B = 0.39386·1 + 0.18605·3 = 0.952; C only when asked.
    const u3 = await ok('/api/recommendations/users/u3?method=user&limit=2');
    assert.deepEqual(u3.items.map((i: any) => [i.product_id, i.score, i.source]), [['A', 2.1554, 'cf'], ['B', 0.952, 'cf']]);
    const again = await ok('/api/recommendations/users/u3?method=user&limit=3&include_purchased=true');
    // C = 0.39386·2 (u2's weight) = 0.7877.
    assert.deepEqual(again.items.map((i: any) => [i.product_id, i.score]), [['A', 2.1554], ['B', 0.952], ['C', 0.7877]]);
    // buyer1 (P, Q, R paid) shares R with buyer3 (R, S): cos = 5·5/(√75·√50) = 0.40825, S = 0.40825·5 = 2.0412.
    const buyer1 = await ok('/api/recommendations/users/buyer1?method=user&limit=3');
    assert.deepEqual(
      [buyer1.neighbours, buyer1.items.map((i: any) => [i.product_id, i.score, i.source])],
      [1, [['S', 2.0412, 'cf'], ['C', 7, 'popular'], ['A', 6, 'popular']]],
    );
    const stranger = await ok('/api/recommendations/users/nobody?method=user&limit=2');
    assert.deepEqual([stranger.method, stranger.neighbours, stranger.items.map((i: any) => i.source)], ['user', 0, ['popular', 'popular']]);
  });

  test('bought together: support, confidence, lift; minimum lift and confidence', async () => {
    // N = 7; n(P) = n(Q) = 3, n(R) = 2, n(S) = 1; n(P,Q) = 2, n(P,R) = n(Q,R) = n(R,S) = 1.
    const p = await ok('/api/recommendations/bought-together?product=P');
    assert.deepEqual(p.rules, [
      { antecedent: 'P', consequent: 'Q', pair_baskets: 2, antecedent_baskets: 3, consequent_baskets: 3, total_baskets: 7, support: 0.2857, confidence: 0.6667, lift: 1.5556 },
      { antecedent: 'P', consequent: 'R', pair_baskets: 1, antecedent_baskets: 3, consequent_baskets: 2, total_baskets: 7, support: 0.1429, confidence: 0.3333, lift: 1.1667 },
    ]);
    assert.deepEqual([p.product, p.basket, typeof p.computed_at], ['P', 'order', 'number']);
    const r = await ok('/api/recommendations/bought-together?product=R&min_lift=1.5');
    assert.deepEqual(r.rules.map((x: any) => [x.consequent, x.confidence, x.lift]), [['S', 0.5, 3.5]]);
    const confident = await ok('/api/recommendations/bought-together?product=P&min_confidence=0.5');
    assert.deepEqual(confident.rules.map((x: any) => x.consequent), ['Q']);
    const frequent = await ok('/api/recommendations/bought-together?min_support=0.2');
    assert.deepEqual(frequent.rules.map((x: any) => `${x.antecedent}→${x.consequent}`), ['P→Q', 'Q→P']);
    // Session baskets: o1 and o2 form one; N = 6, n(P) = n(Q) = 2, n(P,Q) = 1.
    const session = await ok('/api/recommendations/bought-together?product=P&basket=session&limit=1');
    assert.deepEqual(session.rules, [
      { antecedent: 'P', consequent: 'Q', pair_baskets: 1, antecedent_baskets: 2, consequent_baskets: 2, total_baskets: 6, support: 0.1667, confidence: 0.5, lift: 1.5 },
    ]);
  });

  test('the routes are in the OpenAPI document', async () => {
    const doc = (await request('GET', '/docs/json', null)).body;
    for (const path of ['/api/recommendations/items/{productId}/similar', '/api/recommendations/users/{userId}', '/api/recommendations/bought-together', '/api/recommendations/popular']) {
      assert.ok(doc.paths[path]?.get, path);
    }
    const user = doc.paths['/api/recommendations/users/{userId}'].get;
    const method = user.parameters.find((p: any) => p.name === 'method' && p.in === 'query');
    assert.deepEqual(method?.schema?.enum, ['item', 'user']);
    const reply = user.responses['200'].content['application/json'].schema;
    assert.ok(reply.properties.neighbours && reply.properties.method, JSON.stringify(Object.keys(reply.properties)));
  });
});
