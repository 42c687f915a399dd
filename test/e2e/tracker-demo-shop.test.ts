// The real tracker in a real browser: the demo shop embeds /t.js; its page
// view and a click on "add to cart" arrive in ClickHouse through sendBeacon,
// the collector, Kafka and the processor.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { connectLiveClient } from '../../api/live/live-client.ts';
import { launchChromium, openPage } from '../helpers/browser.ts';
import { pollUntil } from '../helpers/events.ts';
import { startTestStack, TEST_API_TOKEN, type TestStack } from '../helpers/test-stack.ts';

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

test('a shopper from the d11 newsletter who pays is that campaign’s GMV on the Sources API and the wall; a Baidu visitor is organic search / baidu', async () => {
  const live = await connectLiveClient({ url: `${stack.url.replace('http', 'ws')}/live`, token: TEST_API_TOKEN });
  try {
    const ready = (page: Page) => page.waitForFunction(() => typeof (window as unknown as { shoppulse?: { track?: unknown } }).shoppulse?.track === 'function');
    const buyer = await browser.newContext();
    const shop = await buyer.newPage();
    await shop.goto(`${stack.url}/demo/?utm_source=newsletter&utm_medium=email&utm_campaign=d11`);
    await ready(shop);
    await shop.getByRole('button', { name: '加入购物车' }).first().click();
    await shop.locator('#checkout').click();
    // The shop pays a moment after the order is submitted.
    await shop.locator('#log li', { hasText: /^pay WEB/ }).waitFor({ timeout: 15_000 });
    await shop.close({ runBeforeUnload: true });
    await buyer.close();
    const searcher = await browser.newContext();
    const landing = await searcher.newPage();
    await landing.goto(`${stack.url}/demo/`, { referer: 'https://www.baidu.com/s?wd=%E6%89%8B%E6%9C%BA' });
    await ready(landing);
    await landing.close({ runBeforeUnload: true });
    await searcher.close();

    const [paid] = await pollUntil(
      () => stack.sql<{ n: number; gmv: number }>("SELECT count() AS n, sum(order_amount) AS gmv FROM events WHERE type = 'order_pay' AND campaign = 'd11'"),
      (r) => r[0]!.n === 1,
      15_000,
    );
    await pollUntil(() => stack.sql<{ n: number }>("SELECT count() AS n FROM events WHERE source = 'baidu'"), (r) => r[0]!.n >= 1, 15_000);
    const sources = async (query: string) => {
      const response = await fetch(`${stack.url}/api/analysis/sources?${query}`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
      assert.equal(response.status, 200);
      return ((await response.json()) as { rows: Array<{ key: string; sessions: number; last_non_direct: { paid_orders: number; gmv: number }; first_touch: { gmv: number } }> }).rows;
    };
    const d11 = (await sources('group_by=campaign')).find((r) => r.key === 'd11');
    assert.deepEqual([d11?.sessions, d11?.last_non_direct.paid_orders, d11?.last_non_direct.gmv, d11?.first_touch.gmv], [1, 1, Number(paid!.gmv), Number(paid!.gmv)]);
    const baidu = (await sources('group_by=source&channel=organic_search')).find((r) => r.key === 'baidu');
    assert.equal(baidu?.sessions, 1);
    // The wall's channel panel: email with that GMV (the slow sections refresh every 10 s).
    const snapshot = await live.waitFor((s) => s.channels.some((c) => c.channel === 'email' && c.paid_orders === 1), 30_000);
    assert.equal(snapshot.channels.find((c) => c.channel === 'email')?.gmv, Number(paid!.gmv));
  } finally {
    live.close();
  }
});
