/**
 * Keeps the first of each event_id in one batch, dropping the repeats a
 * retrying client or producer can cause. Returns the kept items and how many
 * were dropped. Cross-batch repeats are a later concern (issue: exactly-once).
 */
export function dedupeBatch<T extends { event_id: string }>(events: readonly T[]): { kept: T[]; dropped: number } {
  const seen = new Set<string>();
  const kept: T[] = [];
  for (const event of events) {
    if (seen.has(event.event_id)) continue;
    seen.add(event.event_id);
    kept.push(event);
  }
  return { kept, dropped: events.length - kept.length };
}
