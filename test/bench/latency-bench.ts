// End-to-end latency: a beacon posted to the collector → the event counted in a
// /live snapshot, under a steady background load. The whole stack (as
// `npm start -- --no-demo` runs it) is a child process; this process sends the
// load and the markers and watches /live over a WebSocket like a big screen.
//
// Markers: every 200 ms one `favorite_add` of a visitor of its own, so the
// markers spread over the partitions like real traffic. The background has no
// favourites, so /live's today.favorites counts exactly the markers. The
// processor inserts one batch at a time, in order, so the markers become
// visible in the order of their inserted_at (read back from ClickHouse): a
// marker that is the k-th inserted is on /live from the first snapshot with
// today.favorites ≥ k. Its latency is that snapshot's arrival here minus the
// marker's send time. Snapshots come once per LIVE_INTERVAL_MS (1 s), which
// bounds the resolution. As a second figure, every background event carries
// its send time (sent_at) and ClickHouse stamps inserted_at: "posted →
// stored" for every event.
import { join } from 'node:path';
import { connectLiveClient, type LiveClient } from '../../api/live/live-client.ts';
import { readApiConfig } from '../../api/config.ts';
import { readProcessorConfig } from '../../stream-processor/config.ts';
import { COMPONENT, commonComponents, shortId, type BenchContext } from './lib/context.ts';
import { EVENTS_PER_BATCH, batchBody, makeEventPool, makeMarker } from './lib/events.ts';
import { apiSql } from '../helpers/api-sql.ts';
import { COLLECT_HEADERS, taggedLoad } from './lib/stack-client.ts';
import { median, percentile } from './lib/machine.ts';
import type { PacedResult } from './lib/paced.ts';
import { createMemorySampler, nextMessage, spawnTsChild, startCpuWindow, type CpuWindow } from './lib/proc.ts';

export interface LatencyBenchOptions {
  runs: number;
  durationS: number;
  warmupS: number;
  eventsPerS: number;
  markerEveryMs: number;
}

export interface LatencyRun {
  markers: number;
  /** markers not answered 2xx, not stored, or not on /live within the grace period after the load */
  lost: number;
  liveP50Ms: number;
  liveP99Ms: number;
  liveMaxMs: number;
  /** background events: inserted_at − sent_at */
  storedP50Ms: number;
  storedP99Ms: number;
  storedEvents: number;
  /** stored p50 per 5 s of the run by send time: rising = the pipeline fell behind the load */
  storedTrend: Array<{ fromS: number; p50Ms: number }>;
  /** stored p50/p99 per Kafka partition: one lagging partition shows here */
  storedByPartition: Array<{ partition: number; events: number; p50Ms: number; p99Ms: number }>;
  load: PacedResult;
  /** mean gap between /live snapshots during the run */
  snapshotGapMs: number;
  cpu: CpuWindow;
}

export interface LatencyResult {
  options: LatencyBenchOptions;
  runs: LatencyRun[];
  median: { liveP50Ms: number; liveP99Ms: number; storedP50Ms: number; storedP99Ms: number; achievedEventsPerS: number; postP99Ms: number };
  /** settings of the stack under test (the defaults, as the test stack uses them) */
  settings: { maxBatchRows: number; flushIntervalMs: number; liveIntervalMs: number };
  /** all markers of all runs together */
  pooled: { markers: number; liveP50Ms: number; liveP99Ms: number };
  memoryMb: Record<string, number>;
  /**
   * SIGTERM → exit of the whole stack right after the last run's load
   * (flushing, committing and closing everything); npm start exits 1 by
   * itself past 9 s. Absent in results from before it was measured.
   */
  stopMs?: number;
}

interface Snapshot {
  /** arrival here */
  atMs: number;
  favorites: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLatencyBench(ctx: BenchContext, options: LatencyBenchOptions): Promise<LatencyResult> {
  const memory = createMemorySampler();
  for (const [name, pid] of Object.entries(commonComponents(ctx, true))) memory.watch(name, pid, false);
  ctx.say('latency: starting the whole stack (collector, processor, chDB, API)');
  const stack = spawnTsChild(COMPONENT.stack, join(ctx.repoRoot, 'test', 'bench', 'children', 'stack.ts'), {
    cwd: ctx.repoRoot,
    logFile: join(ctx.workDir, 'stack.log'),
    ipc: true,
    env: { ...process.env, KAFKA_BROKERS: ctx.brokers.join(','), LOG_LEVEL: 'warn', NODE_ENV: 'production' },
  });
  let ws: LiveClient | undefined;
  try {
    const { url, token } = await nextMessage<{ type: 'ready'; url: string; token: string }>(stack, 'ready', 180_000);
    memory.watch(COMPONENT.stack, stack.pid, true);

    const snapshots: Snapshot[] = [];
    ws = await connectLiveClient({ url: `${url.replace(/^http/, 'ws')}/live`, token, keep: 1, onSnapshot: (snapshot) => snapshots.push({ atMs: Date.now(), favorites: snapshot.today.favorites }) });
    const sql = apiSql(url, token);
    const background = taggedLoad(url, makeEventPool(20_000, { seed: 3, without: ['favorite_add'] }), options.eventsPerS);

    ctx.say(`latency: warming up for ${options.warmupS} s at ${options.eventsPerS} events/s`);
    await background('warmup', options.warmupS);

    let markerSeq = 0;
    const allMarkerLatencies: number[] = [];
    const runs: LatencyRun[] = [];
    const components = { ...commonComponents(ctx, true), [COMPONENT.stack]: stack.pid };
    for (let i = 0; i < options.runs; i++) {
      const tag = `run-${shortId()}`;
      const window = startCpuWindow(components);
      const runStartedMs = Date.now();
      const firstSnapshot = snapshots.length;
      const markers: Array<{ seq: number; sentMs: number; ok: boolean }> = [];
      let loadDone = false;
      const loadPromise = background(tag, options.durationS).finally(() => (loadDone = true));
      // Markers, one at a time on their own schedule.
      const markerLoop = (async () => {
        const started = Date.now();
        for (let k = 0; !loadDone; k++) {
          await sleep(Math.max(0, started + k * options.markerEveryMs - Date.now()));
          if (loadDone) break;
          const seq = ++markerSeq;
          const sentMs = Date.now();
          const body = batchBody([makeMarker(seq, sentMs, tag)]);
          const response = await fetch(`${url}/collect`, { method: 'POST', headers: COLLECT_HEADERS, body }).catch(() => undefined);
          await response?.arrayBuffer();
          markers.push({ seq, sentMs, ok: response?.ok === true });
        }
      })();
      const load = await loadPromise;
      await markerLoop;
      const cpu = window.end();

      // When was each marker inserted? Wait (bounded) until all are, and /live counts them all.
      // All markers of all runs are read: /live counts every favourite of the day.
      const markerQuery = `SELECT toUInt64(properties['bench_marker']) AS seq, toUnixTimestamp64Milli(inserted_at) AS ins
        FROM events WHERE type = 'favorite_add'`;
      const okSeqs = markers.filter((m) => m.ok).map((m) => m.seq);
      let inserted = new Map<number, number>();
      const graceUntil = Date.now() + 30_000;
      do {
        const rows = await sql<{ seq: number | string; ins: number | string }>(markerQuery);
        inserted = new Map(rows.map((r) => [Number(r.seq), Number(r.ins)]));
        if (okSeqs.every((seq) => inserted.has(seq))) break;
        await sleep(500);
      } while (Date.now() < graceUntil);
      const markerInserts = [...inserted.values()].sort((a, b) => a - b);
      while ((snapshots.at(-1)?.favorites ?? 0) < markerInserts.length && Date.now() < graceUntil + 5_000) await sleep(100);

      const runSnapshots = snapshots.slice(firstSnapshot);
      /** markers inserted at or before `ins`, in all runs: rows of one insert share its inserted_at and show together */
      const rankOf = (ins: number) => {
        let n = 0;
        while (n < markerInserts.length && (markerInserts[n] as number) <= ins) n++;
        return n;
      };
      const latencies: number[] = [];
      let lost = 0;
      for (const m of markers) {
        const ins = inserted.get(m.seq);
        const rank = ins === undefined ? Infinity : rankOf(ins);
        const seen = runSnapshots.find((s) => s.atMs >= m.sentMs && s.favorites >= rank);
        if (!m.ok || !seen) lost += 1;
        else latencies.push(seen.atMs - m.sentMs);
      }
      allMarkerLatencies.push(...latencies);
      const window_ = snapshots.slice(firstSnapshot);
      const snapshotGapMs = window_.length > 1 ? ((window_.at(-1) as Snapshot).atMs - (window_[0] as Snapshot).atMs) / (window_.length - 1) : NaN;

      // Posted → stored for every background event of the run.
      const expected = load.ok * EVENTS_PER_BATCH;
      const storedQuery = `SELECT count() AS n,
          quantileExact(0.5)(toUnixTimestamp64Milli(inserted_at) - toUnixTimestamp64Milli(sent_at)) AS p50,
          quantileExact(0.99)(toUnixTimestamp64Milli(inserted_at) - toUnixTimestamp64Milli(sent_at)) AS p99
        FROM events WHERE properties['bench_run'] = '${tag}' AND type != 'favorite_add'`;
      let stored = { n: 0, p50: NaN, p99: NaN };
      const storedUntil = Date.now() + 30_000;
      do {
        const [row] = await sql<{ n: number | string; p50: number | string; p99: number | string }>(storedQuery);
        stored = { n: Number(row?.n ?? 0), p50: Number(row?.p50), p99: Number(row?.p99) };
        if (stored.n >= expected) break;
        await sleep(500);
      } while (Date.now() < storedUntil);

      const trendRows = await sql<{ bucket: number | string; p50: number | string }>(
        `SELECT intDiv(toUnixTimestamp64Milli(sent_at) - ${runStartedMs}, 5000) AS bucket,
           quantileExact(0.5)(toUnixTimestamp64Milli(inserted_at) - toUnixTimestamp64Milli(sent_at)) AS p50
         FROM events WHERE properties['bench_run'] = '${tag}' AND type != 'favorite_add' GROUP BY bucket ORDER BY bucket`,
      );
      const storedTrend = trendRows.map((r) => ({ fromS: Number(r.bucket) * 5, p50Ms: Number(r.p50) }));
      const partitionRows = await sql<{ partition: number | string; n: number | string; p50: number | string; p99: number | string }>(
        `SELECT kafka_partition AS partition, count() AS n,
           quantileExact(0.5)(toUnixTimestamp64Milli(inserted_at) - toUnixTimestamp64Milli(sent_at)) AS p50,
           quantileExact(0.99)(toUnixTimestamp64Milli(inserted_at) - toUnixTimestamp64Milli(sent_at)) AS p99
         FROM events WHERE properties['bench_run'] = '${tag}' AND type != 'favorite_add' GROUP BY partition ORDER BY partition`,
      );
      const storedByPartition = partitionRows.map((r) => ({
        partition: Number(r.partition),
        events: Number(r.n),
        p50Ms: Number(r.p50),
        p99Ms: Number(r.p99),
      }));

      const run: LatencyRun = {
        markers: markers.length,
        lost,
        liveP50Ms: percentile(latencies, 0.5),
        liveP99Ms: percentile(latencies, 0.99),
        liveMaxMs: Math.max(0, ...latencies),
        storedP50Ms: stored.p50,
        storedP99Ms: stored.p99,
        storedEvents: stored.n,
        storedTrend,
        storedByPartition,
        load,
        snapshotGapMs,
        cpu,
      };
      runs.push(run);
      ctx.say(
        `latency: run ${i + 1}/${options.runs}: /live p50 ${run.liveP50Ms} ms, p99 ${run.liveP99Ms} ms over ${latencies.length} markers ` +
          `(${lost} lost); stored p50 ${run.storedP50Ms} ms, p99 ${run.storedP99Ms} ms over ${stored.n}/${expected} events; ` +
          `load ${Math.round(load.achievedPerS * EVENTS_PER_BATCH)} events/s, POST p99 ${Math.round(load.latencyMs.p99)} ms; ` +
          `stored p50/p99 (events) by partition: ${storedByPartition.map((p) => `${p.partition}: ${p.p50Ms}/${p.p99Ms} (${p.events})`).join(', ')}; ` +
          `trend ${storedTrend.map((t) => t.p50Ms).join(' → ')}`,
      );
      if (i + 1 < options.runs) await sleep(3000);
    }
    memory.unwatch(COMPONENT.stack);
    const result: LatencyResult = {
      options,
      runs,
      median: {
        liveP50Ms: median(runs.map((r) => r.liveP50Ms)),
        liveP99Ms: median(runs.map((r) => r.liveP99Ms)),
        storedP50Ms: median(runs.map((r) => r.storedP50Ms)),
        storedP99Ms: median(runs.map((r) => r.storedP99Ms)),
        achievedEventsPerS: median(runs.map((r) => r.load.achievedPerS * EVENTS_PER_BATCH)),
        postP99Ms: median(runs.map((r) => r.load.latencyMs.p99)),
      },
      settings: {
        maxBatchRows: readProcessorConfig({}).maxBatchRows,
        flushIntervalMs: readProcessorConfig({}).flushIntervalMs,
        liveIntervalMs: readApiConfig({}).liveIntervalMs,
      },
      pooled: {
        markers: allMarkerLatencies.length,
        liveP50Ms: percentile(allMarkerLatencies, 0.5),
        liveP99Ms: percentile(allMarkerLatencies, 0.99),
      },
      memoryMb: Object.fromEntries(memory.stop()),
    };
    ws?.close();
    ctx.say('latency: stopping the stack (SIGTERM), timed');
    const stopStarted = Date.now();
    await stack.stop(20_000);
    result.stopMs = Date.now() - stopStarted;
    return result;
  } finally {
    ws?.close();
    memory.stop();
    await stack.stop(20_000);
  }
}
