import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSnapshot } from '../fixtures/make-snapshot.ts';
import { hourlyChanges, hourlyOption } from './hourly.ts';

const hourly = () => {
  const h = makeSnapshot().hourly;
  h.today.gmv = h.today.gmv.map((_, i) => (i < 10 ? 10 : null));
  h.today.pv = h.today.pv.map((_, i) => (i < 10 ? 100 : null));
  h.yesterday.gmv = h.yesterday.gmv.map(() => 5);
  h.yesterday_same_time = { gmv: 80, paid_orders: 0, pv: 1000 };
  return h;
};

test("changes compare today so far with yesterday up to the same time", () => {
  assert.deepEqual(hourlyChanges(hourly()), { gmv: '+25.0%', pv: '0.0%' });
  assert.deepEqual(hourlyChanges(makeSnapshot().hourly), { gmv: null, pv: null });
});

test('four series over 24 hours: GMV bars and lines, PV on the right axis; future hours stay empty', () => {
  const option = hourlyOption(hourly(), 'en');
  const series = option.series as Array<{ id: string; data: Array<number | null>; yAxisIndex?: number }>;
  assert.deepEqual(
    series.map((s) => s.id),
    ['gmv-today', 'gmv-yesterday', 'pv-today', 'pv-yesterday'],
  );
  assert.equal(series[0]?.data.length, 24);
  assert.equal(series[0]?.data[10], null);
  assert.equal(series[2]?.yAxisIndex, 1);
  assert.equal((option.xAxis as { data: string[] }).data[0], '00');
  assert.equal((option.title as { show: boolean }).show, false);
  assert.equal((hourlyOption(makeSnapshot().hourly, 'zh').title as { show: boolean }).show, true);
});
