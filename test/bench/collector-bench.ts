// Collector throughput: batches of 20 events through the full collector
// (collector/server.ts: fastify + collectorPlugin + kafkajs producer with
// acks=all to the benchmark's broker) against a bare fastify route that
// validates the same bodies with the same contract validator and answers
// without enrichment or Kafka. autocannon runs in this process; each server is
// a child process of its own. The two are measured alternately, run by run.
import { join } from 'node:path';
import { createKafka } from '../../infra/kafka/client.ts';
import { freePort } from '../../infra/kafka/local-broker.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { COMPONENT, commonComponents, shortId, type BenchContext } from './lib/context.ts';
import { BROWSER_USER_AGENTS, EVENTS_PER_BATCH, makeBodies, makeEventPool } from './lib/events.ts';
import { runLoad, type LoadRequest, type LoadResult } from './lib/load.ts';
import { median } from './lib/machine.ts';
import { eventsOfRecord, readTopic } from '../helpers/raw-events.ts';
import { createMemorySampler, spawnChild, spawnTsChild, startCpuWindow, type Child, type CpuWindow } from './lib/proc.ts';

export interface CollectorBenchOptions {
  runs: number;
  durationS: number;
  warmupS: number;
  connections: number;
  /** distinct request bodies autocannon cycles through */
  bodies: number;
}

export interface ServerRun {
  eventsPerS: number;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  statusCodes: Record<string, number>;
  cpu: CpuWindow;
}

export interface CollectorResult {
  options: CollectorBenchOptions;
  collector: ServerRun[];
  bare: ServerRun[];
  median: { collectorEventsPerS: number; bareEventsPerS: number; ratio: number; p50Ms: number; p99Ms: number; bareP99Ms: number };
  /** events the collector answered 2xx for, and how many events (in how many records) are on the Kafka topic afterwards */
  delivery: { acceptedEvents: number; eventsOnTopic: number; recordsOnTopic?: number };
  memoryMb: Record<string, number>;
}

/** Records on a topic and the events they hold, read back as the processor reads them. */
async function countOnTopic(brokers: string[], topic: string): Promise<{ records: number; events: number }> {
  const kafka = createKafka({ brokers, clientId: 'shoppulse-bench-count' }, createRootLogger({ name: 'bench', level: 'error' }));
  const records = await readTopic(kafka, topic, 300_000);
  return { records: records.length, events: records.reduce((n, record) => n + eventsOfRecord(record).length, 0) };
}

async function waitUntilAccepting(url: string, body: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited with ${child.proc.exitCode}; see ${child.logFile}`);
    try {
      const response = await fetch(`${url}/collect`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_USER_AGENTS[0] ?? '' },
        body,
      });
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200) return;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${child.name} did not accept a batch within ${timeoutMs} ms (last: ${last}); see ${child.logFile}`);
}

const toRun = (load: LoadResult, cpu: CpuWindow): ServerRun => ({
  eventsPerS: load.okPerS * EVENTS_PER_BATCH,
  requestsPerS: load.okPerS,
  p50Ms: load.latencyMs.p50,
  p99Ms: load.latencyMs.p99,
  failed: load.failed,
  statusCodes: load.statusCodes,
  cpu,
});

export async function runCollectorBench(ctx: BenchContext, options: CollectorBenchOptions): Promise<CollectorResult> {
  const topic = `bench.${shortId()}.collector.raw`;
  ctx.createdTopics.push(topic, `${topic}.failed`);
  const [collectorPort, barePort] = [await freePort(), await freePort()];
  const memory = createMemorySampler();
  for (const [name, pid] of Object.entries(commonComponents(ctx, true))) memory.watch(name, pid, false);

  ctx.say(`collector: starting collector/server.ts (topic ${topic}) and the bare route`);
  const collector = spawnChild(COMPONENT.collector, process.execPath, [...ctx.measuredNodeArgs, '--import', 'tsx', join(ctx.repoRoot, 'collector', 'server.ts')], {
    cwd: ctx.repoRoot,
    logFile: join(ctx.workDir, 'collector.log'),
    env: {
      ...process.env,
      KAFKA_BROKERS: ctx.brokers.join(','),
      KAFKA_RAW_TOPIC: topic,
      KAFKA_FAILED_TOPIC: `${topic}.failed`,
      PORT: String(collectorPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: join(ctx.workDir, 'collector-data'),
      NODE_ENV: 'production',
    },
  });
  const bare = spawnTsChild(COMPONENT.bareRoute, join(ctx.repoRoot, 'test', 'bench', 'children', 'bare-route.ts'), {
    cwd: ctx.repoRoot,
    logFile: join(ctx.workDir, 'bare-route.log'),
    arg: { port: barePort },
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const servers = [
    { name: COMPONENT.collector, child: collector, url: `http://127.0.0.1:${collectorPort}` },
    { name: COMPONENT.bareRoute, child: bare, url: `http://127.0.0.1:${barePort}` },
  ] as const;

  try {
    const pool = makeEventPool(options.bodies * EVENTS_PER_BATCH, { seed: 1 });
    const bodies = makeBodies(options.bodies, pool);
    const requests: LoadRequest[] = bodies.map((body, i) => ({
      method: 'POST',
      path: '/collect',
      headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_USER_AGENTS[i % BROWSER_USER_AGENTS.length] ?? '' },
      body,
    }));
    for (const s of servers) {
      await waitUntilAccepting(s.url, bodies[0] ?? '', s.child, 90_000);
      memory.watch(s.name, s.child.pid, true);
    }
    const components = { ...commonComponents(ctx, true), [COMPONENT.collector]: collector.pid, [COMPONENT.bareRoute]: bare.pid };
    // One readiness batch went to each server already.
    const acceptedBatches = { [COMPONENT.collector]: 1, [COMPONENT.bareRoute]: 1 };
    const load = async (server: (typeof servers)[number], durationS: number) => {
      const result = await runLoad({ url: server.url, connections: options.connections, durationS, requests });
      acceptedBatches[server.name] += result.ok;
      return result;
    };

    for (const s of servers) {
      ctx.say(`collector: warming up ${s.name} for ${options.warmupS} s`);
      await load(s, options.warmupS);
    }
    const runs = { [COMPONENT.collector]: [] as ServerRun[], [COMPONENT.bareRoute]: [] as ServerRun[] };
    for (let i = 0; i < options.runs; i++) {
      // Alternate who goes first so a drift in the machine's load hits both.
      const order = i % 2 === 0 ? servers : ([...servers].reverse() as unknown as typeof servers);
      for (const s of order) {
        const window = startCpuWindow(components);
        const result = await load(s, options.durationS);
        const run = toRun(result, window.end());
        runs[s.name].push(run);
        ctx.say(
          `collector: run ${i + 1}/${options.runs} ${s.name}: ${Math.round(run.eventsPerS)} events/s, ` +
            `p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, failed ${run.failed}`,
        );
      }
    }
    for (const s of servers) memory.unwatch(s.name);
    // 2xx means "acknowledged by Kafka" unless the collector spooled the batch
    // to disk instead: say so if the topic holds fewer events than were
    // accepted. Counted before the collector stops (stopping may drain a spool).
    ctx.say('collector: reading the topic back');
    const onTopic = await countOnTopic(ctx.brokers, topic);
    const delivery = {
      acceptedEvents: acceptedBatches[COMPONENT.collector] * EVENTS_PER_BATCH,
      eventsOnTopic: onTopic.events,
      recordsOnTopic: onTopic.records,
    };
    if (delivery.eventsOnTopic < delivery.acceptedEvents) {
      ctx.say(`collector: only ${delivery.eventsOnTopic} of ${delivery.acceptedEvents} accepted events are on the topic (the rest were spooled)`);
    }

    const ours = runs[COMPONENT.collector];
    const ref = runs[COMPONENT.bareRoute];
    const collectorEventsPerS = median(ours.map((r) => r.eventsPerS));
    const bareEventsPerS = median(ref.map((r) => r.eventsPerS));
    return {
      options,
      collector: ours,
      bare: ref,
      median: {
        collectorEventsPerS,
        bareEventsPerS,
        // Each collector run against the bare run next to it, then the median.
        ratio: median(ours.map((r, i) => r.eventsPerS / (ref[i]?.eventsPerS ?? NaN))),
        p50Ms: median(ours.map((r) => r.p50Ms)),
        p99Ms: median(ours.map((r) => r.p99Ms)),
        bareP99Ms: median(ref.map((r) => r.p99Ms)),
      },
      delivery,
      memoryMb: Object.fromEntries(memory.stop()),
    };
  } finally {
    memory.stop();
    await Promise.all([collector.stop(), bare.stop()]);
  }
}
