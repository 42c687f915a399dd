// The jobs' INSERT … SELECT statements: settings and times reach ClickHouse
// as bound parameters; the only spliced SQL is fixed per basket kind.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildAssociationRulesInsert } from './association-rules-job.ts';
import { buildItemSimilarityInsert, buildItemUsersInsert, buildPopularItemsInsert, buildUserItemsInsert, chunksFor, PAIRS_PER_CHUNK } from './item-similarity-job.ts';
import { DEFAULT_RECOMMENDATION_SETTINGS as S } from './settings.ts';

const window = { fromMs: 1_000, toMs: 2_000 };

describe('item-similarity statements', () => {
  test('interactions: weights, window and per-person cap are parameters', () => {
    const { query, query_params } = buildUserItemsInsert(7, window, S);
    assert.match(query, /max\(weight\) AS weight/);
    assert.match(query, /LIMIT \{max_items:UInt32\} BY person\n\)\n[^]*WINDOW by_person AS \(PARTITION BY person\)/, 'person totals over the products kept');
    assert.doesNotMatch(query, /cityHash64/, 'one pass: every person');
    assert.match(buildUserItemsInsert(7, window, S, { bucket: 2, buckets: 5, identities: 'staged' }).query, /LEFT JOIN staged AS i[^]*cityHash64\(person\) % 5 = 2/);
    assert.deepEqual(query_params, {
      computed_at: 7, from_ms: 1_000, to_ms: 2_000,
      product_types: ['product_view', 'product_click', 'favorite_add', 'cart_add'], product_weights: [1, 1, 2, 3],
      order_types: ['order_submit', 'order_pay'], order_weights: [3, 5],
      max_items: 300,
    });
  });

  test('similarity reads one run of the interactions and keeps the top neighbours', () => {
    const { query, query_params } = buildItemSimilarityInsert(7, S);
    assert.match(query, /round\(pairs\.dot \/ \(na\.norm \* nb\.norm\), 9\) AS cosine/);
    assert.match(query, /WHERE rank <= \{neighbours:UInt32\}/);
    assert.deepEqual(query_params, { computed_at: 7, min_co_users: 1, neighbours: 50, chunk: 0, chunks: 1 });
    assert.match(query, /cityHash64\(x\.1\) % \{chunks:UInt32\} = \{chunk:UInt32\}/);
    assert.match(query, /SELECT cityHash64\(product_id\) AS key/, 'pairs are grouped by the products\' hashes');
    assert.match(buildItemSimilarityInsert(7, S, 0, 1, false).query, /SELECT product_id AS key/, '…or by their ids');
    assert.deepEqual([chunksFor(0), chunksFor(PAIRS_PER_CHUNK), chunksFor(PAIRS_PER_CHUNK + 1)], [1, 1, 2]);
    assert.deepEqual(buildPopularItemsInsert(7, S).query_params, { computed_at: 7, popular_items: 1000 });
  });

  test('item_users: people per product from the same run, the strongest first, bounded', () => {
    const { query, query_params } = buildItemUsersInsert(7, S);
    assert.match(query, /AND person_items >= 2/);
    assert.doesNotMatch(query, /JOIN/, 'the person totals come with each interaction');
    assert.match(query, /ORDER BY product_id, weight DESC, last_ts DESC, person\nLIMIT \{max_users:UInt32\} BY product_id/);
    assert.deepEqual(query_params, { computed_at: 7, max_users: 200, chunk: 0, chunks: 1 });
    assert.deepEqual(buildItemUsersInsert(7, S, 2, 5).query_params, { computed_at: 7, max_users: 200, chunk: 2, chunks: 5 });
  });
});

describe('association-rules statement', () => {
  test('a basket is an order or a visitor’s session; thresholds are parameters', () => {
    const order = buildAssociationRulesInsert(7, window, 'order', S.rules);
    assert.match(order.query, /GROUP BY order_id\n/);
    assert.match(order.query, /\(pair_n \* total\) \/ \(a_n \* b_n\) AS lift/);
    assert.deepEqual(order.query_params, {
      computed_at: 7, from_ms: 1_000, to_ms: 2_000, basket: 'order',
      max_basket_items: 200, min_pair_baskets: 1, min_support: 0, min_confidence: 0, max_rules: 50,
    });
    assert.match(buildAssociationRulesInsert(7, window, 'session', S.rules).query, /GROUP BY anonymous_id, session_id\n/);
    assert.throws(() => buildAssociationRulesInsert(7, window, 'week' as never, S.rules), /unknown basket kind/);
  });
});
