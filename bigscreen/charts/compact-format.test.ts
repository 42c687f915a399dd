import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatChange, formatCountCompact, formatYuanCompact } from './compact-format.ts';

test('Chinese counts: whole below 10 万, then 万 and 亿 with two decimals', () => {
  const cases: Array<[number, string]> = [
    [0, '0'],
    [999.6, '1,000'],
    [99_999, '99,999'],
    [100_000, '10.00万'],
    [1_234_567, '123.46万'],
    [99_400_000, '9,940.00万'],
    [99_600_000, '1.00亿'],
    [99_999_999, '1.00亿'],
    [123_456_789_012, '1,234.57亿'],
    [-0.2, '0'],
    [Number.NaN, '—'],
  ];
  for (const [n, text] of cases) assert.equal(formatCountCompact(n, 'zh'), text, String(n));
});

test('English counts: whole below a million, then M and B', () => {
  const cases: Array<[number, string]> = [
    [999_999, '999,999'],
    [1_000_000, '1.00M'],
    [1_234_567, '1.23M'],
    [999_999_999, '1.00B'],
    [2_500_000_000, '2.50B'],
  ];
  for (const [n, text] of cases) assert.equal(formatCountCompact(n, 'en'), text, String(n));
});

test('yuan: cents below the threshold, then 万/亿 or K/M/B', () => {
  assert.equal(formatYuanCompact(123_456.785, 'zh'), '¥123,456.79');
  assert.equal(formatYuanCompact(1_234_567.8, 'zh'), '¥123.46万');
  assert.equal(formatYuanCompact(312_000_000, 'zh'), '¥3.12亿');
  assert.equal(formatYuanCompact(1_234_567.8, 'en'), '¥1.23M');
  assert.equal(formatYuanCompact(12_345.67, 'zh', 1e4), '¥1.23万');
  assert.equal(formatYuanCompact(12_345.67, 'en', 1e4), '¥12.35K');
  assert.equal(formatYuanCompact(9_999.99, 'en', 1e4), '¥9,999.99');
  assert.equal(formatYuanCompact(0, 'zh'), '¥0.00');
  assert.equal(formatYuanCompact(-5, 'zh'), '-¥5.00');
  assert.equal(formatYuanCompact(Number.POSITIVE_INFINITY, 'zh'), '—');
});

test('change against a base, with a real minus sign; null without a base', () => {
  assert.equal(formatChange(112.3, 100), '+12.3%');
  assert.equal(formatChange(95.5, 100), '−4.5%');
  assert.equal(formatChange(100, 100), '0.0%');
  assert.equal(formatChange(5, 0), null);
});
