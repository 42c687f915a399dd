import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TRAFFIC_TYPES, type TrafficSeries } from '../../api/wire/live-snapshot.ts';
import { epsSummary, toEpochMs, trafficOption, trafficTypeLabel } from './eps-line.ts';

const T0 = Date.UTC(2025, 10, 11, 12, 0, 0);
const zeros = () => TRAFFIC_TYPES.map(() => 0);

function series(points: Array<{ t: number; n: number[] }>): TrafficSeries {
  return { bucket_seconds: 10, window_seconds: points.length * 10, types: [...TRAFFIC_TYPES], points };
}

const withCounts = (t: number, counts: Partial<Record<(typeof TRAFFIC_TYPES)[number], number>>) => ({
  t,
  n: TRAFFIC_TYPES.map((type) => counts[type] ?? 0),
});

test('one stacked series per type; bucket counts become events per second', () => {
  const option = trafficOption(series([withCounts(T0, { page_view: 55, order_pay: 3 }), withCounts(T0 + 10_000, { page_view: 10 })]), 'UTC', 'zh');
  const s = option.series as Array<{ id: string; stack: string; data: Array<[number, number]> }>;
  assert.equal(s.length, TRAFFIC_TYPES.length);
  assert.ok(s.every((x) => x.stack === 'all'));
  assert.deepEqual(s[0]?.data, [
    [T0, 5.5],
    [T0 + 10_000, 1],
  ]);
  assert.deepEqual(s[5]?.data, [
    [T0, 0.3],
    [T0 + 10_000, 0],
  ]);
  const xAxis = option.xAxis as { min?: unknown; max?: unknown };
  assert.deepEqual([xAxis.min, xAxis.max], [T0, T0 + 10_000]);
  assert.equal((option.title as { show: boolean }).show, false);
});

test('legend and series names follow the language', () => {
  const zh = trafficOption(series([{ t: T0, n: zeros() }]), 'UTC', 'zh');
  const en = trafficOption(series([{ t: T0, n: zeros() }]), 'UTC', 'en');
  assert.equal((zh.legend as { data: string[] }).data[0], '浏览');
  assert.equal((en.legend as { data: string[] }).data[0], 'Pages');
  assert.equal(trafficTypeLabel('en', 'unknown_type'), 'unknown_type');
});

test('axis labels use the snapshot time zone (HH:mm)', () => {
  const option = trafficOption(series([{ t: T0, n: zeros() }]), 'Asia/Shanghai', 'zh');
  const formatter = (option.xAxis as { axisLabel: { formatter: (v: number) => string } }).axisLabel.formatter;
  assert.equal(formatter(T0), '20:00');
});

test('an all-zero window shows the "no data" title; summary is the newest and the highest total rate', () => {
  assert.equal((trafficOption(series([{ t: T0, n: zeros() }]), 'UTC', 'en').title as { show: boolean }).show, true);
  assert.deepEqual(epsSummary(series([])), { current: null, peak: null });
  assert.deepEqual(
    epsSummary(series([withCounts(T0, { page_view: 70 }), withCounts(T0 + 10_000, { page_view: 200, cart_add: 100 }), withCounts(T0 + 20_000, { order_pay: 40 })])),
    { current: 4, peak: 30 },
  );
});

test('epoch-second timestamps are converted to ms', () => {
  assert.equal(toEpochMs(1_762_862_400), 1_762_862_400_000);
  assert.equal(toEpochMs(T0), T0);
});
