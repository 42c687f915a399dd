import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { silhouetteScore } from './silhouette.ts';

describe('silhouetteScore', () => {
  test('two pairs on a line: (7/9 + 5/7) / 2 = 47/63', () => {
    // Point 0: a = 1, b = (4 + 5) / 2 = 4.5 → 3.5/4.5; point 1: a = 1, b = 3.5 → 2.5/3.5; the other pair mirrors them.
    assert.ok(Math.abs(silhouetteScore([[0], [1], [4], [5]], [0, 0, 1, 1], 2) - 47 / 63) < 1e-12);
  });

  test('a point alone in its cluster counts 0 (as scikit-learn)', () => {
    // Point 0: a = 1, b = 10 → 0.9; point 1: a = 1, b = 9 → 8/9; point 2 alone → 0.
    assert.ok(Math.abs(silhouetteScore([[0], [1], [10]], [0, 0, 1], 2) - (0.9 + 8 / 9) / 3) < 1e-12);
  });

  test('Euclidean distance over all dimensions', () => {
    // Inside each pair the distance is 1 (= a); across, the 3-4-5 triangles give b.
    const points = [[0, 0], [0, 1], [3, 4], [3, 5]];
    const labels = [0, 0, 1, 1];
    const d = (p: number[], q: number[]) => Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!);
    const expected =
      points.reduce((sum, p, i) => {
        const others = points.filter((_, j) => labels[j] !== labels[i]);
        const b = others.reduce((s, q) => s + d(p, q), 0) / others.length;
        return sum + (b - 1) / b;
      }, 0) / 4;
    assert.ok(Math.abs(silhouetteScore(points, labels, 2) - expected) < 1e-12);
  });

  test('undefined (NaN) with a single non-empty cluster', () => {
    assert.ok(Number.isNaN(silhouetteScore([[0], [1]], [1, 1], 2)));
  });
});
