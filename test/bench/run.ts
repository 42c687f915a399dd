// `npm run bench [-- collector|processor|latency|endpoints …] [options]`: the ShopPulse
// benchmarks. Not part of `npm test`. Prints a markdown table and rewrites
// docs/BENCHMARKS.md (see that file for the method).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readApiConfig } from '../../api/config.ts';
import { repoRoot } from '../../infra/paths.ts';
import { createKafka } from '../../infra/kafka/client.ts';
import { startLocalKafka, type LocalKafka } from '../../infra/kafka/local-broker.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { runCollectorBench } from './collector-bench.ts';
import { runEndpointsBench } from './endpoints-bench.ts';
import { runIsolationBench } from './isolation-bench.ts';
import { runLatencyBench } from './latency-bench.ts';
import type { BenchContext } from './lib/context.ts';
import { gitCommit, machineInfo, median } from './lib/machine.ts';
import { killAllChildrenNow, stopAllChildren, type CpuWindow } from './lib/proc.ts';
import { runProcessorBench } from './processor-bench.ts';
import { readBenchData, renderDocument, summaryTable, type BenchData, type RunMeta } from './report.ts';

const BENCHMARKS = ['collector', 'processor', 'latency', 'endpoints', 'isolation'] as const;
/** The endpoints benchmark's headline size; runs at other sizes are compared with it. */
const DEFAULT_ENDPOINT_EVENTS = 10_000_000;
/** The benchmarks that need a Kafka broker (endpoints generates its events inside ClickHouse). */
const NEEDS_KAFKA: readonly BenchName[] = ['collector', 'processor', 'latency', 'isolation'];
type BenchName = (typeof BENCHMARKS)[number];

const HELP = `Usage: npm run bench [-- [collector] [processor] [latency] [endpoints] [isolation] [options]]

Runs the named benchmarks (all five when none is named), prints a markdown
table and updates docs/BENCHMARKS.md. Starts its own Kafka broker unless
KAFKA_BROKERS is set or only endpoints runs. Peak memory of every process is
measured during each.

Options (defaults in brackets):
  --runs N              runs of the collector and latency benchmarks [3]
  --processor-runs N    most runs of the processor benchmark; each drains the whole topic [3]
  --processor-budget S  start no processor run that would end past S seconds of draining [480]
  --events N            events pre-filled for the processor benchmark [1000000]
  --duration S          seconds per collector run [10]
  --warmup S            collector warm-up per server [3]
  --connections N       autocannon connections for the collector [32]
  --rate N              latency benchmark load, events/s [5000]
  --latency-duration S  seconds per latency run [30]
  --endpoint-events N   events loaded for the endpoints benchmark [10000000]; another size is
                        reported beside the 10 M run (its growth), not instead of it
  --endpoint-runs N     runs of the endpoints benchmark [3]
  --endpoint-requests N most timed requests per endpoint, run and side (HTTP / direct) [20]
  --endpoint-min-requests N  fewest, for the slowest endpoints [5]
  --endpoint-budget S   seconds per endpoint and run that set how many requests fit [4]
  --endpoint-warmup N   untimed requests per endpoint and side first [1]
  --isolation-phase S   seconds per isolation phase (quiet, sql, jobs, both, quiet) [30]
  --isolation-queries N heavy ad-hoc queries at once in the isolation benchmark [4]
  --isolation-stored N  synthetic events stored before the isolation phases [0]
  --no-doc              do not touch docs/BENCHMARKS.md
  --render              run nothing: rewrite docs/BENCHMARKS.md from the figures it holds
  --keep                keep the scratch directory (logs, broker data)
  --cpu-prof DIR        write a V8 CPU profile (.cpuprofile) of the measured collector and
                        processor processes into DIR (the profiler costs throughput: figures
                        of such a run are not comparable)
  -h, --help            this text
`;

function parseOptions() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runs: { type: 'string', default: '3' },
      'processor-runs': { type: 'string', default: '3' },
      'processor-budget': { type: 'string', default: '480' },
      events: { type: 'string', default: '1000000' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
      rate: { type: 'string', default: '5000' },
      'latency-duration': { type: 'string', default: '30' },
      'endpoint-events': { type: 'string', default: String(DEFAULT_ENDPOINT_EVENTS) },
      'endpoint-runs': { type: 'string', default: '3' },
      'endpoint-requests': { type: 'string', default: '20' },
      'endpoint-min-requests': { type: 'string', default: '5' },
      'endpoint-budget': { type: 'string', default: '4' },
      'endpoint-warmup': { type: 'string', default: '1' },
      'isolation-phase': { type: 'string', default: '30' },
      'isolation-queries': { type: 'string', default: '4' },
      'isolation-stored': { type: 'string', default: '0' },
      'no-doc': { type: 'boolean', default: false },
      render: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const unknown = positionals.filter((p) => !(BENCHMARKS as readonly string[]).includes(p));
  if (unknown.includes('memory')) {
    throw new Error('memory is measured during every benchmark (peak RSS of each process); run the benchmarks, e.g. `npm run bench`.');
  }
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; expected ${BENCHMARKS.join(', ')}`);
  const positive = (name: keyof typeof values, min = 1): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${String(values[name])}`);
    return n;
  };
  return {
    selected: (positionals.length > 0 ? BENCHMARKS.filter((b) => positionals.includes(b)) : [...BENCHMARKS]) as BenchName[],
    collector: {
      runs: positive('runs'),
      durationS: positive('duration'),
      warmupS: positive('warmup'),
      connections: positive('connections'),
      bodies: 64,
    },
    processor: { events: positive('events', 1000), runs: positive('processor-runs'), budgetS: positive('processor-budget') },
    latency: {
      runs: positive('runs'),
      durationS: positive('latency-duration', 5),
      warmupS: 10,
      eventsPerS: positive('rate', 20),
      markerEveryMs: 200,
    },
    endpoints: {
      events: positive('endpoint-events', 1000),
      runs: positive('endpoint-runs'),
      requests: { min: positive('endpoint-min-requests'), max: positive('endpoint-requests'), budgetMs: positive('endpoint-budget') * 1000 },
      warmup: positive('endpoint-warmup', 0),
      timeZone: readApiConfig().timeZone,
    },
    isolation: {
      phaseS: positive('isolation-phase', 5),
      eventsPerS: positive('rate', 20),
      heavyQueries: positive('isolation-queries'),
      storedEvents: positive('isolation-stored', 0),
    },
    writeDoc: !values['no-doc'],
    renderOnly: values.render,
    keep: values.keep,
    cpuProfDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
  };
}

function javaVersion(): string {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const first = (r.stderr || r.stdout || '').split('\n')[0]?.trim() ?? '';
  return r.status === 0 && first ? first.replace(/"/g, '') : 'no java found';
}

function brokerPidOf(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'kafka', 'broker.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim().split(/\s+/)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

const say = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  if (topics.length === 0) return;
  const kafka = createKafka({ brokers, clientId: 'shoppulse-bench-cleanup' }, createRootLogger({ name: 'bench', level: 'error' }));
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const ours = topics.filter((t) => existing.has(t));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<number> {
  const options = parseOptions();
  const args = process.argv.slice(2);
  const command = `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  const docPath = join(repoRoot, 'docs', 'BENCHMARKS.md');
  if (options.renderOnly) {
    writeFileSync(docPath, renderDocument(readBenchData(docPath)));
    say(`rewrote ${docPath} from the figures it holds`);
    return 0;
  }
  const java = javaVersion();
  // Read once: the code under test is what was checked out when the run began.
  const commit = gitCommit(repoRoot);
  const workDir = mkdtempSync(join(tmpdir(), 'shoppulse-bench-'));
  say(`scratch directory ${workDir}; running ${options.selected.join(', ')}`);

  let broker: LocalKafka | undefined;
  const external = process.env.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter((b) => b.length > 0);
  let failed = false;
  const measuredNodeArgs = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const ctx: BenchContext = { repoRoot, workDir, brokers: [], brokerPid: undefined, createdTopics: [], say, measuredNodeArgs };

  const shutdown = async () => {
    await stopAllChildren();
    await broker?.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`${signal}: stopping everything this run started`);
      void shutdown().finally(() => process.exit(130));
    });
  }
  process.once('exit', killAllChildrenNow);

  const fresh: BenchData = {};
  try {
    if (!options.selected.some((b) => NEEDS_KAFKA.includes(b))) {
      say('no Kafka needed for the selected benchmarks');
    } else if (external && external.length > 0) {
      ctx.brokers = external;
      say(`using the Kafka cluster in KAFKA_BROKERS: ${external.join(',')}`);
    } else {
      const dataDir = join(workDir, 'broker');
      say('starting a local Kafka broker');
      broker = await startLocalKafka({ dataDir, port: 0, log: createRootLogger({ name: 'bench-kafka', level: 'warn' }) });
      ctx.brokers = broker.brokers;
      ctx.brokerPid = brokerPidOf(dataDir);
    }
    const meta = (cpus: CpuWindow[]): RunMeta => ({
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      commit,
      command,
      machine: machineInfo(java),
      broker: external ? 'external cluster' : 'local broker started by the benchmark',
      othersCores: median(cpus.map((c) => c.otherCores)),
    });

    for (const name of options.selected) {
      const loadAverage = machineInfo(java).loadAverage1m;
      try {
        if (name === 'collector') {
          const result = await runCollectorBench(ctx, options.collector);
          fresh.collector = { meta: meta([...result.collector, ...result.bare].map((r) => r.cpu)), result };
        } else if (name === 'processor') {
          const result = await runProcessorBench(ctx, options.processor);
          fresh.processor = { meta: meta([...result.ours, ...result.reference].map((r) => r.cpu)), result };
        } else if (name === 'latency') {
          const result = await runLatencyBench(ctx, options.latency);
          fresh.latency = { meta: meta(result.runs.map((r) => r.cpu)), result };
        } else if (name === 'isolation') {
          const result = await runIsolationBench(ctx, options.isolation);
          const run = { meta: { ...meta([result.cpu]), machine: { ...machineInfo(java), loadAverage1m: loadAverage } }, result };
          // With a stored history, the run joins the ones at other sizes; the empty-shop run is the headline.
          if (options.isolation.storedEvents > 0) fresh.isolationAtScale = { [String(options.isolation.storedEvents)]: run };
          else fresh.isolation = run;
        } else {
          const result = await runEndpointsBench(ctx, options.endpoints);
          const run = { meta: { ...meta([result.cpu]), machine: { ...machineInfo(java), loadAverage1m: loadAverage } }, result };
          // The default size is the headline; other sizes join the runs at scale.
          if (options.endpoints.events !== DEFAULT_ENDPOINT_EVENTS) fresh.endpointsAtScale = { [String(options.endpoints.events)]: run };
          else fresh.endpoints = run;
        }
        const done = name === 'isolation' || name === 'endpoints' ? undefined : fresh[name];
        if (done) done.meta.machine.loadAverage1m = loadAverage;
      } catch (err) {
        failed = true;
        say(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    }
  } finally {
    await stopAllChildren();
    if (external) await deleteTopics(ctx.brokers, ctx.createdTopics).catch((err: unknown) => say(`could not delete the benchmark topics: ${String(err)}`));
    await broker?.stop();
    if (options.keep || failed) say(`logs and data kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }

  // Read now, not when the run began: a benchmark run meanwhile (another shell) keeps its figures.
  const data: BenchData = options.writeDoc ? readBenchData(docPath) : {};
  const merged: BenchData = { ...data, ...fresh };
  if (data.isolationAtScale || fresh.isolationAtScale) merged.isolationAtScale = { ...data.isolationAtScale, ...fresh.isolationAtScale };
  if (data.endpointsAtScale || fresh.endpointsAtScale) merged.endpointsAtScale = { ...data.endpointsAtScale, ...fresh.endpointsAtScale };
  process.stdout.write(`\n${summaryTable(fresh)}\n\n`);
  if (options.writeDoc && Object.keys(fresh).length > 0) {
    mkdirSync(dirname(docPath), { recursive: true });
    writeFileSync(docPath, renderDocument(merged));
    say(`wrote ${docPath}`);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
