import { formatClockDate, formatClockTime } from '../charts/format.ts';
import type { ConnectionState } from '../live/live-feed.ts';

const STATE_TEXT: Record<ConnectionState, string> = {
  connecting: '连接中 Connecting',
  live: '实时 Live',
  reconnecting: '重连中 Reconnecting',
};

/** Sets data-state (read by CSS and the end-to-end test) and the visible text. */
export function showConnectionState(el: HTMLElement, state: ConnectionState): void {
  el.dataset.state = state;
  const text = el.querySelector('.connection-text');
  if (text) text.textContent = STATE_TEXT[state];
}

/**
 * Ticks the header clock every second in the time zone `getTimeZone` returns
 * (the snapshot's zone once known, so the clock agrees with "today").
 */
export function startClock(dateEl: HTMLElement, timeEl: HTMLElement, getTimeZone: () => string | undefined): () => void {
  function tick(): void {
    const now = Date.now();
    const timeZone = getTimeZone();
    dateEl.textContent = formatClockDate(now, timeZone);
    timeEl.textContent = formatClockTime(now, timeZone);
  }
  tick();
  const id = setInterval(tick, 1000);
  return () => clearInterval(id);
}
