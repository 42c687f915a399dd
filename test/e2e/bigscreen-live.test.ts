// A real headless Chromium opens the big screen and sees the KPIs follow
// events posted through the collector.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { makeEvent, pollUntil, postEvents } from '../helpers/events.ts';
import { startTestStack, type TestStack } from '../helpers/test-stack.ts';

let stack: TestStack;
let browser: Browser;
let page: Page;

before(async () => {
  stack = await startTestStack();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

const kpi = (key: string) => page.locator(`[data-kpi="${key}"]`).first().innerText();
const digits = (text: string) => Number(text.replace(/[^\d.]/g, ''));

test('the big screen shows posted events in its KPIs', async () => {
  await page.goto(`${stack.url}/`);
  await page.locator('[data-state="live"]').first().waitFor({ timeout: 15_000 });
  // Fresh ClickHouse: the first snapshot says 0 page views.
  const start = await pollUntil(() => kpi('pv'), (t) => /\d/.test(t), 10_000);
  assert.equal(digits(start), 0, `pv before posting: ${start}`);

  const views = Array.from({ length: 25 }, () => makeEvent('page_view', { anonymous_id: `v-${Math.random()}` }));
  const paid = Array.from({ length: 3 }, () => makeEvent('order_pay'));
  const res = await postEvents(stack.url, [...views, ...paid]);
  assert.equal(res.status, 200);

  const pv = await pollUntil(() => kpi('pv'), (t) => digits(t) === 25, 15_000);
  assert.equal(digits(pv), 25);
  const orders = await pollUntil(() => kpi('paid_orders'), (t) => digits(t) === 3, 5_000);
  assert.equal(digits(orders), 3);
  const gmv = await kpi('gmv');
  assert.match(gmv, /599\.4/, `3 × 199.80 paid, screen shows ${gmv}`);
});
