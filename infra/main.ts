// `npm start`: builds what needs building, starts the whole system with demo
// traffic (or without: `npm start -- --no-demo`) and stops it all on Ctrl-C.
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
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
    `  Ad-hoc SQL      POST ${stack.url}/api/sql   (Authorization: Bearer ${api.apiToken ? '$API_TOKEN' : apiToken})`,
    `  Kafka           ${stack.brokers.join(',')}`,
    `  ClickHouse      ${stack.clickhouse}`,
    args.has('--no-demo') ? '  Demo traffic    off' : `  Demo traffic    ~${demoEnv.DEMO_EVENTS_PER_SECOND} events/s`,
    '  Ctrl-C stops everything.',
    '',
  ].join('\n');
  process.stdout.write(`${banner}\n`);

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

main().catch((err: unknown) => {
  // Config and launch errors carry a message meant for the person starting it.
  process.stderr.write(`\nShopPulse could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
