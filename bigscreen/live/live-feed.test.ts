import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLOSE_UNAUTHORIZED } from '../../api/wire/live-protocol.ts';
import { makeSnapshot } from '../fixtures/make-snapshot.ts';
import type { FeedData } from './feed-state.ts';
import {
  backoffDelayMs,
  createLiveFeed,
  DEFAULT_BACKOFF,
  liveUrl,
  type ConnectionState,
  type LiveFeedOptions,
  type ScheduleFn,
  type SocketLike,
} from './live-feed.ts';

class FakeSocket implements SocketLike {
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  closed = false;
  sent: unknown[] = [];
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.closed = true;
  }
  serverOpens(): void {
    this.onopen?.(new Event('open'));
  }
  serverSends(data: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data: typeof data === 'string' ? data : JSON.stringify(data) }));
  }
  serverCloses(code = 1006): void {
    this.onerror?.(new Event('error'));
    this.onclose?.({ code } as CloseEvent);
  }
}

/** Deterministic timers: nothing runs until `advance`. */
function createFakeClock() {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const schedule: ScheduleFn = (fn, delayMs) => {
    const id = nextId++;
    timers.set(id, { at: now + delayMs, fn });
    return () => timers.delete(id);
  };
  function advance(ms: number): void {
    const end = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = end;
  }
  return { schedule, advance, pending: () => timers.size };
}

function setup(overrides: Partial<LiveFeedOptions> = {}) {
  const clock = createFakeClock();
  const sockets: FakeSocket[] = [];
  const data: FeedData[] = [];
  const states: ConnectionState[] = [];
  const warnings: string[] = [];
  const feed = createLiveFeed({
    url: 'ws://wall.test/live',
    token: 'wall-token-123',
    onData: (d) => data.push(d),
    onStateChange: (s) => states.push(s),
    onWarn: (message) => warnings.push(message),
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    schedule: clock.schedule,
    // Full jitter at its ceiling, so the delays are predictable.
    random: () => 0.999999,
    ...overrides,
  });
  const latest = () => {
    const socket = sockets[sockets.length - 1];
    assert.ok(socket, 'no socket created');
    return socket;
  };
  return { feed, clock, sockets, data, states, warnings, latest };
}

const snapshotMsg = (seq: number, pv: number, stream = 's1') => ({ type: 'snapshot', stream, seq, data: makeSnapshot({ today: { pv } }) });
const deltaMsg = (seq: number, pv: number, stream = 's1') => ({ type: 'delta', stream, seq, base: seq - 1, set: { today: makeSnapshot({ today: { pv } }).today } });

test('liveUrl follows the page scheme and host; the token is not in it', () => {
  assert.equal(liveUrl({ protocol: 'http:', host: 'wall:8080' }), 'ws://wall:8080/live');
  assert.equal(liveUrl({ protocol: 'https:', host: 'wall.example' }), 'wss://wall.example/live');
});

test('backoff: full jitter under a ceiling that doubles from 0.5 s up to 15 s', () => {
  const ceilings = Array.from({ length: 8 }, (_, attempt) => backoffDelayMs(attempt, DEFAULT_BACKOFF, () => 0.999999) + 1);
  assert.deepEqual(ceilings, [500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  assert.equal(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0), 0);
  assert.equal(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0.5), 2000);
  assert.equal(backoffDelayMs(1000, DEFAULT_BACKOFF, () => 0.5), 7500);
  // Spread: 1,000 screens retrying at attempt 4 land all over [0, 8 s).
  let r = 1;
  const random = () => ((r = (r * 16807) % 2147483647) / 2147483647);
  const delays = Array.from({ length: 1000 }, () => backoffDelayMs(4, DEFAULT_BACKOFF, random));
  assert.ok(Math.min(...delays) < 400 && Math.max(...delays) > 7600);
});

test('says hello with the token on open, then applies a snapshot and chained deltas', () => {
  const { feed, latest, data, states } = setup();
  feed.start();
  assert.equal(feed.getState(), 'connecting');
  latest().serverOpens();
  assert.deepEqual(latest().sent, [{ type: 'hello', token: 'wall-token-123' }]);
  latest().serverSends(snapshotMsg(5, 7));
  latest().serverSends(deltaMsg(6, 8));
  latest().serverSends(deltaMsg(7, 9));
  assert.deepEqual(states, ['live']);
  assert.deepEqual(
    data.map((d) => [d.seq, d.snapshot.today.pv]),
    [
      [5, 7],
      [6, 8],
      [7, 9],
    ],
  );
});

test('a gap asks once for a resync and resumes with the snapshot that answers it', () => {
  const { feed, latest, data, warnings } = setup();
  feed.start();
  latest().serverOpens();
  latest().serverSends(snapshotMsg(1, 1));
  latest().serverSends(deltaMsg(3, 3)); // 2 was missed
  latest().serverSends(deltaMsg(4, 4)); // still a gap: no second request
  assert.deepEqual(latest().sent.slice(1), [{ type: 'resync' }]);
  assert.equal(data.length, 1);
  latest().serverSends(snapshotMsg(4, 4));
  latest().serverSends(deltaMsg(5, 5));
  assert.deepEqual(
    data.map((d) => d.seq),
    [1, 4, 5],
  );
  assert.deepEqual(warnings, ['live feed gap, asking for a full snapshot']);
});

test('an unanswered resync ends the connection and reconnects', () => {
  const { feed, latest, clock, sockets } = setup({ resyncTimeoutMs: 3000, staleAfterMs: 60_000 });
  feed.start();
  latest().serverOpens();
  latest().serverSends(snapshotMsg(1, 1));
  latest().serverSends(deltaMsg(3, 3));
  clock.advance(3000);
  assert.equal(sockets[0]?.closed, true);
  assert.equal(feed.getState(), 'reconnecting');
  clock.advance(500);
  assert.equal(sockets.length, 2);
});

test('after a reconnect (server restart) the new stream snapshot is taken; its deltas chain', () => {
  const { feed, latest, clock, data } = setup();
  feed.start();
  latest().serverOpens();
  latest().serverSends(snapshotMsg(40, 1, 'old'));
  latest().serverCloses();
  clock.advance(500);
  latest().serverOpens();
  latest().serverSends(snapshotMsg(1, 2, 'new'));
  latest().serverSends(deltaMsg(2, 3, 'new'));
  assert.deepEqual(
    data.map((d) => `${d.stream}:${d.seq}`),
    ['old:40', 'new:1', 'new:2'],
  );
  assert.equal(feed.getState(), 'live');
});

test('bad frames are reported and skipped', () => {
  const { feed, latest, data, warnings } = setup();
  feed.start();
  latest().serverOpens();
  latest().serverSends('not json');
  latest().serverSends(snapshotMsg(1, 3));
  assert.deepEqual(warnings, ['ignoring bad live frame']);
  assert.equal(data.length, 1);
});

test('reconnects after a drop with growing ceilings; backoff resets only once data flows', () => {
  const { feed, clock, sockets, latest, states } = setup();
  feed.start();
  latest().serverCloses();
  assert.equal(feed.getState(), 'connecting');
  clock.advance(499);
  assert.equal(sockets.length, 2);
  latest().serverOpens();
  latest().serverCloses(); // opened but no data: next ceiling 1000
  clock.advance(998);
  assert.equal(sockets.length, 2);
  clock.advance(1);
  assert.equal(sockets.length, 3);
  latest().serverOpens();
  latest().serverSends(snapshotMsg(1, 1));
  latest().serverCloses(); // data flowed: back to 500
  clock.advance(499);
  assert.equal(sockets.length, 4);
  assert.deepEqual(states, ['live', 'reconnecting']);
});

test('heartbeats keep the connection but draw nothing; silence for 5 s reconnects', () => {
  const { feed, clock, sockets, latest, data, warnings } = setup({ staleAfterMs: 5000 });
  feed.start();
  latest().serverOpens();
  latest().serverSends(snapshotMsg(1, 1));
  clock.advance(4000);
  latest().serverSends({ type: 'heartbeat', stream: 's1', seq: 1, at: 0 });
  clock.advance(4999);
  assert.equal(sockets[0]?.closed, false);
  assert.equal(data.length, 1);
  clock.advance(1);
  assert.equal(sockets[0]?.closed, true);
  assert.deepEqual(warnings, ['live feed silent, reconnecting']);
  assert.equal(feed.getState(), 'reconnecting');
  clock.advance(500);
  assert.equal(sockets.length, 2);
});

test('a refused token shows "unauthorized" and retries only slowly', () => {
  const { feed, clock, sockets, latest } = setup();
  feed.start();
  latest().serverOpens();
  latest().serverCloses(CLOSE_UNAUTHORIZED);
  assert.equal(feed.getState(), 'unauthorized');
  clock.advance(14_000);
  assert.equal(sockets.length, 1);
  clock.advance(1000);
  assert.equal(sockets.length, 2);
  assert.equal(feed.getState(), 'unauthorized');
});

test('a throwing socket constructor is retried', () => {
  let calls = 0;
  const { feed, clock, warnings } = setup({
    createSocket: () => {
      calls += 1;
      throw new Error('blocked');
    },
  });
  feed.start();
  clock.advance(500);
  assert.equal(calls, 2);
  assert.deepEqual(warnings, ['could not create live socket', 'could not create live socket']);
});

test('stop closes the socket and cancels pending work', () => {
  const { feed, clock, sockets, latest } = setup();
  feed.start();
  latest().serverOpens();
  feed.stop();
  assert.equal(sockets[0]?.closed, true);
  assert.equal(clock.pending(), 0);
  clock.advance(60_000);
  assert.equal(sockets.length, 1);
});
