import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatClockDate, formatClockTime, formatCount, formatPercent, formatYuan, stripRichSyntax } from './format.ts';

test('formatCount rounds and adds thousands separators', () => {
  assert.equal(formatCount(0), '0');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(999.6), '1,000');
  assert.equal(formatCount(-0.2), '0');
  assert.equal(formatCount(Number.NaN), '—');
});

test('formatYuan shows ¥, separators and fixed decimals', () => {
  assert.equal(formatYuan(1234567.8), '¥1,234,567.80');
  assert.equal(formatYuan(0), '¥0.00');
  assert.equal(formatYuan(98765.4321, 0), '¥98,765');
  assert.equal(formatYuan(Number.POSITIVE_INFINITY), '—');
});

test('formatPercent turns a 0..1 ratio into a percentage', () => {
  assert.equal(formatPercent(0.12345), '12.35%');
  assert.equal(formatPercent(1), '100.00%');
  assert.equal(formatPercent(0.5, 1), '50.0%');
});

test('clock formatting uses the snapshot time zone', () => {
  const epochMs = Date.UTC(2025, 10, 11, 16, 30, 5); // 00:30:05 next day in Shanghai
  assert.equal(formatClockTime(epochMs, 'Asia/Shanghai'), '00:30:05');
  assert.equal(formatClockTime(epochMs, 'UTC'), '16:30:05');
  assert.equal(formatClockDate(epochMs, 'Asia/Shanghai'), '2025-11-12 周三');
});

test('an unknown time zone falls back instead of throwing', () => {
  assert.match(formatClockTime(0, 'Not/AZone'), /^\d{2}:\d{2}:\d{2}$/);
});

test('stripRichSyntax removes ECharts rich-text characters', () => {
  assert.equal(stripRichSyntax('a{b|c}d'), 'abcd');
});
