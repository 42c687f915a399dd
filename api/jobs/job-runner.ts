// Runs the analytics recomputations (RFM, clusters, recommendations, …) one
// at a time: on a schedule, and on demand through POST /api/jobs/:name/run.
// Each job writes its results into ClickHouse tables stamped with
// computed_at; endpoints read the newest computation. Jobs use their own
// ClickHouse connection and never run two at once, so ingestion keeps its pace.
import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyBaseLogger } from 'fastify';
import { limitExceeded, outsideRequest } from '../../infra/clickhouse/workload.ts';

export interface JobContext {
  clickhouse: ClickHouseClient;
  /** one timestamp for every row this run writes (epoch ms) */
  computedAt: number;
  log: FastifyBaseLogger;
  timeZone: string;
}

export interface Job {
  /** url-safe name, e.g. 'rfm' */
  name: string;
  description: string;
  run(ctx: JobContext): Promise<{ rows: number }>;
}

export interface JobStatus {
  name: string;
  description: string;
  running: boolean;
  last_started_at: number | null;
  last_finished_at: number | null;
  last_ms: number | null;
  last_rows: number | null;
  last_error: string | null;
  /** the most memory one of its ClickHouse queries held in the last run (bytes; null = not measured) */
  last_peak_memory_bytes: number | null;
}

export interface JobRunner {
  /** Runs one job now (after any job in progress); resolves with its status. */
  run(name: string): Promise<JobStatus>;
  status(): JobStatus[];
  has(name: string): boolean;
  /** Starts the schedule (every intervalMs; none when 0). Nothing runs before. */
  start(): void;
  stop(): void;
}

export function createJobRunner(options: {
  jobs: Job[];
  clickhouse: ClickHouseClient;
  timeZone: string;
  /** 0 = only on demand */
  intervalMs: number;
  log: FastifyBaseLogger;
  /** the largest peak memory of the jobs' running queries now (bytes), sampled while a job runs */
  sampleMemory?: () => Promise<number>;
  now?: () => number;
}): JobRunner {
  const now = options.now ?? Date.now;
  const log = options.log.child({ component: 'jobs' });
  const byName = new Map(options.jobs.map((job) => [job.name, job]));
  const statuses = new Map<string, JobStatus>(
    options.jobs.map((job) => [
      job.name,
      { name: job.name, description: job.description, running: false, last_started_at: null, last_finished_at: null, last_ms: null, last_rows: null, last_error: null, last_peak_memory_bytes: null },
    ]),
  );
  // One job at a time, in order of request.
  let queue: Promise<unknown> = Promise.resolve();

  function run(name: string): Promise<JobStatus> {
    const job = byName.get(name);
    const status = statuses.get(name);
    if (!job || !status) return Promise.reject(new Error(`unknown job ${name}`));
    // A run asked for by a request finishes even if its caller goes away.
    const next = queue.then(() => outsideRequest(async () => {
      const started = now();
      Object.assign(status, { running: true, last_started_at: started, last_peak_memory_bytes: options.sampleMemory ? 0 : null });
      log.info({ job: name }, 'job started');
      const sampler = options.sampleMemory && sampleWhileRunning(options.sampleMemory, (bytes) => {
        status.last_peak_memory_bytes = Math.max(status.last_peak_memory_bytes ?? 0, bytes);
      });
      try {
        const { rows } = await job.run({ clickhouse: options.clickhouse, computedAt: started, log: log.child({ job: name }), timeZone: options.timeZone });
        Object.assign(status, { last_rows: rows, last_error: null });
        log.info({ job: name, rows, ms: now() - started }, 'job finished');
      } catch (err) {
        // Over its class's budget: the job stops, the reason is in its status, the process goes on.
        const limit = limitExceeded(err);
        if (limit) {
          Object.assign(status, { last_error: `stopped by the jobs' limit ${limit.limit}: ${limit.message}` });
          log.warn({ job: name, limit: limit.limit }, 'job over its budget');
        } else {
          Object.assign(status, { last_error: err instanceof Error ? err.message : String(err) });
          log.error({ err, job: name }, 'job failed');
        }
      } finally {
        await sampler?.stop();
        Object.assign(status, { running: false, last_finished_at: now(), last_ms: now() - started });
      }
      return { ...status };
    }));
    queue = next.catch(() => undefined);
    return next;
  }

  let timer: NodeJS.Timeout | undefined;
  return {
    run,
    has: (name) => byName.has(name),
    status: () => [...statuses.values()].map((s) => ({ ...s })),
    start() {
      if (timer || options.intervalMs <= 0) return;
      timer = setInterval(() => {
        for (const job of options.jobs) void run(job.name);
      }, options.intervalMs);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}

/** Samples every 250 ms until stopped, then once more. */
function sampleWhileRunning(sample: () => Promise<number>, record: (bytes: number) => void): { stop(): Promise<void> } {
  const once = () => sample().then(record, () => undefined);
  let pending = once();
  const timer = setInterval(() => {
    pending = pending.then(once);
  }, 250);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
    },
  };
}
