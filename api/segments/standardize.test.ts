import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { standardize } from './standardize.ts';

const close = (actual: number[], expected: number[]) =>
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) < 1e-12, `${actual} ≠ ${expected}`));

describe('standardize', () => {
  test('population standard deviation; a constant column becomes zeros', () => {
    // Column 0: mean 2, variance (1 + 0 + 1) / 3 = 2/3.
    const { z, means, stds } = standardize([[1, 5], [2, 5], [3, 5]]);
    const s = Math.sqrt(2 / 3);
    close(means, [2, 5]);
    close(stds, [s, 0]);
    close(z.map((r) => r[0]!), [-1 / s, 0, 1 / s]);
    assert.deepEqual(z.map((r) => r[1]), [0, 0, 0]);
  });

  test('every column ends with mean 0 and standard deviation 1', () => {
    const { z } = standardize([[10, -3], [20, 0], [40, 9], [50, 6]]);
    for (const j of [0, 1]) {
      const col = z.map((r) => r[j]!);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
      assert.ok(Math.abs(mean) < 1e-12);
      assert.ok(Math.abs(sd - 1) < 1e-12);
    }
  });

  test('no rows: empty result, inputs untouched', () => {
    assert.deepEqual(standardize([]), { z: [], means: [], stds: [] });
    const rows = [[1], [3]];
    standardize(rows);
    assert.deepEqual(rows, [[1], [3]]);
  });
});
