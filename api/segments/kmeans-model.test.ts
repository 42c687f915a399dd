import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { orderClusters } from './cluster-numbering.ts';
import { fitCentresInWorker } from './fit-in-worker.ts';
import { fitCentres, restartsFor, sampleRows, type KMeansOptions } from './kmeans-model.ts';

const OPTIONS: KMeansOptions = {
  seed: 42,
  kMin: 2,
  kMax: 6,
  runsPerK: 10,
  maxIterations: 300,
  tolerance: 1e-10,
  maxFitRows: 10_000,
  maxSilhouetteRows: 3_000,
  pause: async () => {},
};

/** Three tight blobs of 12, 8 and 5 points around (0,0), (10,0) and (0,10). */
function blobs(): { points: number[][]; keys: string[]; blob: number[] } {
  const points: number[][] = [];
  const blob: number[] = [];
  const centres = [[0, 0], [10, 0], [0, 10]] as const;
  [12, 8, 5].forEach((size, b) => {
    for (let i = 0; i < size; i++) {
      const angle = (2 * Math.PI * i) / size;
      points.push([centres[b]![0] + 0.5 * Math.cos(angle), centres[b]![1] + 0.5 * Math.sin(angle)]);
      blob.push(b);
    }
  });
  return { points, keys: points.map((_, i) => `u${String(i).padStart(2, '0')}`), blob };
}

/** The centres rounded to 1e-9 (−0 as 0) and sorted, to compare sets of centres. */
const sorted = (centres: number[][]) => centres.map((c) => c.map((x) => Math.round(x * 1e9) / 1e9 + 0)).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);

describe('fitCentres', () => {
  test('three separated blobs: k = 3 by silhouette, the centres of the blobs', async () => {
    const { points, keys } = blobs();
    const model = await fitCentres(points, keys, OPTIONS);
    assert.equal(model.k, 3);
    assert.deepEqual(sorted(model.centres), [[0, 0], [0, 10], [10, 0]]);
    assert.deepEqual(model.kScores.map((s) => s.k), [2, 3, 4, 5, 6]);
    const best = model.kScores.find((s) => s.k === 3)!;
    assert.ok(model.kScores.every((s) => s.silhouette === null || s.silhouette <= best.silhouette!));
    // Each blob is a circle of radius 0.5 around its centre: inertia 25 × 0.25.
    assert.ok(Math.abs(best.inertia - 25 * 0.25) < 1e-9, String(best.inertia));
    // The elbow: inertia falls with k.
    for (let i = 1; i < model.kScores.length; i++) assert.ok(model.kScores[i]!.inertia <= model.kScores[i - 1]!.inertia + 1e-9);
  });

  test('deterministic: the same rows and seed give the same model', async () => {
    const { points, keys } = blobs();
    const noisy = points.map(([x, y], i) => [x! + ((i * 7919) % 13) / 10, y! + ((i * 104729) % 11) / 10]);
    const a = await fitCentres(noisy, keys, { ...OPTIONS, runsPerK: 3 });
    const b = await fitCentres(noisy, keys, { ...OPTIONS, runsPerK: 3 });
    assert.deepEqual(a, b);
  });

  test('in a worker thread: the same model, progress reported per k', async () => {
    const { points, keys } = blobs();
    const progress: number[] = [];
    const inWorker = await fitCentresInWorker(points, keys, { ...OPTIONS, onProgress: (p) => progress.push(p.k) });
    assert.deepEqual(inWorker, await fitCentres(points, keys, OPTIONS));
    assert.deepEqual(progress, [2, 3, 4, 5, 6]);
  });

  test('nothing to split: fewer than two distinct rows give one centre, their mean; no rows give none', async () => {
    const model = await fitCentres([[1, 1], [1, 1], [1, 1]], ['a', 'b', 'c'], OPTIONS);
    assert.equal(model.k, 1);
    assert.deepEqual(model.kScores, []);
    assert.deepEqual(model.centres, [[1, 1]]);
    assert.deepEqual(await fitCentres([], [], OPTIONS), { k: 0, kScores: [], centres: [], fitRows: 0, silhouetteRows: 0, runsPerK: 0 });
  });

  test('beyond the fit cap: fitted on a sample, still the centres of the blobs', async () => {
    const { points, keys } = blobs();
    const model = await fitCentres(points, keys, { ...OPTIONS, maxFitRows: 15, maxSilhouetteRows: 10 });
    assert.equal(model.fitRows, 15);
    assert.equal(model.silhouetteRows, 10);
    assert.equal(model.k, 3);
    // A circle's mean is its centre only over all of it: the sampled centres are near, not on.
    for (const blob of [[0, 0], [0, 10], [10, 0]]) {
      assert.ok(model.centres.some((c) => Math.hypot(c[0]! - blob[0]!, c[1]! - blob[1]!) < 0.5), `a centre near ${blob}: ${model.centres.join(' ')}`);
    }
  });
});

describe('sampleRows', () => {
  test('all rows under the cap; else a seeded hash sample in input order, independent of the other keys', () => {
    assert.deepEqual(sampleRows(['a', 'b'], 5, 1), [0, 1]);
    const keys = Array.from({ length: 50 }, (_, i) => `user-${i}`);
    const sample = sampleRows(keys, 10, 42);
    assert.equal(sample.length, 10);
    assert.deepEqual(sample, [...sample].sort((a, b) => a - b));
    assert.deepEqual(sampleRows(keys, 10, 42), sample);
    assert.notDeepEqual(sampleRows(keys, 10, 43), sample);
    // Dropping a key that was not drawn changes nothing for the others.
    const notDrawn = keys.findIndex((_, i) => !sample.includes(i));
    const without = keys.filter((_, i) => i !== notDrawn);
    assert.deepEqual(sampleRows(without, 10, 42).map((i) => without[i]), sample.map((i) => keys[i]));
  });
});

describe('orderClusters', () => {
  test('largest first; equal sizes by centre', () => {
    // Sizes: cluster 0 → 1, cluster 1 → 2, cluster 2 → 2; clusters 1 and 2 tie, 2 has the smaller centre.
    assert.deepEqual(orderClusters([[5], [3], [1]], [1, 2, 2]), [2, 1, 0]);
  });
});

describe('restarts per k', () => {
  const budget = { runsPerK: 50, restartRows: 100_000, minRunsPerK: 10 };
  const cases: Array<[number, number]> = [
    [114, 50],
    [1_539, 50],
    [2_000, 50],
    [3_000, 33],
    [10_000, 10],
    [50_000, 10],
  ];
  for (const [rows, runs] of cases) test(`${rows} fitted rows: ${runs} restarts`, () => assert.equal(restartsFor(rows, budget), runs));
  test('without a budget, always runsPerK', () => assert.equal(restartsFor(10_000, { runsPerK: 50 }), 50));
  test('the fit says how many it made', async () => {
    const { points, keys } = blobs();
    assert.equal((await fitCentres(points, keys, { ...OPTIONS, runsPerK: 7 })).runsPerK, 7);
    assert.equal((await fitCentres(points, keys, { ...OPTIONS, restartRows: 50, minRunsPerK: 1 })).runsPerK, 2);
  });
});
