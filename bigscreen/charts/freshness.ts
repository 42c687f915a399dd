// How old the newest data is, as the header shows it.

export type FreshnessLevel = 'ok' | 'amber' | 'red' | 'none';

/** Up to this many seconds the data counts as live. */
const FRESH_SECONDS = 10;
/** Beyond this the indicator turns red. */
const STALE_SECONDS = 60;

/**
 * Seconds from the newest event's arrival to now on the server's clock:
 * the snapshot says both times, and the time since it was received is added,
 * so the age keeps growing when updates stop and a wrong TV clock does not
 * matter. null when ClickHouse holds no event.
 */
export function freshnessSeconds(lastEventAt: number | null, generatedAt: number, receivedAtMs: number, nowMs: number): number | null {
  if (lastEventAt === null) return null;
  return Math.max(0, Math.floor((generatedAt - lastEventAt + Math.max(0, nowMs - receivedAtMs)) / 1000));
}

export function freshnessLevel(seconds: number | null): FreshnessLevel {
  if (seconds === null) return 'none';
  if (seconds <= FRESH_SECONDS) return 'ok';
  if (seconds <= STALE_SECONDS) return 'amber';
  return 'red';
}

/** "8 s", "2 min 5 s", "3 h 1 min". */
export function formatAge(seconds: number, units: { s: string; min: string }): string {
  if (seconds < 60) return `${seconds} ${units.s}`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} ${units.min} ${seconds % 60} ${units.s}`;
  const hours = Math.floor(seconds / 3600);
  return `${hours} h ${Math.floor((seconds % 3600) / 60)} ${units.min}`;
}
