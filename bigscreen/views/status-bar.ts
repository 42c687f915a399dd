import type { Lang } from '../charts/compact-format.ts';
import { formatClockTime } from '../charts/format.ts';
import { formatAge, freshnessLevel, freshnessSeconds } from '../charts/freshness.ts';
import { t } from '../charts/i18n.ts';
import type { ConnectionState } from '../live/live-feed.ts';

/** What the pill in the header says: the socket state, or "stale" when connected but silent. */
export type ShownState = ConnectionState | 'stale' | 'no-token';

/** Sets data-state (read by CSS and the end-to-end tests) and the visible text. */
export function showConnectionState(el: HTMLElement, state: ShownState, lang: Lang): void {
  el.dataset.state = state;
  const text = el.querySelector('.connection-text');
  const label = t(lang, `state.${state}`);
  if (text && text.textContent !== label) text.textContent = label;
}

/** "UTC+8" for a zone at `epochMs` (browser zone when unknown). */
export function utcOffsetLabel(epochMs: number, timeZone: string | undefined): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
      .formatToParts(epochMs)
      .find((p) => p.type === 'timeZoneName');
    return part ? part.value.replace('GMT', 'UTC').replace(/^UTC$/, 'UTC+0') : '';
  } catch {
    return '';
  }
}

export interface HeaderClock {
  dateEl: HTMLElement;
  timeEl: HTMLElement;
  zoneEl: HTMLElement;
}

/** "2026-11-25 周三" / "2026-11-25 Wed" in `timeZone` (browser zone when unknown or invalid). */
export function formatHeaderDate(nowMs: number, timeZone: string | undefined, lang: Lang): string {
  const format = (locale: string, options: Intl.DateTimeFormatOptions) => {
    try {
      return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(nowMs);
    } catch {
      return new Intl.DateTimeFormat(locale, options).format(nowMs);
    }
  };
  return `${format('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' })} ${format(lang === 'zh' ? 'zh-CN' : 'en-US', { weekday: 'short' })}`;
}

export function renderClock(els: HeaderClock, nowMs: number, timeZone: string | undefined, lang: Lang): void {
  els.dateEl.textContent = formatHeaderDate(nowMs, timeZone, lang);
  els.timeEl.textContent = formatClockTime(nowMs, timeZone);
  const zone = `${timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone} ${utcOffsetLabel(nowMs, timeZone)}`.trim();
  if (els.zoneEl.textContent !== zone) els.zoneEl.textContent = zone;
}

export interface FreshnessInput {
  lastEventAt: number | null;
  generatedAt: number;
  receivedAtMs: number;
}

/** Age of the newest data with data-level ok | amber | red | none. */
export function renderFreshness(el: HTMLElement, valueEl: HTMLElement, input: FreshnessInput | null, nowMs: number, lang: Lang): void {
  const seconds = input ? freshnessSeconds(input.lastEventAt, input.generatedAt, input.receivedAtMs, nowMs) : null;
  el.dataset.level = input ? freshnessLevel(seconds) : 'none';
  el.dataset.seconds = seconds === null ? '' : String(seconds);
  valueEl.textContent =
    seconds === null ? t(lang, 'freshness.none') : formatAge(seconds, { s: t(lang, 'unit.seconds'), min: t(lang, 'unit.minutes') });
}
