import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertValidSettings, DEFAULT_RECOMMENDATION_SETTINGS, weightParams, withWindowDays } from './settings.ts';

describe('interaction weights', () => {
  test('the documented defaults: view 1, click 1, favourite 2, cart 3, order submitted 3, paid 5', () => {
    assert.deepEqual(weightParams(DEFAULT_RECOMMENDATION_SETTINGS.weights), {
      product_types: ['product_view', 'product_click', 'favorite_add', 'cart_add'],
      product_weights: [1, 1, 2, 3],
      order_types: ['order_submit', 'order_pay'],
      order_weights: [3, 5],
    });
  });

  test('a type weighted 0 is left out', () => {
    const weights = { ...DEFAULT_RECOMMENDATION_SETTINGS.weights, product_click: 0, order_submit: 0 };
    assert.deepEqual(weightParams(weights), {
      product_types: ['product_view', 'favorite_add', 'cart_add'],
      product_weights: [1, 2, 3],
      order_types: ['order_pay'],
      order_weights: [5],
    });
  });

  test('settings are checked', () => {
    assert.doesNotThrow(() => assertValidSettings(DEFAULT_RECOMMENDATION_SETTINGS));
    const bad = { ...DEFAULT_RECOMMENDATION_SETTINGS, weights: { ...DEFAULT_RECOMMENDATION_SETTINGS.weights, cart_add: -1 }, neighbours: 0 };
    assert.throws(() => assertValidSettings(bad), /weights\.cart_add must be ≥ 0[\s\S]*neighbours must be an integer ≥ 1/);
    const rules = { ...DEFAULT_RECOMMENDATION_SETTINGS, rules: { ...DEFAULT_RECOMMENDATION_SETTINGS.rules, minConfidence: 1.5 } };
    assert.throws(() => assertValidSettings(rules), /rules\.minConfidence must be within 0\.\.1/);
    const users = { ...DEFAULT_RECOMMENDATION_SETTINGS, maxUsersPerItem: 0, userNeighbours: 2.5 };
    assert.throws(() => assertValidSettings(users), /maxUsersPerItem must be an integer ≥ 1[\s\S]*userNeighbours must be an integer ≥ 1/);
  });

  test('another window keeps every other setting', () => {
    const s = withWindowDays(DEFAULT_RECOMMENDATION_SETTINGS, 30);
    assert.equal(s.windowDays, 30);
    assert.deepEqual({ ...s, windowDays: 90 }, DEFAULT_RECOMMENDATION_SETTINGS);
    assert.throws(() => assertValidSettings(withWindowDays(DEFAULT_RECOMMENDATION_SETTINGS, 0)), /windowDays must be an integer ≥ 1/);
  });
});
