import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeRecommendations } from './merge-recommendations.ts';

const popular = (ids: string[]) => ids.map((product_id, i) => ({ product_id, rank: i + 1, score: 100 - i, users: 1, buyers: 0 }));

describe('mergeRecommendations', () => {
  test('CF first, then popular products not yet listed, up to the limit', () => {
    const cf = [{ product_id: 'b', score: 2.5, because: ['a'] }, { product_id: 'c', score: 1, because: ['a'] }];
    assert.deepEqual(mergeRecommendations(cf, popular(['c', 'd', 'e', 'f']), { limit: 4 }), [
      { product_id: 'b', score: 2.5, source: 'cf', because: ['a'] },
      { product_id: 'c', score: 1, source: 'cf', because: ['a'] },
      { product_id: 'd', score: 100 - 1, source: 'popular', because: [] },
      { product_id: 'e', score: 100 - 2, source: 'popular', because: [] },
    ]);
  });

  test('an unknown person gets popular products only; excluded ids never appear', () => {
    const merged = mergeRecommendations([], popular(['x', 'y', 'z']), { limit: 10, exclude: new Set(['y']) });
    assert.deepEqual(merged.map((r) => [r.product_id, r.source]), [['x', 'popular'], ['z', 'popular']]);
  });

  test('enough CF candidates: no popular fill', () => {
    const cf = [{ product_id: 'b', score: 1, because: [] }];
    assert.deepEqual(mergeRecommendations(cf, popular(['x']), { limit: 1 }).map((r) => r.source), ['cf']);
  });
});
