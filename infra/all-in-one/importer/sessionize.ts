// Sessions for datasets that have none (Taobao): a visitor's session ends
// after 30 minutes without an event, as the tracker's session_id does.

export const SESSION_GAP_MS = 30 * 60_000;

export interface Sessionizer {
  /** The session id of `visitor`'s event at `tsMs`; call in the file's order. */
  sessionOf(visitor: string, tsMs: number): string;
}

/**
 * Keeps, per visitor, the start and the newest event time of the open
 * session. An event more than gapMs after the newest one opens a new session
 * named `${prefix}${visitor}-${start in epoch seconds}`, so the id depends only
 * on the visitor's own events. A row older than the newest one (a file not in
 * time order per visitor) stays in the open session; both public Taobao
 * samples are in time order per user.
 */
export function createSessionizer(prefix: string, gapMs: number = SESSION_GAP_MS): Sessionizer {
  const open = new Map<string, { startMs: number; lastMs: number }>();
  return {
    sessionOf(visitor, tsMs) {
      let session = open.get(visitor);
      if (!session || tsMs - session.lastMs > gapMs) {
        session = { startMs: tsMs, lastMs: tsMs };
        open.set(visitor, session);
      } else if (tsMs > session.lastMs) {
        session.lastMs = tsMs;
      }
      return `${prefix}${visitor}-${Math.floor(session.startMs / 1000)}`;
    },
  };
}
