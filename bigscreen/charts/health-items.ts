import type { PipelineHealth } from '../../api/wire/live-snapshot.ts';
import { formatCountCompact, type Lang } from './compact-format.ts';
import { t, type LabelKey } from './i18n.ts';

type HealthLevel = 'ok' | 'warn' | 'alert' | 'unknown';

export interface HealthItem {
  key: 'eps' | 'failed' | 'bots' | 'duplicates' | 'lag';
  label: string;
  value: string;
  level: HealthLevel;
}

/** Lag beyond these many messages turns the item amber / red. */
const LAG_WARN = 1_000;
const LAG_ALERT = 10_000;

function count(n: number | null, lang: Lang): string {
  return n === null ? t(lang, 'health.unknown') : formatCountCompact(n, lang);
}

export function healthItems(p: PipelineHealth, lang: Lang): HealthItem[] {
  const item = (key: HealthItem['key'], label: LabelKey, value: string, level: HealthLevel): HealthItem => ({ key, label: t(lang, label), value, level });
  const lagLevel: HealthLevel = p.consumer_lag === null ? 'unknown' : p.consumer_lag >= LAG_ALERT ? 'alert' : p.consumer_lag >= LAG_WARN ? 'warn' : 'ok';
  const eps = p.events_per_second === null ? t(lang, 'health.unknown') : `${count(p.events_per_second, lang)} (1 min ${p.events_per_second_1m.toFixed(1)})`;
  return [
    item('eps', 'health.eps', eps, p.events_per_second === null ? 'unknown' : 'ok'),
    item('failed', 'health.failed', count(p.failed_today, lang), p.failed_today > 0 ? 'warn' : 'ok'),
    item('bots', 'health.bots', count(p.bots_today, lang), 'ok'),
    item('duplicates', 'health.duplicates', count(p.duplicates_today, lang), p.duplicates_today === null ? 'unknown' : 'ok'),
    item('lag', 'health.lag', count(p.consumer_lag, lang), lagLevel),
  ];
}
