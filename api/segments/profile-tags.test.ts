import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lifecycleStage, priceBand } from './profile-tags.ts';

const DAY = 86_400_000;
const AS_OF = 1_000 * DAY;

describe('lifecycleStage', () => {
  const cases: Array<[string, number, number, string]> = [
    ['first event 3 days ago', 3, 1, 'new'],
    ['first event exactly 7 days ago is still new', 7, 7, 'new'],
    ['first event 8 days ago, last today', 8, 0, 'active'],
    ['last event exactly 30 days ago', 100, 30, 'active'],
    ['last event 31 days ago', 100, 31, 'dormant'],
    ['last event exactly 90 days ago', 400, 90, 'dormant'],
    ['last event 91 days ago', 400, 91, 'churned'],
  ];
  for (const [name, firstDaysAgo, lastDaysAgo, stage] of cases) {
    test(name, () => assert.equal(lifecycleStage(AS_OF - firstDaysAgo * DAY, AS_OF - lastDaysAgo * DAY, AS_OF), stage));
  }
});

describe('priceBand', () => {
  test('below the lower tercile low, above the upper high, boundaries mid', () => {
    assert.deepEqual([9.99, 10, 50, 100, 100.01].map((p) => priceBand(p, 10, 100)), ['low', 'mid', 'mid', 'mid', 'high']);
  });
});
