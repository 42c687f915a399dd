// The eight classic RFM segments. A user is high on a dimension when their
// score (1–5) is above the mean score of that dimension over the users of the
// same computation, low otherwise (docs/segments.md explains the choice).
// The order of RFM_SEGMENTS is part of the SQL: rfm-scores.ts picks a name by
// index, so segmentIndex() and this list must stay together.

export interface RfmSegment {
  /** the name used in tables and answers */
  name: string;
  /** an ASCII alias accepted by ?segment= */
  key: string;
  recency: 'high' | 'low';
  frequency: 'high' | 'low';
  monetary: 'high' | 'low';
}

export const RFM_SEGMENTS = [
  { name: '重要价值', key: 'important_value', recency: 'high', frequency: 'high', monetary: 'high' },
  { name: '重要发展', key: 'important_develop', recency: 'high', frequency: 'low', monetary: 'high' },
  { name: '重要保持', key: 'important_retain', recency: 'low', frequency: 'high', monetary: 'high' },
  { name: '重要挽留', key: 'important_win_back', recency: 'low', frequency: 'low', monetary: 'high' },
  { name: '一般价值', key: 'general_value', recency: 'high', frequency: 'high', monetary: 'low' },
  { name: '一般发展', key: 'general_develop', recency: 'high', frequency: 'low', monetary: 'low' },
  { name: '一般保持', key: 'general_retain', recency: 'low', frequency: 'high', monetary: 'low' },
  { name: '一般挽留', key: 'general_win_back', recency: 'low', frequency: 'low', monetary: 'low' },
] as const satisfies readonly RfmSegment[];

export const RFM_SEGMENT_NAMES: string[] = RFM_SEGMENTS.map((s) => s.name);

/**
 * 1-based position in RFM_SEGMENTS of the segment with these high/low flags:
 * 1 + 4·(M low) + 2·(R low) + (F low). The SQL computes the same expression.
 */
export function segmentIndex(recencyHigh: boolean, frequencyHigh: boolean, monetaryHigh: boolean): number {
  return 1 + 4 * Number(!monetaryHigh) + 2 * Number(!recencyHigh) + Number(!frequencyHigh);
}

/** A segment by name (重要价值) or key (important_value); undefined when neither. */
export function findSegment(nameOrKey: string): RfmSegment | undefined {
  return RFM_SEGMENTS.find((s) => s.name === nameOrKey || s.key === nameOrKey);
}

