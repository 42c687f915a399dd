// The /live WebSocket protocol, shared by the API and the wall (pure: no
// Node or browser APIs, so both sides import it).
//
//   client → server  {"type":"hello","token":"…"}     first message, within AUTH_TIMEOUT_MS
//                    {"type":"resync"}                 "send me a full snapshot"
//   server → client  {"type":"snapshot",stream,seq,data}
//                    {"type":"delta",stream,seq,base,set,eps?}   data(seq) = apply(data(base), delta)
//                    {"type":"heartbeat",stream,seq,at}          nothing new (the computation failed)
//
// The token travels in the first message, never in the URL or a header, so no
// HTTP or proxy log can record it. A wrong or missing token closes the socket
// with CLOSE_UNAUTHORIZED. `stream` changes whenever the server restarts: a
// delta is only applied to the snapshot of the same stream whose seq is its
// base; anything else is a gap and the client asks for a resync.
import type { LiveSnapshot, TrafficPoint } from './live-snapshot.ts';

/** Close code for a missing or wrong token (4000–4999 are free for applications). */
export const CLOSE_UNAUTHORIZED = 4401;
/** Close code for a malformed client message. */
export const CLOSE_BAD_MESSAGE = 4400;
/** A connection that has not said hello with a valid token by then is closed. */
export const AUTH_TIMEOUT_MS = 5_000;

export interface HelloMessage {
  type: 'hello';
  token: string;
}
export interface ResyncMessage {
  type: 'resync';
}
export type ClientMessage = HelloMessage | ResyncMessage;

/** Rolling-window change of the traffic series: drop points before `drop_before`, then replace or append `upsert` by `t`. */
export interface SeriesPatch {
  drop_before: number;
  upsert: TrafficPoint[];
}

export interface SnapshotMessage {
  type: 'snapshot';
  stream: string;
  seq: number;
  data: LiveSnapshot;
}
export interface DeltaMessage {
  type: 'delta';
  stream: string;
  seq: number;
  base: number;
  /** top-level fields whose value changed, whole */
  set: Partial<LiveSnapshot>;
  eps?: SeriesPatch;
}
export interface HeartbeatMessage {
  type: 'heartbeat';
  stream: string;
  seq: number;
  at: number;
}
export type ServerMessage = SnapshotMessage | DeltaMessage | HeartbeatMessage;

export type DeltaBody = Pick<DeltaMessage, 'set' | 'eps'>;

type SnapshotKey = keyof LiveSnapshot;

/**
 * What changed from `prev` to `next`. Fields are compared by their JSON
 * text, so values that went through a JSON round trip compare equal. The
 * traffic series slides by one bucket at a time: unless its shape changed it
 * travels as a patch (new and changed points), not whole.
 */
export function diffSnapshots(prev: LiveSnapshot, next: LiveSnapshot): DeltaBody {
  const set: Partial<Record<SnapshotKey, unknown>> = {};
  let eps: SeriesPatch | undefined;
  for (const key of Object.keys(next) as SnapshotKey[]) {
    if (key === 'eps') continue;
    if (JSON.stringify(prev[key]) !== JSON.stringify(next[key])) set[key] = next[key];
  }
  const a = prev.eps;
  const b = next.eps;
  const sameShape =
    a.bucket_seconds === b.bucket_seconds && a.window_seconds === b.window_seconds && JSON.stringify(a.types) === JSON.stringify(b.types);
  const dropBefore = b.points[0]?.t ?? Number.MAX_SAFE_INTEGER;
  const kept = new Set(b.points.map((p) => p.t));
  // A patch can only drop a prefix; a point missing in the middle needs the whole series.
  const patchable = sameShape && a.points.every((p) => p.t < dropBefore || kept.has(p.t));
  if (!patchable) {
    set.eps = b;
  } else {
    const before = new Map(a.points.map((p) => [p.t, JSON.stringify(p.n)]));
    const upsert = b.points.filter((p) => before.get(p.t) !== JSON.stringify(p.n));
    const drops = a.points.some((p) => p.t < dropBefore);
    if (upsert.length > 0 || drops) eps = { drop_before: dropBefore, upsert };
  }
  return eps ? { set: set as Partial<LiveSnapshot>, eps } : { set: set as Partial<LiveSnapshot> };
}

/**
 * The snapshot after `delta`. Fields the delta does not name keep their
 * object identity, so a screen can skip redrawing what did not change.
 */
export function applyDelta(prev: LiveSnapshot, delta: DeltaBody): LiveSnapshot {
  const next: LiveSnapshot = { ...prev, ...delta.set };
  if (delta.eps && !('eps' in delta.set)) {
    const { drop_before, upsert } = delta.eps;
    const byT = new Map<number, TrafficPoint>();
    for (const p of prev.eps.points) if (p.t >= drop_before) byT.set(p.t, p);
    for (const p of upsert) byT.set(p.t, p);
    next.eps = { ...prev.eps, points: [...byT.values()].sort((x, y) => x.t - y.t) };
  }
  return next;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A client message, or null when it is not one (the server then closes the socket). */
export function parseClientMessage(text: string): ClientMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  if (value.type === 'hello' && typeof value.token === 'string') return { type: 'hello', token: value.token };
  if (value.type === 'resync') return { type: 'resync' };
  return null;
}
