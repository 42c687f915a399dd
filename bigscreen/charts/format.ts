// Number and time formatting for the wall. Locale is pinned to en-US digits
// (1,234,567) so the output does not depend on the TV browser's language.

/** Shown wherever a value is unknown (before the first snapshot, NaN, …). */
export const EMPTY_VALUE = '—';

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const yuanFormats = [0, 1, 2].map(
  (digits) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }),
);

/** 1234567 → "1,234,567" (rounded to an integer). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return EMPTY_VALUE;
  // `|| 0` turns -0 (from rounding e.g. -0.2) into 0 so we never show "-0".
  return countFormat.format(Math.round(n) || 0);
}

/** 1234567.8 → "¥1,234,567.80"; `fractionDigits` 0..2. */
export function formatYuan(amount: number, fractionDigits: 0 | 1 | 2 = 2): string {
  if (!Number.isFinite(amount)) return EMPTY_VALUE;
  const format = yuanFormats[fractionDigits] ?? countFormat;
  return `¥${format.format(amount)}`;
}

/** Ratio 0..1 → "12.34%". */
export function formatPercent(ratio: number, fractionDigits = 2): string {
  if (!Number.isFinite(ratio)) return EMPTY_VALUE;
  return `${(ratio * 100).toFixed(fractionDigits)}%`;
}

// Intl.DateTimeFormat is costly to build and the axis formats ~10 labels a
// second, so keep one formatter per (kind, time zone).
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(kind: 'time' | 'date' | 'weekday', timeZone: string | undefined): Intl.DateTimeFormat {
  const cacheKey = `${kind}|${timeZone ?? ''}`;
  const cached = dateTimeFormats.get(cacheKey);
  if (cached) return cached;
  const options: Intl.DateTimeFormatOptions =
    kind === 'time'
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
      : kind === 'date'
        ? { year: 'numeric', month: '2-digit', day: '2-digit' }
        : { weekday: 'short' };
  // en-CA formats dates as YYYY-MM-DD; zh-CN gives 周一…周日.
  const locale = kind === 'time' ? 'en-GB' : kind === 'date' ? 'en-CA' : 'zh-CN';
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
  } catch {
    // An unknown time zone name from the server must not blank the wall:
    // fall back to the browser's zone.
    format = new Intl.DateTimeFormat(locale, options);
  }
  dateTimeFormats.set(cacheKey, format);
  return format;
}

/** Epoch ms → "HH:mm:ss" in `timeZone` (browser zone when omitted or invalid). */
export function formatClockTime(epochMs: number, timeZone?: string): string {
  if (!Number.isFinite(epochMs)) return '--:--:--';
  return dateTimeFormat('time', timeZone).format(epochMs);
}

/** Epoch ms → "YYYY-MM-DD 周X" in `timeZone`. */
export function formatClockDate(epochMs: number, timeZone?: string): string {
  if (!Number.isFinite(epochMs)) return EMPTY_VALUE;
  return `${dateTimeFormat('date', timeZone).format(epochMs)} ${dateTimeFormat('weekday', timeZone).format(epochMs)}`;
}

/** Removes `{`, `}` and `|`, which are ECharts rich-text syntax, from text we did not write. */
export function stripRichSyntax(text: string): string {
  return text.replace(/[{}|]/g, '');
}
