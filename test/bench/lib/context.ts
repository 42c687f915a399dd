// What every benchmark gets from run.ts, and the names processes are reported under.
import { randomUUID } from 'node:crypto';

export interface BenchContext {
  repoRoot: string;
  /** Scratch space of this run (logs, chDB dirs); removed at the end unless kept. */
  workDir: string;
  brokers: string[];
  /** pid of the local broker's JVM; undefined on an external cluster (KAFKA_BROKERS) */
  brokerPid: number | undefined;
  /** Topics made by the benchmarks, deleted at the end on an external cluster. */
  createdTopics: string[];
  /** Progress on stderr, so stdout stays the results table. */
  say(message: string): void;
  /** Node flags for the measured collector and processor (`--cpu-prof DIR` adds V8's CPU profiler). */
  measuredNodeArgs: string[];
}

export const COMPONENT = {
  collector: 'collector',
  bareRoute: 'bare route',
  loadGenerator: 'load generator',
  broker: 'Kafka broker',
  prefill: 'prefill producer',
  processor: 'processor + chDB',
  consumerPerf: 'kafka-consumer-perf-test',
  stack: 'whole stack',
} as const;

export const shortId = (): string => randomUUID().slice(0, 8);

/** The broker and, when it generates load, this process: for CPU windows and memory. */
export function commonComponents(ctx: BenchContext, generatesLoad: boolean): Record<string, number> {
  const out: Record<string, number> = generatesLoad ? { [COMPONENT.loadGenerator]: process.pid } : {};
  if (ctx.brokerPid !== undefined) out[COMPONENT.broker] = ctx.brokerPid;
  return out;
}
