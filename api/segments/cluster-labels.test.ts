import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { labelClusters, type CentroidZ } from './cluster-labels.ts';

const z = (overrides: Partial<CentroidZ>): CentroidZ => ({
  recency_days: 0,
  frequency: 0,
  monetary: 0,
  avg_dwell_ms: 0,
  cart_rate: 0,
  favorite_rate: 0,
  category_breadth: 0,
  ...overrides,
});

describe('labelClusters', () => {
  const cases: Array<[string, Partial<CentroidZ>, string, string]> = [
    ['big spenders seen recently', { monetary: 1.2, recency_days: -0.3 }, '高价值活跃', 'high_value_active'],
    ['frequent buyers at the mean recency', { frequency: 0.5, recency_days: 0 }, '高价值活跃', 'high_value_active'],
    ['big spenders gone quiet', { monetary: 0.8, recency_days: 0.1 }, '高价值流失风险', 'high_value_at_risk'],
    ['value beats dormancy', { monetary: 0.6, recency_days: 2 }, '高价值流失风险', 'high_value_at_risk'],
    ['long since the last event', { recency_days: 0.5, cart_rate: 3 }, '沉睡', 'dormant'],
    ['carts a lot, buys little', { cart_rate: 0.9, monetary: 0.49 }, '高意向', 'high_intent'],
    ['favourites a lot', { favorite_rate: 0.5 }, '高意向', 'high_intent'],
    ['wide browsing', { category_breadth: 1.1 }, '浏览型', 'browser'],
    ['long dwell', { avg_dwell_ms: 0.7 }, '浏览型', 'browser'],
    ['nothing stands out', { recency_days: 0.49, monetary: -0.2 }, '低活跃', 'low_activity'],
  ];
  for (const [name, centre, label, key] of cases) {
    test(name, () => assert.deepEqual(labelClusters([z(centre)]), [{ label, labelKey: key }]));
  }

  test('a label given twice is numbered on the later cluster', () => {
    assert.deepEqual(labelClusters([z({ recency_days: 1 }), z({ monetary: 1, recency_days: -1 }), z({ recency_days: 2 })]), [
      { label: '沉睡', labelKey: 'dormant' },
      { label: '高价值活跃', labelKey: 'high_value_active' },
      { label: '沉睡 2', labelKey: 'dormant_2' },
    ]);
  });
});
