// Dashboard endpoints at ≥ 10 million events: every analysis, segments and
// recommendation read endpoint timed through the real HTTP API next to the
// same query functions called directly through @clickhouse/client (see
// endpoints-child.ts, which does the work in a process of its own so that
// its CPU and memory are measured apart from this one). No Kafka involved:
// the events are generated inside ClickHouse.
import { join } from 'node:path';
import type { BenchContext } from './lib/context.ts';
import { DEFAULT_TRAFFIC } from './endpoints-data.ts';
import type { EndpointsChildArgs, EndpointsResult as ChildResult } from './endpoints-child.ts';
import { createMemorySampler, nextMessage, spawnTsChild, startCpuWindow, type CpuWindow } from './lib/proc.ts';

export interface EndpointsBenchOptions {
  events: number;
  runs: number;
  /** timed requests per endpoint, run and side: as many as fit in budgetMs, within min..max */
  requests: { min: number; max: number; budgetMs: number };
  warmup: number;
  timeZone: string;
}

export interface EndpointsResult extends ChildResult {
  /** CPU of the child (API + chDB + the timing loop) and of the machine while the endpoints were timed */
  cpu: CpuWindow;
  memoryMb: Record<string, number>;
}

/** How the child is named in CPU and memory figures. */
export const ENDPOINTS_COMPONENT = 'API + chDB';

/** The p95 each endpoint must meet, and the API's allowed overhead over the direct call (issue 4). */
export const ENDPOINT_TARGETS = { p95Ms: 300, ratio: 1.2, plusMs: 20 } as const;

export async function runEndpointsBench(ctx: BenchContext, options: EndpointsBenchOptions): Promise<EndpointsResult> {
  const args: EndpointsChildArgs = {
    dataDir: join(ctx.workDir, 'endpoints-chdb'),
    traffic: { ...DEFAULT_TRAFFIC, events: options.events },
    runs: options.runs,
    requests: options.requests,
    warmup: options.warmup,
    timeZone: options.timeZone,
  };
  const memory = createMemorySampler();
  const child = spawnTsChild(ENDPOINTS_COMPONENT, join(ctx.repoRoot, 'test', 'bench', 'endpoints-child.ts'), {
    cwd: ctx.repoRoot,
    logFile: join(ctx.workDir, 'endpoints.log'),
    ipc: true,
    arg: args,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  memory.watch(ENDPOINTS_COMPONENT, child.pid, true);
  child.proc.on('message', (m: { type?: string; message?: string }) => {
    if (m.type === 'progress' && m.message) ctx.say(`endpoints: ${m.message}`);
  });
  try {
    // Loading runs at ≥ 50,000 events/s even on a busy 2-core machine, the jobs in minutes.
    await nextMessage(child, 'measuring', Math.max(1_800_000, options.events / 10));
    const window = startCpuWindow({ [ENDPOINTS_COMPONENT]: child.pid });
    const done = await nextMessage<{ type: 'done'; result: ChildResult }>(child, 'done', 3_600_000);
    const cpu = window.end();
    memory.unwatch(ENDPOINTS_COMPONENT);
    return { ...done.result, cpu, memoryMb: Object.fromEntries(memory.stop()) };
  } finally {
    memory.stop();
    await child.stop();
  }
}
