// `npm test`: the type check, the unit tests, and the integration and
// end-to-end tests against a real Kafka broker (started here unless
// KAFKA_BROKERS is set), a real ClickHouse engine (embedded chDB per test
// process unless CLICKHOUSE_URL is set) and a real headless Chromium
// (Debian's package, installed here when missing).
//   npm test               everything
//   npm test -- --unit     type check and unit tests only (no engines, no browser)
//
// How it fits in a few minutes on 2 cores: the type check runs beside the
// tests; the unit tests share one process (test/unit-tests.ts); the engine
// test files are dealt into LANES processes that run side by side, each file
// in its own suite with its own topics, consumer group and ClickHouse, one
// broker for all. Loading the code costs a few CPU seconds per process, so a
// process per file would spend minutes on it; most engine tests spend their
// time waiting (Kafka joins, polls, a broker outage), so several lanes share
// each core well.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from '../infra/all-in-one/build.ts';
import { startLocalKafka, type LocalKafka } from '../infra/kafka/local-broker.ts';
import { createRootLogger } from '../infra/logger.ts';
import { repoRoot } from '../infra/paths.ts';
import { engineTestFiles } from './helpers/test-files.ts';

const CHROMIUM = '/usr/bin/chromium';
const UNIT_BUNDLE = join(repoRoot, 'test', 'unit-tests.ts');
/** Engine test processes side by side (the unit tests run beside them in one more). */
const LANES = Math.max(2, 2 * availableParallelism());
/**
 * Seconds each engine file takes alone on a quiet 2-core machine (rounded,
 * `npm test` of 2026-12-02); files not listed count as DEFAULT_SECONDS. Only
 * used to deal the files into lanes of about equal length, longest first.
 */
const EXPECTED_SECONDS: Record<string, number> = {
  'test/integration/collector-broker-outage.test.ts': 60,
  'test/e2e/bigscreen-live.test.ts': 55,
  'test/e2e/bigscreen-demo.test.ts': 45,
  'test/integration/fault-processor-kill.test.ts': 52,
  'test/integration/segments-online-retail.test.ts': 36,
  'test/e2e/analyst-pages.test.ts': 19,
  'test/integration/fault-clickhouse-down.test.ts': 19,
  'test/integration/fault-sigterm.test.ts': 18,
  'test/integration/import-taobao.test.ts': 16,
  'test/integration/segments-taobao.test.ts': 16,
  'test/integration/pipeline.test.ts': 15,
  'test/integration/import-samples.test.ts': 14,
  'test/integration/processor-scale-out.test.ts': 14,
  'test/e2e/tracker-offline.test.ts': 13,
};
const DEFAULT_SECONDS = 8;
/**
 * Files that suffer most when the machine is busiest, in the first minute
 * (the type check, the unit tests and every lane starting at once): F1's
 * processors must commit within its deadline, the browser tests load pages
 * within theirs. They go last in their lanes; a lane's length is the same in
 * any order.
 */
const RUN_LATE = new Set([
  'test/integration/fault-processor-kill.test.ts',
  'test/e2e/bigscreen-live.test.ts',
  'test/e2e/bigscreen-demo.test.ts',
  'test/e2e/analyst-pages.test.ts',
  'test/e2e/tracker-offline.test.ts',
  'test/e2e/tracker-demo-shop.test.ts',
]);

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`The browser test needs Debian's Chromium at ${CHROMIUM}: run  sudo apt-get install -y chromium`);
  }
  console.log('installing Debian chromium for the browser test (first run only)…');
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-noto-cjk']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function typeCheck(): Promise<number> {
  return run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json']);
}

/**
 * Longest first, each into the lane that is shortest so far (a list
 * scheduling that keeps the lanes about even); inside a lane the late files
 * last.
 */
function dealIntoLanes(files: string[], lanes: number, seconds: (file: string) => number, late: (file: string) => boolean): string[][] {
  const out = Array.from({ length: lanes }, () => ({ files: [] as string[], total: 0 }));
  for (const file of [...files].sort((a, b) => seconds(b) - seconds(a) || a.localeCompare(b))) {
    const lane = out.reduce((min, l) => (l.total < min.total ? l : min));
    lane.files.push(file);
    lane.total += seconds(file);
  }
  return out.filter((l) => l.files.length > 0).map((l) => [...l.files.filter((f) => !late(f)), ...l.files.filter(late)]);
}

/** A lane as a test file: each of its files runs as a suite of its own, one after the other, in one process. */
function writeLane(dir: string, index: number, files: string[]): string {
  const path = join(dir, `lane-${index + 1}.test.ts`);
  const lines = [
    '// Written by test/run.ts: engine test files run one after another in this process.',
    "import { describe } from 'node:test';",
    ...files.map((f) => `describe(${JSON.stringify(relative(repoRoot, f))}, async () => { await import(${JSON.stringify(pathToFileURL(f).href)}); });`),
  ];
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function main(): Promise<number> {
  const unitOnly = process.argv.includes('--unit');
  const typeChecked = typeCheck();
  let kafka: LocalKafka | undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'shoppulse-test-'));
  const env: NodeJS.ProcessEnv = { UV_THREADPOOL_SIZE: '16', ...process.env, SHOPPULSE_REPO: repoRoot };
  try {
    const engine = unitOnly ? [] : engineTestFiles();
    if (engine.length > 0) {
      ensureChromium();
      // The browser tests open the built screen, as `npm start` serves it;
      // it builds while the broker starts.
      const built = ensureBuilt().then((fresh) => fresh && console.log('built the big screen'));
      if (!process.env.KAFKA_BROKERS) {
        const log = createRootLogger({ name: 'test-kafka', level: 'warn' });
        kafka = await startLocalKafka({ dataDir: join(scratch, 'kafka'), port: 0, log });
        env.KAFKA_BROKERS = kafka.brokers.join(',');
      }
      await built;
    }
    // Lanes live in the repository (.cache/ is ignored by git) so that tsx and node resolve them like the tests.
    const laneDir = join(repoRoot, '.cache', 'test-lanes');
    rmSync(laneDir, { recursive: true, force: true });
    mkdirSync(laneDir, { recursive: true });
    const lanes = dealIntoLanes(
      engine,
      LANES,
      (f) => EXPECTED_SECONDS[relative(repoRoot, f)] ?? DEFAULT_SECONDS,
      (f) => RUN_LATE.has(relative(repoRoot, f)),
    ).map((files, i) =>
      writeLane(laneDir, i, files),
    );
    const files = [...lanes, UNIT_BUNDLE].map((f) => relative(repoRoot, f));
    // A hung test fails the run after 10 minutes instead of holding it (each file runs as one suite of a lane, which the limit covers too).
    const tests = await run(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${files.length}`, '--test-timeout=600000', '--test-reporter=spec', ...files], env);
    const types = await typeChecked;
    if (types !== 0) console.error('\ntype check failed (tsc --noEmit -p tsconfig.json): see its errors above');
    return tests !== 0 ? tests : types;
  } finally {
    await kafka?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
