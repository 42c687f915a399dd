// The real tracker in a real browser: the demo shop embeds /t.js; its page
// view and a click on "add to cart" arrive in ClickHouse through sendBeacon,
// the collector, Kafka and the processor.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage } from '../helpers/browser.ts';
import { pollUntil } from '../helpers/events.ts';
import { startTestStack, type TestStack } from '../helpers/test-stack.ts';

let stack: TestStack;
let browser: Browser;

before(async () => {
  stack = await startTestStack();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('the demo shop sends page_view and cart_add through t.js', async () => {
  const page = await openPage(browser);
  await page.goto(`${stack.url}/demo/`);
  await page.waitForFunction(() => typeof (window as unknown as { shoppulse?: { track?: unknown } }).shoppulse?.track === 'function');
  await page.getByRole('button', { name: '加入购物车' }).first().click();
  // pagehide flushes the queue, as leaving a shop page would.
  await page.close({ runBeforeUnload: true });

  const rows = await pollUntil(
    () => stack.sql<{ type: string; n: number; visitors: number }>(
      "SELECT type, count() AS n, uniqExact(anonymous_id) AS visitors FROM events WHERE type IN ('page_view', 'cart_add') GROUP BY type ORDER BY type",
    ),
    (r) => r.length === 2,
    15_000,
  );
  assert.deepEqual(rows, [
    { type: 'cart_add', n: 1, visitors: 1 },
    { type: 'page_view', n: 1, visitors: 1 },
  ]);
  const [ua] = await stack.sql<{ user_agent: string; client_ip: string }>('SELECT user_agent, client_ip FROM events LIMIT 1');
  assert.match(ua!.user_agent, /Chrome/);
  assert.equal(ua!.client_ip, '127.0.0.0');
});

test('a visit landing from a Weibo campaign keeps its source through a reload from the shop itself', async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(60_000);
  const landing = `${stack.url}/demo/?utm_source=weibo&utm_medium=social&utm_campaign=d11-e2e`;
  const first = await context.newPage();
  await first.goto(landing, { referer: 'https://weibo.com/u/1' });
  await first.waitForFunction(() => typeof (window as unknown as { shoppulse?: { track?: unknown } }).shoppulse?.track === 'function');
  await first.close({ runBeforeUnload: true });
  // The same browser comes back to the shop from the shop's own page, inside the session.
  const second = await context.newPage();
  await second.goto(`${stack.url}/demo/`, { referer: landing });
  await second.waitForFunction(() => typeof (window as unknown as { shoppulse?: { track?: unknown } }).shoppulse?.track === 'function');
  await second.getByRole('button', { name: '加入购物车' }).first().click();
  await second.close({ runBeforeUnload: true });
  await context.close();

  const visitor = `(SELECT anonymous_id FROM events WHERE page_url = '${landing}' LIMIT 1)`;
  const rows = await pollUntil(
    () =>
      stack.sql<{ type: string; page_referrer: string; channel: string; source: string; medium: string; campaign: string; first_channel: string }>(
        `SELECT type, page_referrer, channel, source, medium, campaign, first_channel FROM events
         WHERE anonymous_id = ${visitor} AND type IN ('page_view', 'cart_add') ORDER BY ts, type`,
      ),
    (r) => r.length === 3,
    15_000,
  );
  assert.deepEqual(rows.map((r) => [r.type, r.page_referrer]), [
    ['page_view', 'https://weibo.com/u/1'],
    ['page_view', landing],
    ['cart_add', landing],
  ], 'the second page was reached from the first');
  for (const r of rows) assert.deepEqual([r.channel, r.source, r.medium, r.campaign, r.first_channel], ['social', 'weibo', 'social', 'd11-e2e', 'social']);
  const sessions = await stack.sql<{ n: number; channel: string; campaign: string }>(
    `SELECT count() AS n, any(channel) AS channel, any(campaign) AS campaign FROM sessions WHERE anonymous_id = ${visitor}`,
  );
  assert.deepEqual(sessions, [{ n: 1, channel: 'social', campaign: 'd11-e2e' }]);
});
