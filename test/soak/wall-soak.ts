// Soak run of the wall (not part of npm test):
//
//   npm run soak -- --minutes 30 [--sample-s 60] [--warmup-min 5]
//
// Starts the whole stack with demo traffic (its own topic, consumer group and
// ClickHouse data under a temporary directory; a local Kafka broker unless
// KAFKA_BROKERS is set), opens the kiosk URL in a real Chromium at 1920×1080,
// and samples the page's JS heap (after a forced GC) and DOM node count. At
// half time it stops and restarts the server on the same port without
// touching the page. Passes when, after the warm-up, heap and DOM nodes grow
// by less than 10 %, the page never reloaded, it reconnected after the
// restart and then stayed on one socket (no reconnect loop).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readApiConfig } from '../../api/config.ts';
import { readCollectorConfig } from '../../collector/config.ts';
import { ensureBuilt } from '../../infra/all-in-one/build.ts';
import { readEnginesConfig, type EnginesConfig } from '../../infra/config.ts';
import { startLocalKafka, type LocalKafka } from '../../infra/kafka/local-broker.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { startStack, type RunningStack } from '../../infra/all-in-one/stack.ts';
import { readProcessorConfig } from '../../stream-processor/config.ts';
import { launchChromium } from '../helpers/browser.ts';

const GROWTH_LIMIT = 0.1;
/** Sockets the page may open while the server is down and coming back (full-jitter backoff, ~10 s outage). */
const MAX_RECONNECT_SOCKETS = 20;

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    'sample-s': { type: 'string', default: '60' },
    'warmup-min': { type: 'string', default: '' },
    'events-per-second': { type: 'string', default: '40' },
  },
});
const minutes = Number(args.minutes);
const sampleMs = Number(args['sample-s']) * 1000;
// Default warm-up: a sixth of the run, at least one sample and at most 5 minutes.
const warmupMs = args['warmup-min'] ? Number(args['warmup-min']) * 60_000 : Math.min(5 * 60_000, Math.max(sampleMs, (minutes * 60_000) / 6));
if (!(minutes > 0 && sampleMs > 0 && warmupMs >= 0 && warmupMs < minutes * 60_000)) {
  console.error('usage: npm run soak -- --minutes N [--sample-s S] [--warmup-min W]  (W < N)');
  process.exit(2);
}

interface Sample {
  atS: number;
  heapMiB: number;
  nodes: number;
  listeners: number;
  state: string;
  seq: number;
  sockets: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<boolean> {
  const scratch = mkdtempSync(join(tmpdir(), 'shoppulse-soak-'));
  const log = createRootLogger({ name: 'soak', level: 'warn' });
  let kafka: LocalKafka | undefined;
  let stack: RunningStack | undefined;
  const browser = await launchChromium();
  try {
    if (await ensureBuilt()) console.log('built the big screen');
    const base = readEnginesConfig();
    let brokers = base.kafka.brokers;
    if (!brokers) {
      kafka = await startLocalKafka({ dataDir: join(scratch, 'kafka'), port: 0, log });
      brokers = kafka.brokers;
    }
    const suffix = randomUUID().slice(0, 8);
    const engines: EnginesConfig = {
      ...base,
      kafka: { ...base.kafka, brokers, rawTopic: `soak.${suffix}.raw`, failedTopic: `soak.${suffix}.failed`, consumerGroup: `soak-${suffix}` },
      dataDir: join(scratch, 'data'),
      logLevel: 'warn',
    };
    const port = await freePort();
    const wallToken = randomBytes(18).toString('base64url');
    const start = () =>
      startStack({
        engines,
        collector: readCollectorConfig({}),
        listen: { port, host: '127.0.0.1' },
        processor: readProcessorConfig({}),
        api: { ...readApiConfig({}), apiToken: randomBytes(18).toString('base64url'), wallToken },
        demo: { enabled: true, eventsPerSecond: Number(args['events-per-second']) },
        log,
      });
    stack = await start();

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    let sockets = 0;
    let loads = 0;
    const errors: string[] = [];
    page.on('websocket', () => {
      sockets += 1;
    });
    page.on('load', () => {
      loads += 1;
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${stack.url}/#token=${wallToken}`);
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 30_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');

    const startedAt = Date.now();
    const endAt = startedAt + minutes * 60_000;
    const restartAt = startedAt + (minutes * 60_000) / 2;
    const samples: Sample[] = [];
    let restart: { atS: number; socketsBefore: number; socketsWhenLive: number; downS: number; backLiveS: number } | undefined;

    console.log(`soak: ${minutes} min, a sample every ${sampleMs / 1000} s, warm-up ${(warmupMs / 60_000).toFixed(1)} min, server restart at ${(minutes / 2).toFixed(1)} min`);
    console.log('   t(s)  heap(MiB)  DOM nodes  listeners  state        seq  sockets');
    async function sample(): Promise<void> {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
      const view = await page.evaluate(() => ({
        state: document.getElementById('connection')?.dataset.state ?? '',
        seq: Number(document.getElementById('stage')?.dataset.seq ?? 0),
      }));
      const s: Sample = {
        atS: Math.round((Date.now() - startedAt) / 1000),
        heapMiB: metric('JSHeapUsedSize') / 2 ** 20,
        nodes: metric('Nodes'),
        listeners: metric('JSEventListeners'),
        state: view.state,
        seq: view.seq,
        sockets,
      };
      samples.push(s);
      console.log(
        `${String(s.atS).padStart(7)}  ${s.heapMiB.toFixed(2).padStart(9)}  ${String(s.nodes).padStart(9)}  ${String(s.listeners).padStart(9)}  ${s.state.padEnd(11)} ${String(s.seq).padStart(5)}  ${String(s.sockets).padStart(7)}`,
      );
    }

    await sample();
    let nextSampleAt = startedAt + sampleMs;
    while (Date.now() < endAt) {
      if (!restart && Date.now() >= restartAt) {
        const atS = Math.round((Date.now() - startedAt) / 1000);
        const socketsBefore = sockets;
        const downAt = Date.now();
        console.log(`${String(atS).padStart(7)}  -- stopping the server`);
        await stack.stop();
        stack = undefined;
        await sleep(5_000);
        stack = await start();
        const downS = (Date.now() - downAt) / 1000;
        console.log(`${String(Math.round((Date.now() - startedAt) / 1000)).padStart(7)}  -- server back after ${downS.toFixed(1)} s`);
        await page.locator('#connection[data-state="live"]').waitFor({ timeout: 60_000 });
        restart = { atS, socketsBefore, socketsWhenLive: sockets, downS, backLiveS: (Date.now() - downAt) / 1000 };
        console.log(`${String(Math.round((Date.now() - startedAt) / 1000)).padStart(7)}  -- wall live again after ${restart.backLiveS.toFixed(1)} s, ${sockets - socketsBefore} socket(s) opened`);
      }
      if (Date.now() >= nextSampleAt) {
        await sample();
        nextSampleAt += sampleMs;
      }
      await sleep(500);
    }
    await sample();

    // Verdict.
    const afterWarmup = samples.filter((s) => s.atS * 1000 >= warmupMs);
    const baseline = afterWarmup.slice(0, 2);
    const tail = afterWarmup.slice(-3);
    const heapGrowth = median(tail.map((s) => s.heapMiB)) / median(baseline.map((s) => s.heapMiB)) - 1;
    const nodeGrowth = median(tail.map((s) => s.nodes)) / median(baseline.map((s) => s.nodes)) - 1;
    const last = samples[samples.length - 1]!;
    const reconnectSockets = restart ? restart.socketsWhenLive - restart.socketsBefore : Number.NaN;
    const socketsAfterLive = restart ? last.sockets - restart.socketsWhenLive : Number.NaN;
    const afterRestart = samples.filter((s) => restart !== undefined && s.atS > restart.atS);
    const checks: Array<[string, boolean, string]> = [
      ['enough samples after the warm-up', afterWarmup.length >= 3, `${afterWarmup.length} samples`],
      ['JS heap growth < 10 % after the warm-up', heapGrowth < GROWTH_LIMIT, `${median(baseline.map((s) => s.heapMiB)).toFixed(2)} → ${median(tail.map((s) => s.heapMiB)).toFixed(2)} MiB (${pct(heapGrowth)})`],
      ['DOM nodes growth < 10 % after the warm-up', nodeGrowth < GROWTH_LIMIT, `${median(baseline.map((s) => s.nodes))} → ${median(tail.map((s) => s.nodes))} (${pct(nodeGrowth)})`],
      ['the page never reloaded', loads === 1, `${loads} load(s)`],
      ['reconnected after the restart', restart !== undefined && last.state === 'live', restart ? `live ${restart.backLiveS.toFixed(1)} s after the stop` : 'no restart'],
      ['no reconnect loop', reconnectSockets >= 1 && reconnectSockets <= MAX_RECONNECT_SOCKETS && socketsAfterLive === 0, `${reconnectSockets} socket(s) to come back, ${socketsAfterLive} after`],
      ['data kept flowing after the restart', afterRestart.length >= 2 && last.seq > afterRestart[0]!.seq, `seq ${afterRestart[0]?.seq ?? '—'} → ${last.seq} after it`],
      ['no page errors', errors.length === 0, errors.slice(0, 3).join(' | ') || 'none'],
    ];
    console.log('');
    for (const [name, ok, detail] of checks) console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
    const passed = checks.every(([, ok]) => ok);
    console.log(passed ? '\nsoak: PASS' : '\nsoak: FAIL');
    return passed;
  } finally {
    await browser.close();
    await stack?.stop();
    await kafka?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (passed) => process.exit(passed ? 0 : 1),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
