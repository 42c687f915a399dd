// The analyst pages in a real Chromium against the real stack: hand-built
// events go through POST /collect, Kafka and the processor into ClickHouse,
// the analytics jobs run through POST /api/jobs/:name/run, and every page
// must show what the API answers for the same question. Also: a wrong token
// is refused with a clear message, the token never appears in a URL, and
// event data containing markup is shown as text (no dialog opens).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TrackedEvent } from '../../collector/contract/events.ts';
import type { Clusters, Funnel, Overview, ProductRanking, Retention, Rfm, RfmUsers, BoughtTogether, Similar, Sources, UserRecs } from '../../bigscreen/analyst/api-types.ts';
import { sourceKeyLabel } from '../../bigscreen/analyst/pages/sources.ts';
import type { SourceGroup } from '../../api/wire/params.ts';
import { toCsv } from '../../bigscreen/analyst/csv.ts';
import { formatCount, formatPercent, formatYuan } from '../../bigscreen/analyst/format.ts';
import { SCATTER_USERS_PER_CLUSTER } from '../../bigscreen/analyst/projection.ts';
import { launchChromium, openPage } from '../helpers/browser.ts';
import { pollUntil, postEvents } from '../helpers/events.ts';
import { startTestStack, TEST_API_TOKEN, type TestStack } from '../helpers/test-stack.ts';

const XSS_NAME = '<img src=x onerror=alert(1)>';
const XSS_USER = '<img src=x onerror=alert(2)>';
const PRODUCTS = {
  A: { id: 'p-a', category_id: 'phones', name: 'Phone A', price: 100 },
  B: { id: 'p-b', category_id: 'phones', name: 'Case B', price: 50 },
  C: { id: 'p-c', category_id: 'books', name: 'Book C', price: 20 },
  X: { id: 'p-x', category_id: 'books', name: XSS_NAME, price: 10 },
} as const;
type Key = keyof typeof PRODUCTS;

/**
 * Twelve visitors, identified as u-0…u-11 (u-4 has markup in its id), over the
 * last three hours: all view A; even ones view B, every third views C, v-1 views X;
 * v-0…v-7 add A to the cart; v-0…v-5 pay an order ([A,B] ×3, [A,C] ×2, [C]); v-0
 * and v-1 pay a second order ([B]).
 */
/** Where visitor i came from: every third by the Double-11 newsletter, the next ones from a Baidu search, the rest direct (no touch). */
function touchOf(i: number, ts: number): Partial<TrackedEvent> {
  if (i % 3 === 0) return { schema_version: 2, touch: { session: { ts, source: 'newsletter', medium: 'email', campaign: 'd11' } } };
  if (i % 3 === 1) return { schema_version: 2, touch: { session: { ts, referrer: 'https://www.baidu.com/s?wd=phone' } } };
  return {};
}

function buildEvents(): TrackedEvent[] {
  const events: TrackedEvent[] = [];
  const t0 = Date.now() - 3 * 3600_000;
  for (let i = 0; i < 12; i++) {
    let ts = t0 + i * 600_000;
    const base = () => {
      ts += 5_000;
      return {
        event_id: randomUUID(),
        schema_version: 1,
        ts,
        sent_at: ts,
        anonymous_id: `v-${i}`,
        user_id: i === 4 ? XSS_USER : `u-${i}`,
        session_id: `s-${i}`,
        page: { url: `https://shop.example/${i}` },
        ...touchOf(i, t0 + i * 600_000),
      };
    };
    const product = (type: TrackedEvent['type'], key: Key) => ({ ...base(), type, product: { ...PRODUCTS[key] } }) as TrackedEvent;
    const order = (id: string, keys: Key[]) => {
      const items = keys.map((k) => ({ product_id: PRODUCTS[k].id, category_id: PRODUCTS[k].category_id, price: PRODUCTS[k].price, quantity: 1 }));
      const body = { id, amount: items.reduce((s, it) => s + it.price, 0), items };
      return [{ ...base(), type: 'order_submit', order: body } as TrackedEvent, { ...base(), type: 'order_pay', order: body } as TrackedEvent];
    };
    events.push({ ...base(), type: 'page_view' } as TrackedEvent, product('product_view', 'A'));
    if (i % 2 === 0) events.push(product('product_view', 'B'));
    if (i % 3 === 0) events.push(product('product_view', 'C'));
    if (i === 1) events.push(product('product_view', 'X'));
    if (i < 8) events.push(product('cart_add', 'A'));
    if (i < 6) events.push(...order(`o-${i}`, i < 3 ? ['A', 'B'] : i < 5 ? ['A', 'C'] : ['C']));
    if (i < 2) events.push(...order(`o-${i}-2`, ['B']));
  }
  return events;
}

let stack: TestStack;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const requestUrls: string[] = [];

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
  const body = (await response.json()) as T;
  assert.equal(response.status, 200, `${path}: ${JSON.stringify(body)}`);
  return body;
}

/** The rows of a data table as { column key → cell text }. */
function tableRows(name: string): Promise<Array<Record<string, string>>> {
  return page
    .locator(`[data-table="${name}"] tbody tr:not(.empty-row)`)
    .evaluateAll((trs) => trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [(td as HTMLElement).dataset.col ?? '', td.textContent ?? '']))));
}

const ready = (page: Page, route: string, section: string) =>
  page.locator(`[data-page="${route}"] [data-section="${section}"][data-state="ready"]`).waitFor({ timeout: 20_000 });

async function open(route: string): Promise<void> {
  await page.locator(`nav a[data-route="${route}"]`).click();
  await page.locator(`[data-page="${route}"]`).waitFor();
}

describe('analyst pages', () => {
  before(async () => {
    stack = await startTestStack();
    const events = buildEvents();
    const res = await postEvents(stack.url, events);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const rows = await pollUntil(() => stack.sql<{ n: number }>('SELECT count() AS n FROM events'), (r) => r[0]!.n >= events.length, 20_000);
    assert.equal(rows[0]!.n, events.length);
    for (const job of ['rfm', 'clusters', 'item-similarity', 'association-rules']) {
      const response = await fetch(`${stack.url}/api/jobs/${job}/run`, { method: 'POST', headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
      const body = (await response.json()) as { job: { last_error: string | null } };
      assert.equal(response.status, 200);
      assert.equal(body.job.last_error, null, `${job} failed`);
    }
    browser = await launchChromium();
    page = await openPage(browser, { viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('request', (request) => requestUrls.push(request.url()));
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('a wrong token is refused with a clear message and nothing opens', async () => {
    await page.goto(`${stack.url}/analyst/`);
    await page.locator('[data-field="token"]').fill('wrong-token-0123456789abcdef');
    await page.locator('[data-action="sign-in"]').click();
    const message = page.locator('[data-section="signin-message"][data-kind="error"]');
    await message.waitFor();
    assert.match(await message.innerText(), /Wrong token.*401/);
    assert.equal(await page.locator('#app').isHidden(), true);
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  });

  test('signed in, the overview shows the API’s KPIs and top products (markup in a name stays text)', async () => {
    await page.locator('[data-field="token"]').fill(TEST_API_TOKEN);
    await page.locator('[data-action="sign-in"]').click();
    await ready(page, 'overview', 'kpis');
    const o = await api<Overview>('/api/analysis/overview');
    const stat = (key: string) => page.locator(`[data-section="kpis"] [data-stat="${key}"] .stat-value`).innerText();
    assert.equal(await stat('pv'), formatCount(o.pv));
    assert.equal(await stat('uv'), formatCount(o.uv));
    assert.equal(await stat('paid_orders'), formatCount(o.paid_orders));
    assert.equal(await stat('gmv'), formatYuan(o.gmv));
    assert.equal(await stat('conversion_rate'), formatPercent(o.conversion_rate));
    assert.equal(o.uv, 12);
    assert.equal(o.paid_orders, 8);

    await ready(page, 'overview', 'top-products');
    const top = await api<ProductRanking>('/api/analysis/top-products?sort=gmv&limit=20');
    const rows = await tableRows('top-products');
    assert.deepEqual(
      rows.map((r) => [r.product_id, r.name, r.gmv]),
      top.products.map((p) => [p.product_id, p.name, formatYuan(p.gmv)]),
    );
    // The name with markup is a text node, not an element.
    const xssCell = page.locator('[data-table="top-products"] td[data-col="name"]', { hasText: XSS_NAME });
    assert.equal(await xssCell.count(), 1);
    assert.equal(await xssCell.locator('img').count(), 0);
  });

  test('funnel: the default steps equal the API; an edited funnel is queried again', async () => {
    await open('funnel');
    await ready(page, 'funnel', 'funnel-result');
    const expected = await api<Funnel>('/api/analysis/funnel');
    const visitors = async () => (await tableRows('funnel')).map((r) => [r.index, r.visitors]);
    assert.deepEqual(await visitors(), expected.steps.map((s, i) => [`${i + 1}. ${s.step}`, formatCount(s.visitors)]));
    assert.deepEqual(expected.steps.map((s) => s.visitors), [12, 8, 6, 6]);

    // Drop cart_add (step 2) and run: product_view → order_submit → order_pay.
    await page.locator('[data-step="1"] [data-action="remove-step"]').click();
    await page.locator('[data-action="run-funnel"]').click();
    await ready(page, 'funnel', 'funnel-result');
    const edited = await api<Funnel>('/api/analysis/funnel?steps=product_view,order_submit,order_pay');
    assert.deepEqual(await visitors(), edited.steps.map((s, i) => [`${i + 1}. ${s.step}`, formatCount(s.visitors)]));
  });

  test('sources: channels equal the API under both models; a channel drills down to its sources; CSV export', async () => {
    await open('sources');
    await ready(page, 'sources', 'sources');
    const byChannel = await api<Sources>('/api/analysis/sources?group_by=channel&limit=1000');
    const shown = (rows: Array<Record<string, string>>) => rows.map((r) => [r.key, r.visitors, r.sessions, r.last_non_direct_gmv, r.first_touch_gmv]);
    const expected = (reply: Sources, group: SourceGroup) =>
      reply.rows.map((r) => [sourceKeyLabel(group, r.key), formatCount(r.visitors), formatCount(r.sessions), formatYuan(r.last_non_direct.gmv), formatYuan(r.first_touch.gmv)]);
    assert.deepEqual(shown(await tableRows('sources')), expected(byChannel, 'channel'));
    // v-0, v-3, v-6, v-9 from the newsletter; v-1, v-4, v-7, v-10 from Baidu; the rest direct. Paid: v-0…v-5.
    assert.deepEqual(byChannel.rows.map((r) => [r.key, r.visitors, r.last_non_direct.paid_orders]).sort(), [['direct', 4, 2], ['email', 4, 3], ['organic_search', 4, 3]]);

    await page.locator('[data-table="sources"] button[data-link="source"]', { hasText: 'Email' }).click();
    await page.waitForURL(/group_by=source/);
    await ready(page, 'sources', 'sources');
    const bySource = await api<Sources>('/api/analysis/sources?group_by=source&channel=email&limit=1000');
    assert.deepEqual(shown(await tableRows('sources')), expected(bySource, 'source'));
    assert.deepEqual(bySource.rows.map((r) => r.key), ['newsletter']);
    assert.match(await page.locator('[data-drill="channel"]').innerText(), /Email/);

    const download = page.waitForEvent('download');
    await page.locator('[data-section="sources"] [data-action="csv"]').click();
    const csv = await readFile(await (await download).path(), 'utf8');
    assert.match(csv.split('\r\n')[1]!, /^newsletter,4,4,/);
    // Leave the drill-down for the pages after this one.
    await page.locator('[data-drill="channel"] button').click();
    await page.waitForURL((url) => !url.hash.includes('channel=email'));
  });

  test('retention: every cohort’s size and day rates equal the API', async () => {
    await open('retention');
    await ready(page, 'retention', 'retention-result');
    const expected = await api<Retention>('/api/analysis/retention?cohort=first_visit&activity=any&days=7');
    const rows = await tableRows('retention');
    assert.ok(expected.cohorts.length > 0);
    assert.deepEqual(
      rows.map((r) => [r.cohort, r.size, r.d0, r.d1]),
      expected.cohorts.map((c) => [c.cohort, formatCount(c.size), `${formatPercent(c.rates[0]!, 1)} (${formatCount(c.retained[0]!)})`, `${formatPercent(c.rates[1]!, 1)} (${formatCount(c.retained[1]!)})`]),
    );
  });

  test('segments: the RFM table equals the API; a segment drills down to its users and a profile', async () => {
    await open('segments');
    await ready(page, 'segments', 'rfm');
    const rfm = await api<Rfm>('/api/segments/rfm');
    assert.equal(rfm.users, 6);
    const rows = await tableRows('rfm');
    assert.deepEqual(
      rows.map((r) => [r.segment, r.key, r.users]),
      rfm.segments.map((s) => [s.segment, s.key, formatCount(s.users)]),
    );
    // The segment holding the user with markup in its id.
    const all = await api<RfmUsers>('/api/segments/rfm/users?limit=100');
    const xssSegment = rfm.segments.find((s) => s.segment === all.users.find((u) => u.user_id === XSS_USER)!.segment)!;
    await page.locator('[data-table="rfm"] tbody tr', { has: page.locator('td[data-col="key"]', { hasText: new RegExp(`^${xssSegment.key}$`) }) }).click();
    await ready(page, 'segments', 'rfm-users');
    const users = await api<RfmUsers>(`/api/segments/rfm/users?segment=${xssSegment.key}&limit=50&offset=0`);
    assert.deepEqual((await tableRows('rfm-users')).map((r) => [r.user_id, r.frequency]), users.users.map((u) => [u.user_id, String(u.frequency)]));
    await page.locator('[data-table="rfm-users"] tbody tr', { hasText: XSS_USER }).click();
    await ready(page, 'segments', 'profile');
    assert.equal(await page.locator('.profile-card h3 .mono').innerText(), XSS_USER);
  });

  test('clusters: the profiles equal the API and the scatter plots the users it fetched', async () => {
    await open('clusters');
    await ready(page, 'clusters', 'clusters');
    const clusters = await api<Clusters>('/api/segments/clusters');
    const rows = await tableRows('cluster-profiles');
    assert.deepEqual(
      rows.map((r) => [r.cluster, r.label, r.users]),
      clusters.clusters.map((c) => [`#${c.cluster}`, c.label, formatCount(c.users)]),
    );
    const plotted = clusters.clusters.reduce((s, c) => s + Math.min(SCATTER_USERS_PER_CLUSTER, c.users), 0);
    assert.equal(await page.locator('[data-chart="cluster-scatter"]').getAttribute('data-points'), String(plotted));
    assert.equal(await page.locator('[data-chart="cluster-scatter"] canvas').count(), 1);
  });

  test('recommendations: a product’s similar items and rules, and a user’s list, equal the API', async () => {
    await open('recommendations');
    await page.locator('[data-field="product"]').fill(PRODUCTS.A.id);
    await page.locator('[data-action="lookup-product"]').click();
    await ready(page, 'recommendations', 'product-recs');
    const similar = await api<Similar>(`/api/recommendations/items/${PRODUCTS.A.id}/similar?limit=20`);
    assert.ok(similar.items.length > 0);
    assert.deepEqual((await tableRows('similar')).map((r) => r.product_id), similar.items.map((i) => i.product_id));
    const rules = await api<BoughtTogether>(`/api/recommendations/bought-together?product=${PRODUCTS.A.id}&limit=20`);
    assert.deepEqual((await tableRows('product-rules')).map((r) => [r.antecedent, r.consequent]), rules.rules.map((r) => [r.antecedent, r.consequent]));

    await page.locator('[data-field="user"]').fill('u-7');
    await page.locator('[data-action="lookup-user"]').click();
    await ready(page, 'recommendations', 'user-recs');
    const recs = await api<UserRecs>('/api/recommendations/users/u-7?limit=20&include_purchased=false');
    assert.deepEqual((await tableRows('user-recs')).map((r) => r.product_id), recs.items.map((i) => i.product_id));
  });

  test('rules: the table holds the API’s rules and sorts by support, confidence and lift', async () => {
    await open('rules');
    await ready(page, 'rules', 'rules');
    const expected = await api<BoughtTogether>('/api/recommendations/bought-together?basket=order&limit=100');
    assert.ok(expected.rules.length >= 4, `rules: ${expected.rules.length}`);
    const byPair = new Map(expected.rules.map((r) => [`${r.antecedent}→${r.consequent}`, r]));
    const shown = async () => (await tableRows('rules')).map((r) => byPair.get(`${r.antecedent}→${r.consequent}`)!);
    const nonIncreasing = (values: number[]) => values.every((v, i) => i === 0 || values[i - 1]! >= v);
    const first = await shown();
    assert.equal(first.length, expected.rules.length);
    assert.ok(first.every(Boolean));
    assert.ok(nonIncreasing(first.map((r) => r.lift)), 'sorted by lift');
    for (const key of ['support', 'confidence'] as const) {
      await page.locator(`[data-table="rules"] th[data-col="${key}"]`).click();
      assert.ok(nonIncreasing((await shown()).map((r) => r[key])), `sorted by ${key}`);
    }
    await page.locator('[data-table="rules"] th[data-col="confidence"]').click();
    const ascending = (await shown()).map((r) => r.confidence);
    assert.ok(nonIncreasing([...ascending].reverse()), 'second click flips to ascending');
  });

  test('SQL console: count() equals the events; CSV export; errors and the schema', async () => {
    await open('sql');
    await ready(page, 'sql', 'schema');
    assert.equal(await page.locator('[data-schema-table="events"]').count(), 1);

    await page.locator('[data-field="sql"]').fill('SELECT count() FROM events');
    await page.locator('[data-action="run-sql"]').click();
    await ready(page, 'sql', 'sql-result');
    const [{ n }] = (await stack.sql<{ n: number }>('SELECT count() AS n FROM events')) as [{ n: number }];
    assert.deepEqual(await tableRows('sql-result'), [{ 'count()': String(n) }]);

    // Values a CSV writer gets wrong: commas, quotes, line breaks, a formula, markup from the events.
    await page.locator('[data-field="sql"]').fill(
      "SELECT 'a,b' AS comma, 'say \"hi\"' AS quote, 'one\\ntwo' AS newline, '=1+1' AS formula, -3 AS negative, product_name AS name FROM events WHERE product_id = 'p-x' LIMIT 1",
    );
    await page.locator('[data-action="run-sql"]').click();
    await ready(page, 'sql', 'sql-result');
    const [row] = await tableRows('sql-result');
    assert.equal(row!.name, XSS_NAME);
    assert.equal(row!.newline, 'one\ntwo');
    const download = page.waitForEvent('download');
    await page.locator('[data-action="sql-csv"]').click();
    const file = await (await download).path();
    const expectedCsv = toCsv(['comma', 'quote', 'newline', 'formula', 'negative', 'name'], [
      { comma: 'a,b', quote: 'say "hi"', newline: 'one\ntwo', formula: '=1+1', negative: -3, name: XSS_NAME },
    ]);
    assert.equal(await readFile(file, 'utf8'), `\uFEFF${expectedCsv}`);
    assert.equal(expectedCsv, 'comma,quote,newline,formula,negative,name\r\n"a,b","say ""hi""","one\ntwo",\'=1+1,-3,<img src=x onerror=alert(1)>\r\n');

    await page.locator('[data-field="sql"]').fill('SELECT nope FROM events');
    await page.locator('[data-action="run-sql"]').click();
    await page.locator('[data-section="sql-result"][data-state="error"]').waitFor();
    assert.match(await page.locator('[data-section="sql-result"] .error-box').innerText(), /nope/);
  });

  test('no dialog opened and the token never appeared in a URL', async () => {
    assert.deepEqual(dialogs, []);
    assert.ok(requestUrls.length > 20);
    assert.deepEqual(requestUrls.filter((u) => u.includes(TEST_API_TOKEN) || u.includes(encodeURIComponent(TEST_API_TOKEN))), []);
    assert.ok(!page.url().includes(TEST_API_TOKEN));
  });

  test('a token the API stops accepting signs out with a message', async () => {
    await page.evaluate(() => sessionStorage.setItem('shoppulse.analyst-token', 'revoked-token-0123456789abcdef'));
    await page.reload();
    const message = page.locator('[data-section="signin-message"][data-kind="error"]');
    await message.waitFor();
    assert.match(await message.innerText(), /Signed out.*refused/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('shoppulse.analyst-token')), null);
  });
});
