/**
 * Keeps the first of each event_id, in order, and returns the repeats apart.
 * The processor's one dedupe inside a batch: the writer runs it on every
 * flush (its repeats reach duplicate_events), and the pipeline on bot rows.
 */
export function dedupeBatch<T extends { event_id: string }>(events: readonly T[]): { kept: T[]; repeated: T[] } {
  const seen = new Set<string>();
  const kept: T[] = [];
  const repeated: T[] = [];
  for (const event of events) {
    if (seen.has(event.event_id)) repeated.push(event);
    else {
      seen.add(event.event_id);
      kept.push(event);
    }
  }
  return { kept, repeated };
}
