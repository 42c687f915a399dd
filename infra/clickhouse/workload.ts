// The workload policy: every query ShopPulse sends to ClickHouse belongs to
// one of four classes, in this order of precedence, and each class has its
// own limits, its own connection and its own queue:
//   ingest   the processor's inserts (and the materialized views they feed)
//   live     the wall's snapshot queries, every LIVE_INTERVAL_MS
//   analyst  the analysis, segments and recommendation routes, /api/sql
//   jobs     the analytics recomputations (RFM, clusters, recommendations)
// The limits are ClickHouse settings sent with every query of the class
// (per-query memory, threads, rows and bytes read, execution time, priority),
// and a queue in this process that bounds how many of the class run at once:
// a class's memory as a whole is its concurrency × its per-query memory.
// The analyst queue is bounded too: when it is full a request is refused
// (429 with Retry-After) instead of waiting behind the others.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { availableParallelism, totalmem } from 'node:os';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import { createClickHouse, type ClickHouseTarget } from './client.ts';
import { isClickHouseError } from './errors.ts';

export const WORKLOAD_CLASSES = ['ingest', 'live', 'analyst', 'jobs'] as const;
export type WorkloadClass = (typeof WORKLOAD_CLASSES)[number];

export interface ClassLimits {
  /** bytes all running queries of the class may hold together; each gets memoryBytes / concurrency (max_memory_usage) */
  memoryBytes: number;
  /** queries of the class running at once; the next ones wait in order */
  concurrency: number;
  /** queries that may wait for a slot; one more is refused with WorkloadBusyError (0 = no bound) */
  queueLength: number;
  /** threads one query may use (max_threads) */
  threads: number;
  /** rows one query may read (max_rows_to_read; 0 = no limit) */
  maxRowsToRead: number;
  /** bytes one query may read (max_bytes_to_read; 0 = no limit) */
  maxBytesToRead: number;
  /** seconds one query may run (max_execution_time; 0 = no limit) */
  maxExecutionS: number;
}

export interface WorkloadPolicy {
  /** the engine's max_server_memory_usage (embedded; a server has its own) */
  memoryBudgetBytes: number;
  /**
   * libuv's thread pool (UV_THREADPOOL_SIZE, 4 unless set before the process
   * starts): every running embedded query holds one of its threads, and so do
   * file reads and DNS lookups, so it must be larger than all classes' slots.
   */
  threadPoolSize: number;
  classes: Readonly<Record<WorkloadClass, Readonly<ClassLimits>>>;
}

/**
 * ClickHouse's `priority`: 1 runs first, a larger number yields to a smaller
 * one (0 would mean "no priority"). Fixed by the order of precedence.
 */
const PRIORITY: Readonly<Record<WorkloadClass, number>> = { ingest: 1, live: 2, analyst: 3, jobs: 4 };
/**
 * ClickHouse's `priority` orders queries only among themselves; the
 * collector's and the processor's JavaScript compete for the same cores.
 * os_thread_priority is the nice value of a query's threads (raising it needs
 * no privilege): analysts and jobs take the CPU that ingestion and the wall
 * leave. Measured with chDB: a JavaScript loop beside a 2-thread query ran
 * 1.5–2× as fast with the query at 19 as at 0.
 */
const NICE: Readonly<Record<WorkloadClass, number>> = { ingest: 0, live: 0, analyst: 10, jobs: 19 };
const SPILLS: ReadonlySet<WorkloadClass> = new Set(['analyst', 'jobs']);

const MiB = 1 << 20;

/** Shares of the memory budget, by class (they sum to 1). */
const MEMORY_SHARE: Readonly<Record<WorkloadClass, number>> = { ingest: 0.25, live: 0.15, analyst: 0.35, jobs: 0.25 };

/**
 * ClickHouse's memory by default: a quarter of the machine's, at most 3 GiB,
 * so the whole stack (Node, the collector's and the processor's buffers,
 * ClickHouse) stays within about 4 GiB on any machine. It is the engine's
 * max_server_memory_usage (every query, merge and cache together); the
 * classes share QUERY_SHARE of it, the rest is left to merges and caches.
 */
export function defaultMemoryBudgetBytes(machineBytes = totalmem()): number {
  return Math.max(512 * MiB, Math.min(3072 * MiB, Math.floor(machineBytes / 4)));
}
const QUERY_SHARE = 0.8;

/** The defaults, sized from the machine: every one can be set (api/… config, README "Workload limits"). */
export function defaultWorkloadPolicy(machine: { cores?: number; memoryBudgetBytes?: number } = {}): WorkloadPolicy {
  const cores = machine.cores ?? availableParallelism();
  const budget = machine.memoryBudgetBytes ?? defaultMemoryBudgetBytes();
  const share = (c: WorkloadClass) => Math.floor(budget * QUERY_SHARE * MEMORY_SHARE[c]);
  const classes: Record<WorkloadClass, ClassLimits> = {
    // The writer's insert beside a stored-id lookup; never refused, never cut short.
    ingest: { memoryBytes: share('ingest'), concurrency: 2, queueLength: 0, threads: cores, maxRowsToRead: 0, maxBytesToRead: 0, maxExecutionS: 0 },
    // The wall's fast tier runs its queries side by side, the slow tier one at a time.
    live: { memoryBytes: share('live'), concurrency: 2, queueLength: 0, threads: cores, maxRowsToRead: 0, maxBytesToRead: 0, maxExecutionS: 10 },
    // A page of the analyst app asks for several panels at once: they wait their turn for a while.
    analyst: {
      memoryBytes: share('analyst'),
      concurrency: Math.max(1, Math.floor(cores / 2)),
      queueLength: 16,
      // Every core when the machine is idle; niced (NICE) when ingestion or the wall need them.
      threads: cores,
      maxRowsToRead: 1_000_000_000,
      maxBytesToRead: 0,
      maxExecutionS: 10,
    },
    // The job runner runs one job at a time; niced the furthest, so its threads take only idle CPU.
    jobs: { memoryBytes: share('jobs'), concurrency: 1, queueLength: 0, threads: cores, maxRowsToRead: 0, maxBytesToRead: 0, maxExecutionS: 600 },
  };
  return { memoryBudgetBytes: budget, threadPoolSize: 4, classes };
}

/** The ClickHouse settings every query of a class carries. */
export function classSettings(workload: WorkloadClass, limits: ClassLimits): ClickHouseSettings {
  const settings: ClickHouseSettings = {
    max_memory_usage: String(Math.floor(limits.memoryBytes / limits.concurrency)),
    max_threads: limits.threads,
    priority: String(PRIORITY[workload]),
  };
  if (NICE[workload] > 0) settings.os_thread_priority = String(NICE[workload]);
  // Jobs and analysts aggregate, sort and join over all history: past half
  // their memory ClickHouse spills to disk (external GROUP BY and ORDER BY,
  // a join that moves from hash to a merge join) instead of failing, so their
  // peak stays put as the data grows and only what cannot spill hits the limit.
  if (SPILLS.has(workload)) {
    const half = String(Math.floor(limits.memoryBytes / limits.concurrency / 2));
    settings.max_bytes_before_external_group_by = half;
    settings.max_bytes_before_external_sort = half;
    settings.join_algorithm = 'auto';
    settings.max_bytes_in_join = half;
  }
  if (limits.maxRowsToRead > 0) settings.max_rows_to_read = String(limits.maxRowsToRead);
  if (limits.maxBytesToRead > 0) settings.max_bytes_to_read = String(limits.maxBytesToRead);
  if (limits.maxExecutionS > 0) settings.max_execution_time = limits.maxExecutionS;
  return settings;
}

/** A class's queue is full: the caller should come back later. */
export class WorkloadBusyError extends Error {
  readonly code = 'WORKLOAD_BUSY';
  readonly retriable = true;
  readonly statusCode = 429;
  constructor(
    readonly workload: WorkloadClass,
    /** seconds after which a retry has a fair chance */
    readonly retryAfterS: number,
  ) {
    super(`too many ${workload} queries at once: try again in ${retryAfterS} s`);
  }
}

/**
 * The request a query runs for: its signal is aborted when the client goes
 * away, and every query started inside `withRequestSignal` is then stopped in
 * ClickHouse (the SQL console's stop button, a closed tab, an interrupted curl).
 */
const requestSignal = new AsyncLocalStorage<AbortSignal>();
export const withRequestSignal = <T>(signal: AbortSignal, fn: () => T): T => requestSignal.run(signal, fn);
/** Work a request starts but does not own (a job run on demand): its queries outlive the request. */
export const outsideRequest = <T>(fn: () => T): T => requestSignal.exit(fn);

/** Every query carries log_comment = its tag, so that system.processes tells the classes apart and KILL QUERY finds it. */
const TAG_PREFIX = 'shoppulse';
const tagOf = (workload: WorkloadClass) => `${TAG_PREFIX}:${workload}:${randomUUID()}`;

/** The calls that run a query; everything else (close, ping) passes through. */
const QUERY_METHODS = new Set(['query', 'command', 'exec', 'insert']);

/** A query of one class running now, as system.processes reports it. */
export interface RunningQuery {
  tag: string;
  elapsedS: number;
  memoryBytes: number;
  peakMemoryBytes: number;
}

export interface Workloads {
  readonly policy: WorkloadPolicy;
  /** Outside the classes, bounded only by the engine's total: the migrations (before any class runs), KILL QUERY, system.processes. */
  readonly admin: ClickHouseClient;
  /** The class's client: its queries wait for a slot, carry its limits and stop when their request goes away. */
  client(workload: WorkloadClass): ClickHouseClient;
  /**
   * One query of the analyst class on a connection of its own, closed after
   * it: readonly=1 stays in force on a chDB connection and then refuses the
   * next query's settings, so /api/sql cannot share one.
   */
  isolatedQuery<T>(params: { query: string; clickhouse_settings: ClickHouseSettings }): Promise<T[]>;
  /** The queries of a class running now (system.processes). */
  running(workload: WorkloadClass): Promise<RunningQuery[]>;
  close(): Promise<void>;
}

/**
 * The clients of every class against one ClickHouse. Against chDB settings
 * stay in force on the connection that ran them, so each class has a
 * connection of its own and every query carries the whole set again.
 *
 * Cancelling: chDB's abort_signal only stops the waiting, not the query
 * (https://github.com/chdb-io/chdb-core/issues/74), and a server does not stop
 * a query when its HTTP client goes away unless told to; KILL QUERY by the
 * query's tag works on both, so that is how a request's queries are stopped.
 * The slot is held until ClickHouse answers, so a cancelled query never
 * leaves its class with one more running than the policy allows.
 */
export function createWorkloads(options: { target: ClickHouseTarget; policy: WorkloadPolicy; log: Logger }): Workloads {
  const { target, policy } = options;
  const log = options.log.child({ component: 'workloads' });
  const embedded = target.kind === 'embedded';
  const control = createClickHouse(target);
  const queues = {} as Record<WorkloadClass, PQueue>;
  for (const c of WORKLOAD_CLASSES) queues[c] = new PQueue({ concurrency: policy.classes[c].concurrency });
  const opened: ClickHouseClient[] = [control];
  const slots = WORKLOAD_CLASSES.reduce((n, c) => n + policy.classes[c].concurrency, 0);
  if (embedded && policy.threadPoolSize < slots + 4) {
    // https://github.com/duckdb/duckdb-node-neo/issues/325 is the same trap in another embedded engine.
    log.warn({ threadPoolSize: policy.threadPoolSize, needed: slots + 4 }, 'UV_THREADPOOL_SIZE is too small: heavy queries of one class can hold up the others and file reads');
  }

  const kill = (tag: string) =>
    control.command({ query: `KILL QUERY WHERE Settings['log_comment'] = '${tag}'` }).catch((err: unknown) => log.warn({ err, tag }, 'could not stop a query'));

  function limited(client: ClickHouseClient, workload: WorkloadClass): ClickHouseClient {
    const limits = policy.classes[workload];
    const settings = classSettings(workload, limits);
    const queue = queues[workload];
    return new Proxy(client, {
      get(inner, prop, receiver) {
        const method: unknown = Reflect.get(inner, prop, receiver);
        if (typeof prop !== 'string' || !QUERY_METHODS.has(prop) || typeof method !== 'function') return method;
        return (params: { clickhouse_settings?: ClickHouseSettings }) => {
          if (limits.queueLength > 0 && queue.size >= limits.queueLength) {
            return Promise.reject(new WorkloadBusyError(workload, Math.max(1, limits.maxExecutionS)));
          }
          const signal = requestSignal.getStore();
          return queue.add(async () => {
            signal?.throwIfAborted(); // gone while it waited
            const tag = tagOf(workload);
            const stop = () => void kill(tag);
            signal?.addEventListener('abort', stop, { once: true });
            try {
              // The caller's settings may add to the class's (readonly last, for
              // /api/sql: under readonly=1 no later SET is taken) but not lift them.
              return await (method as (p: unknown) => Promise<unknown>).call(inner, {
                ...params,
                clickhouse_settings: Object.assign({ ...settings, log_comment: tag, ...params.clickhouse_settings }, settings, { log_comment: tag }),
              });
            } catch (err) {
              // chDB keeps a query that failed in system.processes, with its
              // memory, until its connection runs the next one: run one now.
              if (embedded) await inner.query({ query: 'SELECT 1' }).catch(() => undefined);
              throw err;
            } finally {
              signal?.removeEventListener('abort', stop);
            }
          });
        };
      },
    });
  }

  const clients = {} as Record<WorkloadClass, ClickHouseClient>;
  for (const c of WORKLOAD_CLASSES) {
    const raw = createClickHouse(target);
    opened.push(raw);
    clients[c] = limited(raw, c);
  }

  return {
    policy,
    admin: control,
    client: (workload) => clients[workload],
    async isolatedQuery<T>(params: { query: string; clickhouse_settings: ClickHouseSettings }) {
      const own = createClickHouse(target);
      try {
        const result = await limited(own, 'analyst').query({ ...params, format: 'JSONEachRow' });
        return await result.json<T>();
      } finally {
        await own.close();
      }
    },
    async running(workload) {
      const result = await control.query({
        query: `SELECT Settings['log_comment'] AS tag, elapsed, memory_usage, peak_memory_usage FROM system.processes WHERE startsWith(Settings['log_comment'], '${TAG_PREFIX}:${workload}:')`,
        format: 'JSONEachRow',
      });
      const rows = await result.json<{ tag: string; elapsed: number; memory_usage: string; peak_memory_usage: string }>();
      return rows.map((r) => ({ tag: r.tag, elapsedS: Number(r.elapsed), memoryBytes: Number(r.memory_usage), peakMemoryBytes: Number(r.peak_memory_usage) }));
    },
    async close() {
      for (const client of opened) await client.close();
    },
  };
}

/** ClickHouse's answer to a query over one of its class's limits, by exception code. */
const LIMIT_ERRORS: ReadonlyMap<string, { limit: string; status: 400 | 413 }> = new Map([
  ['241', { limit: 'max_memory_usage', status: 413 }], // MEMORY_LIMIT_EXCEEDED (the query's, or the engine's total)
  ['158', { limit: 'max_rows_to_read', status: 413 }], // TOO_MANY_ROWS
  ['307', { limit: 'max_bytes_to_read', status: 413 }], // TOO_MANY_BYTES
  ['396', { limit: 'max_result_rows', status: 413 }], // TOO_MANY_ROWS_OR_BYTES (of the result)
  ['159', { limit: 'max_execution_time', status: 400 }], // TIMEOUT_EXCEEDED
]);

export interface LimitExceeded {
  /** the setting that stopped the query */
  limit: string;
  /** 413 when the query needs more than its class may use, 400 when it ran out of time */
  status: 400 | 413;
  message: string;
}

/** The limit behind a ClickHouse error, or undefined when it is not a limit. */
export function limitExceeded(err: unknown): LimitExceeded | undefined {
  if (!isClickHouseError(err)) return undefined;
  const known = LIMIT_ERRORS.get(err.code);
  return known && { ...known, message: err.message.trim() };
}

/** QUERY_WAS_CANCELLED: a KILL QUERY stopped it (its request went away). */
export const isCancelled = (err: unknown): boolean => isClickHouseError(err) && err.code === '394';
