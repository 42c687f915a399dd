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
