import assert from 'node:assert/strict';
import { test } from 'node:test';
import { segmentsOption } from './segments.ts';

test('not computed yet: a clear notice and no bars', () => {
  const option = segmentsOption(null, 'zh');
  assert.equal((option.title as { show: boolean; text: string }).show, true);
  assert.equal((option.title as { text: string }).text, '尚未计算：RFM 任务运行后显示');
  assert.deepEqual((option.yAxis as { data: string[] }).data, []);
});

test('shares of the latest run, one bar per segment, labelled in the language', () => {
  const option = segmentsOption(
    {
      computed_at: 0,
      users: 10,
      segments: [
        { segment: '重要价值', key: 'important_value', users: 7, share: 0.7 },
        { segment: '一般挽留', key: 'general_win_back', users: 3, share: 0.3 },
      ],
    },
    'en',
  );
  assert.equal((option.title as { show: boolean }).show, false);
  assert.deepEqual((option.yAxis as { data: string[] }).data, ['Important value', 'General win-back']);
  const series = (option.series as Array<{ data: Array<{ value: number }>; label: { formatter: (p: { value: number }) => string } }>)[0]!;
  assert.deepEqual(series.data.map((d) => d.value), [0.7, 0.3]);
  assert.equal(series.label.formatter({ value: 0.7 }), '70.0%');
});
