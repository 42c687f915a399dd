import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LiveSnapshot } from '../../api/live/snapshot.ts';
import { makeSnapshot } from '../fixtures/make-snapshot.ts';
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
  constructor(readonly url: string) {}
  close(): void {
    this.closed = true;
  }
  serverOpens(): void {
    this.onopen?.(new Event('open'));
  }
  serverSends(data: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }
  serverDrops(): void {
    this.onerror?.(new Event('error'));
    this.onclose?.(new Event('close') as CloseEvent);
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
  const snapshots: LiveSnapshot[] = [];
  const states: ConnectionState[] = [];
  const warnings: string[] = [];
  const feed = createLiveFeed({
    url: 'ws://wall.test/live',
    onSnapshot: (s) => snapshots.push(s),
    onStateChange: (s) => states.push(s),
    onWarn: (message) => warnings.push(message),
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    schedule: clock.schedule,
    random: () => 0,
    ...overrides,
  });
  const latest = () => {
    const socket = sockets[sockets.length - 1];
    assert.ok(socket, 'no socket created');
    return socket;
  };
  return { feed, clock, sockets, snapshots, states, warnings, latest };
}

const frame = (pv: number) => JSON.stringify(makeSnapshot({ today: { pv } }));

test('liveUrl follows the page scheme and host', () => {
  assert.equal(liveUrl({ protocol: 'http:', host: 'wall:8080' }), 'ws://wall:8080/live');
  assert.equal(liveUrl({ protocol: 'https:', host: 'wall.example' }), 'wss://wall.example/live');
});

test('backoff doubles from 0.5 s and caps at 10 s; jitter only shortens', () => {
  const delays = Array.from({ length: 8 }, (_, attempt) => backoffDelayMs(attempt, DEFAULT_BACKOFF, () => 0));
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  assert.equal(backoffDelayMs(0, DEFAULT_BACKOFF, () => 1), 350);
  assert.equal(backoffDelayMs(99, DEFAULT_BACKOFF, () => 0.5), 8500);
});

test('connects, goes live on open and delivers parsed snapshots', () => {
  const { feed, latest, snapshots, states } = setup();
  feed.start();
  assert.equal(feed.getState(), 'connecting');
  assert.equal(latest().url, 'ws://wall.test/live');
  latest().serverOpens();
  latest().serverSends(frame(7));
  assert.deepEqual(states, ['live']);
  assert.deepEqual(
    snapshots.map((s) => s.today.pv),
    [7],
  );
});

test('bad frames are reported and skipped', () => {
  const { feed, latest, snapshots, warnings } = setup();
  feed.start();
  latest().serverOpens();
  latest().serverSends('not json');
  latest().serverSends(frame(3));
  assert.deepEqual(warnings, ['ignoring bad live frame']);
  assert.equal(snapshots.length, 1);
});

test('reconnects after a drop with growing delays', () => {
  const { feed, clock, sockets, latest, states } = setup();
  feed.start();
  latest().serverDrops();
  assert.equal(feed.getState(), 'reconnecting');
  clock.advance(499);
  assert.equal(sockets.length, 1);
  clock.advance(1);
  assert.equal(sockets.length, 2);
  latest().serverDrops();
  clock.advance(999);
  assert.equal(sockets.length, 2);
  clock.advance(1);
  assert.equal(sockets.length, 3);
  latest().serverOpens();
  assert.deepEqual(states, ['reconnecting', 'live']);
});

test('backoff resets once data flows again, not merely on open', () => {
  const { feed, clock, sockets, latest } = setup();
  feed.start();
  latest().serverDrops(); // retry in 500
  clock.advance(500);
  latest().serverOpens();
  latest().serverDrops(); // opened but no data: next retry 1000
  clock.advance(999);
  assert.equal(sockets.length, 2);
  clock.advance(1);
  assert.equal(sockets.length, 3);
  latest().serverOpens();
  latest().serverSends(frame(1));
  latest().serverDrops(); // data flowed: back to 500
  clock.advance(500);
  assert.equal(sockets.length, 4);
});

test('a silent open socket is dropped and replaced', () => {
  const { feed, clock, sockets, latest, warnings } = setup({ staleAfterMs: 5000 });
  feed.start();
  latest().serverOpens();
  clock.advance(4000);
  latest().serverSends(frame(1)); // re-arms the watchdog
  clock.advance(4999);
  assert.equal(sockets[0]?.closed, false);
  clock.advance(1);
  assert.equal(sockets[0]?.closed, true);
  assert.deepEqual(warnings, ['live feed silent, reconnecting']);
  assert.equal(feed.getState(), 'reconnecting');
  clock.advance(500);
  assert.equal(sockets.length, 2);
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
