// Replay at a chosen speed: the dataset's first event happens now, later ones
// `speed` times faster than they did, and each event's ts is the moment it is
// due, so the live wall shows a real day compressed (speed 60: a day in 24 min).
import type { TrackedEvent } from '../../../collector/contract/events.ts';

export interface ReplayClock {
  /** earliest event time of the dataset, epoch ms */
  firstTs: number;
  /** wall-clock start of the replay, epoch ms */
  startMs: number;
  speed: number;
}

/** When an event of the dataset is due on the wall clock (and its new ts). */
export const dueAt = (originalTs: number, clock: ReplayClock): number =>
  clock.startMs + Math.round((originalTs - clock.firstTs) / clock.speed);

/** Events sorted by time; stable, so the events of one row keep their order. */
export const sortByTime = (events: readonly TrackedEvent[]): TrackedEvent[] => [...events].sort((a, b) => a.ts - b.ts);

/**
 * The events from index `from` (of a time-sorted list) that are due by
 * `horizonMs`, at most `max`, with ts moved to their due time.
 */
export function takeDue(
  events: readonly TrackedEvent[],
  from: number,
  horizonMs: number,
  clock: ReplayClock,
  max: number,
): TrackedEvent[] {
  const due: TrackedEvent[] = [];
  for (let i = from; i < events.length && due.length < max; i++) {
    const at = dueAt(events[i]!.ts, clock);
    if (at > horizonMs) break;
    due.push({ ...events[i]!, ts: at, sent_at: at });
  }
  return due;
}
