// The /live server on a real HTTP server and real WebSocket clients, with a
// computeSnapshot that needs no ClickHouse.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import WebSocket from 'ws';
import { makeTodayTotals } from '../../test/fixtures/today-totals.ts';
import { buildSnapshot, EMPTY_SLOW_INPUT } from './build-snapshot.ts';
import { attachLiveFeed, type LiveFeed } from './live-feed.ts';
import { applyDelta, CLOSE_UNAUTHORIZED, type ServerMessage } from '../wire/live-protocol.ts';
import type { LiveSnapshot } from '../wire/live-snapshot.ts';
import { createTokenCheck } from './token-check.ts';

const WALL_TOKEN = 'wall-secret-token-0123456789';
const API_TOKEN = 'analyst-secret-token-0123456789';

function snapshot(pv: number): LiveSnapshot {
  return buildSnapshot(
    {
      now: Date.UTC(2026, 10, 11, 12, 0, 0) + pv * 1000,
      timeZone: 'UTC',
      today: makeTodayTotals({ pv, uv: 1 }, { visitorsLast5Minutes: 1 }),
      traffic: [],
      recentSeconds: [],
      topProducts: [],
      hourly: [],
      orders: [],
      lastEventAt: null,
    },
    EMPTY_SLOW_INPUT,
  );
}

let server: Server;
let feed: LiveFeed;
let url: string;
let pv = 0;
let failNext = false;
const logLines: string[] = [];

before(async () => {
  // Everything the feed logs, at the most verbose level.
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const log = pino({ level: 'trace' }, sink);
  server = createServer();
  feed = attachLiveFeed(server, {
    path: '/live',
    intervalMs: 50,
    computeSnapshot: async () => {
      if (failNext) {
        failNext = false;
        throw new Error('ClickHouse is down');
      }
      pv += 1;
      return snapshot(pv);
    },
    isAllowedToken: createTokenCheck([WALL_TOKEN, API_TOKEN]),
    log,
    stream: 'test-stream',
  });
  feed.start();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/live`;
});
after(async () => {
  await feed.close();
  await new Promise((resolve) => server.close(resolve));
});

/** A client that records every message and how the socket closed. */
function connect(hello?: unknown, to = url) {
  const ws = new WebSocket(to);
  const messages: ServerMessage[] = [];
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code) => resolve({ code })));
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      if (hello !== undefined) ws.send(typeof hello === 'string' ? hello : JSON.stringify(hello));
      resolve();
    });
    ws.once('error', reject);
  });
  return { ws, messages, closed, opened };
}

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('live feed', () => {
  test('the wall token gets a snapshot, then deltas whose base is the previous seq; applying them tracks the server', async () => {
    const client = connect({ type: 'hello', token: WALL_TOKEN });
    await until(() => client.messages.length >= 6);
    client.ws.close();
    const [first, ...rest] = client.messages;
    assert.equal(first?.type, 'snapshot');
    assert.equal(first.stream, 'test-stream');
    let data = first.data;
    let seq = first.seq;
    for (const m of rest) {
      assert.equal(m.type, 'delta');
      assert.equal(m.base, seq);
      assert.equal(m.seq, seq + 1);
      data = applyDelta(data, m);
      seq = m.seq;
    }
    // The server's pv counts snapshots computed: the applied state is the latest one.
    assert.equal(data.today.pv, seq);
    assert.deepEqual(data, snapshot(seq));
  });

  test('the analyst token opens /live too', async () => {
    const client = connect({ type: 'hello', token: API_TOKEN });
    await until(() => client.messages.length >= 1);
    client.ws.close();
    assert.equal(client.messages[0]?.type, 'snapshot');
  });

  test('a resync request answers with a full snapshot at the current seq', async () => {
    const client = connect({ type: 'hello', token: WALL_TOKEN });
    await until(() => client.messages.length >= 2);
    client.ws.send(JSON.stringify({ type: 'resync' }));
    await until(() => client.messages.filter((m) => m.type === 'snapshot').length >= 2);
    client.ws.close();
    const snapshots = client.messages.filter((m) => m.type === 'snapshot');
    assert.ok(snapshots[1]!.seq > snapshots[0]!.seq);
  });

  test('a failed computation sends a heartbeat, and the next delta still chains', async () => {
    const client = connect({ type: 'hello', token: WALL_TOKEN });
    await until(() => client.messages.length >= 2);
    failNext = true;
    await until(() => client.messages.some((m) => m.type === 'heartbeat') && client.messages.at(-1)?.type === 'delta');
    client.ws.close();
    const i = client.messages.findIndex((m) => m.type === 'heartbeat');
    const beat = client.messages[i]!;
    const next = client.messages.slice(i + 1).find((m) => m.type === 'delta');
    assert.ok(next && next.type === 'delta');
    assert.equal(next.base, beat.seq);
  });

  test('a wrong token, a missing hello and a malformed first message are refused with 4401/4400 and get no data', async () => {
    const wrong = connect({ type: 'hello', token: 'not-the-token-0123456789' });
    const noHello = connect({ type: 'resync' });
    const garbage = connect('{not json');
    assert.equal((await wrong.closed).code, CLOSE_UNAUTHORIZED);
    assert.equal((await noHello.closed).code, CLOSE_UNAUTHORIZED);
    assert.equal((await garbage.closed).code, 4400);
    for (const c of [wrong, noHello, garbage]) assert.deepEqual(c.messages, []);
  });

  test('a client that never says hello is closed after the time limit, not before', async () => {
    // On a feed of its own with a short limit (AUTH_TIMEOUT_MS in production).
    const quiet = createServer();
    const limitMs = 300;
    const own = attachLiveFeed(quiet, {
      path: '/live',
      intervalMs: 50,
      authTimeoutMs: limitMs,
      computeSnapshot: async () => snapshot(1),
      isAllowedToken: createTokenCheck([WALL_TOKEN]),
      log: pino({ level: 'silent' }),
    });
    await new Promise<void>((resolve) => quiet.listen(0, '127.0.0.1', resolve));
    try {
      const silent = connect(undefined, `ws://127.0.0.1:${(quiet.address() as { port: number }).port}/live`);
      await silent.opened;
      const started = Date.now();
      assert.equal((await silent.closed).code, CLOSE_UNAUTHORIZED);
      // A lower bound only: a busy machine closes it later, never earlier.
      assert.ok(Date.now() - started >= limitMs - 20, `closed after ${Date.now() - started} ms`);
      assert.deepEqual(silent.messages, []);
    } finally {
      await own.close();
      await new Promise((resolve) => quiet.close(resolve));
    }
  });

  test('no log line contains a token, right or wrong', () => {
    assert.ok(logLines.length > 0, 'the feed logged nothing at trace level');
    const all = logLines.join('');
    assert.doesNotMatch(all, /wall-secret-token|analyst-secret-token|not-the-token/);
    assert.match(all, /wrong or missing token/);
  });
});
