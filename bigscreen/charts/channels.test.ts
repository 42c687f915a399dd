import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHANNEL_ROWS, channelLabel, channelsOption } from './channels.ts';

test('no channels yet: the no-data notice and no bars', () => {
  const option = channelsOption([], 'zh');
  assert.deepEqual([(option.title as { show: boolean }).show, (option.title as { text: string }).text], [true, '暂无数据']);
  assert.deepEqual((option.yAxis as { data: string[] }).data, []);
});

test('one bar of visitors per channel in the order given, with its GMV beside it, labelled in the language', () => {
  const channels = [
    { channel: 'social', visitors: 120, sessions: 130, paid_orders: 3, gmv: 12_985 },
    { channel: 'organic_search', visitors: 80, sessions: 90, paid_orders: 1, gmv: 599.5 },
    { channel: '', visitors: 2, sessions: 2, paid_orders: 0, gmv: 0 },
  ];
  const zh = channelsOption(channels, 'zh');
  assert.deepEqual((zh.yAxis as { data: string[] }).data, ['社交', '自然搜索', '未知']);
  const series = (zh.series as Array<{ data: number[]; label: { formatter: (p: { value: number; dataIndex: number }) => string } }>)[0]!;
  assert.deepEqual(series.data, [120, 80, 2]);
  assert.equal(series.label.formatter({ value: 120, dataIndex: 0 }), '{v|120}  {g|¥1.30万}');
  assert.equal(series.label.formatter({ value: 80, dataIndex: 1 }), '{v|80}  {g|¥599.50}');
  const en = channelsOption(channels, 'en');
  assert.deepEqual((en.yAxis as { data: string[] }).data, ['Social', 'Organic search', 'Unknown']);
  assert.equal((en.series as Array<{ label: { formatter: (p: { value: number; dataIndex: number }) => string } }>)[0]!.label.formatter({ value: 120, dataIndex: 0 }), '{v|120}  {g|¥12.99K}');
});

test('at most CHANNEL_ROWS bars; a name outside the contract is shown as it is', () => {
  const many = Array.from({ length: 9 }, (_, i) => ({ channel: i === 0 ? 'tv' : 'direct', visitors: 9 - i, sessions: 1, paid_orders: 0, gmv: 0 }));
  assert.equal((channelsOption(many, 'en').yAxis as { data: string[] }).data.length, CHANNEL_ROWS);
  assert.equal(channelLabel('tv', 'zh'), 'tv');
});
