// Query builders and row mappers of the recommendation API: every caller
// value is a bound parameter, rows (64-bit integers as strings) map to numbers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_RECOMMENDATION_SETTINGS } from '../../recommendations/settings.ts';
import { buildBoughtTogetherQuery, toAssociationRule } from './bought-together.ts';
import { buildCfCandidatesQuery, toCfCandidate } from './cf-candidates.ts';
import { toRecommendationRun } from './latest-run.ts';
import { ownAnonymousIds, resolvePerson, visitorIdentitiesQuery } from '../../metrics/person.ts';
import { buildSimilarItemsQuery, toSimilarItem } from './similar-items.ts';
import { buildUserCfCandidatesQuery, toUserCfCandidate } from './user-cf-candidates.ts';
import { buildUserHistoryQuery, toHistoryItem } from './user-history.ts';
import { buildUserNeighboursQuery, toUserNeighbour } from './user-neighbours.ts';

const hostile = "x' OR 1=1 --";

describe('the person behind an id (api/metrics/person.ts)', () => {
  const identities = [
    { anonymous_id: 'v-1', identified_as: 'u-1' },
    { anonymous_id: 'v-2', identified_as: 'u-1' },
    { anonymous_id: 'v-3', identified_as: 'u-2' },
  ];
  test('a user id names itself; an identified visitor names its last user; any other id itself', () => {
    assert.equal(resolvePerson('u-1', identities), 'u-1');
    assert.equal(resolvePerson('v-3', identities), 'u-2');
    assert.equal(resolvePerson('v-9', identities), 'v-9');
  });
  test("a person's own anonymous ids: those identified last as them, and their key when it is a visitor never identified", () => {
    assert.deepEqual(ownAnonymousIds('u-1', identities), ['u-1', 'v-1', 'v-2']);
    assert.deepEqual(ownAnonymousIds('v-9', identities), ['v-9']);
    assert.deepEqual(ownAnonymousIds('u-2', [{ anonymous_id: 'u-2', identified_as: 'u-2' }]), ['u-2']);
  });
});

describe('recommendation queries bind every value', () => {
  test('similar items', () => {
    const { query, query_params } = buildSimilarItemsQuery({ computedAt: 5, productId: hostile, limit: 3 });
    assert.ok(!query.includes(hostile));
    assert.match(query, /product_id = \{product_id:String\}/);
    assert.deepEqual(query_params, { computed_at: 5, product_id: hostile, limit: 3 });
  });

  test('user history: the person by user_id, or no user_id and one of their own anonymous ids', () => {
    const person = { person: hostile, anonymousIds: [hostile, 'v-1'] };
    const { query, query_params } = buildUserHistoryQuery({ person, weights: DEFAULT_RECOMMENDATION_SETTINGS.weights, maxItems: 7 });
    assert.ok(!query.includes(hostile));
    assert.match(query, /user_id = \{person:String\} OR \(user_id = '' AND has\(\{person_anons:Array\(String\)\}, anonymous_id\)\)/);
    assert.equal(query_params.person, hostile);
    assert.deepEqual(query_params.person_anons, [hostile, 'v-1']);
    assert.deepEqual(query_params.all_order_types, ['order_submit', 'order_pay']);
    assert.equal(query_params.max_items, 7);
  });

  test('CF candidates: history and exclusions as arrays', () => {
    const { query, query_params } = buildCfCandidatesQuery({ computedAt: 9, items: [hostile], weights: [5], exclude: ['p'], limit: 10 });
    assert.ok(!query.includes(hostile));
    assert.match(query, /cosine \* transform\(product_id, \{items:Array\(String\)\}, \{weights:Array\(Float64\)\}, 0\.\)/);
    assert.match(query, /similar_product_id NOT IN \{exclude:Array\(String\)\}/);
    assert.deepEqual(query_params, { computed_at: 9, items: [hostile], weights: [5], exclude: ['p'], limit: 10 });
  });

  test('user-based CF: the person, their history and the people to skip are bound', () => {
    const ids = visitorIdentitiesQuery();
    assert.match(ids, /WHERE user_id = \{person:String\} OR anonymous_id = \{person:String\}/);
    assert.match(ids, /FROM identities/);

    const n = buildUserNeighboursQuery({ computedAt: 9, items: [hostile, 'b'], weights: [5, 1], self: [hostile], neighbours: 20 });
    assert.ok(!n.query.includes(hostile));
    assert.match(n.query, /FROM item_users/);
    assert.match(n.query, /product_id IN \{items:Array\(String\)\}/);
    assert.match(n.query, /person NOT IN \{self:Array\(String\)\}/);
    assert.match(n.query, /round\(dot \/ \(norm \* sqrt\(arraySum\(arrayMap\(w -> w \* w, \{weights:Array\(Float64\)\}\)\)\)\), 9\) AS similarity/);
    assert.match(n.query, /LIMIT \{neighbours:UInt32\}/);
    assert.deepEqual(n.query_params, { computed_at: 9, items: [hostile, 'b'], weights: [5, 1], self: [hostile], neighbours: 20 });

    const neighbours = [
      { person: hostile, similarity: 0.5, shared: [{ product_id: 'a', weight: 3 }] },
      { person: 'q2', similarity: 0.25, shared: [{ product_id: 'a', weight: 1 }, { product_id: 'b', weight: 1 }] },
    ];
    const c = buildUserCfCandidatesQuery({ computedAt: 9, neighbours, exclude: ['x'], limit: 10 });
    assert.ok(!c.query.includes(hostile));
    assert.match(c.query, /person IN \{neighbours:Array\(String\)\}/);
    assert.match(c.query, /weight \* transform\(person, \{neighbours:Array\(String\)\}, \{similarities:Array\(Float64\)\}, 0\.\)/);
    assert.match(c.query, /product_id NOT IN \{exclude:Array\(String\)\}/);
    assert.deepEqual(c.query_params, {
      computed_at: 9, neighbours: [hostile, 'q2'], similarities: [0.5, 0.25],
      shared_ids: [['a'], ['a', 'b']], shared_weights: [[3], [1, 1]], exclude: ['x'], limit: 10,
    });
  });

  test('bought together: product filter and order are fixed fragments', () => {
    const base = { computedAt: 1, basket: 'order' as const, minSupport: 0.1, minConfidence: 0.2, minLift: 1.5, limit: 4 };
    const one = buildBoughtTogetherQuery({ ...base, product: hostile });
    assert.ok(!one.query.includes(hostile));
    assert.match(one.query, /antecedent = \{product:String\}/);
    assert.match(one.query, /ORDER BY confidence DESC, lift DESC, support DESC, consequent/);
    assert.deepEqual(one.query_params, { computed_at: 1, basket: 'order', product: hostile, min_support: 0.1, min_confidence: 0.2, min_lift: 1.5, limit: 4 });
    const all = buildBoughtTogetherQuery(base);
    assert.doesNotMatch(all.query, /\{product:String\}/);
    assert.match(all.query, /ORDER BY support DESC, confidence DESC, lift DESC, antecedent, consequent/);
    assert.equal('product' in all.query_params, false);
  });
});

describe('recommendation row mappers', () => {
  test('numbers from strings, ratios to 4 decimals', () => {
    assert.deepEqual(toSimilarItem({ similar_product_id: 'b', rank: '1', cosine: 0.473050834, co_users: '2' }), { product_id: 'b', rank: 1, cosine: 0.4731, co_users: 2 });
    assert.deepEqual(toCfCandidate({ product_id: 'c', score: 2.20186, because: ['b', 'a'] }), { product_id: 'c', score: 2.2019, because: ['b', 'a'] });
    assert.deepEqual(toUserCfCandidate({ product_id: 'c', score: 1.23456, because: ['a'], neighbour_count: '2' }), { product_id: 'c', score: 1.2346, because: ['a'], neighbours: 2 });
    assert.deepEqual(toUserNeighbour({ person: 'q', similarity: 0.5, shared_ids: ['a', 'b'], shared_weights: [3, 1] }), {
      person: 'q', similarity: 0.5, shared: [{ product_id: 'a', weight: 3 }, { product_id: 'b', weight: 1 }],
    });
    assert.deepEqual(toHistoryItem({ product_id: 'a', weight: 5, purchased: 1 }), { product_id: 'a', weight: 5, purchased: true });
    assert.deepEqual(
      toAssociationRule({ antecedent: 'a', consequent: 'b', pair_baskets: '2', antecedent_baskets: '3', consequent_baskets: '2', total_baskets: '6', support: 1 / 3, confidence: 2 / 3, lift: 2 }),
      { antecedent: 'a', consequent: 'b', pair_baskets: 2, antecedent_baskets: 3, consequent_baskets: 2, total_baskets: 6, support: 0.3333, confidence: 0.6667, lift: 2 },
    );
    assert.deepEqual(toRecommendationRun({ computed_at: '1700000000000', window_from: '1', window_to: '2' }), { computedAt: 1_700_000_000_000, windowFromMs: 1, windowToMs: 2 });
    assert.equal(toRecommendationRun(undefined), null);
  });
});
