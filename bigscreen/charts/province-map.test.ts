import assert from 'node:assert/strict';
import { test } from 'node:test';
import { china } from '@esmjs/geo';
import { PROVINCES } from '../../api/wire/provinces.ts';
import { provinceBarOption, provinceLabel, provinceMapOption } from './province-map.ts';

const BREAKDOWN = {
  items: [
    { name: '广东省', visitors: 30, paid_orders: 2, gmv: 100 },
    { name: '广西壮族自治区', visitors: 5, paid_orders: 0, gmv: 0 },
  ],
  abroad_visitors: 1,
  unlocated_visitors: 2,
};

test('every province name the API sends is a feature of the map GeoJSON', () => {
  const featureNames = new Set(china.features.map((f) => f.properties.name));
  for (const [, full] of PROVINCES) assert.ok(featureNames.has(full), `${full} is not in the GeoJSON`);
});

test('map data keeps the GeoJSON names; the bar shows short or English names', () => {
  const map = provinceMapOption(BREAKDOWN, 'zh');
  const series = (map.series as Array<{ map: string; data: Array<{ name: string; value: number }> }>)[0]!;
  assert.equal(series.map, 'china');
  assert.deepEqual(series.data, [
    { name: '广东省', value: 30 },
    { name: '广西壮族自治区', value: 5 },
  ]);
  assert.equal((map.visualMap as { max: number }).max, 30);
  assert.deepEqual((provinceBarOption(BREAKDOWN, 'zh').yAxis as { data: string[] }).data, ['广东', '广西']);
  assert.deepEqual((provinceBarOption(BREAKDOWN, 'en').yAxis as { data: string[] }).data, ['Guangdong', 'Guangxi']);
  assert.equal(provinceLabel('en', 'Atlantis'), 'Atlantis');
});

test('no located visitors: the notice instead of an empty map', () => {
  const option = provinceMapOption({ items: [], abroad_visitors: 0, unlocated_visitors: 9 }, 'en');
  assert.deepEqual(option.title, { ...(option.title as object), show: true, text: 'No located visitors today' });
});

test('tooltips are plain text drawn by the chart, not HTML', () => {
  const option = provinceMapOption(BREAKDOWN, 'zh');
  const tooltip = option.tooltip as { renderMode: string; formatter: (p: { name: string }) => string };
  assert.equal(tooltip.renderMode, 'richText');
  assert.equal(tooltip.formatter({ name: '广东省' }), '广东\n访客 30\n¥100.00');
});
