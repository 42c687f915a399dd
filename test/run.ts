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
// test files run ENGINE_CONCURRENCY at a time, each with its own topics,
// consumer group and ClickHouse, on one broker, the longest first. Most
// engine tests spend their time waiting (Kafka joins, polls, a broker outage),
// so several fit on each core.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureBuilt } from '../infra/all-in-one/build.ts';
import { startLocalKafka, type LocalKafka } from '../infra/kafka/local-broker.ts';
import { createRootLogger } from '../infra/logger.ts';
import { repoRoot } from '../infra/paths.ts';
import { engineTestFiles } from './helpers/test-files.ts';

const CHROMIUM = '/usr/bin/chromium';
const UNIT_BUNDLE = join(repoRoot, 'test', 'unit-tests.ts');
/** Engine test files (and the unit bundle) running at once: two per core. */
const ENGINE_CONCURRENCY = Math.max(2, 2 * availableParallelism());
/**
 * Started first, longest first (seconds alone on a quiet 2-core machine):
 * the run ends about when the longest file does, so it must not start last.
 */
const LONGEST_FIRST = [
  'test/integration/fault-processor-kill.test.ts',
  'test/integration/collector-broker-outage.test.ts',
  'test/e2e/bigscreen-live.test.ts',
  'test/e2e/bigscreen-demo.test.ts',
  'test/integration/segments-online-retail.test.ts',
];

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

function runNodeTests(files: string[], env: NodeJS.ProcessEnv, concurrency: number): Promise<number> {
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files.map((f) => relative(repoRoot, f))];
  return run(process.execPath, args, env);
}

function ordered(files: string[]): string[] {
  const rank = (f: string) => {
    const i = LONGEST_FIRST.indexOf(relative(repoRoot, f));
    return i === -1 ? LONGEST_FIRST.length : i;
  };
  return [...files].sort((a, b) => rank(a) - rank(b));
}

async function main(): Promise<number> {
  const unitOnly = process.argv.includes('--unit');
  const typeChecked = typeCheck();
  let kafka: LocalKafka | undefined;
  let scratch: string | undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, SHOPPULSE_REPO: repoRoot };
  try {
    const engine = unitOnly ? [] : engineTestFiles();
    if (engine.length > 0) {
      ensureChromium();
      // The browser tests open the built screen, as `npm start` serves it.
      if (await ensureBuilt()) console.log('built the big screen');
      if (!process.env.KAFKA_BROKERS) {
        scratch = mkdtempSync(join(tmpdir(), 'shoppulse-test-kafka-'));
        const log = createRootLogger({ name: 'test-kafka', level: 'warn' });
        kafka = await startLocalKafka({ dataDir: scratch, port: 0, log });
        env.KAFKA_BROKERS = kafka.brokers.join(',');
      }
    }
    // The unit bundle goes right after the longest engine files: it is long too.
    const files = ordered(engine);
    const longest = files.filter((f) => LONGEST_FIRST.includes(relative(repoRoot, f)));
    const rest = files.filter((f) => !longest.includes(f));
    const tests = await runNodeTests([...longest, UNIT_BUNDLE, ...rest], env, unitOnly ? 1 : ENGINE_CONCURRENCY);
    const types = await typeChecked;
    if (types !== 0) console.error('\ntype check failed (tsc --noEmit -p tsconfig.json): see its errors above');
    return tests !== 0 ? tests : types;
  } finally {
    await kafka?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
