// What the wall does with each /live message (pure, so every case is a unit test).
import { applyDelta, type ServerMessage } from '../../api/wire/live-protocol.ts';
import type { LiveSnapshot } from '../../api/wire/live-snapshot.ts';

export interface FeedData {
  stream: string;
  seq: number;
  snapshot: LiveSnapshot;
}

export type FeedOutcome =
  /** new data to draw */
  | { kind: 'render'; data: FeedData }
  /** a delta that does not follow what we hold: ask for a full snapshot */
  | { kind: 'resync'; reason: string }
  /** the connection is alive; nothing new to draw */
  | { kind: 'alive' };

/**
 * Next state after `message`. A delta applies only to the snapshot of the
 * same stream (server run) at exactly its base seq; a missed delta, a server
 * restart or a delta before any snapshot is a gap.
 */
export function reduceMessage(current: FeedData | null, message: ServerMessage): FeedOutcome {
  switch (message.type) {
    case 'snapshot':
      return { kind: 'render', data: { stream: message.stream, seq: message.seq, snapshot: message.data } };
    case 'delta': {
      if (!current) return { kind: 'resync', reason: 'delta before any snapshot' };
      if (current.stream !== message.stream) return { kind: 'resync', reason: 'server restarted' };
      if (message.base !== current.seq) return { kind: 'resync', reason: `gap: have ${current.seq}, delta from ${message.base}` };
      return { kind: 'render', data: { stream: message.stream, seq: message.seq, snapshot: applyDelta(current.snapshot, message) } };
    }
    case 'heartbeat':
      return { kind: 'alive' };
  }
}
