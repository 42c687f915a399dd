// Numbers for the wall in the language shown: Chinese counts in 万 (10⁴) and
// 亿 (10⁸), English in K, M, B. Small numbers stay whole so that they visibly
// tick; large ones switch to two decimals of the unit so that they fit their
// card. Digits are always en-US (1,234), whatever the TV's locale.
import { EMPTY_VALUE } from './format.ts';

export type Lang = 'zh' | 'en';

const grouped = [0, 1, 2].map((d) => new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));

interface Unit {
  size: number;
  suffix: string;
}

const UNITS: Record<Lang, Unit[]> = {
  // Largest first.
  zh: [
    { size: 1e8, suffix: '亿' },
    { size: 1e4, suffix: '万' },
  ],
  en: [
    { size: 1e9, suffix: 'B' },
    { size: 1e6, suffix: 'M' },
    { size: 1e3, suffix: 'K' },
  ],
};

/**
 * `abs` in the largest unit whose two-decimal value is at least 1, or null
 * when it should be written whole (below `wholeBelow`). A value that rounds
 * up to the next unit (99,999,999 → 10000.00万) moves to that unit (1.00亿).
 */
function inUnit(abs: number, lang: Lang, wholeBelow: number): string | null {
  if (abs < wholeBelow) return null;
  for (const unit of UNITS[lang]) {
    const scaled = Math.round((abs / unit.size) * 100) / 100;
    if (scaled >= 1) return `${grouped[2]!.format(scaled)}${unit.suffix}`;
  }
  return null;
}

/**
 * A count: whole with separators below 100,000 (zh) or 1,000,000 (en),
 * else "12.35万" / "1.23M".
 */
export function formatCountCompact(n: number, lang: Lang): string {
  if (!Number.isFinite(n)) return EMPTY_VALUE;
  const rounded = Math.round(n) || 0;
  const abs = Math.abs(rounded);
  const unit = inUnit(abs, lang, lang === 'zh' ? 1e5 : 1e6);
  return `${rounded < 0 ? '-' : ''}${unit ?? grouped[0]!.format(abs)}`;
}

/**
 * An amount in yuan: "¥123,456.78" below `wholeBelow` (default 1,000,000),
 * else "¥123.46万" / "¥1.23M".
 */
export function formatYuanCompact(amount: number, lang: Lang, wholeBelow = 1e6): string {
  if (!Number.isFinite(amount)) return EMPTY_VALUE;
  const abs = Math.abs(amount);
  const unit = inUnit(abs, lang, wholeBelow);
  const sign = amount < 0 && Math.round(abs * 100) !== 0 ? '-' : '';
  return `${sign}¥${unit ?? grouped[2]!.format(abs)}`;
}

/** Change of `now` against `before` as "+12.3%" / "−4.5%"; null when `before` is 0. */
export function formatChange(now: number, before: number): string | null {
  if (!Number.isFinite(now) || !Number.isFinite(before) || before === 0) return null;
  const pct = ((now - before) / before) * 100;
  const text = Math.abs(pct).toFixed(1);
  if (text === '0.0') return '0.0%';
  return `${pct > 0 ? '+' : '−'}${text}%`;
}
