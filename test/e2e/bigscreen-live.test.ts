// A real headless Chromium opens the wall's kiosk URL on the real stack:
// the numbers it shows equal /live's snapshot of the same seq and what
// /api/sql counts; event text renders as text; a server restart is survived
// without a reload; the token never reaches a log line.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { readApiConfig } from '../../api/config.ts';
import { connectLiveClient, type LiveClient } from '../../api/live/live-client.ts';
import { formatKpi, KPI_DEFINITIONS, type KpiKey } from '../../bigscreen/charts/kpi-cards.ts';
import { readCollectorConfig } from '../../collector/config.ts';
import type { EnginesConfig } from '../../infra/config.ts';
import { startStack, type RunningStack } from '../../infra/all-in-one/stack.ts';
import { readProcessorConfig } from '../../stream-processor/config.ts';
import { launchChromium, openPage } from '../helpers/browser.ts';
import { makeEvent, pollUntil } from '../helpers/events.ts';
import { freshEngines, TEST_API_TOKEN } from '../helpers/test-stack.ts';

const WALL_TOKEN = `wall-e2e-${randomUUID()}`;
const XSS = '<img src=x onerror=alert(1)>';

let engines: EnginesConfig;
let port: number;
let stack: RunningStack;
let browser: Browser;
let page: Page;
let client: LiveClient;
const logLines: string[] = [];
const dialogs: string[] = [];
const sockets: string[] = [];
let loads = 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** The stack as npm start runs it, on a fixed port (so a restart keeps the URL) with a wall token, logging every line at debug into logLines. */
function start(): Promise<RunningStack> {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  return startStack({
    engines,
    // Trust loopback so a test can say where a visitor is (X-Forwarded-For).
    collector: readCollectorConfig({ TRUSTED_PROXIES: '127.0.0.1/32' }),
    listen: { port, host: '127.0.0.1' },
    processor: readProcessorConfig({}),
    api: { ...readApiConfig({}), apiToken: TEST_API_TOKEN, wallToken: WALL_TOKEN },
    demo: { enabled: false, eventsPerSecond: 0 },
    log: pino({ level: 'debug' }, sink),
    onFatal: (err) => {
      throw err;
    },
  });
}

async function post(events: unknown[], forwardedFor?: string): Promise<void> {
  const response = await fetch(`${stack.url}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ events }),
  });
  assert.equal(response.status, 200, await response.text());
}

async function sql<T>(query: string): Promise<T[]> {
  const response = await fetch(`${stack.url}/api/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_TOKEN}` },
    body: JSON.stringify({ sql: query }),
  });
  const body = (await response.json()) as { rows: T[] };
  return body.rows;
}

/** What the wall shows, read in one synchronous turn of the page so that it belongs to one snapshot. */
function readWall(p: Page) {
  return p.evaluate(() => {
    const stage = document.getElementById('stage');
    const kpis: Record<string, { text: string; value: string }> = {};
    for (const el of document.querySelectorAll<HTMLElement>('[data-kpi]')) {
      kpis[el.dataset.kpi ?? ''] = { text: el.textContent ?? '', value: el.dataset.value ?? '' };
    }
    return { seq: Number(stage?.dataset.seq ?? 0), state: document.getElementById('connection')?.dataset.state ?? '', kpis };
  });
}

const kpiKeys = KPI_DEFINITIONS.map((d) => d.key);

before(async () => {
  engines = await freshEngines();
  port = await freePort();
  stack = await start();
  browser = await launchChromium();
  page = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('websocket', (ws) => sockets.push(ws.url()));
  page.on('load', () => {
    loads += 1;
  });
  client = await connectLiveClient({ url: `${stack.url.replace('http', 'ws')}/live`, token: WALL_TOKEN });
});
after(async () => {
  client?.close();
  await browser?.close();
  await stack?.stop();
});

describe('the wall on the real stack', () => {
  test('the kiosk URL shows posted events; every KPI equals the /live snapshot of the same seq and /api/sql', async () => {
    await page.goto(`${stack.url}/#token=${WALL_TOKEN}`);
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 15_000 });
    assert.match(page.url(), /#token=/);

    const views = Array.from({ length: 25 }, (_, i) => makeEvent('page_view', { anonymous_id: `v-${i}` }));
    const carts = Array.from({ length: 4 }, (_, i) => makeEvent('cart_add', { anonymous_id: `v-${i}` }));
    const submitted = Array.from({ length: 3 }, (_, i) => makeEvent('order_submit', { anonymous_id: `v-${i}` }));
    await post([...views, ...carts, ...submitted]);
    // Two paid orders from Shenzhen (ip2region: 广东省) and one from Shanghai (ip2region: 上海).
    await post([makeEvent('order_pay', { anonymous_id: 'v-1', user_id: 'buyer-000123' }), makeEvent('order_pay', { anonymous_id: 'v-2' })], '120.24.78.68');
    await post([makeEvent('order_pay', { anonymous_id: 'v-3' })], '183.192.0.1');

    const settled = await client.waitFor((s) => s.today.pv === 25 && s.today.paid_orders === 3 && s.provinces.items.length === 2, 20_000);
    assert.equal(settled.today.gmv, 599.4);
    // The wall catches up with the same figures.
    const shown = await pollUntil(() => readWall(page), (w) => w.kpis.pv?.value === '25' && w.kpis.paid_orders?.value === '3', 10_000);
    const snapshot = client.at(shown.seq);
    assert.ok(snapshot, `the client holds no snapshot with seq ${shown.seq}`);
    for (const key of kpiKeys) {
      const value: number = snapshot.today[key as KpiKey];
      assert.equal(Number(shown.kpis[key]?.value), value, `${key}: data-value`);
      assert.equal(shown.kpis[key]?.text, formatKpi(key as KpiKey, value, 'zh'), `${key}: text`);
    }
    // And /api/sql, counting the raw rows (not the aggregates /live reads).
    const [counted] = await sql<{ pv: number; orders: number; paid: number; gmv: number; uv: number }>(
      `SELECT countIf(type = 'page_view') AS pv, countIf(type = 'order_submit') AS orders, countIf(type = 'order_pay') AS paid,
              toFloat64(sumIf(order_amount, type = 'order_pay')) AS gmv, uniqExact(anonymous_id) AS uv
       FROM events WHERE ts >= toStartOfDay(now('Asia/Shanghai'))`,
    );
    assert.deepEqual(
      { pv: snapshot.today.pv, orders: snapshot.today.orders, paid: snapshot.today.paid_orders, gmv: snapshot.today.gmv, uv: snapshot.today.uv },
      counted,
    );
    assert.equal(shown.kpis.avg_order_value?.text, '¥199.80');

    // The map names provinces as its GeoJSON does, whatever form ip2region wrote.
    assert.deepEqual(
      snapshot.provinces.items.map((p) => [p.name, p.paid_orders]),
      [
        ['广东省', 2],
        ['上海市', 1],
      ],
    );
    await page.locator('#chart-province-bar text', { hasText: '广东' }).first().waitFor({ timeout: 15_000 });
    // The ticker shows masked users only.
    const ticker = await page.locator('#ticker-list').innerText();
    assert.match(ticker, /b\*\*\*23/);
    assert.doesNotMatch(ticker, /buyer-000123/);
    assert.doesNotMatch(await page.content(), /buyer-000123/);
  });

  test('event fields holding markup render as text and open no dialog', async () => {
    await post([
      // An order replayed from the Taobao sample: its price is synthetic, and the wall says so.
      makeEvent('order_pay', { properties: { source: 'taobao' }, order: { id: `tb-${randomUUID()}`, amount: 12.5, items: [{ product_id: 'tb-1', price: 12.5, quantity: 1 }] } }),
      makeEvent('product_view', { product: { id: 'xss-1', category_id: XSS, name: XSS, price: 10 } }),
      makeEvent('order_pay', {
        user_id: XSS,
        order: { id: `xss-${randomUUID()}`, amount: 5000, items: [{ product_id: 'xss-1', category_id: XSS, price: 5000, quantity: 1 }] },
      }),
    ]);
    await client.waitFor((s) => s.top_products.some((p) => p.name === XSS), 20_000);
    // Drawn as SVG text by ECharts: the label is there, cut to the name column, as characters.
    await page.locator('#chart-products text', { hasText: '<img src=x' }).first().waitFor({ timeout: 10_000 });
    await client.waitFor((s) => s.top_categories.some((c) => c.category_id === XSS), 20_000);
    await page.locator('#chart-categories text', { hasText: '<img src=x' }).first().waitFor({ timeout: 15_000 });
    await client.waitFor((s) => s.synthetic_prices.orders === 1, 20_000);
    // Under today's GMV, which it qualifies.
    await page.locator('[data-kpi-card="gmv"] #synthetic-note:not([hidden])', { hasText: '含 1 笔淘宝导入订单，价格为合成（¥12.50）' }).waitFor({ timeout: 5_000 });
    await page.waitForTimeout(1500);
    assert.deepEqual(dialogs, []);
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.evaluate(() => document.querySelectorAll('[onerror]').length), 0);
  });

  test('a server restart is survived without a reload and without a reconnect loop', async () => {
    await page.evaluate(() => {
      (window as unknown as { wallMarker: number }).wallMarker = 42;
    });
    const loadsBefore = loads;
    const socketsBefore = sockets.length;
    client.close();
    const downAt = Date.now();
    await stack.stop();
    await page.locator('#connection[data-state="reconnecting"]').waitFor({ timeout: 10_000 });
    // Stale after 5 s without updates, visibly.
    await page.locator('#stage[data-stale]').waitFor({ timeout: 10_000 });

    stack = await start();
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 30_000 });
    const outageMs = Date.now() - downAt;
    assert.equal(await page.locator('#stage[data-stale]').count(), 0);
    client = await connectLiveClient({ url: `${stack.url.replace('http', 'ws')}/live`, token: WALL_TOKEN });
    await post(Array.from({ length: 5 }, (_, i) => makeEvent('page_view', { anonymous_id: `after-${i}` })));
    await client.waitFor((s) => s.today.pv === 30, 20_000);
    await pollUntil(() => readWall(page), (w) => w.kpis.pv?.value === '30', 10_000);

    assert.equal(await page.evaluate(() => (window as unknown as { wallMarker?: number }).wallMarker), 42, 'the page was reloaded');
    assert.equal(loads, loadsBefore);
    const reconnects = sockets.length - socketsBefore;
    // Backoff from 0.5 s doubling to 15 s: a handful of attempts over the
    // outage (longer on a busy machine), never a loop (which would open one
    // every few milliseconds).
    assert.ok(reconnects >= 1 && reconnects <= 2 + outageMs / 250, `${reconnects} sockets opened across a ${outageMs} ms restart`);
    // Once live, it stays on one socket.
    const settled = sockets.length;
    await page.waitForTimeout(5000);
    assert.equal(sockets.length, settled, 'the wall kept reconnecting after the restart');
  });

  test('without the token, or with a wrong one, the wall shows why and gets no data', async () => {
    const other = await openPage(browser, { viewport: { width: 1280, height: 720 } });
    try {
      await other.goto(`${stack.url}/`);
      await other.locator('#connection[data-state="no-token"]').waitFor({ timeout: 5_000 });
      assert.match(await other.locator('#notice').innerText(), /token|令牌/);
      await other.goto(`${stack.url}/?lang=en#token=not-the-token-0123456789`);
      await other.reload();
      await other.locator('#connection[data-state="unauthorized"]').waitFor({ timeout: 10_000 });
      assert.equal((await readWall(other)).seq, 0);
      // The analyst token opens the wall too.
      await other.goto(`${stack.url}/#token=${TEST_API_TOKEN}`);
      await other.reload();
      await other.locator('#connection[data-state="live"]').waitFor({ timeout: 10_000 });
    } finally {
      await other.close();
    }
  });

  test('no log line holds a token', () => {
    assert.ok(logLines.length > 20, `only ${logLines.length} log lines captured`);
    const all = logLines.join('');
    assert.match(all, /live client refused: wrong or missing token/);
    for (const token of [WALL_TOKEN, TEST_API_TOKEN, 'not-the-token-0123456789']) assert.ok(!all.includes(token), `a log line holds ${token.slice(0, 8)}…`);
  });
});
