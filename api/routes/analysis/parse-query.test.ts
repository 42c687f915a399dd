import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AnalysisQueryError, parseEventTypes, parseFilter, parseInstant } from './parse-query.ts';

const TZ = 'Asia/Shanghai';

describe('parseInstant', () => {
  const cases: Array<[string, number]> = [
    ['1511539200000', 1_511_539_200_000],
    ['2017-11-25', Date.UTC(2017, 10, 24, 16)],
    ['2017-11-25T08:30', Date.UTC(2017, 10, 25, 0, 30)],
    ['2017-11-25 08:30:15.5', Date.UTC(2017, 10, 25, 0, 30, 15, 500)],
    ['2017-11-25T00:00:00Z', Date.UTC(2017, 10, 25)],
    ['2017-11-25T08:00:00+08:00', Date.UTC(2017, 10, 25)],
    ['2017-11-25T00:00:00-0530', Date.UTC(2017, 10, 25, 5, 30)],
    ['2017-11-25T08:00+08', Date.UTC(2017, 10, 25)],
  ];
  for (const [value, expected] of cases) test(value, () => assert.equal(parseInstant(value, TZ, 'from'), expected));

  test('a date without offset is local midnight of the zone given', () => {
    assert.equal(parseInstant('2017-11-25', 'UTC', 'from'), Date.UTC(2017, 10, 25));
  });

  for (const bad of ['yesterday', '2017-02-30', '2017-11-25T24:00', '2017/11/25', '1e12', '']) {
    test(`refuses ${JSON.stringify(bad)} naming the parameter`, () => {
      assert.throws(() => parseInstant(bad, TZ, 'to'), (err: unknown) => err instanceof AnalysisQueryError && err.statusCode === 400 && err.message.startsWith('to: '));
    });
  }
});

describe('parseFilter', () => {
  test('keeps the given filters and drops visitor=all', () => {
    assert.deepEqual(parseFilter({ from: '2017-11-25', to: '2017-11-26', category: 'c', device: 'mobile', visitor: 'all' }, TZ), {
      fromMs: Date.UTC(2017, 10, 24, 16),
      toMs: Date.UTC(2017, 10, 25, 16),
      category: 'c',
      device: 'mobile',
    });
    assert.deepEqual(parseFilter({ visitor: 'returning', province: '浙江省' }, TZ), { visitor: 'returning', province: '浙江省' });
  });

  test('from must come before to', () => {
    assert.throws(() => parseFilter({ from: '2017-11-26', to: '2017-11-25' }, TZ), /from must be before to/);
  });
});

describe('parseEventTypes', () => {
  test('comma-separated contract types', () => {
    assert.deepEqual(parseEventTypes('product_view, cart_add,order_pay', 'steps'), ['product_view', 'cart_add', 'order_pay']);
  });
  test('unknown or empty lists are refused', () => {
    assert.throws(() => parseEventTypes('product_view,checkout', 'steps'), /steps: unknown event type "checkout"/);
    assert.throws(() => parseEventTypes(' , ', 'types'), /types: unknown event type \(none given\)/);
  });
});

test('parseFilter passes channel, source and campaign through', () => {
  assert.deepEqual(parseFilter({ channel: 'email', source: 'newsletter', campaign: 'd11' }, 'Asia/Shanghai'), { channel: 'email', source: 'newsletter', campaign: 'd11' });
});
