// `npm start`: builds what needs building, starts the whole system with demo
// traffic (or without: `npm start -- --no-demo`) and stops it all on Ctrl-C.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { createRootLogger } from '../logger.ts';
import { ensureBuilt } from './build.ts';
import { readAllInOneConfig } from './config.ts';
import { startStack } from './stack.ts';

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const { engines, listen, collector, processor, api, demo: demoConfig } = readAllInOneConfig();
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
    listen,
    collector,
    processor,
    api: { ...api, apiToken, wallToken },
    demo: { enabled: demo, eventsPerSecond: demoConfig.eventsPerSecond },
    log,
    // Ctrl-C reaches this process only; shutdown() stops the broker last.
    brokerOwnProcessGroup: true,
  });

  const rule = '─'.repeat(72);
  const banner = [
    '',
    rule,
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
    args.has('--no-demo') ? '  Demo traffic    off' : `  Demo traffic    ~${demoConfig.eventsPerSecond} events/s`,
    '  Ctrl-C stops everything.',
    rule,
    '',
  ].join('\n');
  // Pretty logs go through a worker thread: let the start-up lines out first
  // so that the banner is the last thing on the screen.
  await new Promise<void>((resolve) => log.flush(() => resolve()));
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
