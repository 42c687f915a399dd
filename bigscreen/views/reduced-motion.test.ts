import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withMotionPreference } from './reduced-motion.ts';

test('charts keep their animations unless the viewer asked for less motion', () => {
  const option = { series: [{ type: 'bar' }], animationDurationUpdate: 300 };
  assert.equal(withMotionPreference(option, false), option);
  assert.deepEqual(withMotionPreference(option, true), { ...option, animation: false });
});
