import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findSegment, RFM_SEGMENTS, segmentIndex } from './rfm-segments.ts';

describe('RFM segments', () => {
  test('the index formula the SQL uses picks each segment for its own high/low flags', () => {
    for (const [i, s] of RFM_SEGMENTS.entries()) {
      assert.equal(segmentIndex(s.recency === 'high', s.frequency === 'high', s.monetary === 'high'), i + 1, s.name);
    }
  });

  test('the classic names: 重要 = M high, 价值 = R and F high, 发展 = R high F low, 保持 = R low F high, 挽留 = both low', () => {
    const flags = (name: string) => {
      const s = findSegment(name)!;
      return `${s.recency[0]}${s.frequency[0]}${s.monetary[0]}`;
    };
    assert.deepEqual(
      ['重要价值', '重要发展', '重要保持', '重要挽留', '一般价值', '一般发展', '一般保持', '一般挽留'].map(flags),
      ['hhh', 'hlh', 'lhh', 'llh', 'hhl', 'hll', 'lhl', 'lll'],
    );
  });

  test('found by name or key', () => {
    assert.equal(findSegment('important_win_back')?.name, '重要挽留');
    assert.equal(findSegment('一般发展')?.key, 'general_develop');
    assert.equal(findSegment('champions'), undefined);
  });
});
