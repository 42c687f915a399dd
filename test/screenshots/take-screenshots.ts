// `npm run screenshots`: starts the whole stack with demo traffic (its own
// Kafka broker unless KAFKA_BROKERS is set, a fresh embedded ClickHouse),
// imports the real Taobao sample (../shared/data/taobao_c.csv, its 2017 times
// kept) so the analyst pages have nine days of real behaviour, runs the
// analytics jobs, and saves PNGs of the wall (1920×1080 and 3840×2160) and of
// every analyst page to docs/screenshots/.
//
//   npm run screenshots
//   npm run screenshots -- --url http://127.0.0.1:8080 --token "$API_TOKEN"   # a running system, as it is
//   options: --out DIR (docs/screenshots) · --warmup-seconds N (45: demo traffic before the wall is taken)
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt } from '../../infra/all-in-one/build.ts';
import { repoRoot } from '../../infra/paths.ts';
import { startLocalKafka, type LocalKafka } from '../../infra/kafka/local-broker.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { launchChromium } from '../helpers/browser.ts';
import { pollUntil } from '../helpers/events.ts';
import { runImporter } from '../helpers/run-importer.ts';

const SAMPLE = join(repoRoot, '..', 'shared', 'data', 'taobao_c.csv');
/** taobao_c.csv: 9,046 pv → page_view + product_view, 536 cart, 212 fav, 206 buy → order_submit + order_pay. */
const SAMPLE_EVENTS = 9046 * 2 + 536 + 212 + 206 * 2;
/** The sample's nine Shanghai days, for the analyst pages' time filter. */
const SAMPLE_RANGE = 'range=custom&from=2017-11-25T00%3A00&to=2017-12-04T00%3A00';
const JOBS = ['rfm', 'clusters', 'item-similarity', 'association-rules'];

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    out: { type: 'string', default: join(repoRoot, 'docs', 'screenshots') },
    'warmup-seconds': { type: 'string', default: '45' },
  },
});

const log = (message: string) => process.stdout.write(`${message}\n`);

async function api<T>(url: string, token: string, path: string, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${json.error ?? ''}`);
  return json;
}

interface Target {
  url: string;
  token: string;
  /** analyst pages use the sample's days when the sample was imported */
  sampleImported: boolean;
  /** own stack only: imports the Taobao sample; false when the file is absent */
  importSample?: () => Promise<boolean>;
  stop(): Promise<void>;
}

async function startOwnStack(): Promise<Target> {
  let kafka: LocalKafka | undefined;
  let scratch: string | undefined;
  if (!process.env.KAFKA_BROKERS) {
    scratch = mkdtempSync(join(tmpdir(), 'shoppulse-screenshots-kafka-'));
    kafka = await startLocalKafka({ dataDir: scratch, port: 0, log: createRootLogger({ name: 'screenshots-kafka', level: 'warn' }) });
    process.env.KAFKA_BROKERS = kafka.brokers.join(',');
  }
  // After KAFKA_BROKERS is set: the test stack reads it.
  const { startTestStack, TEST_API_TOKEN } = await import('../helpers/test-stack.ts');
  const stopKafka = async () => {
    await kafka?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
  const stack = await startTestStack({ demo: true }).catch(async (err: unknown) => {
    await stopKafka();
    throw err;
  });
  const stop = async () => {
    await stack.stop();
    await stopKafka();
  };
  log(`stack up at ${stack.url} (demo traffic on)`);
  const importSample = async (): Promise<boolean> => {
    if (!existsSync(SAMPLE)) {
      log(`${SAMPLE} is absent: the analyst pages show the demo traffic only`);
      return false;
    }
    const run = await runImporter([SAMPLE, '--format', 'taobao', '--keep-times'], {
      KAFKA_BROKERS: stack.brokers.join(','),
      KAFKA_RAW_TOPIC: stack.engines.kafka.rawTopic,
    });
    if (run.code !== 0) throw new Error(`import failed: ${run.stderr}`);
    const rows = await pollUntil(
      () => stack.sql<{ n: number }>('SELECT count() AS n FROM events WHERE toYear(ts) = 2017'),
      (r) => (r[0]?.n ?? 0) >= SAMPLE_EVENTS,
      90_000,
      500,
    );
    if ((rows[0]?.n ?? 0) < SAMPLE_EVENTS) throw new Error(`only ${rows[0]?.n} of ${SAMPLE_EVENTS} sample events arrived`);
    log(`imported ${relative(repoRoot, SAMPLE)}: ${SAMPLE_EVENTS} events`);
    return true;
  };
  return { url: stack.url, token: TEST_API_TOKEN, sampleImported: false, importSample, stop };
}

/** Waits until the page has no section loading, then lets chart animations end. */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('.page') !== null && document.querySelector('[data-state="loading"]') === null, undefined, { timeout: 60_000 });
  await page.waitForTimeout(1200);
}

async function shoot(page: Page, outDir: string, name: string, fullPage = true): Promise<void> {
  const path = join(outDir, `${name}.png`);
  // The nav bar is sticky: from the top, it sits at the top of a full-page picture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage });
  log(`saved ${relative(repoRoot, path)}`);
}

async function wallShots(browser: Browser, target: Target, outDir: string): Promise<void> {
  for (const [width, height] of [
    [1920, 1080],
    [3840, 2160],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height } });
    // The kiosk URL: the token rides in the fragment, never sent to the server.
    await page.goto(`${target.url}/#token=${encodeURIComponent(target.token)}`);
    await page.waitForTimeout(8000);
    await shoot(page, outDir, `wall-${width}x${height}`, false);
    await page.close();
  }
}

async function analystShots(browser: Browser, target: Target, outDir: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const base = `${target.url}/analyst/`;
  const range = target.sampleImported ? SAMPLE_RANGE : '';
  const hash = (route: string, extra = '') => `#/${route}${range || extra ? `?${[range, extra].filter(Boolean).join('&')}` : ''}`;

  await page.goto(base);
  await page.locator('[data-field="token"]').fill('not-the-token-0000000000');
  await page.locator('[data-action="sign-in"]').click();
  await page.locator('.signin-message[data-kind="error"]').waitFor();
  await shoot(page, outDir, 'analyst-sign-in', false);
  await page.locator('[data-field="token"]').fill(target.token);
  await page.locator('[data-action="sign-in"]').click();
  await page.locator('[data-page="overview"]').waitFor();

  const visit = async (route: string, extra = '') => {
    await page.goto(`${base}${hash(route, extra)}`);
    await page.locator(`[data-page="${route}"]`).waitFor();
    await settle(page);
  };

  await visit('overview');
  await shoot(page, outDir, 'analyst-overview');

  await visit('funnel');
  await shoot(page, outDir, 'analyst-funnel');

  // The imported sample carries no traffic sources: the Sources page over all the data shows the demo's.
  await page.goto(`${base}#/sources`);
  await page.locator('[data-page="sources"] [data-section="sources"][data-state="ready"]').waitFor();
  await settle(page);
  await shoot(page, outDir, 'analyst-sources');

  await visit('retention');
  await shoot(page, outDir, 'analyst-retention');

  // Drill into the biggest segment, then its first user.
  const rfm = await api<{ segments: Array<{ key: string; users: number }> }>(target.url, target.token, '/api/segments/rfm');
  const biggest = [...rfm.segments].sort((a, b) => b.users - a.users)[0]!;
  await visit('segments');
  await page.locator('[data-table="rfm"] tbody tr', { has: page.locator(`td[data-col="key"]`, { hasText: new RegExp(`^${biggest.key}$`) }) }).click();
  await settle(page);
  await page.locator('[data-table="rfm-users"] tbody tr.clickable').first().click();
  await settle(page);
  await shoot(page, outDir, 'analyst-segments');

  await visit('clusters');
  await page.locator('[data-table="cluster-profiles"] tbody tr.clickable').first().click();
  await settle(page);
  await shoot(page, outDir, 'analyst-clusters');

  // A product and a buyer that have recommendations: the most popular product, the biggest spender.
  const popular = await api<{ items: Array<{ product_id: string }> }>(target.url, target.token, '/api/recommendations/popular?limit=1');
  const buyers = await api<{ users: Array<{ user_id: string }> }>(target.url, target.token, '/api/segments/rfm/users?limit=1');
  const extra = new URLSearchParams({
    ...(popular.items[0] ? { product: popular.items[0].product_id } : {}),
    ...(buyers.users[0] ? { user: buyers.users[0].user_id } : {}),
  }).toString();
  await visit('recommendations', extra);
  await shoot(page, outDir, 'analyst-recommendations');

  await visit('rules');
  await shoot(page, outDir, 'analyst-rules');

  await visit('sql');
  await page.locator('[data-field="sql"]').fill(
    [
      "SELECT toDate(ts, 'Asia/Shanghai') AS day,",
      "       countIf(type = 'page_view') AS pv,",
      '       uniqExact(anonymous_id) AS uv,',
      "       countIf(type = 'order_pay') AS paid_orders,",
      "       sumIf(order_amount, type = 'order_pay') AS gmv",
      'FROM events',
      'GROUP BY day',
      'ORDER BY day',
    ].join('\n'),
  );
  await page.locator('[data-action="run-sql"]').click();
  await page.locator('[data-table="sql-result"]').waitFor();
  await page.locator('[data-schema-table="events"] summary').click();
  await settle(page);
  await shoot(page, outDir, 'analyst-sql');
  await page.close();
}

async function runJobs(target: Target): Promise<void> {
  for (const job of JOBS) {
    const { job: status } = await api<{ job: { last_error: string | null; last_rows: number | null } }>(target.url, target.token, `/api/jobs/${job}/run`, 'POST');
    if (status.last_error) throw new Error(`job ${job} failed: ${status.last_error}`);
    log(`job ${job}: ${status.last_rows} rows`);
  }
}

async function main(): Promise<void> {
  const outDir = resolve(args.out!);
  mkdirSync(outDir, { recursive: true });
  let target: Target;
  if (args.url) {
    // That system serves its own build.
    if (!args.token) throw new Error('--url needs --token (the API_TOKEN of that system)');
    target = { url: args.url.replace(/\/+$/, ''), token: args.token, sampleImported: false, stop: async () => {} };
  } else {
    if (await ensureBuilt()) log('built the big screen and the analyst pages');
    target = await startOwnStack();
  }
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    if (target.importSample) {
      const warmupMs = Number(args['warmup-seconds']) * 1000;
      log(`letting demo traffic run ${warmupMs / 1000} s`);
      await new Promise((r) => setTimeout(r, warmupMs));
      await runJobs(target);
      // The wall first: the import goes through Kafka at full speed and would
      // show as a spike on its events-per-second line.
      await wallShots(browser, target, outDir);
      target.sampleImported = await target.importSample();
      await runJobs(target);
    } else {
      await wallShots(browser, target, outDir);
    }
    await analystShots(browser, target, outDir);
  } finally {
    await browser?.close();
    await target.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`screenshots failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
