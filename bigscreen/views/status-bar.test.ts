import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatHeaderDate, utcOffsetLabel } from './status-bar.ts';

const AT = Date.UTC(2025, 10, 11, 16, 30, 5); // 00:30:05 next day in Shanghai

test('header date in the time zone, weekday in the language', () => {
  assert.equal(formatHeaderDate(AT, 'Asia/Shanghai', 'zh'), '2025-11-12 周三');
  assert.equal(formatHeaderDate(AT, 'Asia/Shanghai', 'en'), '2025-11-12 Wed');
  assert.equal(formatHeaderDate(AT, 'UTC', 'en'), '2025-11-11 Tue');
  assert.match(formatHeaderDate(AT, 'Not/AZone', 'en'), /^\d{4}-\d{2}-\d{2} \w{3}$/);
});

test('UTC offset beside the zone name', () => {
  assert.equal(utcOffsetLabel(AT, 'Asia/Shanghai'), 'UTC+8');
  assert.equal(utcOffsetLabel(AT, 'UTC'), 'UTC+0');
  assert.equal(utcOffsetLabel(Date.UTC(2025, 6, 1), 'America/New_York'), 'UTC-4');
  assert.equal(utcOffsetLabel(AT, 'Not/AZone'), '');
});
