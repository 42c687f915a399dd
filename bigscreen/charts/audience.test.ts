import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audienceOption, visitorSplit } from './audience.ts';

const AUDIENCE = {
  devices: [
    { name: 'mobile', visitors: 75 },
    { name: '', visitors: 25 },
  ],
  browsers: [
    { name: '<img src=x onerror=alert(1)>', visitors: 9 },
    { name: 'other', visitors: 1 },
  ],
  new_visitors: 30,
  returning_visitors: 10,
};

test('new vs returning shares; none without visitors', () => {
  assert.deepEqual(visitorSplit(AUDIENCE), { newShare: 0.75, returningShare: 0.25 });
  assert.deepEqual(visitorSplit({ ...AUDIENCE, new_visitors: 0, returning_visitors: 0 }), { newShare: 0, returningShare: 0 });
});

test('devices with their share in the legend, browsers as bars; names are data, never markup', () => {
  const option = audienceOption(AUDIENCE, 'zh');
  const legend = option.legend as { data: string[]; formatter: (name: string) => string };
  assert.deepEqual(legend.data, ['手机', '未知']);
  assert.equal(legend.formatter('手机'), '手机 75%');
  assert.deepEqual((option.yAxis as { data: string[] }).data, ['<img src=x onerror=alert(1)>', '其他']);
  assert.equal((option.tooltip as { renderMode: string }).renderMode, 'richText');
});
