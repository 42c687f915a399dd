// WebSocket /live: one snapshot computed per interval and shared by every
// client (the cost does not grow with the number of screens). A client sends
// {"type":"hello","token":…} first; once the token checks out it gets the
// newest snapshot whole, then one delta per interval (live-protocol.ts).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import {
  AUTH_TIMEOUT_MS,
  CLOSE_BAD_MESSAGE,
  CLOSE_UNAUTHORIZED,
  diffSnapshots,
  parseClientMessage,
  type DeltaMessage,
  type HeartbeatMessage,
  type SnapshotMessage,
} from '../wire/live-protocol.ts';
import type { LiveSnapshot } from '../wire/live-snapshot.ts';

export interface LiveFeed {
  /** Starts the snapshot ticks and pings (the API starts it once it listens; nothing runs before). */
  start(): void;
  /** authenticated clients */
  clients(): number;
  close(): Promise<void>;
}

export interface LiveFeedOptions {
  path: string;
  intervalMs: number;
  computeSnapshot: () => Promise<LiveSnapshot>;
  /** the wall token or the analyst token */
  isAllowedToken: (token: string) => boolean;
  log: FastifyBaseLogger;
  /** identifies this server run in every message; default a random UUID */
  stream?: string;
  /** how long a connection may stay without a valid hello; default AUTH_TIMEOUT_MS */
  authTimeoutMs?: number;
}

/** A screen that cannot keep up is skipped rather than buffered without bound; it gets a full snapshot once it drains. */
const MAX_BUFFERED_BYTES = 1 << 20;
const PING_INTERVAL_MS = 30_000;

export function attachLiveFeed(server: Server, options: LiveFeedOptions): LiveFeed {
  const log = options.log.child({ component: 'live-feed' });
  const stream = options.stream ?? randomUUID();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const alive = new WeakMap<WebSocket, boolean>();
  const authed = new Set<WebSocket>();
  /** Authenticated clients whose next message must be a full snapshot (new, resync, or skipped). */
  const needsFull = new WeakSet<WebSocket>();
  let current: { seq: number; snapshot: LiveSnapshot; fullText?: string } | undefined;
  let computing = false;

  function fullText(): string | undefined {
    if (!current) return undefined;
    const message: SnapshotMessage = { type: 'snapshot', stream, seq: current.seq, data: current.snapshot };
    current.fullText ??= JSON.stringify(message);
    return current.fullText;
  }

  function sendFullOrLater(ws: WebSocket): void {
    const text = fullText();
    if (text && ws.readyState === WebSocket.OPEN) {
      needsFull.delete(ws);
      ws.send(text);
    } else {
      needsFull.add(ws); // the first tick sends it
    }
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname !== options.path) return; // other upgrade handlers may own it
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', (err) => log.debug({ err }, 'live client error'));
    const authTimer = setTimeout(() => {
      log.info('live client refused: no hello within the time limit');
      ws.close(CLOSE_UNAUTHORIZED, 'unauthorized');
    }, options.authTimeoutMs ?? AUTH_TIMEOUT_MS);
    ws.on('close', () => {
      clearTimeout(authTimer);
      authed.delete(ws);
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const message = isBinary ? null : parseClientMessage(data.toString());
      if (!message) {
        ws.close(CLOSE_BAD_MESSAGE, 'bad message');
        return;
      }
      if (!authed.has(ws)) {
        if (message.type !== 'hello' || !options.isAllowedToken(message.token)) {
          // The token itself is never logged, right or wrong.
          log.info('live client refused: wrong or missing token');
          ws.close(CLOSE_UNAUTHORIZED, 'unauthorized');
          return;
        }
        clearTimeout(authTimer);
        authed.add(ws);
        sendFullOrLater(ws);
        return;
      }
      if (message.type === 'resync') sendFullOrLater(ws);
    });
  });

  function broadcast(makeText: () => string): void {
    let text: string | undefined;
    for (const ws of authed) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount >= MAX_BUFFERED_BYTES) {
        needsFull.add(ws);
        continue;
      }
      if (needsFull.has(ws)) {
        sendFullOrLater(ws);
        continue;
      }
      text ??= makeText();
      ws.send(text);
    }
  }

  async function tick(): Promise<void> {
    if (computing || authed.size === 0) return;
    computing = true;
    try {
      const snapshot = await options.computeSnapshot();
      const previous = current;
      current = { seq: (previous?.seq ?? 0) + 1, snapshot };
      if (!previous) {
        broadcast(() => fullText() ?? '');
      } else {
        const delta: DeltaMessage = { type: 'delta', stream, seq: current.seq, base: previous.seq, ...diffSnapshots(previous.snapshot, snapshot) };
        broadcast(() => JSON.stringify(delta));
      }
    } catch (err) {
      log.warn({ err }, 'could not compute live snapshot');
      // Tell the screens the connection is fine and the data is not: they show
      // "stale" without reconnecting (which would not help).
      const heartbeat: HeartbeatMessage = { type: 'heartbeat', stream, seq: current?.seq ?? 0, at: Date.now() };
      const text = JSON.stringify(heartbeat);
      for (const ws of authed) if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount < MAX_BUFFERED_BYTES) ws.send(text);
    } finally {
      computing = false;
    }
  }

  let ticker: NodeJS.Timeout | undefined;
  let pinger: NodeJS.Timeout | undefined;
  function start(): void {
    if (ticker) return;
    ticker = setInterval(() => void tick(), options.intervalMs);
    // TVs on Wi-Fi vanish without closing; ping them and drop the silent ones.
    pinger = setInterval(() => {
      for (const ws of wss.clients) {
        if (alive.get(ws) === false) {
          ws.terminate();
          continue;
        }
        alive.set(ws, false);
        ws.ping();
      }
    }, PING_INTERVAL_MS);
  }

  return {
    start,
    clients: () => authed.size,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(ticker);
        clearInterval(pinger);
        server.off('upgrade', onUpgrade);
        for (const ws of wss.clients) ws.terminate();
        authed.clear();
        wss.close(() => resolve());
      }),
  };
}
