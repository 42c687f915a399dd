import type { FeatureName } from '../wire/params.ts';
// A readable label per cluster, from its centre in standardised units (how
// many standard deviations of the transformed feature the cluster's mean
// lies from the mean of all users). The first matching rule wins; a label
// given to two clusters gets " 2", " 3" … on the later (smaller) ones.

export type CentroidZ = Record<FeatureName, number>;

/** "Clearly above / below average": half a standard deviation. */
const LABEL_THRESHOLD_Z = 0.5;

interface LabelRule {
  key: string;
  label: string;
  rule: string;
  matches: (z: CentroidZ) => boolean;
}

const T = LABEL_THRESHOLD_Z;
const valuable = (z: CentroidZ) => z.monetary >= T || z.frequency >= T;

const LABEL_RULES: readonly LabelRule[] = [
  { key: 'high_value_active', label: '高价值活跃', rule: 'F or M ≥ +0.5 SD, recency ≤ the mean', matches: (z) => valuable(z) && z.recency_days <= 0 },
  { key: 'high_value_at_risk', label: '高价值流失风险', rule: 'F or M ≥ +0.5 SD, recency above the mean', matches: valuable },
  { key: 'dormant', label: '沉睡', rule: 'recency ≥ +0.5 SD (long since the last event)', matches: (z) => z.recency_days >= T },
  { key: 'high_intent', label: '高意向', rule: 'cart rate or favourite rate ≥ +0.5 SD', matches: (z) => z.cart_rate >= T || z.favorite_rate >= T },
  { key: 'browser', label: '浏览型', rule: 'category breadth or dwell time ≥ +0.5 SD', matches: (z) => z.category_breadth >= T || z.avg_dwell_ms >= T },
  { key: 'low_activity', label: '低活跃', rule: 'none of the above', matches: () => true },
];

export interface ClusterLabel {
  label: string;
  labelKey: string;
}

/** Labels for clusters 0, 1, … (largest first). */
export function labelClusters(centroids: readonly CentroidZ[]): ClusterLabel[] {
  const seen = new Map<string, number>();
  return centroids.map((z) => {
    const rule = LABEL_RULES.find((r) => r.matches(z))!;
    const count = (seen.get(rule.key) ?? 0) + 1;
    seen.set(rule.key, count);
    return count === 1 ? { label: rule.label, labelKey: rule.key } : { label: `${rule.label} ${count}`, labelKey: `${rule.key}_${count}` };
  });
}
