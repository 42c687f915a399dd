// Wall-clock times of a named zone to epoch ms, with Intl only (no tz library).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** How far the zone's wall clock is ahead of UTC at instant utcMs. */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(utcMs)).map((p) => [p.type, Number(p.value)]));
  const wallAsUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wallAsUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * Epoch ms of a wall-clock time in timeZone (month 1–12). A time repeated by
 * a DST change resolves to its first occurrence; a time skipped by one to the
 * same distance after the change (01:30 in a 01:00 → 02:00 gap is 02:30).
 */
export function wallTimeToEpochMs(
  wall: { year: number; month: number; day: number; hour: number; minute: number; second?: number },
  timeZone: string,
): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  const DAY = 86_400_000;
  const before = asUtc - zoneOffsetMs(asUtc - DAY, timeZone);
  const after = asUtc - zoneOffsetMs(asUtc + DAY, timeZone);
  const valid = [before, after].filter((t) => t + zoneOffsetMs(t, timeZone) === asUtc);
  return valid.length > 0 ? Math.min(...valid) : before;
}

/** Epoch ms of the local midnight that starts the day holding instant utcMs in timeZone. */
export function localMidnight(utcMs: number, timeZone: string): number {
  const wall = new Date(utcMs + zoneOffsetMs(utcMs, timeZone));
  return wallTimeToEpochMs({ year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: 0, minute: 0 }, timeZone);
}
