// WebSocket /live: one snapshot computed per interval, shared by every
// client (the cost does not grow with the number of screens).
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { WebSocket, WebSocketServer } from 'ws';
import type { LiveSnapshot } from './snapshot.ts';

export interface LiveFeed {
  clients(): number;
  close(): Promise<void>;
}

/** A screen that cannot keep up is skipped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;
const PING_INTERVAL_MS = 30_000;

export function attachLiveFeed(
  server: Server,
  options: { path: string; intervalMs: number; computeSnapshot: () => Promise<LiveSnapshot>; log: FastifyBaseLogger },
): LiveFeed {
  const log = options.log.child({ component: 'live-feed' });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const alive = new WeakMap<WebSocket, boolean>();
  let last: string | undefined;
  let computing = false;

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname !== options.path) return; // other upgrade handlers may own it
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', (err) => log.debug({ err }, 'live client error'));
    if (last) ws.send(last);
  });

  async function tick(): Promise<void> {
    if (computing || wss.clients.size === 0) return;
    computing = true;
    try {
      last = JSON.stringify(await options.computeSnapshot());
      for (const ws of wss.clients) {
        if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount < MAX_BUFFERED_BYTES) ws.send(last);
      }
    } catch (err) {
      log.warn({ err }, 'could not compute live snapshot');
    } finally {
      computing = false;
    }
  }

  const ticker = setInterval(() => void tick(), options.intervalMs);
  // TVs on Wi-Fi vanish without closing; ping them and drop the silent ones.
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_INTERVAL_MS);

  return {
    clients: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(ticker);
        clearInterval(pinger);
        server.off('upgrade', onUpgrade);
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}
