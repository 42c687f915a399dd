// `npm test`: unit tests, then integration and end-to-end tests against a real
// Kafka broker (started here unless KAFKA_BROKERS is set) and a real ClickHouse
// engine (embedded chDB per test process unless CLICKHOUSE_URL is set), and a
// real headless Chromium (Debian's package, installed here when missing).
//   npm test               everything
//   npm test -- --unit     unit tests only (no engines, no browser)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ensureBuilt } from '../infra/all-in-one/build.ts';
import { repoRoot } from '../infra/paths.ts';
import { startLocalKafka, type LocalKafka } from '../infra/kafka/local-broker.ts';
import { createRootLogger } from '../infra/logger.ts';

const CHROMIUM = '/usr/bin/chromium';
const UNIT_DIRS = ['collector', 'stream-processor', 'api', 'bigscreen', 'infra'];

function findTests(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

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

function runNodeTests(files: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files.map((f) => relative(repoRoot, f))];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const unitOnly = process.argv.includes('--unit');
  const unit = UNIT_DIRS.flatMap((d) => findTests(join(repoRoot, d)));
  const engine = unitOnly ? [] : [...findTests(join(repoRoot, 'test', 'integration')), ...findTests(join(repoRoot, 'test', 'e2e'))];

  let kafka: LocalKafka | undefined;
  let scratch: string | undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, SHOPPULSE_REPO: repoRoot };
  try {
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
    return await runNodeTests([...unit, ...engine], env);
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
