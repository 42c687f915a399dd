// Workload isolation: the whole stack (as `npm start -- --no-demo` runs it,
// with the default workload policy of this machine) under a steady load
// through the collector with a wall connected over /live, measured in phases
// side by side: quiet, (a) four heavy ad-hoc queries in a loop, (b) every
// job in a loop, (c) both, then quiet again. Each phase reports the largest
// gap between /live snapshots, beacon → stored p50/p99 (inserted_at −
// sent_at of that phase's events) and the stack's peak RSS, each also as a
// ratio to the first quiet phase of the same run.
import { join } from 'node:path';
import { connectLiveClient, type LiveClient } from '../../api/live/live-client.ts';
import { readEnginesConfig } from '../../infra/config.ts';
import { COMPONENT, commonComponents, shortId, type BenchContext } from './lib/context.ts';
import { EVENTS_PER_BATCH, makeEventPool } from './lib/events.ts';
import { apiSql } from '../helpers/api-sql.ts';
import { taggedLoad } from './lib/stack-client.ts';
import { createMemorySampler, nextMessage, spawnTsChild, startCpuWindow, type CpuWindow } from './lib/proc.ts';

export interface IsolationBenchOptions {
  /** seconds of load per phase */
  phaseS: number;
  eventsPerS: number;
  /** heavy ad-hoc queries running at once in the sql phases */
  heavyQueries: number;
  /** synthetic events stored before the phases (the endpoint benchmark's traffic); 0 = an empty shop */
  storedEvents: number;
}

export const ISOLATION_PHASES = ['quiet', 'sql', 'jobs', 'both', 'quiet-after'] as const;
export type IsolationPhaseName = (typeof ISOLATION_PHASES)[number];

export interface IsolationPhase {
  name: IsolationPhaseName;
  /** largest time between two /live snapshots arriving here */
  maxSnapshotGapMs: number;
  snapshots: number;
  storedP50Ms: number;
  storedP99Ms: number;
  storedEvents: number;
  expectedEvents: number;
  /** largest RSS of the stack process sampled during the phase */
  peakRssMb: number;
  /** /api/sql answers by status during the phase */
  sqlAnswers: Record<string, number>;
  /** job runs finished during the phase, and those that failed */
  jobRuns: number;
  jobFailures: number;
  /** "<job>: <last_error>" of each failed run (absent in older results) */
  jobErrors?: string[];
}

export interface IsolationResult {
  options: IsolationBenchOptions;
  phases: IsolationPhase[];
  /** each phase against the first quiet one */
  ratios: Array<{ name: IsolationPhaseName; maxSnapshotGap: number; storedP99: number; peakRss: number }>;
  /** the policy the stack ran with */
  policy: { memoryBudgetMb: number; analystConcurrency: number; analystQueue: number };
  /** CPU over all phases */
  cpu: CpuWindow;
}

/**
 * Two of the heavy queries hash until the analyst class's time limit stops
 * them; the others build a large array until its memory limit does.
 */
const HEAVY_SQL = [
  'SELECT sum(sipHash64(number)) AS s FROM numbers(999999999)',
  'SELECT length(groupArray(number)) AS n FROM numbers(999999999)',
];
const JOBS = ['rfm', 'clusters', 'item-similarity', 'association-rules'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runIsolationBench(ctx: BenchContext, options: IsolationBenchOptions): Promise<IsolationResult> {
  ctx.say('isolation: starting the whole stack (collector, processor, chDB, API)');
  const stack = spawnTsChild(COMPONENT.stack, join(ctx.repoRoot, 'test', 'bench', 'children', 'stack.ts'), {
    cwd: ctx.repoRoot,
    logFile: join(ctx.workDir, 'isolation-stack.log'),
    ipc: true,
    env: { ...process.env, KAFKA_BROKERS: ctx.brokers.join(','), LOG_LEVEL: 'warn', NODE_ENV: 'production', STORED_EVENTS: String(options.storedEvents) },
  });
  stack.proc.on('message', (m: { type?: string; message?: string }) => {
    if (m.type === 'progress' && m.message) ctx.say(`isolation: ${m.message}`);
  });
  let ws: LiveClient | undefined;
  try {
    // Loading runs at ≥ 50,000 events/s even on a busy 2-core machine.
    const { url, token } = await nextMessage<{ type: 'ready'; url: string; token: string }>(stack, 'ready', 180_000 + 1_200_000 + options.storedEvents / 50);
    const arrivals: number[] = [];
    ws = await connectLiveClient({ url: `${url.replace(/^http/, 'ws')}/live`, token, keep: 1, onSnapshot: () => arrivals.push(Date.now()) });
    const auth = { authorization: `Bearer ${token}` };
    const sql = apiSql(url, token);
    const background = taggedLoad(url, makeEventPool(20_000, { seed: 5 }), options.eventsPerS);
    ctx.say(`isolation: warming up for 10 s at ${options.eventsPerS} events/s`);
    await background('warmup', 10);

    const phases: IsolationPhase[] = [];
    let nextJob = 0;
    const window = startCpuWindow({ ...commonComponents(ctx, true), [COMPONENT.stack]: stack.pid });
    for (const name of ISOLATION_PHASES) {
      const tag = `iso-${name}-${shortId()}`;
      const memory = createMemorySampler(100);
      memory.watch(COMPONENT.stack, stack.pid, false);
      const firstArrival = arrivals.length;
      const sqlAnswers: Record<string, number> = {};
      let jobRuns = 0;
      let jobFailures = 0;
      const jobErrors: string[] = [];
      let done = false;
      const heavy = name === 'sql' || name === 'both';
      const jobs = name === 'jobs' || name === 'both';
      const loops: Array<Promise<void>> = [];
      if (heavy) {
        for (let q = 0; q < options.heavyQueries; q++) {
          loops.push(
            (async () => {
              while (!done) {
                const response = await fetch(`${url}/api/sql`, {
                  method: 'POST',
                  headers: { ...auth, 'content-type': 'application/json' },
                  body: JSON.stringify({ sql: HEAVY_SQL[q % HEAVY_SQL.length] }),
                }).catch(() => undefined);
                await response?.arrayBuffer();
                const key = String(response?.status ?? 'network error');
                sqlAnswers[key] = (sqlAnswers[key] ?? 0) + 1;
                // A refused one comes back after its Retry-After, as a client should.
                if (response?.status === 429) await sleep(1000 * Number(response.headers.get('retry-after') ?? 1));
              }
            })(),
          );
        }
      }
      if (jobs) {
        loops.push(
          (async () => {
            // The jobs take turns across phases: a phase that ends in a long job leaves the next ones to the next phase.
            for (; !done; nextJob++) {
              const job = JOBS[nextJob % JOBS.length] ?? 'rfm';
              const response = await fetch(`${url}/api/jobs/${job}/run`, { method: 'POST', headers: auth }).catch(() => undefined);
              const body = (await response?.json().catch(() => undefined)) as { job?: { last_error: string | null } } | undefined;
              jobRuns += 1;
              if (!response?.ok || body?.job?.last_error) {
                jobFailures += 1;
                jobErrors.push(`${job}: ${body?.job?.last_error ?? `HTTP ${response?.status ?? 'network error'}`}`);
              }
            }
          })(),
        );
      }
      ctx.say(`isolation: phase ${name} for ${options.phaseS} s`);
      const load = await background(tag, options.phaseS);
      done = true;
      await Promise.all(loops);
      const peakRssMb = memory.stop().get(COMPONENT.stack) ?? NaN;
      const phaseArrivals = arrivals.slice(Math.max(0, firstArrival - 1));
      let maxGap = 0;
      for (let i = 1; i < phaseArrivals.length; i++) maxGap = Math.max(maxGap, (phaseArrivals[i] as number) - (phaseArrivals[i - 1] as number));

      const expected = load.ok * EVENTS_PER_BATCH;
      const storedQuery = `SELECT count() AS n,
          quantileExact(0.5)(toUnixTimestamp64Milli(inserted_at) - toUnixTimestamp64Milli(sent_at)) AS p50,
          quantileExact(0.99)(toUnixTimestamp64Milli(inserted_at) - toUnixTimestamp64Milli(sent_at)) AS p99
        FROM events WHERE properties['bench_run'] = '${tag}'`;
      let stored = { n: 0, p50: NaN, p99: NaN };
      const until = Date.now() + 60_000;
      do {
        const [row] = await sql<{ n: number | string; p50: number | string; p99: number | string }>(storedQuery);
        stored = { n: Number(row?.n ?? 0), p50: Number(row?.p50), p99: Number(row?.p99) };
        if (stored.n >= expected) break;
        await sleep(500);
      } while (Date.now() < until);
      const phase: IsolationPhase = {
        name,
        maxSnapshotGapMs: maxGap,
        snapshots: arrivals.length - firstArrival,
        storedP50Ms: stored.p50,
        storedP99Ms: stored.p99,
        storedEvents: stored.n,
        expectedEvents: expected,
        peakRssMb,
        sqlAnswers,
        jobRuns,
        jobFailures,
        jobErrors,
      };
      phases.push(phase);
      ctx.say(
        `isolation: ${name}: largest snapshot gap ${maxGap} ms over ${phase.snapshots} snapshots; stored p50 ${stored.p50} ms, p99 ${stored.p99} ms ` +
          `(${stored.n}/${expected} events); peak RSS ${peakRssMb} MiB; /api/sql ${JSON.stringify(sqlAnswers)}; jobs ${jobRuns} (${jobFailures} failed${jobErrors.length > 0 ? `: ${jobErrors.join('; ')}` : ''})`,
      );
      await sleep(3000);
    }
    const cpu = window.end();
    const quiet = phases[0] as IsolationPhase;
    const policy = readEnginesConfig().workload;
    return {
      options,
      phases,
      ratios: phases.map((p) => ({
        name: p.name,
        maxSnapshotGap: p.maxSnapshotGapMs / quiet.maxSnapshotGapMs,
        storedP99: p.storedP99Ms / quiet.storedP99Ms,
        peakRss: p.peakRssMb / quiet.peakRssMb,
      })),
      policy: {
        memoryBudgetMb: Math.round(policy.memoryBudgetBytes / 2 ** 20),
        analystConcurrency: policy.classes.analyst.concurrency,
        analystQueue: policy.classes.analyst.queueLength,
      },
      cpu,
    };
  } finally {
    ws?.close();
    await stack.stop(20_000);
  }
}
