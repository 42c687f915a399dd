// What limited each figure, derived from the stored measurements when the
// report is rendered (so `npm run bench -- --render` applies the current
// reasoning to the figures a document holds).
import type { CollectorResult } from './collector-bench.ts';
import type { LatencyResult, LatencyRun } from './latency-bench.ts';
import { COMPONENT } from './lib/context.ts';
import { eventCost, explainCpu, type CpuReport, type EventCost } from './lib/limits.ts';
import { medianBy } from './lib/machine.ts';
import type { CpuWindow } from './lib/proc.ts';
import type { ProcessorResult, ProcessorRun } from './processor-bench.ts';

const KAFKA_WAIT = 'each request waits for Kafka to acknowledge its events (acks=all), the one wait the bare route does not have';

/** Old documents may hold a figure without its CPU window. */
const isWindow = (cpu: unknown): cpu is CpuWindow => typeof cpu === 'object' && cpu !== null && Array.isArray((cpu as CpuWindow).processes);

export interface CollectorAnalysis {
  collector: CpuReport | undefined;
  bare: CpuReport | undefined;
  cost: { collector: EventCost | undefined; bare: EventCost | undefined };
}

export function analyseCollector(r: CollectorResult): CollectorAnalysis {
  const ours = medianBy(r.collector, (x) => x.eventsPerS);
  const ref = medianBy(r.bare, (x) => x.eventsPerS);
  return {
    collector: ours ? explainCpu(ours.cpu, COMPONENT.collector, [COMPONENT.broker], KAFKA_WAIT) : undefined,
    bare: ref ? explainCpu(ref.cpu, COMPONENT.bareRoute, [COMPONENT.broker]) : undefined,
    cost: {
      collector: ours ? eventCost(ours.cpu, COMPONENT.collector, ours.eventsPerS) : undefined,
      bare: ref ? eventCost(ref.cpu, COMPONENT.bareRoute, ref.eventsPerS) : undefined,
    },
  };
}

export interface ProcessorAnalysis {
  ours: CpuReport | undefined;
  reference: CpuReport | undefined;
  prefill: CpuReport | undefined;
  batching: { short: string; detail: string } | undefined;
  cost: EventCost | undefined;
}

/**
 * When inserts are smaller than maxBatchRows and come about one flush interval
 * apart, the flush timer, not any CPU, paces the drain. kafkajs fetches from a
 * broker again only once every batch of the previous fetch was handled (its
 * fetcher waits for the worker queue to drain), a batch is handled only after
 * its rows were inserted, and one fetch brings at most maxBytesPerPartition
 * (1 MiB) per partition.
 */
function explainBatching(run: ProcessorRun, batching: { maxBatchRows: number; flushIntervalMs: number }): ProcessorAnalysis['batching'] {
  if (run.rowsPerInsert >= 0.9 * batching.maxBatchRows || run.msPerInsert < 0.8 * batching.flushIntervalMs) return undefined;
  const rows = Math.round(run.rowsPerInsert).toLocaleString('en-US');
  const short =
    `batching: inserts of ${rows} rows every ${Math.round(run.msPerInsert)} ms, paced by the ${batching.flushIntervalMs} ms flush timer ` +
    `(a fetch round brings fewer rows than PROCESSOR_MAX_BATCH_ROWS ${batching.maxBatchRows.toLocaleString('en-US')})`;
  const detail =
    `${short}. kafkajs fetches from a broker again only after every batch of the previous fetch was handled, a batch is handled ` +
    'only once its rows are inserted, and one fetch brings at most 1 MiB per partition (maxBytesPerPartition): fewer rows than an ' +
    'insert waits for, so every insert waits for the timer, and each partition drains at most 1 MiB per round';
  return { short, detail };
}

export function analyseProcessor(r: ProcessorResult): ProcessorAnalysis {
  const ours = medianBy(r.ours, (x) => x.sustainedEventsPerS);
  const ref = medianBy(r.reference, (x) => x.fetchEventsPerS);
  return {
    ours: ours ? explainCpu(ours.cpu, COMPONENT.processor, [COMPONENT.broker]) : undefined,
    reference: ref ? explainCpu(ref.cpu, COMPONENT.consumerPerf, [COMPONENT.broker, COMPONENT.consumerPerf]) : undefined,
    prefill: isWindow(r.prefill.cpu) ? explainCpu(r.prefill.cpu, COMPONENT.prefill, [COMPONENT.broker]) : undefined,
    batching: ours && r.batching ? explainBatching(ours, r.batching) : undefined,
    cost: ours ? eventCost(ours.cpu, COMPONENT.processor, ours.sustainedEventsPerS) : undefined,
  };
}

export interface LatencyAnalysis {
  cpu: CpuReport | undefined;
  /** runs whose stored latency rose across the run: a backlog grew */
  growing: LatencyRun[];
  /** the load generator reached less than 98% of the asked rate in the median run */
  loadShortfall: { achievedPerS: number; postP99Ms: number } | undefined;
  medianRun: LatencyRun | undefined;
}

export function analyseLatency(r: LatencyResult): LatencyAnalysis {
  const middle = medianBy(r.runs, (x) => x.liveP99Ms);
  const growing = r.runs.filter((run) => {
    const first = run.storedTrend[0];
    const last = run.storedTrend.at(-1);
    return first !== undefined && last !== undefined && last !== first && last.p50Ms > first.p50Ms + Math.max(500, first.p50Ms / 2);
  });
  return {
    cpu: middle ? explainCpu(middle.cpu, COMPONENT.stack, [COMPONENT.broker]) : undefined,
    growing,
    loadShortfall:
      r.median.achievedEventsPerS < 0.98 * r.options.eventsPerS
        ? { achievedPerS: r.median.achievedEventsPerS, postP99Ms: r.median.postP99Ms }
        : undefined,
    medianRun: middle,
  };
}
