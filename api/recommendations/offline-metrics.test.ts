import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scoreUser, summarise } from './offline-metrics.ts';

describe('offline metrics', () => {
  test('precision divides by k, recall by the relevant items', () => {
    // 10 recommended, 2 of the 4 relevant among them.
    const recs = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    assert.deepEqual(scoreUser(recs, new Set(['b', 'j', 'x', 'y']), 10), { hits: 2, precision: 0.2, recall: 0.5 });
    // Only the top k count; a short list is not rewarded; duplicates count once.
    assert.deepEqual(scoreUser(['a', 'a', 'b'], new Set(['b']), 10), { hits: 1, precision: 0.1, recall: 1 });
    assert.deepEqual(scoreUser(recs, new Set(['j']), 5), { hits: 0, precision: 0, recall: 0 });
    assert.throws(() => scoreUser(recs, new Set(), 10));
  });

  test('averages over users; hit rate counts users with a hit', () => {
    const s = summarise([
      { hits: 2, precision: 0.2, recall: 0.5 },
      { hits: 0, precision: 0, recall: 0 },
      { hits: 1, precision: 0.1, recall: 1 },
      { hits: 0, precision: 0, recall: 0 },
    ]);
    assert.equal(s.users, 4);
    assert.ok(Math.abs(s.precision - 0.075) < 1e-12);
    assert.ok(Math.abs(s.recall - 0.375) < 1e-12);
    assert.equal(s.hitRate, 0.5);
    assert.deepEqual(summarise([]), { users: 0, precision: 0, recall: 0, hitRate: 0 });
  });
});
