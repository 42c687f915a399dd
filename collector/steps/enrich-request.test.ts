import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enrichRequest } from './enrich-request.ts';
import type { RegionSearch } from './lookup-geo.ts';

const T = Date.UTC(2026, 10, 11, 12, 0, 0);
const SHENZHEN: RegionSearch = () => ({ country: '中国', province: '广东省', city: '深圳市' });
const DEPS = { searchRegion: SHENZHEN, bots: { headless: false } };
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

test('a browser: user agent facts, geo from the full address, only the anonymised address kept', () => {
  assert.deepEqual(enrichRequest({ receivedAt: T, userAgent: CHROME, clientAddress: '120.24.78.68' }, DEPS), {
    received_at: T,
    user_agent: CHROME,
    client_ip: '120.24.78.0',
    ua_browser: 'Chrome',
    ua_os: 'Windows',
    ua_device: 'desktop',
    geo_country: '中国',
    geo_province: '广东省',
    geo_city: '深圳市',
  });
});

test('a crawler gets its name in bot', () => {
  const enrichment = enrichRequest({ receivedAt: T, userAgent: 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)', clientAddress: '120.24.78.68' }, DEPS);
  assert.equal(enrichment.bot, 'Baiduspider');
});

test('the full address appears nowhere in the result', () => {
  const enrichment = enrichRequest({ receivedAt: T, userAgent: CHROME, clientAddress: '120.24.78.68' }, DEPS);
  assert.doesNotMatch(JSON.stringify(enrichment), /120\.24\.78\.68/);
});

test('a long user agent is cut to 1024 characters before anything reads it', () => {
  const enrichment = enrichRequest({ receivedAt: T, userAgent: CHROME + 'x'.repeat(2000), clientAddress: '' }, DEPS);
  assert.equal(enrichment.user_agent.length, 1024);
});

test('user agent facts are remembered per string, and forgotten when the bot rules change', () => {
  const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
  const facts = { receivedAt: T, userAgent: HEADLESS, clientAddress: '120.24.78.68' };
  const first = enrichRequest(facts, DEPS);
  const again = enrichRequest({ ...facts, receivedAt: T + 1 }, DEPS);
  assert.equal(first.bot, undefined);
  assert.deepEqual({ ...again, received_at: T }, first);
  assert.equal(enrichRequest(facts, { ...DEPS, bots: { headless: true } }).bot, 'headless');
  // Many distinct agents later, the first is still answered correctly.
  for (let i = 0; i < 2500; i++) enrichRequest({ ...facts, userAgent: `${CHROME} x/${i}` }, DEPS);
  assert.equal(enrichRequest(facts, DEPS).bot, undefined);
  assert.equal(enrichRequest({ ...facts, userAgent: CHROME }, DEPS).ua_browser, 'Chrome');
});
