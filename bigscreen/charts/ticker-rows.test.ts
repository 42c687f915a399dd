import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tickerRows } from './ticker-rows.ts';

test('ticker lines: local time, masked user, province name, units, amount, import note', () => {
  const ts = Date.UTC(2025, 10, 11, 4, 5, 6);
  const rows = tickerRows(
    [
      { order_id: 'o-1', ts, user: 'u***42', amount: 1_999, province: '广西壮族自治区', items: 2, source: '' },
      { order_id: 'o-2', ts, user: '<***)>', amount: 12.5, province: '', items: 1, source: 'taobao' },
    ],
    'Asia/Shanghai',
    'zh',
  );
  assert.deepEqual(rows[0], { id: `o-1|${ts}`, time: '12:05:06', user: 'u***42', province: '广西', items: '×2', amount: '¥1,999.00', note: '' });
  assert.equal(rows[1]?.province, '—');
  assert.equal(rows[1]?.note, '导入 · taobao');
  assert.equal(tickerRows([{ order_id: 'o', ts, user: 'x', amount: 1, province: '广西壮族自治区', items: 1, source: '' }], 'UTC', 'en')[0]?.province, 'Guangxi');
});
