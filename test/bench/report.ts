// Renders benchmark results as markdown: the table printed at the end of a run
// and docs/BENCHMARKS.md. The document carries its data (JSON in a trailing
// HTML comment), so running one benchmark updates its sections and keeps the
// others' last figures, each with its own date, commit and command.
import { existsSync, readFileSync } from 'node:fs';
import type { CollectorResult } from './collector-bench.ts';
import type { LatencyResult, LatencyRun } from './latency-bench.ts';
import { analyseCollector, analyseLatency, analyseProcessor } from './analysis.ts';
import type { EventCost } from './lib/limits.ts';
import type { MachineInfo } from './lib/machine.ts';
import type { ProcessorResult } from './processor-bench.ts';

export interface RunMeta {
  date: string;
  commit: string;
  command: string;
  machine: MachineInfo;
  broker: string;
  /** CPU used by processes outside the benchmark, cores, median over the measured runs */
  othersCores: number;
}

export interface BenchData {
  collector?: { meta: RunMeta; result: CollectorResult };
  processor?: { meta: RunMeta; result: ProcessorResult };
  latency?: { meta: RunMeta; result: LatencyResult };
}

export const TARGETS = {
  collectorEventsPerS: 50_000,
  collectorRatio: 0.3,
  collectorP99Ms: 50,
  processorEventsPerS: 40_000,
  latencyP99Ms: 2000,
} as const;

const DATA_MARK = '<!-- bench-data ';

export function readBenchData(docPath: string): BenchData {
  if (!existsSync(docPath)) return {};
  const text = readFileSync(docPath, 'utf8');
  const at = text.lastIndexOf(DATA_MARK);
  if (at < 0) return {};
  const end = text.indexOf(' -->', at);
  try {
    return JSON.parse(text.slice(at + DATA_MARK.length, end)) as BenchData;
  } catch {
    return {};
  }
}

// ------------------------------------------------------------------ formatting

const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x).toLocaleString('en-US')} ms` : 'n/a');
const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');
const mb = (x: number) => `${Math.round(x).toLocaleString('en-US')} MiB`;
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`),
  ].join('\n');
}

const metaLine = (meta: RunMeta) =>
  `Taken ${meta.date} on commit \`${meta.commit}\` (plus any uncommitted changes of the working tree) with \`${meta.command}\`; ${meta.machine.cores} × ${meta.machine.cpuModel}, ` +
  `${meta.machine.memoryGiB} GiB, Node ${meta.machine.node}, Kafka ${meta.machine.kafka} (${meta.broker}), ${meta.machine.java}. ` +
  `Load average at the start ${meta.machine.loadAverage1m.toFixed(2)}; other processes used ${meta.othersCores.toFixed(2)} cores during the measured runs.`;

const sentence = (text: string) => (text ? `${text}.` : '');

function costLine(what: string, cost: EventCost | undefined, withProcess: string | undefined): string {
  if (!cost) return '';
  const whole = withProcess ? `; ${withProcess} ${cost.processUsPerEvent.toFixed(0)} µs` : '';
  return (
    `${what}'s JavaScript thread spent ${cost.eventLoopUsPerEvent.toFixed(1)} µs of CPU per event${whole}: ` +
    `at that cost the JavaScript thread alone fills one core at ≈ ${int(cost.eventLoopCeilingPerS)} events/s`
  );
}

// ------------------------------------------------------------------ summary

interface SummaryRow {
  figure: string;
  measured: string;
  reference: string;
  ratio: string;
  target: string;
  met: string;
  limit: string;
}

function collectorLatencyLimit(r: CollectorResult): string {
  const c = r.options.connections;
  const rps = r.median.collectorEventsPerS / 20;
  return (
    `queueing behind the throughput limit: ${c} connections each wait for their answer, so a request takes ≈ ${c} ÷ ${int(rps)} requests/s ` +
    `= ${ms((c / rps) * 1000)} on average (fewer connections lower it, \`--connections\`)`
  );
}

export function summaryRows(data: BenchData): SummaryRow[] {
  const rows: SummaryRow[] = [];
  if (data.collector) {
    const m = data.collector.result.median;
    const a = analyseCollector(data.collector.result);
    rows.push({
      figure: 'Collector, events/s (batches of 20)',
      measured: int(m.collectorEventsPerS),
      reference: `${int(m.bareEventsPerS)} (bare fastify route)`,
      ratio: ratio(m.ratio),
      target: `≥ ${int(TARGETS.collectorEventsPerS)} and ≥ ${TARGETS.collectorRatio}×`,
      met: yes(m.collectorEventsPerS >= TARGETS.collectorEventsPerS && m.ratio >= TARGETS.collectorRatio),
      limit: [a.collector?.verdict ?? '', costLine('The collector', a.cost.collector, undefined)].filter(Boolean).join('. '),
    });
    rows.push({
      figure: 'Collector, latency p50 / p99',
      measured: `${ms(m.p50Ms)} / ${ms(m.p99Ms)}`,
      reference: `p99 ${ms(m.bareP99Ms)} (bare route)`,
      ratio: '',
      target: `p99 ≤ ${TARGETS.collectorP99Ms} ms`,
      met: yes(m.p99Ms <= TARGETS.collectorP99Ms),
      limit: collectorLatencyLimit(data.collector.result),
    });
  }
  if (data.processor) {
    const m = data.processor.result.median;
    rows.push({
      figure: `Processor, events/s draining ${int(data.processor.result.options.events)} events into ClickHouse`,
      measured: `${int(m.sustainedEventsPerS)} sustained (${int(m.totalEventsPerS)} incl. group join)`,
      reference: `${int(m.referenceEventsPerS)} (kafka-consumer-perf-test, fetch rate)`,
      ratio: ratio(m.ratio),
      target: `≥ ${int(TARGETS.processorEventsPerS)}`,
      met: yes(m.sustainedEventsPerS >= TARGETS.processorEventsPerS),
      limit: processorLimit(data.processor.result, false),
    });
  }
  if (data.latency) {
    const r = data.latency.result;
    rows.push({
      figure: `Latency, beacon → /live at ${int(r.options.eventsPerS)} events/s, p50 / p99`,
      measured: `${ms(r.median.liveP50Ms)} / ${ms(r.median.liveP99Ms)}`,
      reference: `posted → stored in ClickHouse ${ms(r.median.storedP50Ms)} / ${ms(r.median.storedP99Ms)}`,
      ratio: '',
      target: `p99 ≤ ${int(TARGETS.latencyP99Ms)} ms`,
      met: yes(r.median.liveP99Ms <= TARGETS.latencyP99Ms),
      limit: latencyLimitShort(r),
    });
  }
  return rows;
}

function processorLimit(r: ProcessorResult, detailed: boolean): string {
  const a = analyseProcessor(r);
  const cost = costLine('The processor', a.cost, 'the whole process with its embedded ClickHouse');
  const batching = detailed ? a.batching?.detail : a.batching?.short;
  return [batching, a.ours ? `CPU: ${a.ours.verdict}` : '', cost].filter(Boolean).join('. ');
}

function shortfallNote(r: LatencyResult): string {
  const short = analyseLatency(r).loadShortfall;
  return short
    ? `The load reached only ${int(short.achievedPerS)} of ${int(r.options.eventsPerS)} events/s: the collector answered too slowly ` +
        `(POST p99 ${ms(short.postP99Ms)}) for the sender's 256 requests in flight. `
    : '';
}

function latencyLimitShort(r: LatencyResult): string {
  const a = analyseLatency(r);
  const behind = a.growing.length;
  return (
    `${shortfallNote(r)}Getting stored: p50 ${ms(r.median.storedP50Ms)} posted → in ClickHouse (processor batching` +
    `${behind > 0 ? `, and a backlog that grew in ${behind} of ${r.runs.length} runs: the processor did not keep up` : ''}); ` +
    `then the next /live snapshot (every ${r.settings.liveIntervalMs} ms). CPU: ${a.cpu?.verdict ?? 'n/a'}`
  );
}

/** Where a marker's time went, and whether the pipeline kept up with the load. */
export function latencyLimit(r: LatencyResult): string {
  const liveWait = r.median.liveP50Ms - r.median.storedP50Ms;
  const snapshotPart =
    liveWait >= 0
      ? `the markers' p50 on /live was ${ms(liveWait)} later: the wait for the next snapshot (every ${r.settings.liveIntervalMs} ms) and its queries`
      : `the markers' p50 on /live was ${ms(-liveWait)} earlier than the background events' stored p50 (different samples; the marker resolution is one snapshot, ${r.settings.liveIntervalMs} ms)`;
  const a = analyseLatency(r);
  const behind = a.growing;
  const trend = (run: LatencyRun) => run.storedTrend.map((t) => int(t.p50Ms)).join(' → ');
  const backlog =
    behind.length > 0
      ? `In ${behind.length} of ${r.runs.length} runs the stored latency kept rising across the run (p50 per 5 s, ms: ${trend(behind[0] as LatencyRun)}): ` +
        'the processor fell behind the load, so a backlog, not a fixed delay, sets the figure (see the processor figure). '
      : 'The stored latency did not grow across any run: no backlog built up during the runs. ';
  return (
    `${shortfallNote(r)}At p50, ${ms(r.median.storedP50Ms)} until stored (collector → Kafka → processor, whose inserts wait for ` +
    `${int(r.settings.maxBatchRows)} rows or its ${r.settings.flushIntervalMs} ms flush timer); ${snapshotPart}. ` +
    `${backlog}CPU: ${a.cpu?.verdict ?? 'n/a'}`
  );
}

export function summaryTable(data: BenchData): string {
  const rows = summaryRows(data);
  return table(
    ['figure', 'measured (median)', 'reference (median)', 'ratio', 'target', 'met', 'limited by'],
    rows.map((r) => [r.figure, r.measured, r.reference, r.ratio, r.target, r.met, r.limit]),
  );
}

// ------------------------------------------------------------------ sections

function deliveryLine(r: CollectorResult): string {
  const d = r.delivery;
  if (!d) return '';
  return d.eventsOnTopic >= d.acceptedEvents
    ? `All ${int(d.acceptedEvents)} events the collector answered 2xx for (warm-up included) are on the Kafka topic.`
    : `**Only ${int(d.eventsOnTopic)} of the ${int(d.acceptedEvents)} events answered 2xx are on the Kafka topic**: the rest went to the collector's disk spool (Kafka did not acknowledge within COLLECT_PRODUCE_TIMEOUT_MS).`;
}

function collectorSection(d: NonNullable<BenchData['collector']>): string {
  const r = d.result;
  const a = analyseCollector(r);
  const o = r.options;
  const rows = r.collector.flatMap((c, i) => {
    const b = r.bare[i];
    return [
      [`${i + 1}`, 'collector', int(c.eventsPerS), int(c.requestsPerS), ms(c.p50Ms), ms(c.p99Ms), String(c.failed)],
      ...(b ? [[`${i + 1}`, 'bare route', int(b.eventsPerS), int(b.requestsPerS), ms(b.p50Ms), ms(b.p99Ms), String(b.failed)]] : []),
    ];
  });
  return `## Collector throughput

${metaLine(d.meta)}

autocannon (in the benchmark process) posts \`{"events":[…20 events…]}\` as \`text/plain\` with a browser user agent over
${o.connections} keep-alive connections for ${o.durationS} s per run, cycling through ${o.bodies} distinct bodies of demo-shop events
(every event_id different). Subject: \`collector/server.ts\` as deployed (validation, enrichment, Kafka produce with acks=all to the
benchmark's broker, reply after the ack), in its own process. Reference: a bare fastify route in another process that parses the same
body and checks every event with the contract's compiled validator (\`collector/contract/validate-event.ts\`), no enrichment, no Kafka.
Both were warmed up for ${o.warmupS} s, then measured alternately, ${o.runs} runs each; the ratio is the median of each run's ratio to the
bare run next to it.

${table(['run', 'server', 'events/s', 'requests/s', 'p50', 'p99', 'failed'], rows)}

Median: **${int(r.median.collectorEventsPerS)} events/s**, p50 ${ms(r.median.p50Ms)}, p99 ${ms(r.median.p99Ms)};
bare route ${int(r.median.bareEventsPerS)} events/s; ratio **${ratio(r.median.ratio)}**.
${deliveryLine(r)}

What limited it (CPU in cores over the median run): collector run — ${a.collector?.breakdown ?? 'n/a'}. **Limit: ${a.collector?.verdict ?? 'n/a'}.**
${sentence(costLine('The collector', a.cost.collector, 'the whole process'))}
Bare route run — ${a.bare?.breakdown ?? 'n/a'}. Limit: ${a.bare?.verdict ?? 'n/a'}. ${sentence(costLine('The bare route', a.cost.bare, undefined))}
Latency: ${collectorLatencyLimit(r)}.
`;
}

function processorSection(d: NonNullable<BenchData['processor']>): string {
  const r = d.result;
  const a = analyseProcessor(r);
  const rows = r.ours.map((o, i) => {
    const ref = r.reference[i];
    return [
      `${i + 1}`,
      int(o.sustainedEventsPerS),
      int(o.slowest5sEventsPerS),
      `${(o.totalMs / 1000).toFixed(1)} s`,
      `${o.inserts} (${int(o.rowsPerInsert)}, ${int(o.msPerInsert)})`,
      ref ? int(ref.fetchEventsPerS) : 'n/a',
      ref ? int(ref.eventsPerS) : 'n/a',
      ref ? `${ref.mbPerS.toFixed(1)}` : 'n/a',
    ];
  });
  const runsNote =
    r.runsMade < 3
      ? ` **Only ${r.runsMade} run(s)**: each drains the whole topic, and another would have passed the ${r.options.budgetS} s budget ` +
        '(`--processor-runs`, `--processor-budget`); the median of fewer than 3 runs is weaker.'
      : '';
  return `## Processor throughput

${metaLine(d.meta)}

A topic of ${int(r.options.events)} distinct, valid raw envelopes (demo-shop events with the collector's enrichment, keyed as the
collector keys them, 6 partitions) is written first with kafkajs: ${int(r.prefill.events)} events in
${(r.prefill.ms / 1000).toFixed(1)} s (${int(r.prefill.eventsPerS)} events/s${a.prefill ? `; ${a.prefill.verdict}` : ''}). Then, alternately, with a fresh
consumer group each time: **ours** — \`startProcessor\` (stream-processor/kafka-consumer.ts) with the production batching defaults,
writing to a fresh embedded chDB (migrated), in its own process, timed until \`SELECT count() FROM events\` = N (polled every 250 ms);
**reference** — \`java -cp '.cache/kafka-${d.meta.machine.kafka}/libs/*' org.apache.kafka.tools.ConsumerPerformance\` (what
kafka-consumer-perf-test.sh runs, from the broker's own JARs, -Xmx512M) reading the same N messages. "Sustained" is from the first rows in
ClickHouse to the last (the group join excluded), which is what the reference's fetch rate (fetch.nMsg.sec) measures; the slowest 5 s
window shows whether the rate holds. Batching: PROCESSOR_MAX_BATCH_ROWS ${int(r.batching.maxBatchRows)}, PROCESSOR_FLUSH_INTERVAL_MS
${r.batching.flushIntervalMs} (the defaults). ${r.runsMade} run(s); medians below.${runsNote}

${table(['run', 'ours: events/s sustained', 'slowest 5 s', 'ours: total incl. join', 'inserts (mean rows, ms apart)', 'ref: fetch events/s', 'ref: events/s incl. join', 'ref: fetch MB/s'], rows)}

Median: **${int(r.median.sustainedEventsPerS)} events/s** sustained (${int(r.median.totalEventsPerS)} events/s including the group join),
reference ${int(r.median.referenceEventsPerS)} events/s; ratio **${ratio(r.median.ratio)}**.

What limited it (median run): **${processorLimit(r, true)}.** CPU in cores: ours — ${a.ours?.breakdown ?? 'n/a'}. The processor process holds both
the JavaScript pipeline (its event loop: parse, validate, dedupe, row mapping, JSON encoding of the insert) and the embedded ClickHouse
engine (the other threads). Reference — ${a.reference?.breakdown ?? 'n/a'}. Limit: ${a.reference?.verdict ?? 'n/a'}.
`;
}

function latencySection(d: NonNullable<BenchData['latency']>): string {
  const r = d.result;
  const o = r.options;
  const rows = r.runs.map((run, i) => [
    `${i + 1}`,
    int(run.load.achievedPerS * 20),
    `${run.markers - run.lost}/${run.markers}`,
    ms(run.liveP50Ms),
    ms(run.liveP99Ms),
    ms(run.liveMaxMs),
    `${ms(run.storedP50Ms)} / ${ms(run.storedP99Ms)}`,
    int(run.storedEvents),
    ms(run.load.latencyMs.p99),
    ms(run.snapshotGapMs),
  ]);
  return `## Latency: beacon → /live

${metaLine(d.meta)}

The whole system runs as \`npm start -- --no-demo\` runs it (collector, processor, embedded chDB, API; the test stack) in a child
process on the benchmark's broker. This process sends a steady ${int(o.eventsPerS)} events/s (${int(o.eventsPerS / 20)} POSTs/s of
20 events, spread evenly in 10 ms ticks — autocannon's rate limit sends each second's quota in one burst, so a paced sender is used here)
for ${o.durationS} s per run after a ${o.warmupS} s warm-up, and watches \`/live\` over a WebSocket like a big screen. Every
${o.markerEveryMs} ms it posts one \`favorite_add\` marker, each of a visitor of its own so the markers spread over the partitions like
real traffic; the background has no favourites, so \`today.favorites\` on /live counts exactly the markers. The processor inserts one
batch at a time, in order, so markers become visible in the order of their \`inserted_at\` (read back from ClickHouse afterwards): the
k-th marker inserted is on /live from the first snapshot with \`today.favorites\` ≥ k, and its latency is that snapshot's arrival
minus the marker's send time. Snapshots come once per \`LIVE_INTERVAL_MS\` (${r.settings.liveIntervalMs} ms here), which bounds the
resolution. As a second figure, every background event carries its send time (\`sent_at\`) and ClickHouse stamps \`inserted_at\`:
"stored" is posted → inserted, for every event. ${o.runs} runs; medians of the per-run percentiles.

${table(['run', 'load events/s', 'markers seen', '/live p50', '/live p99', '/live max', 'stored p50 / p99', 'events stored', 'POST p99', 'snapshot every'], rows)}

Median: **/live p50 ${ms(r.median.liveP50Ms)}, p99 ${ms(r.median.liveP99Ms)}** (all ${r.pooled.markers} markers pooled:
p50 ${ms(r.pooled.liveP50Ms)}, p99 ${ms(r.pooled.liveP99Ms)}); posted → stored p50 ${ms(r.median.storedP50Ms)}, p99 ${ms(r.median.storedP99Ms)};
load achieved ${int(r.median.achievedEventsPerS)} events/s, POST p99 ${ms(r.median.postP99Ms)}.

What limits it: ${latencyLimit(r)}. CPU (median run): ${analyseLatency(r).cpu?.breakdown ?? 'n/a'}.
${partitionLine(r)}
`;
}

/** Stored latency per Kafka partition in the median run: a partition with more traffic than a fetch round carries lags. */
function partitionLine(r: LatencyResult): string {
  const parts = analyseLatency(r).medianRun?.storedByPartition ?? [];
  if (parts.length === 0) return '';
  const list = parts.map((p) => `${p.partition}: ${ms(p.p50Ms)} / ${ms(p.p99Ms)} (${int(p.events)} events)`).join('; ');
  return `Posted → stored p50 / p99 by Kafka partition in the median run — ${list}.`;
}

function memorySection(data: BenchData): string {
  const rows: string[][] = [];
  const add = (bench: string, memory: Record<string, number> | undefined) => {
    for (const [component, peak] of Object.entries(memory ?? {}).sort((a, b) => b[1] - a[1])) rows.push([bench, component, mb(peak)]);
  };
  add('collector', data.collector?.result.memoryMb);
  add('processor', data.processor?.result.memoryMb);
  add('latency', data.latency?.result.memoryMb);
  return `## Memory: peak RSS

Each process' resident memory, sampled every 200 ms from \`/proc/<pid>/status\` during its benchmark; for the processes that live only
for one benchmark the kernel's own peak (VmHWM) is folded in, so short spikes are not missed. The broker and the benchmark process (which
runs autocannon / the paced sender) live across benchmarks: their figure is the sampled peak during that benchmark. "whole stack" is
collector, processor, embedded ClickHouse and API in one process, as \`npm start\` runs them.

${rows.length > 0 ? table(['benchmark', 'component', 'peak RSS'], rows) : '_No benchmark has been run yet._'}
`;
}

export function renderDocument(data: BenchData): string {
  const sections = [
    data.collector ? collectorSection(data.collector) : '## Collector throughput\n\n_Not run yet: `npm run bench -- collector`._\n',
    data.processor ? processorSection(data.processor) : '## Processor throughput\n\n_Not run yet: `npm run bench -- processor`._\n',
    data.latency ? latencySection(data.latency) : '## Latency: beacon → /live\n\n_Not run yet: `npm run bench -- latency`._\n',
    memorySection(data),
  ];
  const noisy = [data.collector, data.processor, data.latency].some((d) => d && (d.meta.othersCores > 0.2 || d.meta.machine.loadAverage1m > 0.5));
  const json = JSON.stringify(data).replace(/--/g, '-\\u002d'); // "--" may not appear inside an HTML comment
  return `# Benchmarks

\`npm run bench\` runs all three benchmarks (\`npm run bench -- collector\`, \`… -- processor\`, \`… -- latency\` run one or
several; \`npm run bench -- --help\` lists the options). It starts its own Kafka broker (a temporary data directory, a free port)
unless \`KAFKA_BROKERS\` is set, uses loopback only, stops everything it started, and rewrites this file with what it measured: the
sections of the benchmarks it ran are replaced, the others keep their last figures with their own date and commit. Benchmarks are not
part of \`npm test\`. Expect about 10 minutes for all three on a 2-core machine.

Every figure is measured side by side with a reference in the same run, alternating which goes first, so that the ratio holds on a
noisy machine even when the absolute figure does not. During every run the CPU time of each process is read from \`/proc/<pid>/stat\`
(and per thread from \`/proc/<pid>/task\`), together with the whole machine's from \`/proc/stat\`: "limited by" names the thread or
resource that was saturated. A JavaScript process is taken as limited by its event loop when its main thread used ≥ 85% of one core; the
machine as saturated when ≥ 90% of all its cores were busy.
${noisy ? '\n> **These figures were taken on a shared, busy machine** (see the load average and "other processes" in each section): they are noisy, and the absolute figures understate what a quiet machine does. Re-run `npm run bench` on a quiet machine before quoting them.\n' : ''}
## Summary

${summaryTable(data)}

${sections.join('\n')}
${DATA_MARK}${json} -->
`;
}
