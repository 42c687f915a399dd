// With demo traffic on (as `npm start` runs by default), the wall moves by
// itself, every panel fills, and what it shows always equals /live's
// snapshot of the same seq, while the numbers change under it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { connectLiveClient, type LiveClient } from '../../api/live/live-client.ts';
import { formatKpi, KPI_DEFINITIONS } from '../../bigscreen/charts/kpi-cards.ts';
import { CHANNEL_LABELS, type Channel } from '../../collector/contract/traffic-sources.ts';
import { provinceLabel } from '../../bigscreen/charts/province-map.ts';
import { launchChromium, openPage } from '../helpers/browser.ts';
import { pollUntil } from '../helpers/events.ts';
import { startTestStack, TEST_API_TOKEN, type TestStack } from '../helpers/test-stack.ts';

let stack: TestStack;
let browser: Browser;
let client: LiveClient;

before(async () => {
  // Five times npm start's rate: the first paid orders arrive within seconds, not a minute.
  stack = await startTestStack({ demo: true, demoEventsPerSecond: 200 });
  browser = await launchChromium();
  client = await connectLiveClient({ url: `${stack.url.replace('http', 'ws')}/live`, token: TEST_API_TOKEN });
});
after(async () => {
  client?.close();
  await browser?.close();
  await stack?.stop();
});

test('with demo traffic the wall moves, its panels fill, and it always shows the snapshot of its seq', async () => {
  const page = await openPage(browser, { viewport: { width: 1920, height: 1080 } });
  // The analyst token opens the wall too (the test stack has no wall token); English this time.
  await page.goto(`${stack.url}/?lang=en#token=${TEST_API_TOKEN}`);
  await page.locator('#connection[data-state="live"]').waitFor({ timeout: 15_000 });

  const read = () =>
    page.evaluate(() => {
      const kpis: Record<string, { text: string; value: string }> = {};
      for (const el of document.querySelectorAll<HTMLElement>('[data-kpi]')) kpis[el.dataset.kpi ?? ''] = { text: el.textContent ?? '', value: el.dataset.value ?? '' };
      return { seq: Number(document.getElementById('stage')?.dataset.seq ?? 0), kpis };
    });
  const first = await pollUntil(read, (w) => Number(w.kpis.pv?.value) > 0, 15_000);
  const later = await pollUntil(read, (w) => w.kpis.pv?.value !== first.kpis.pv?.value, 10_000);
  assert.notEqual(later.kpis.pv?.value, first.kpis.pv?.value, 'KPIs did not move in 10 s');

  // Five readings a second apart, numbers moving: each equals its snapshot exactly.
  for (let i = 0; i < 5; i++) {
    const shown = await read();
    const snapshot = client.at(shown.seq);
    assert.ok(snapshot, `no snapshot ${shown.seq} on the test's own /live connection`);
    for (const { key } of KPI_DEFINITIONS) {
      assert.equal(Number(shown.kpis[key]?.value), snapshot.today[key], `seq ${shown.seq} ${key}`);
      assert.equal(shown.kpis[key]?.text, formatKpi(key, snapshot.today[key], 'en'), `seq ${shown.seq} ${key} text`);
    }
    await page.waitForTimeout(1000);
  }

  // Every panel drawn from live data.
  // Demo shoppers pay at the end of their sessions: the first order takes a while.
  await client.waitFor((s) => s.orders.length > 0 && s.top_categories.length > 0, 60_000);
  await page.locator('.ticker-row:not([hidden])').first().waitFor({ timeout: 15_000 });
  for (const chart of ['#chart-traffic', '#chart-hourly', '#chart-funnel', '#chart-products', '#chart-categories', '#chart-audience', '#chart-channels']) {
    await page.locator(`${chart} path`).first().waitFor({ state: 'attached', timeout: 15_000 });
    assert.equal(await page.locator(`${chart} text`, { hasText: 'No data' }).count(), 0, `${chart} says no data`);
  }
  assert.match(await page.locator('#health').innerText(), /Events in \/s\s+\d/);
  // 流量来源: the demo's visitors come from searches, social apps and the campaign, each channel drawn under its English name.
  const channels = (await client.waitFor((s) => s.channels.length >= 3, 30_000)).channels;
  assert.ok(channels.every((c) => c.channel !== ''), JSON.stringify(channels));
  const topChannel = channels[0]!.channel as Channel;
  await page.locator('#chart-channels text', { hasText: CHANNEL_LABELS[topChannel].en }).first().waitFor({ timeout: 15_000 });
  // The map: provinces when the collector believes the demo's X-Forwarded-For (TRUSTED_PROXIES), else all unlocated.
  const provinces = client.latest()?.snapshot.provinces;
  assert.ok(provinces);
  const top = provinces.items[0];
  if (top) await page.locator('#chart-province-bar text', { hasText: provinceLabel('en', top.name) }).first().waitFor({ timeout: 15_000 });
  else assert.match(await page.locator('#map-meta').innerText(), /unlocated [1-9]/);
});
