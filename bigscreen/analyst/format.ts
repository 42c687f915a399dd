// Number and time formatting of the analyst pages, on top of the wall's
// formatters (bigscreen/charts/format.ts: en-US digits whatever the browser).
import { EMPTY_VALUE, formatCount, formatPercent, formatYuan } from '../charts/format.ts';

export {  formatCount, formatPercent, formatYuan };

const decimalFormats = new Map<number, Intl.NumberFormat>();

/** 1234.5678 → "1,234.57" with `digits` decimals at most. */
export function formatDecimal(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return EMPTY_VALUE;
  let format = decimalFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits });
    decimalFormats.set(digits, format);
  }
  return format.format(n) === '-0' ? '0' : format.format(n);
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** Epoch ms → "YYYY-MM-DD HH:mm:ss" in timeZone (the browser's when absent or unknown). */
export function formatDateTime(epochMs: number | null | undefined, timeZone?: string): string {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return EMPTY_VALUE;
  const key = timeZone ?? '';
  let format = dateTimeFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
    try {
      format = new Intl.DateTimeFormat('en-CA', { ...options, timeZone });
    } catch {
      format = new Intl.DateTimeFormat('en-CA', options);
    }
    dateTimeFormats.set(key, format);
  }
  const parts = Object.fromEntries(format.formatToParts(epochMs).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A plain-language number of seconds: 86400 → "1 d", 5400 → "1.5 h". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return EMPTY_VALUE;
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds >= 3600) return `${formatDecimal(seconds / 3600, 1)} h`;
  if (seconds >= 60) return `${formatDecimal(seconds / 60, 1)} min`;
  return `${seconds} s`;
}
