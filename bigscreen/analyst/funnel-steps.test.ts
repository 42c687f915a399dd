import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addStep, DEFAULT_STEPS, MAX_FUNNEL_STEPS, moveStep, parseSteps, removeStep, setStep, stepsProblem, unusedTypes } from './funnel-steps.ts';

test('adding takes the first unused type and stops at the maximum', () => {
  const added = addStep(DEFAULT_STEPS);
  assert.deepEqual(added, [...DEFAULT_STEPS, 'page_view']);
  let steps: string[] = [...DEFAULT_STEPS];
  for (let i = 0; i < 20; i++) steps = addStep(steps);
  assert.equal(steps.length, MAX_FUNNEL_STEPS);
  assert.equal(new Set(steps).size, steps.length);
  assert.ok(!unusedTypes(steps).some((t) => steps.includes(t)));
});

test('removing keeps at least two steps', () => {
  assert.deepEqual(removeStep(DEFAULT_STEPS, 1), ['product_view', 'order_submit', 'order_pay']);
  assert.deepEqual(removeStep(['page_view', 'order_pay'], 0), ['page_view', 'order_pay']);
  assert.deepEqual(removeStep(DEFAULT_STEPS, 9), [...DEFAULT_STEPS]);
});

test('moving swaps neighbours and ignores moves past the ends', () => {
  assert.deepEqual(moveStep(DEFAULT_STEPS, 1, -1), ['cart_add', 'product_view', 'order_submit', 'order_pay']);
  assert.deepEqual(moveStep(DEFAULT_STEPS, 3, 1), [...DEFAULT_STEPS]);
  assert.deepEqual(moveStep(DEFAULT_STEPS, 0, -1), [...DEFAULT_STEPS]);
});

test('setting a type already used swaps the two, so steps stay distinct', () => {
  assert.deepEqual(setStep(DEFAULT_STEPS, 0, 'order_pay'), ['order_pay', 'cart_add', 'order_submit', 'product_view']);
  assert.deepEqual(setStep(DEFAULT_STEPS, 1, 'favorite_add'), ['product_view', 'favorite_add', 'order_submit', 'order_pay']);
  assert.deepEqual(setStep(DEFAULT_STEPS, 1, 'not_a_type'), [...DEFAULT_STEPS]);
});

test('the API rules: 2–8 distinct steps', () => {
  assert.equal(stepsProblem(DEFAULT_STEPS), null);
  assert.match(stepsProblem(['page_view'])!, /2–8/);
  assert.match(stepsProblem(['page_view', 'page_view'])!, /at most once/);
});

test('steps from the URL fragment are checked', () => {
  assert.deepEqual(parseSteps('page_view,order_pay'), ['page_view', 'order_pay']);
  assert.equal(parseSteps('page_view,bogus'), null);
  assert.equal(parseSteps('page_view'), null);
  assert.equal(parseSteps(null), null);
});
