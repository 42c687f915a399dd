// The tracker's retry queue in a real browser: the demo shop runs while its
// collector is unreachable (every POST /collect aborted), the events wait in
// localStorage, and once the collector is reachable again each of them reaches
// ClickHouse exactly once, with the event_id it was made with.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { TrackedEvent } from '../../collector/contract/events.ts';
import { launchChromium, openPage } from '../helpers/browser.ts';
import { pollUntil } from '../helpers/events.ts';
import { startTestStack, type TestStack } from '../helpers/test-stack.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// What the clicks below make: the automatic page_view; 查看 = product_click, then
// the SPA navigation (page_leave + page_view), then product_view; 收藏; 加入购物车;
// 立即购买 = order_submit, and order_pay 1.5 s later.
const OFFLINE_TYPES = [
  'cart_add',
  'favorite_add',
  'order_pay',
  'order_submit',
  'page_leave',
  'page_view',
  'page_view',
  'product_click',
  'product_view',
];

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

test('events made while the collector is unreachable reach ClickHouse exactly once when it is back', async () => {
  const page = await openPage(browser);
  let failedPosts = 0;
  page.on('requestfailed', (request) => {
    if (request.url().endsWith('/collect')) failedPosts++;
  });
  await page.route('**/collect', (route) => route.abort('connectionrefused'));
  await page.goto(`${stack.url}/demo/`);
  await page.waitForFunction(() => typeof (window as unknown as { shoppulse?: { track?: unknown } }).shoppulse?.track === 'function');

  const card = page.locator('article.card').first();
  for (const name of ['查看', '收藏', '加入购物车', '立即购买']) await card.getByRole('button', { name, exact: true }).click();
  await page.waitForFunction(
    (n) => (JSON.parse(localStorage.getItem('sp_q') || '[]') as unknown[]).length === n,
    OFFLINE_TYPES.length,
    { timeout: 15_000 },
  );
  const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('sp_q') || '[]') as TrackedEvent[]);
  const anonymousId = await page.evaluate(() => localStorage.getItem('sp_aid'));
  assert.deepEqual(queued.map((e) => e.type).sort(), OFFLINE_TYPES);
  assert.ok(failedPosts > 0, 'the tracker tried the collector and failed');
  // Checked before it goes into the SQL text: /api/sql takes no bound parameters.
  assert.match(anonymousId ?? '', UUID);
  assert.deepEqual(await stack.sql(`SELECT count() AS n FROM events WHERE anonymous_id = '${anonymousId}'`), [{ n: 0 }]);

  // The collector is back: the queue drains on the next backoff step.
  await page.unroute('**/collect');
  await page.waitForFunction(() => (JSON.parse(localStorage.getItem('sp_q') || '[]') as unknown[]).length === 0, undefined, {
    timeout: 30_000,
  });
  // pagehide sends the product page's page_leave, by beacon now that nothing waits.
  await page.close({ runBeforeUnload: true });

  const expected = OFFLINE_TYPES.length + 1;
  const [totals] = await pollUntil(
    () => stack.sql<{ n: number; ids: number }>(
      `SELECT count() AS n, uniqExact(event_id) AS ids FROM events WHERE anonymous_id = '${anonymousId}'`,
    ),
    (rows) => (rows[0]?.n ?? 0) >= expected,
    20_000,
  );
  assert.deepEqual(totals, { n: expected, ids: expected }, 'every event once, none twice');
  const rows = await stack.sql<{ id: string; type: string; dwell_ms: number | null }>(
    `SELECT toString(event_id) AS id, type, dwell_ms FROM events WHERE anonymous_id = '${anonymousId}'`,
  );
  const stored = new Set(rows.map((r) => r.id));
  for (const event of queued) assert.ok(stored.has(event.event_id), `${event.type} ${event.event_id} kept its event_id`);
  const leaves = rows.filter((r) => r.type === 'page_leave');
  assert.equal(leaves.length, 2, 'one page_leave for the SPA navigation, one for closing the tab');
  for (const leave of leaves) assert.equal(typeof leave.dwell_ms, 'number');
});
