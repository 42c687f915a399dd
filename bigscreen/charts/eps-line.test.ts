import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSnapshot } from '../fixtures/make-snapshot.ts';
import { epsLineOption, epsSummary, toEpochMs } from './eps-line.ts';

const T0 = Date.UTC(2025, 10, 11, 12, 0, 0);

function seriesOf(option: ReturnType<typeof epsLineOption>) {
  const series = option.series;
  assert.ok(Array.isArray(series));
  return series[0];
}

test('eps points become [time, n] pairs in snapshot order, axis pinned to the window', () => {
  const snapshot = makeSnapshot({
    eps: { window_seconds: 3, points: [{ t: T0, n: 5 }, { t: T0 + 1000, n: 0 }, { t: T0 + 2000, n: 12 }] },
  });
  const option = epsLineOption(snapshot);
  assert.deepEqual(seriesOf(option)?.data, [
    [T0, 5],
    [T0 + 1000, 0],
    [T0 + 2000, 12],
  ]);
  const xAxis = option.xAxis as { min?: unknown; max?: unknown };
  assert.deepEqual([xAxis.min, xAxis.max], [T0, T0 + 2000]);
  assert.equal((option.title as { show: boolean }).show, false);
});

test('epoch-second timestamps are converted to ms', () => {
  assert.equal(toEpochMs(1_762_862_400), 1_762_862_400_000);
  assert.equal(toEpochMs(T0), T0);
});

test('axis labels use the snapshot time zone', () => {
  const option = epsLineOption(makeSnapshot({ time_zone: 'Asia/Shanghai' }));
  const formatter = (option.xAxis as { axisLabel: { formatter: (v: number) => string } }).axisLabel.formatter;
  assert.equal(formatter(T0), '20:00:00');
});

test('empty window: no data, "no data" title shown, summary is null', () => {
  const snapshot = makeSnapshot();
  const option = epsLineOption(snapshot);
  assert.deepEqual(seriesOf(option)?.data, []);
  assert.equal((option.title as { show: boolean }).show, true);
  assert.deepEqual(epsSummary(snapshot), { current: null, peak: null });
});

test('summary reports the newest second and the peak', () => {
  const snapshot = makeSnapshot({
    eps: { window_seconds: 3, points: [{ t: T0, n: 7 }, { t: T0 + 1000, n: 30 }, { t: T0 + 2000, n: 4 }] },
  });
  assert.deepEqual(epsSummary(snapshot), { current: 4, peak: 30 });
});
