// Renders benchmark results as markdown: the table printed at the end of a run
// and docs/BENCHMARKS.md. The document carries its data (JSON in a trailing
// HTML comment), so running one benchmark updates its sections and keeps the
// others' last figures, each with its own date, commit and command.
import { existsSync, readFileSync } from 'node:fs';
import type { CollectorResult } from './collector-bench.ts';
import { ENDPOINT_TARGETS, ENDPOINTS_COMPONENT, type EndpointsResult } from './endpoints-bench.ts';
import type { EndpointResult } from './endpoints-child.ts';
import type { IsolationResult } from './isolation-bench.ts';
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
  endpoints?: { meta: RunMeta; result: EndpointsResult };
  isolation?: { meta: RunMeta; result: IsolationResult };
  /** isolation runs on a store holding a shop's history, by the number of events stored before the phases */
  isolationAtScale?: Record<string, { meta: RunMeta; result: IsolationResult }>;
  /** endpoints runs at other sizes than the default 10 M events (--endpoint-events), by the number of events */
  endpointsAtScale?: Record<string, { meta: RunMeta; result: EndpointsResult }>;
}

export const TARGETS = {
  collectorEventsPerS: 50_000,
  collectorRatio: 0.3,
  collectorP99Ms: 50,
  processorEventsPerS: 40_000,
  latencyP99Ms: 2000,
  /** npm start and the services exit 1 by themselves past 9–10 s (orchestrators send SIGKILL after 10 s) */
  stopMs: 9000,
  /** workload isolation: with analysts and jobs busy the wall still gets a snapshot every LIVE_INTERVAL_MS */
  isolationGapMs: 2000,
  isolationStoredP99Ms: 2000,
  /** the whole stack without the broker, by default */
  isolationRssMb: 4096,
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
    if (r.stopMs !== undefined) {
      rows.push({
        figure: 'Stop, SIGTERM → exit of the whole stack right after the load',
        measured: ms(r.stopMs),
        reference: '',
        ratio: '',
        target: `≤ ${int(TARGETS.stopMs)} ms`,
        met: yes(r.stopMs <= TARGETS.stopMs),
        limit: 'drains the writer, commits, closes Kafka and ClickHouse clients; one run',
      });
    }
  }
  if (data.endpoints) rows.push(...endpointSummaryRows(data.endpoints.result));
  for (const { events, run } of endpointScaleRuns(data)) {
    const r = run.result;
    const within = r.endpoints.filter((e) => e.median.apiP95Ms <= ENDPOINT_SCALE_P95_MS);
    const misses = r.endpoints.filter((e) => e.median.apiP95Ms > ENDPOINT_SCALE_P95_MS).sort((a, b) => b.median.apiP95Ms - a.median.apiP95Ms);
    const growth = endpointGrowth(data.endpoints?.result, r);
    rows.push({
      figure: `Dashboard endpoints at ${int(events)} events, API p95 (median of ${r.options.runs} runs)`,
      measured: `${within.length} of ${r.endpoints.length} within ${int(ENDPOINT_SCALE_P95_MS)} ms (${r.endpoints.filter(p95Met).length} within ${ENDPOINT_TARGETS.p95Ms} ms)`,
      reference: data.endpoints ? `the same endpoints at ${int(data.endpoints.result.load.events)} events` : '',
      ratio: growth.length > 0 ? `median growth ${ratio(median(growth))}` : '',
      target: `p95 ≤ ${int(ENDPOINT_SCALE_P95_MS)} ms each`,
      met: yes(misses.length === 0),
      limit: misses.length === 0 ? '' : `over: ${misses.map((e) => `${e.name} ${msDecimal(e.median.apiP95Ms)}`).join(', ')} (section "Endpoints", "At ${short(events)} events")`,
    });
  }
  if (data.isolation) {
    const r = data.isolation.result;
    const busy = r.phases.filter((p) => p.name !== 'quiet' && p.name !== 'quiet-after');
    const worst = (key: 'maxSnapshotGapMs' | 'storedP99Ms' | 'peakRssMb') => Math.max(...busy.map((p) => p[key]));
    const quiet = r.phases[0];
    rows.push({
      figure: `Isolation at ${int(r.options.eventsPerS)} events/s with heavy SQL and/or jobs: largest /live gap, stored p99, peak RSS`,
      measured: `${ms(worst('maxSnapshotGapMs'))}, ${ms(worst('storedP99Ms'))}, ${mb(worst('peakRssMb'))}`,
      reference: quiet ? `quiet: ${ms(quiet.maxSnapshotGapMs)}, ${ms(quiet.storedP99Ms)}, ${mb(quiet.peakRssMb)}` : '',
      ratio: quiet ? ratio(worst('maxSnapshotGapMs') / quiet.maxSnapshotGapMs) : '',
      target: `gap ≤ ${int(TARGETS.isolationGapMs)} ms, p99 ≤ ${int(TARGETS.isolationStoredP99Ms)} ms, RSS ≤ ${mb(TARGETS.isolationRssMb)}`,
      met: yes(worst('maxSnapshotGapMs') <= TARGETS.isolationGapMs && worst('storedP99Ms') <= TARGETS.isolationStoredP99Ms && worst('peakRssMb') <= TARGETS.isolationRssMb),
      limit: `the worst of the busy phases (section "Isolation"); ratio = largest gap busy / quiet`,
    });
  }
  const scale = isolationScaleRuns(data);
  if (scale.length >= 2) {
    const first = scale[0]!;
    const last = scale.at(-1)!;
    rows.push({
      figure: `Isolation with ${scale.map((s) => short(s.stored)).join(' and ')} events stored: peak RSS of the whole stack (worst phase)`,
      measured: scale.map((s) => `${short(s.stored)}: ${mb(s.peakRssMb)}`).join(', '),
      reference: `${short(first.stored)} stored`,
      ratio: ratio(last.peakRssMb / first.peakRssMb),
      target: `≤ ${mb(TARGETS.isolationRssMb)}, not growing with the stored events`,
      met: yes(scale.every((s) => s.peakRssMb <= TARGETS.isolationRssMb) && last.peakRssMb <= first.peakRssMb * 1.1),
      limit: 'the ClickHouse budget and the jobs\' class limits (section "Isolation"); one run per size',
    });
  }
  return rows;
}

/** 10,000,000 → "10 M" */
const short = (n: number): string => (n >= 1e6 ? `${int(n / 1e6)} M` : int(n));

/** Issue 10's target for a month of a mid-size shop (the endpoints at 50 M events). */
const ENDPOINT_SCALE_P95_MS = 1000;

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
};

function endpointScaleRuns(data: BenchData): Array<{ events: number; run: { meta: RunMeta; result: EndpointsResult } }> {
  return Object.entries(data.endpointsAtScale ?? {})
    .map(([events, run]) => ({ events: Number(events), run }))
    .sort((a, b) => a.events - b.events);
}

/** API p95 at the larger size ÷ at the reference size, per endpoint both have. */
function endpointGrowth(reference: EndpointsResult | undefined, at: EndpointsResult): number[] {
  if (!reference) return [];
  return at.endpoints.flatMap((e) => {
    const ref = reference.endpoints.find((x) => x.name === e.name);
    return ref ? [e.median.apiP95Ms / ref.median.apiP95Ms] : [];
  });
}

function endpointScaleSection(data: BenchData): string {
  const runs = endpointScaleRuns(data);
  if (runs.length === 0) return '';
  const reference = data.endpoints?.result;
  return runs
    .map(({ events, run }) => {
      const r = run.result;
      const m = run.meta;
      const refOf = (name: string) => reference?.endpoints.find((x) => x.name === name);
      const rows = r.endpoints.map((e) => {
        const ref = refOf(e.name);
        return [
          e.name,
          ref ? msDecimal(ref.median.apiP95Ms) : 'n/a',
          `**${msDecimal(e.median.apiP95Ms)}**`,
          msDecimal(e.median.directP95Ms),
          ref ? ratio(e.median.apiP95Ms / ref.median.apiP95Ms) : 'n/a',
          yes(e.median.apiP95Ms <= ENDPOINT_SCALE_P95_MS),
          e.sameAnswer ? 'yes' : '**no**',
          e.reads === undefined ? 'n/a' : e.reads.join(', '),
        ];
      });
      const jobs = r.jobs.map((j) => {
        const ref = reference?.jobs.find((x) => x.name === j.name);
        return [
          j.name,
          ref ? `${(ref.ms / 1000).toFixed(1)} s` : 'n/a',
          `${(j.ms / 1000).toFixed(1)} s`,
          j.peakMemoryBytes === undefined || j.peakMemoryBytes === null ? 'n/a' : mb(j.peakMemoryBytes / 2 ** 20),
          j.error ?? '',
        ];
      });
      const refEvents = reference ? short(reference.load.events) : 'the reference size';
      return `
### At ${short(events)} events

Taken ${m.date} on commit \`${m.commit}\` (plus any uncommitted changes of the working tree) with \`${m.command}\`; ${m.machine.cores} × ${m.machine.cpuModel}, ` +
        `${m.machine.memoryGiB} GiB, Node ${m.machine.node}, embedded chDB. Load average at the start ${m.machine.loadAverage1m.toFixed(2)}; other processes used ` +
        `${m.othersCores.toFixed(2)} cores while the endpoints were timed. The same generator, endpoints and method as above with ${int(events)} events: ` +
        `${int(r.load.events)} rows loaded in ${(r.load.ms / 1000).toFixed(1)} s (${int(r.load.eventsPerS)} events/s) — ${int(r.load.visitors)} visitors, ` +
        `${int(r.load.sessions)} sessions, ${int(r.load.paidOrders)} paid orders.${diskLine(r)} Growth = API p95 here ÷ API p95 at ${refEvents}; ` +
        `target (issue 10) p95 ≤ ${int(ENDPOINT_SCALE_P95_MS)} ms.

${table(['endpoint', `API p95 at ${refEvents}`, `API p95 at ${short(events)}`, 'direct p95', 'growth', `≤ ${int(ENDPOINT_SCALE_P95_MS)} ms`, 'same answer', 'reads'], rows)}

${table(['job', `time at ${refEvents}`, `time at ${short(events)}`, 'peak query memory', 'error'], jobs)}
`;
    })
    .join('');
}

function isolationScaleRuns(data: BenchData): Array<{ stored: number; peakRssMb: number; run: { meta: RunMeta; result: IsolationResult } }> {
  return Object.entries(data.isolationAtScale ?? {})
    .map(([stored, run]) => ({ stored: Number(stored), peakRssMb: Math.max(...run.result.phases.map((p) => p.peakRssMb)), run }))
    .sort((a, b) => a.stored - b.stored);
}

function isolationScaleSection(data: BenchData): string {
  const scale = isolationScaleRuns(data);
  if (scale.length === 0) return '';
  const rows = scale.flatMap(({ stored, run }) =>
    run.result.phases.map((p) => [
      short(stored),
      p.name,
      ms(p.maxSnapshotGapMs),
      `${ms(p.storedP50Ms)} / ${ms(p.storedP99Ms)}`,
      mb(p.peakRssMb),
      p.jobRuns > 0 ? `${p.jobRuns} (${p.jobFailures} failed)` : '',
    ]),
  );
  return `
### With a shop's history stored

The same phases on a store that already holds the endpoint benchmark's synthetic traffic (30 days, one visitor per ten events), loaded
before the phases: \`npm run bench -- isolation --isolation-stored N\`. The jobs now work on that history, so a jobs phase lasts until
the job running at its end finishes. What matters is that the peak RSS does not grow with the stored events.

${scale.map(({ stored, run }) => `- ${short(stored)}: ${metaLine(run.meta)}`).join('\n')}

${table(['stored', 'phase', 'largest /live gap', 'stored p50 / p99', 'peak RSS', 'job runs'], rows)}
${isolationScaleFindings(scale)}`;
}

function isolationScaleFindings(scale: ReturnType<typeof isolationScaleRuns>): string {
  const lines: string[] = [];
  for (const { stored, run } of scale) {
    const quiet = run.result.phases[0];
    if (quiet && (quiet.maxSnapshotGapMs > TARGETS.isolationGapMs || quiet.storedP99Ms > TARGETS.isolationStoredP99Ms)) {
      lines.push(
        `- At ${short(stored)} the quiet phase already misses the targets (gap ${ms(quiet.maxSnapshotGapMs)}, stored p99 ${ms(quiet.storedP99Ms)}), ` +
          'with no analyst query or job running: the slowdown comes with the stored history, not from the other classes.',
      );
    }
    for (const p of run.result.phases) for (const e of p.jobErrors ?? []) lines.push(`- ${short(stored)}, ${p.name}: ${e}`);
    const failures = run.result.phases.reduce((n, p) => n + p.jobFailures, 0);
    if (failures > 0 && run.result.phases.every((p) => p.jobErrors === undefined)) {
      lines.push(`- At ${short(stored)} ${failures} job run(s) failed; this result predates the recorded reasons.`);
    }
  }
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

function isolationSection(d: NonNullable<BenchData['isolation']>): string {
  const r = d.result;
  const rows = r.phases.map((p, i) => {
    const q = r.ratios[i];
    return [
      p.name,
      `${ms(p.maxSnapshotGapMs)} (${q ? ratio(q.maxSnapshotGap) : ''})`,
      String(p.snapshots),
      `${ms(p.storedP50Ms)} / ${ms(p.storedP99Ms)} (${q ? ratio(q.storedP99) : ''})`,
      `${int(p.storedEvents)} / ${int(p.expectedEvents)}`,
      `${mb(p.peakRssMb)} (${q ? ratio(q.peakRss) : ''})`,
      Object.entries(p.sqlAnswers).map(([status, n]) => `${status}: ${n}`).join(', '),
      p.jobRuns > 0 ? `${p.jobRuns} (${p.jobFailures} failed)` : '',
    ];
  });
  return `## Isolation: the wall and ingestion beside analysts and jobs

${metaLine(d.meta)}

The whole stack (as \`npm start -- --no-demo\` runs it, default workload policy of this machine: ClickHouse budget ${int(r.policy.memoryBudgetMb)} MiB,
analyst class ${r.policy.analystConcurrency} at once with ${r.policy.analystQueue} waiting) under ${int(r.options.eventsPerS)} events/s through the collector
with a wall on /live, in phases of ${r.options.phaseS} s one after another: quiet; ${r.options.heavyQueries} heavy ad-hoc queries in a loop on /api/sql
(half hash a billion numbers until the analyst time limit stops them, half build a billion-element array until its memory limit does; a
429 is retried after its Retry-After); every job in a loop; both; quiet again. Largest gap between two /live snapshots arriving at the
client, beacon → stored (\`inserted_at − sent_at\` of the phase's events), peak RSS of the stack process sampled every 100 ms; the ratios
are to the first quiet phase. The jobs take turns across the phases (rfm, clusters, item-similarity, association-rules, rfm, …; a phase
waits for the job running at its end), and run on the events the run itself sent.

${table(['phase', 'largest /live gap', 'snapshots', 'stored p50 / p99', 'stored / sent', 'peak RSS', '/api/sql answers', 'job runs'], rows)}
`;
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
    ? `All ${int(d.acceptedEvents)} events the collector answered 2xx for (warm-up included) are on the Kafka topic${
        d.recordsOnTopic ? `, in ${int(d.recordsOnTopic)} records (${(d.eventsOnTopic / d.recordsOnTopic).toFixed(1)} events per record: a body of the benchmark spans two or three demo sessions, so two or three visitors)` : ''
      }.`
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

A topic of ${int(r.options.events)} distinct, valid events (demo-shop sessions, cut into requests of 20 and mapped by the collector's own
mapper: ${r.prefill.records ? `${int(r.prefill.records)} records, one per request and visitor,` : 'one record per event,'} keyed as the collector keys them, 6 partitions) is written first with kafkajs: ${int(r.prefill.events)} events in
${(r.prefill.ms / 1000).toFixed(1)} s (${int(r.prefill.eventsPerS)} events/s${a.prefill ? `; ${a.prefill.verdict}` : ''}). Then, alternately, with a fresh
consumer group each time: **ours** — \`startProcessor\` (stream-processor/processor.ts) with the production batching defaults,
writing to a fresh embedded chDB (migrated), in its own process, timed until \`SELECT count() FROM events\` = N (polled every 250 ms);
**reference** — \`java -cp '.cache/kafka-${d.meta.machine.kafka}/libs/*' org.apache.kafka.tools.ConsumerPerformance\` (what
kafka-consumer-perf-test.sh runs, from the broker's own JARs, -Xmx512M) reading the same records (its rates are records/s, shown here
× the events per record). "Sustained" is from the first rows in
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
load achieved ${int(r.median.achievedEventsPerS)} events/s, POST p99 ${ms(r.median.postP99Ms)}.${r.stopMs !== undefined ? ` Stop: SIGTERM → exit of the whole stack right after the last run took ${ms(r.stopMs)} (the tests only check that it exits 0, which the services do only within their 9–10 s budget).` : ''}

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

// ------------------------------------------------------------------ endpoints

const msDecimal = (x: number) => (Number.isFinite(x) ? `${x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US')} ms` : 'n/a');
const endpointRatio = (e: EndpointResult) => e.median.apiP95Ms / e.median.directP95Ms;
/** The API's p95 within ratio × the direct p95 + plusMs. */
const overheadMet = (e: EndpointResult) => e.median.apiP95Ms <= ENDPOINT_TARGETS.ratio * e.median.directP95Ms + ENDPOINT_TARGETS.plusMs;
const p95Met = (e: EndpointResult) => e.median.apiP95Ms <= ENDPOINT_TARGETS.p95Ms;

/** Whether each slow endpoint is slow in ClickHouse (the direct call misses too) or only through the API. */
function slowLimit(slow: EndpointResult[]): string {
  if (slow.length === 0) return '';
  const inQuery = slow.filter((e) => e.median.directP95Ms > ENDPOINT_TARGETS.p95Ms);
  const inApi = slow.filter((e) => e.median.directP95Ms <= ENDPOINT_TARGETS.p95Ms);
  const list = (es: EndpointResult[]) => es.map((e) => `${e.name} ${msDecimal(e.median.apiP95Ms)} (direct ${msDecimal(e.median.directP95Ms)})`).join(', ');
  return [
    inQuery.length > 0 ? `the query itself — the direct call misses too: ${list(inQuery)}` : '',
    inApi.length > 0 ? `only through the API: ${list(inApi)}` : '',
  ]
    .filter(Boolean)
    .join('; ') + '; see the Endpoints section';
}

function endpointSummaryRows(r: EndpointsResult): SummaryRow[] {
  const n = r.endpoints.length;
  const fast = r.endpoints.filter(p95Met);
  const lean = r.endpoints.filter(overheadMet);
  const slow = r.endpoints.filter((e) => !p95Met(e)).sort((a, b) => b.median.apiP95Ms - a.median.apiP95Ms);
  const heavy = r.endpoints.filter((e) => !overheadMet(e));
  const ratios = r.endpoints.map(endpointRatio).sort((a, b) => a - b);
  const midRatio = ratios[Math.floor((ratios.length - 1) / 2)] ?? NaN;
  const worst = [...r.endpoints].sort((a, b) => b.median.apiP95Ms - a.median.apiP95Ms)[0];
  return [
    {
      figure: `Dashboard endpoints at ${int(r.load.events)} events, API p95 (median of ${r.options.runs} runs)`,
      measured: `${fast.length} of ${n} within ${ENDPOINT_TARGETS.p95Ms} ms; slowest ${worst ? `${worst.name} ${msDecimal(worst.median.apiP95Ms)}` : 'n/a'}`,
      reference: 'the same query functions called directly through @clickhouse/client',
      ratio: `median ${ratio(midRatio)}`,
      target: `p95 ≤ ${ENDPOINT_TARGETS.p95Ms} ms each`,
      met: yes(fast.length === n),
      limit: slowLimit(slow),
    },
    {
      figure: 'Dashboard endpoints, API overhead over the direct call (p95)',
      measured: `${lean.length} of ${n} within ${ENDPOINT_TARGETS.ratio}× + ${ENDPOINT_TARGETS.plusMs} ms`,
      reference: 'direct call p95',
      ratio: `median ${ratio(midRatio)}`,
      target: `≤ ${ENDPOINT_TARGETS.ratio}× + ${ENDPOINT_TARGETS.plusMs} ms`,
      met: yes(heavy.length === 0),
      limit: heavy.length === 0 ? '' : `over: ${heavy.map((e) => `${e.name} (${msDecimal(e.median.apiP95Ms)} vs ${msDecimal(e.median.directP95Ms)})`).join(', ')}`,
    },
  ];
}

/** What the figures say about where the time goes, computed from them. */
function endpointFindings(r: EndpointsResult): string {
  const names = (es: EndpointResult[]) => es.map((e) => `"${e.name}"`).join(', ');
  const spread = (es: EndpointResult[]) => {
    const d = es.map((e) => e.median.apiP50Ms - e.median.directP50Ms).sort((a, b) => a - b);
    return { min: d[0] ?? NaN, max: d.at(-1) ?? NaN, mid: d[Math.floor((d.length - 1) / 2)] ?? NaN };
  };
  const quick = r.endpoints.filter((e) => e.median.directP50Ms <= ENDPOINT_TARGETS.p95Ms);
  const long = r.endpoints.filter((e) => e.median.directP50Ms > ENDPOINT_TARGETS.p95Ms);
  const q = spread(quick);
  const l = spread(long);
  const parts = [
    `The API's own cost, API p50 − direct p50: ${msDecimal(q.min)} to ${msDecimal(q.max)} (median ${msDecimal(q.mid)}) on the ${quick.length} endpoints ` +
      `whose query takes under ${ENDPOINT_TARGETS.p95Ms} ms — routing, validation, the handler, serialising the answer and a loopback HTTP round trip` +
      (long.length > 0
        ? `; on the ${long.length} slower ones the difference (${msDecimal(l.min)} to ${msDecimal(l.max)}) is within the run-to-run swing of their queries.`
        : '.'),
  ];
  const heavy = r.endpoints.filter((e) => !overheadMet(e));
  if (heavy.length > 0) {
    parts.push(
      `Over the overhead target at p95: ${heavy
        .map((e) => `"${e.name}" (p50 ${msDecimal(e.median.apiP50Ms)} vs ${msDecimal(e.median.directP50Ms)}; p95 per run ${e.runs.map((x) => `${msDecimal(x.apiP95Ms)} vs ${msDecimal(x.directP95Ms)}`).join(', ')})`)
        .join('; ')}. ` +
        'Where the p50s agree and the p95s swing from run to run, a few slow requests (other work on the machine) set the p95, ' +
        `which with ${r.options.requests.min}–${r.options.requests.max} requests per run is one of the slowest two.`,
    );
  }
  const inQuery = r.endpoints.filter((e) => !p95Met(e) && e.median.directP95Ms > ENDPOINT_TARGETS.p95Ms);
  if (inQuery.length > 0) {
    const perHour = r.load.events / (r.options.traffic.days * 24);
    const granuleMinutes = (8192 / perHour) * 60;
    // Results older than the "reads" column read events.
    const fromEvents = inQuery.filter((e) => e.reads === undefined || e.reads.includes('events'));
    const fromRollups = inQuery.filter((e) => !fromEvents.includes(e));
    const visits = r.load.tables?.find((t) => t.table === 'visits_15m');
    parts.push(
      [
        `${inQuery.length} endpoint(s) miss ${ENDPOINT_TARGETS.p95Ms} ms in ClickHouse itself, the direct call as much as the API: ${names(inQuery)}.`,
        fromEvents.length > 0
          ? `${fromEvents.length === inQuery.length ? 'They all' : names(fromEvents)} read \`events\`: the rows of the whole range, \`events\` being ordered by (hour, type, visitor) with ≈ ${int(perHour)} ` +
            `events an hour here, so each granule of 8,192 rows holds about ${int(granuleMinutes)} minutes of events of every type and even a one-type ` +
            'query (the funnel\'s steps, paid orders) reads nearly every granule.'
          : '',
        fromRollups.length > 0
          ? `${names(fromRollups)} read rollups only (${[...new Set(fromRollups.flatMap((e) => e.reads ?? []))].map((t) => `\`${t}\``).join(', ')}) and count exact ` +
            `distinct visitors or sessions over their rows${visits ? ` (\`visits_15m\` holds ${int(visits.rows)} rows, one per ${(r.load.events / visits.rows).toFixed(1)} events)` : ''}: ` +
            `the cost is the hash table of the distinct values, on ${r.cpu.machineCores} cores.`
          : '',
      ]
        .filter((x) => x !== '')
        .join(' '),
    );
  }
  return parts.join('\n\n');
}

/** The data's size on disk after the load and the jobs, and the tables the endpoints read. */
function diskLine(r: NonNullable<BenchData['endpoints']>['result']): string {
  if (r.load.diskBytes === undefined || !r.load.tables) return '';
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  const mib = (bytes: number) => `${int(bytes / 2 ** 20)} MiB`;
  return ` On disk after the load and the jobs: ${gib(r.load.diskBytes)} (compressed parts of every table), of which ${r.load.tables
    .map((t) => `\`${t.table}\` ${mib(t.bytes)} (${int(t.rows)} rows)`)
    .join(', ')}.`;
}

function endpointsSection(d: NonNullable<BenchData['endpoints']>): string {
  const r = d.result;
  const m = d.meta;
  const t = r.options.traffic;
  const cpu = r.cpu.processes.find((p) => p.component === ENDPOINTS_COMPONENT);
  const rows = r.endpoints.map((e) => [
    e.group,
    e.name,
    msDecimal(e.median.apiP50Ms),
    `**${msDecimal(e.median.apiP95Ms)}**`,
    msDecimal(e.median.directP50Ms),
    msDecimal(e.median.directP95Ms),
    ratio(endpointRatio(e)),
    msDecimal(e.median.apiP50Ms - e.median.directP50Ms),
    yes(p95Met(e)),
    yes(overheadMet(e)),
    e.sameAnswer ? 'yes' : '**no**',
    String(e.requests),
    e.reads === undefined ? 'n/a' : e.reads.join(', '),
  ]);
  const perRun = r.endpoints.map((e) => [
    e.name,
    ...e.runs.map((run) => `${msDecimal(run.apiP95Ms)} / ${msDecimal(run.directP95Ms)}`),
    `${msDecimal(e.pooled.apiP95Ms)} / ${msDecimal(e.pooled.directP95Ms)}`,
  ]);
  const jobs = r.jobs.map((j) => [
    j.name,
    `${(j.ms / 1000).toFixed(1)} s`,
    j.rows === null ? 'n/a' : int(j.rows),
    j.peakMemoryBytes === undefined || j.peakMemoryBytes === null ? 'n/a' : mb(j.peakMemoryBytes / 2 ** 20),
    j.error ?? '',
  ]);
  const paths = r.endpoints.map((e) => `\`${e.path}\``).join(', ');
  const mismatches = r.endpoints.filter((e) => !e.sameAnswer);
  const jf = r.jobFacts;
  return `## Endpoints: dashboard queries at ${int(r.load.events)} events

Taken ${m.date} on commit \`${m.commit}\` (plus any uncommitted changes of the working tree) with \`${m.command}\`; ${m.machine.cores} × ${m.machine.cpuModel}, ` +
    `${m.machine.memoryGiB} GiB, Node ${m.machine.node}, embedded chDB. Load average at the start ${m.machine.loadAverage1m.toFixed(2)}; other processes used ` +
    `${m.othersCores.toFixed(2)} cores while the endpoints were timed.

A fresh embedded chDB (the migrations applied, as \`npm start\` does) in a process of its own gets ${int(r.load.events)} synthetic events
(\`test/bench/endpoints-data.ts\`) with \`INSERT … SELECT FROM numbers()\`, which fires the materialized views as the processor's inserts do:
${int(r.load.events)} rows in ${(r.load.ms / 1000).toFixed(1)} s (${int(r.load.eventsPerS)} events/s) — ${int(r.load.visitors)} visitors (${int(r.load.identifiedUsers)} identified),
${int(r.load.sessions)} sessions, ${int(r.load.products)} products in ${int(t.categories)} categories, ${int(r.load.paidOrders)} paid orders, over the ${t.days} whole days
(${r.options.timeZone}) before the run; activity, products and hours skewed as in a shop (see the file's header).${diskLine(r)} Then the API is started as
\`npm start\` serves it (\`apiPlugin\` on fastify, listening on a loopback port, bearer token) and each analytics job is run once through
\`POST /api/jobs/:name/run\`:

${table(['job', 'time', 'rows written', 'peak query memory', 'error'], jobs)}

(rfm scored ${int(jf.rfmUsers)} buyers; clusters assigned ${int(jf.clusterUsers)} users, fitted on a sample of ${int(jf.clusterFitUsers)}, k = ${jf.clusterK};
item-similarity read ${int(jf.interactions)} person × product interactions and indexed ${int(jf.itemUsers)} of them by product for user-based CF;
association-rules stored ${int(jf.rules)} rules.)

Then every dashboard read endpoint is timed in ${r.options.runs} runs (after ${r.options.warmup} untimed requests, which also set how many timed ones
fit in ${(r.options.requests.budgetMs / 1000).toFixed(0)} s per endpoint and run, between ${r.options.requests.min} and ${r.options.requests.max}: "requests per run"; with 20 samples the
nearest-rank p95 is the second slowest, with fewer it is the slowest):
**API** = \`GET\` through HTTP with the token (keep-alive, one request at a time), **direct** = the same query functions of \`api/queries/*\`
(and \`recommendForUser\`) called with a \`@clickhouse/client\` of its own on the same embedded chDB — the same SQL without fastify, validation,
serialisation and HTTP. The two alternate which goes first, and each run goes round the endpoints request by request so drifts of the machine
hit all alike. People and products rotate over 24 of each (people with 5–50 products, products among the 1,000 most popular). On the
warm-up requests the HTTP answer is compared with the direct value (deep equality after JSON): "same answer". Percentiles are
nearest-rank per run; the table shows the median over the runs. Targets (issue 4): API p95 ≤ ${ENDPOINT_TARGETS.p95Ms} ms, and API p95 ≤
${ENDPOINT_TARGETS.ratio} × direct p95 + ${ENDPOINT_TARGETS.plusMs} ms.

${table(['group', 'endpoint', 'API p50', 'API p95', 'direct p50', 'direct p95', 'p95 ratio', 'overhead p50', `p95 ≤ ${ENDPOINT_TARGETS.p95Ms} ms`, `≤ ${ENDPOINT_TARGETS.ratio}× + ${ENDPOINT_TARGETS.plusMs} ms`, 'same answer', 'requests per run', 'reads'], rows)}
${mismatches.length > 0 ? `
**Answers differed** on ${mismatches.map((e) => `${e.name} (${e.mismatch ?? ''})`).join('; ')}.
` : ''}
p95 per run, API / direct, and over all requests of each side pooled:

${table(['endpoint', ...r.endpoints[0]!.runs.map((_, i) => `run ${i + 1}`), 'pooled'], perRun)}

Requests (first of each rotation): ${paths}.

${endpointFindings(r)}

CPU while timing (${(r.measureMs / 1000).toFixed(0)} s): ${cpu ? `${ENDPOINTS_COMPONENT} ${cpu.cores.toFixed(2)} cores (JavaScript thread ${cpu.mainThreadCores.toFixed(2)}${cpu.topThreads.length > 0 ? `, ${cpu.topThreads.map((x) => `${x.thread} ${x.cores.toFixed(2)}`).join(', ')}` : ''})` : 'n/a'}, ` +
    `other processes ${r.cpu.otherCores.toFixed(2)}; machine ${r.cpu.machineBusyCores.toFixed(2)} of ${r.cpu.machineCores} cores busy. ` +
    `Requests run one at a time, so a single query uses at most the ${r.cpu.machineCores} cores chDB's threads get.
`;
}

function memorySection(data: BenchData): string {
  const rows: string[][] = [];
  const add = (bench: string, memory: Record<string, number> | undefined) => {
    for (const [component, peak] of Object.entries(memory ?? {}).sort((a, b) => b[1] - a[1])) rows.push([bench, component, mb(peak)]);
  };
  add('collector', data.collector?.result.memoryMb);
  add('processor', data.processor?.result.memoryMb);
  add('latency', data.latency?.result.memoryMb);
  add('endpoints', data.endpoints?.result.memoryMb);
  for (const p of data.isolation?.result.phases ?? []) rows.push([`isolation (${p.name})`, 'whole stack', mb(p.peakRssMb)]);
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
    (data.endpoints ? endpointsSection(data.endpoints) : '## Endpoints: dashboard queries\n\n_Not run yet: `npm run bench -- endpoints`._\n') +
      endpointScaleSection(data),
    (data.isolation ? isolationSection(data.isolation) : '## Isolation: the wall and ingestion beside analysts and jobs\n\n_Not run yet: `npm run bench -- isolation`._\n') +
      isolationScaleSection(data),
    memorySection(data),
  ];
  const noisy = [data.collector, data.processor, data.latency, data.endpoints, data.isolation].some((d) => d && (d.meta.othersCores > 0.2 || d.meta.machine.loadAverage1m > 0.5));
  const json = JSON.stringify(data).replace(/--/g, '-\\u002d'); // "--" may not appear inside an HTML comment
  return `# Benchmarks

\`npm run bench\` runs all five benchmarks (\`npm run bench -- collector\`, \`… -- processor\`, \`… -- latency\`, \`… -- endpoints\`, \`… -- isolation\` run one or
several; \`npm run bench -- --help\` lists the options). It starts its own Kafka broker (a temporary data directory, a free port)
unless \`KAFKA_BROKERS\` is set (the endpoints benchmark needs none), uses loopback only, stops everything it started, and rewrites this file with what it measured: the
sections of the benchmarks it ran are replaced, the others keep their last figures with their own date and commit. Benchmarks are not
part of \`npm test\`. Expect about 10 minutes for the first three on a 2-core machine, 12–18 more for the endpoints (10 million events, four jobs, 26 endpoints) and 4 for the isolation benchmark.

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
