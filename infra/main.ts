// `npm start`: builds what needs building, starts the whole system with demo
// traffic (or without: `npm start -- --no-demo`) and stops it all on Ctrl-C.
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { Logger } from 'pino';
import { readApiConfig } from '../api/config.ts';
import { readCollectorConfig } from '../collector/config.ts';
import { readProcessorConfig } from '../stream-processor/config.ts';
import { ensureBuilt } from './build.ts';
import { readEnginesConfig } from './config.ts';
import { readEnv } from './env.ts';
import { createRootLogger } from './logger.ts';
import { startStack } from './stack.ts';

const DemoEnvSchema = Type.Object({
  DEMO_EVENTS_PER_SECOND: Type.Integer({ default: 40, minimum: 1, maximum: 5000, description: 'demo traffic rate' }),
});

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const engines = readEnginesConfig();
  const collector = readCollectorConfig();
  const processor = readProcessorConfig();
  const api = readApiConfig();
  const demoEnv = readEnv(DemoEnvSchema);
  const log = createRootLogger({ name: 'shoppulse', level: engines.logLevel });

  // A local demo without a token would leave /api/sql open or unusable: make
  // one up and print it. Services started alone (api/server.ts) require one.
  const apiToken = api.apiToken ?? randomBytes(18).toString('base64url');
  // Same for the wall's view-only token: the kiosk URL carries it in its
  // fragment (#token=…), which browsers never send to the server.
  const wallToken = api.wallToken ?? randomBytes(18).toString('base64url');

  if (await ensureBuilt()) log.info('built the big screen');
  const demo = !args.has('--no-demo');
  const stack = await startStack({
    engines,
    collector,
    processor,
    api: { ...api, apiToken, wallToken },
    demo: { enabled: demo, eventsPerSecond: demoEnv.DEMO_EVENTS_PER_SECOND },
    log,
  });

  const banner = [
    '',
    'ShopPulse is running',
    `  Big screen      ${stack.url}/#token=${api.wallToken ? '$WALL_TOKEN' : wallToken}   (kiosk URL: view-only)`,
    `  Demo shop       ${stack.url}/demo/`,
    `  Tracker         ${stack.url}/t.js`,
    `  Collect         POST ${stack.url}/collect`,
    `  Live feed       ws://${stack.url.replace(/^http:\/\//, '')}/live`,
    `  Analyst pages   ${stack.url}/analyst/   (sign in with the API token)`,
    `  Ad-hoc SQL      POST ${stack.url}/api/sql   (Authorization: Bearer ${api.apiToken ? '$API_TOKEN' : apiToken})`,
    `  Kafka           ${stack.brokers.join(',')}`,
    `  ClickHouse      ${stack.clickhouse}`,
    args.has('--no-demo') ? '  Demo traffic    off' : `  Demo traffic    ~${demoEnv.DEMO_EVENTS_PER_SECOND} events/s`,
    '  Ctrl-C stops everything.',
    '',
  ].join('\n');
  process.stdout.write(`${banner}\n`);

  // The analytics jobs first run JOBS_INTERVAL_MS after start (10 min by
  // default). With demo traffic, run them once a minute in, as an operator
  // would through the API, so the wall's segment panel and the analyst pages
  // have results to show while someone is still looking.
  if (demo && api.jobsIntervalMs > 0) {
    const firstRun = setTimeout(() => void runJobsOnce(stack.url, apiToken, log), DEMO_FIRST_JOBS_MS);
    firstRun.unref();
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // Orchestrators send SIGKILL after a grace period (often 10 s): rather
    // exit non-zero ourselves, having flushed what could be flushed.
    const force = setTimeout(() => {
      log.error('did not stop within 9 s, exiting');
      process.exit(1);
    }, 9_000);
    force.unref();
    stack.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

const DEMO_FIRST_JOBS_MS = 60_000;

async function runJobsOnce(url: string, token: string, log: Logger): Promise<void> {
  const headers = { authorization: `Bearer ${token}` };
  try {
    const { jobs } = (await (await fetch(`${url}/api/jobs`, { headers })).json()) as { jobs: Array<{ name: string }> };
    for (const { name } of jobs) {
      const response = await fetch(`${url}/api/jobs/${encodeURIComponent(name)}/run`, { method: 'POST', headers });
      if (!response.ok) log.warn({ job: name, status: response.status }, 'demo: first job run refused');
    }
  } catch (err) {
    log.warn({ err }, 'demo: could not run the analytics jobs once');
  }
}

main().catch((err: unknown) => {
  // Config and launch errors carry a message meant for the person starting it.
  process.stderr.write(`\nShopPulse could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
