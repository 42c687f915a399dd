// With demo traffic on (as `npm start` runs by default), the wall moves by
// itself: a real browser sees KPIs change within seconds.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { pollUntil } from '../helpers/events.ts';
import { startTestStack, type TestStack } from '../helpers/test-stack.ts';

let stack: TestStack;
let browser: Browser;

before(async () => {
  stack = await startTestStack({ demo: true });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('with demo traffic the KPIs change over 10 s', async () => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${stack.url}/`);
  await page.locator('[data-state="live"]').first().waitFor({ timeout: 15_000 });
  const read = async () => {
    const values: Record<string, string> = {};
    for (const key of ['pv', 'uv', 'cart_adds', 'orders']) values[key] = await page.locator(`[data-kpi="${key}"]`).first().innerText();
    return JSON.stringify(values);
  };
  const first = await pollUntil(read, (v) => /\d/.test(v), 10_000);
  const later = await pollUntil(read, (v) => v !== first, 10_000);
  assert.notEqual(later, first, `KPIs did not move in 10 s: ${first}`);
});
