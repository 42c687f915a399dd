// Processor throughput: drain a pre-filled raw topic of N events into
// ClickHouse with the real stream processor (startProcessor + embedded chDB,
// in a child process) against Kafka's own consumer benchmark
// (org.apache.kafka.tools.ConsumerPerformance, i.e. kafka-consumer-perf-test,
// from the broker's JARs) reading the same topic. Each run uses a fresh
// consumer group (and, for ours, a fresh ClickHouse), alternating who goes first.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_VERSION } from '../../infra/kafka/local-broker.ts';
import { PROCESSOR_NODE_FLAGS, readProcessorConfig } from '../../stream-processor/config.ts';
import type { DrainArgs, DrainPoint } from './children/processor-drain.ts';
import { COMPONENT, commonComponents, shortId, type BenchContext } from './lib/context.ts';
import { median } from './lib/machine.ts';
import { createMemorySampler, nextMessage, spawnChild, spawnTsChild, startCpuWindow, type CpuWindow } from './lib/proc.ts';

export interface ProcessorBenchOptions {
  events: number;
  /** most runs */
  runs: number;
  /** no further run is started once another would end past this many seconds of draining */
  budgetS: number;
}

export interface PrefillResult {
  events: number;
  /** Kafka records holding them (the collector's format 2: one per request and visitor) */
  records: number;
  ms: number;
  eventsPerS: number;
  cpu: CpuWindow;
}

export interface ProcessorRun {
  /** startProcessor() called → `events` holds N rows, group join included */
  totalMs: number;
  /** first rows visible → N rows: the sustained rate, comparable to the reference's fetch rate */
  sustainedEventsPerS: number;
  /** slowest 5 s stretch of the drain */
  slowest5sEventsPerS: number;
  inserts: number;
  /** mean rows per insert and time between inserts over the drain */
  rowsPerInsert: number;
  msPerInsert: number;
  cpu: CpuWindow;
}

export interface ReferenceRun {
  /** nMsg.sec × events per record: whole run including the group join */
  eventsPerS: number;
  /** fetch.nMsg.sec × events per record: excluding the join, comparable to our sustained rate */
  fetchEventsPerS: number;
  mbPerS: number;
  totalMs: number;
  cpu: CpuWindow;
}

export interface ProcessorResult {
  options: ProcessorBenchOptions;
  prefill: PrefillResult;
  ours: ProcessorRun[];
  reference: ReferenceRun[];
  median: { sustainedEventsPerS: number; totalEventsPerS: number; referenceEventsPerS: number; ratio: number };
  /** runs actually made (≤ options.runs, within options.budgetS) */
  runsMade: number;
  /** the processor's batching settings during the runs (production defaults) */
  batching: { maxBatchRows: number; flushIntervalMs: number };
  memoryMb: Record<string, number>;
}

const libsDir = (repoRoot: string) => join(repoRoot, '.cache', `kafka-${KAFKA_VERSION}`, 'libs');

function slowestWindow(timeline: DrainPoint[], windowMs: number): number {
  // Only between the first and the last row: the group join is not a drain rate.
  const points = timeline.filter((p) => p.rows > 0);
  let slowest = Infinity;
  for (let i = 0; i < points.length; i++) {
    const a = points[i] as DrainPoint;
    const b = points.find((p) => p.ms >= a.ms + windowMs);
    if (!b) break;
    slowest = Math.min(slowest, ((b.rows - a.rows) * 1000) / (b.ms - a.ms));
  }
  return Number.isFinite(slowest) ? slowest : NaN;
}

async function prefill(ctx: BenchContext, topic: string, events: number, memory: ReturnType<typeof createMemorySampler>): Promise<PrefillResult> {
  ctx.say(`processor: pre-filling ${topic} with ${events} events`);
  const child = spawnTsChild(COMPONENT.prefill, join(ctx.repoRoot, 'test', 'bench', 'children', 'prefill.ts'), {
    cwd: ctx.repoRoot,
    logFile: join(ctx.workDir, 'prefill.log'),
    ipc: true,
    arg: { brokers: ctx.brokers, topic, count: events },
  });
  memory.watch(COMPONENT.prefill, child.pid, true);
  const window = startCpuWindow({ ...commonComponents(ctx, false), [COMPONENT.prefill]: child.pid });
  try {
    const done = await nextMessage<{ type: 'done'; events: number; records: number; ms: number }>(child, 'done', Math.max(600_000, events * 2));
    const cpu = window.end();
    memory.unwatch(COMPONENT.prefill);
    if (done.events !== events) throw new Error(`the prefill produced ${done.events} events, ${events} were asked for`);
    return { events: done.events, records: done.records, ms: done.ms, eventsPerS: (done.events * 1000) / done.ms, cpu };
  } finally {
    await child.stop();
  }
}

async function runOurs(ctx: BenchContext, topic: string, events: number, run: number, memory: ReturnType<typeof createMemorySampler>): Promise<ProcessorRun> {
  const dataDir = join(ctx.workDir, `processor-${run}`);
  const args: DrainArgs = {
    brokers: ctx.brokers,
    topic,
    failedTopic: `${topic}.failed`,
    groupId: `bench-processor-${shortId()}`,
    dataDir,
    expected: events,
    pollMs: 250,
  };
  if (run === 0) ctx.createdTopics.push(args.failedTopic);
  const child = spawnTsChild(COMPONENT.processor, join(ctx.repoRoot, 'test', 'bench', 'children', 'processor-drain.ts'), {
    cwd: ctx.repoRoot,
    logFile: join(ctx.workDir, `processor-${run}.log`),
    ipc: true,
    arg: args,
    nodeArgs: [...PROCESSOR_NODE_FLAGS, ...ctx.measuredNodeArgs],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  try {
    await nextMessage(child, 'ready', 120_000);
    memory.watch(COMPONENT.processor, child.pid, true);
    const window = startCpuWindow({ ...commonComponents(ctx, false), [COMPONENT.processor]: child.pid });
    child.proc.send({ type: 'go' });
    let lastSaid = Date.now();
    child.proc.on('message', (m: { type?: string; rows?: number; ms?: number }) => {
      if (m.type !== 'progress' || Date.now() - lastSaid < 20_000) return;
      lastSaid = Date.now();
      ctx.say(`processor: ${m.rows ?? 0} of ${events} rows in ClickHouse after ${((m.ms ?? 0) / 1000).toFixed(0)} s`);
    });
    const done = await nextMessage<{ type: 'done'; timeline: DrainPoint[]; stats: { writer: { flushes: number } } }>(
      child,
      'done',
      Math.max(600_000, events), // ≥ 1,000 events/s or it is a failure anyway
    );
    const cpu = window.end();
    memory.unwatch(COMPONENT.processor);
    // It stops and exits by itself (writing its CPU profile under --cpu-prof); stop() below is for when it does not.
    await Promise.race([child.exited, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
    const last = done.timeline.at(-1) as DrainPoint;
    const first = done.timeline.find((p) => p.rows > 0) as DrainPoint;
    // Rows of the first insert landed at most one poll before `first`: count them from one poll earlier.
    const firstMs = Math.max(0, first.ms - 250);
    const inserts = Math.max(1, done.stats.writer.flushes);
    return {
      totalMs: last.ms,
      sustainedEventsPerS: (last.rows * 1000) / Math.max(1, last.ms - firstMs),
      slowest5sEventsPerS: slowestWindow(done.timeline, 5000),
      inserts: done.stats.writer.flushes,
      rowsPerInsert: last.rows / inserts,
      msPerInsert: (last.ms - firstMs) / inserts,
      cpu,
    };
  } finally {
    await child.stop(20_000);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function parseConsumerPerf(stdout: string): { recordsPerS: number; fetchRecordsPerS: number; mbPerS: number } {
  // A header line of comma-separated names, then one line of values.
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const headerIndex = lines.findIndex((l) => l.includes('nMsg.sec'));
  const header = lines[headerIndex]?.split(',').map((s) => s.trim()) ?? [];
  const values = lines[headerIndex + 1]?.split(',').map((s) => s.trim()) ?? [];
  const field = (name: string) => Number(values[header.indexOf(name)]);
  const result = { recordsPerS: field('nMsg.sec'), fetchRecordsPerS: field('fetch.nMsg.sec'), mbPerS: field('fetch.MB.sec') };
  if (!Number.isFinite(result.recordsPerS)) throw new Error(`could not read kafka-consumer-perf-test's output:\n${stdout}`);
  return result;
}

/** kafka-consumer-perf-test reads the `filled` records; its rates count records, scaled here to the events they hold. */
async function runReference(ctx: BenchContext, topic: string, filled: PrefillResult, run: number, memory: ReturnType<typeof createMemorySampler>): Promise<ReferenceRun> {
  const log4j = join(ctx.workDir, 'consumer-perf-log4j2.xml');
  writeFileSync(
    log4j,
    '<Configuration status="warn"><Appenders><Console name="err" target="SYSTEM_ERR"><PatternLayout pattern="%p %m%n"/></Console></Appenders>' +
      '<Loggers><Root level="warn"><AppenderRef ref="err"/></Root></Loggers></Configuration>\n',
  );
  const stdoutFile = join(ctx.workDir, `consumer-perf-${run}.out`);
  // kafka-consumer-perf-test.sh runs the same class with -Xmx512M.
  const child = spawnChild(
    COMPONENT.consumerPerf,
    'java',
    [
      '-Xmx512M',
      `-Dlog4j2.configurationFile=${log4j}`,
      '-cp',
      `${libsDir(ctx.repoRoot)}/*`,
      'org.apache.kafka.tools.ConsumerPerformance',
      '--bootstrap-server',
      ctx.brokers.join(','),
      '--topic',
      topic,
      '--messages',
      String(filled.records),
      '--group',
      `bench-ref-${shortId()}`,
      '--timeout',
      '60000',
    ],
    { logFile: stdoutFile },
  );
  memory.watch(COMPONENT.consumerPerf, child.pid, true);
  const window = startCpuWindow({ ...commonComponents(ctx, false), [COMPONENT.consumerPerf]: child.pid });
  const started = Date.now();
  // The sampler reads the JVM's VmHWM every 200 ms while it runs; it exits by itself after N messages.
  const timeout = setTimeout(() => void child.stop(), 600_000);
  const code = await child.exited;
  clearTimeout(timeout);
  const totalMs = Date.now() - started;
  const cpu = window.end();
  memory.unwatch(COMPONENT.consumerPerf);
  const out = readFileSync(stdoutFile, 'utf8');
  if (code !== 0) throw new Error(`kafka-consumer-perf-test exited with ${code}:\n${out}`);
  const perf = parseConsumerPerf(out);
  const eventsPerRecord = filled.events / filled.records;
  return { eventsPerS: perf.recordsPerS * eventsPerRecord, fetchEventsPerS: perf.fetchRecordsPerS * eventsPerRecord, mbPerS: perf.mbPerS, totalMs, cpu };
}

export async function runProcessorBench(ctx: BenchContext, options: ProcessorBenchOptions): Promise<ProcessorResult> {
  const topic = `bench.${shortId()}.processor.raw`;
  ctx.createdTopics.push(topic);
  mkdirSync(ctx.workDir, { recursive: true });
  const memory = createMemorySampler();
  for (const [name, pid] of Object.entries(commonComponents(ctx, false))) memory.watch(name, pid, false);
  try {
    const filled = await prefill(ctx, topic, options.events, memory);
    ctx.say(`processor: pre-filled ${filled.events} events in ${filled.records} records in ${(filled.ms / 1000).toFixed(1)} s`);
    const ours: ProcessorRun[] = [];
    const reference: ReferenceRun[] = [];
    const drainStarted = Date.now();
    for (let i = 0; i < options.runs; i++) {
      const spentMs = Date.now() - drainStarted;
      if (i > 0 && spentMs + spentMs / i > options.budgetS * 1000) {
        ctx.say(`processor: stopping after ${i} run(s): another would pass the ${options.budgetS} s budget`);
        break;
      }
      const steps = [
        async () => {
          const r = await runReference(ctx, topic, filled, i, memory);
          reference.push(r);
          ctx.say(`processor: run ${i + 1}/${options.runs} kafka-consumer-perf-test: ${Math.round(r.fetchEventsPerS)} events/s (fetch), ${Math.round(r.eventsPerS)} overall`);
        },
        async () => {
          const r = await runOurs(ctx, topic, options.events, i, memory);
          ours.push(r);
          ctx.say(
            `processor: run ${i + 1}/${options.runs} processor: ${Math.round(r.sustainedEventsPerS)} events/s sustained, ` +
              `${(r.totalMs / 1000).toFixed(1)} s in all, ${r.inserts} inserts`,
          );
        },
      ];
      for (const step of i % 2 === 0 ? steps : [...steps].reverse()) await step();
    }
    const sustained = median(ours.map((r) => r.sustainedEventsPerS));
    const batching = readProcessorConfig({});
    const referenceRate = median(reference.map((r) => r.fetchEventsPerS));
    return {
      options,
      prefill: filled,
      ours,
      reference,
      median: {
        sustainedEventsPerS: sustained,
        totalEventsPerS: median(ours.map((r) => (options.events * 1000) / r.totalMs)),
        referenceEventsPerS: referenceRate,
        ratio: median(ours.map((r, i) => r.sustainedEventsPerS / (reference[i]?.fetchEventsPerS ?? NaN))),
      },
      runsMade: ours.length,
      batching: { maxBatchRows: batching.maxBatchRows, flushIntervalMs: batching.flushIntervalMs },
      memoryMb: Object.fromEntries(memory.stop()),
    };
  } finally {
    memory.stop();
  }
}
