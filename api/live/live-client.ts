// A Node client of /live for tests, benchmarks and scripts: says hello with a
// token, applies snapshots and deltas, asks for a resync on a gap, and keeps
// the last `keep` snapshots by seq (bounded).
import WebSocket from 'ws';
import { applyDelta, type ServerMessage } from '../wire/live-protocol.ts';
import type { LiveSnapshot } from '../wire/live-snapshot.ts';

export interface LiveClient {
  /** the newest snapshot, or undefined before the first */
  latest(): { seq: number; stream: string; snapshot: LiveSnapshot; receivedAt: number } | undefined;
  /** the snapshot at `seq` of the current stream, if still kept */
  at(seq: number): LiveSnapshot | undefined;
  /** resolves with the first snapshot (new or already held) for which `check` holds; rejects after `timeoutMs` */
  waitFor(check: (snapshot: LiveSnapshot) => boolean, timeoutMs: number): Promise<LiveSnapshot>;
  /** how the server closed the socket, once it did */
  closed: Promise<{ code: number }>;
  close(): void;
}

export function connectLiveClient(options: {
  url: string;
  token: string;
  keep?: number;
  /** called with every snapshot held (a full one, or a delta applied), as it arrives */
  onSnapshot?: (snapshot: LiveSnapshot, receivedAt: number) => void;
}): Promise<LiveClient> {
  const keep = options.keep ?? 120;
  const ws = new WebSocket(options.url);
  const bySeq = new Map<number, LiveSnapshot>();
  let current: { seq: number; stream: string; snapshot: LiveSnapshot; receivedAt: number } | undefined;
  let resyncAsked = false;
  const waiters = new Set<{ check: (s: LiveSnapshot) => boolean; resolve: (s: LiveSnapshot) => void }>();
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code) => resolve({ code })));

  function hold(stream: string, seq: number, snapshot: LiveSnapshot): void {
    if (current && current.stream !== stream) bySeq.clear();
    current = { seq, stream, snapshot, receivedAt: Date.now() };
    options.onSnapshot?.(snapshot, current.receivedAt);
    bySeq.set(seq, snapshot);
    for (const old of bySeq.keys()) {
      if (bySeq.size <= keep) break;
      bySeq.delete(old);
    }
    for (const w of waiters) {
      if (w.check(snapshot)) {
        waiters.delete(w);
        w.resolve(snapshot);
      }
    }
  }

  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    if (message.type === 'snapshot') {
      resyncAsked = false;
      hold(message.stream, message.seq, message.data);
    } else if (message.type === 'delta') {
      if (current && current.stream === message.stream && current.seq === message.base) {
        hold(message.stream, message.seq, applyDelta(current.snapshot, message));
      } else if (!resyncAsked) {
        resyncAsked = true;
        ws.send(JSON.stringify({ type: 'resync' }));
      }
    }
  });

  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'hello', token: options.token }));
      resolve({
        latest: () => current,
        at: (seq) => bySeq.get(seq),
        waitFor(check, timeoutMs) {
          if (current && check(current.snapshot)) return Promise.resolve(current.snapshot);
          return new Promise((res, rej) => {
            const waiter = { check, resolve: res };
            waiters.add(waiter);
            setTimeout(() => {
              if (waiters.delete(waiter)) rej(new Error(`no /live snapshot matched within ${timeoutMs} ms`));
            }, timeoutMs).unref();
          });
        },
        closed,
        close: () => ws.close(),
      });
    });
  });
}
