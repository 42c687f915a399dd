import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawEnvelope } from '../../collector/contract/events.ts';
import { toEventRow, type EventRow } from './to-event-row.ts';

const ID = '00000000-0000-4000-8000-0000000000aa';
const T = Date.UTC(2026, 10, 11, 12, 0, 0);

const base = {
  event_id: ID,
  ts: T,
  sent_at: T + 100,
  received_at: T + 300,
  anonymous_id: 'anon-1',
  session_id: 'sess-1',
  user_agent: 'UA/1',
  client_ip: '203.0.113.0',
};

/** The row of an event with no optional field set. */
const emptyRow: Omit<EventRow, 'type'> = {
  event_id: ID,
  schema_version: 1,
  ts: T,
  client_ts: T,
  skew_ms: 0,
  sent_at: T + 100,
  received_at: T + 300,
  anonymous_id: 'anon-1',
  user_id: '',
  session_id: 'sess-1',
  page_url: '',
  page_referrer: '',
  page_title: '',
  product_id: '',
  product_category_id: '',
  product_name: '',
  product_brand: '',
  product_price: null,
  product_quantity: null,
  order_id: '',
  order_amount: null,
  order_currency: '',
  order_item_product_ids: [],
  order_item_category_ids: [],
  order_item_prices: [],
  order_item_quantities: [],
  review_product_id: '',
  review_rating: null,
  dwell_ms: null,
  properties: {},
  user_agent: 'UA/1',
  client_ip: '203.0.113.0',
  ua_browser: '',
  ua_os: '',
  ua_device: '',
  geo_country: '',
  geo_province: '',
  geo_city: '',
  channel: 'direct',
  source: '(direct)',
  medium: '(none)',
  campaign: '',
  term: '',
  content: '',
  first_channel: '',
  first_source: '',
  first_medium: '',
  first_campaign: '',
  first_touch_at: null,
  kafka_partition: 2,
  kafka_offset: '41',
};

const SOURCE = { partition: 2, offset: '41' };

test('a bare page_view: empty strings, null money, empty arrays', () => {
  const event = { ...base, type: 'page_view' } as RawEnvelope;
  assert.deepEqual(toEventRow(event, SOURCE), { ...emptyRow, type: 'page_view' });
});

test('a product event fills every product and page column; properties become strings', () => {
  const event = {
    ...base,
    type: 'cart_add',
    schema_version: 2,
    user_id: 'u-7',
    page: { url: 'https://shop.example/p/1', referrer: 'https://search.example/', title: 'Kettle' },
    product: { id: 'p-1', category_id: 'c-9', name: 'Kettle', brand: 'Acme', price: 199.9, quantity: 2 },
    properties: { campaign: 'spring', position: 3, promoted: true },
  } as RawEnvelope;
  assert.deepEqual(toEventRow(event, SOURCE), {
    ...emptyRow,
    type: 'cart_add',
    schema_version: 2,
    user_id: 'u-7',
    page_url: 'https://shop.example/p/1',
    page_referrer: 'https://search.example/',
    page_title: 'Kettle',
    product_id: 'p-1',
    product_category_id: 'c-9',
    product_name: 'Kettle',
    product_brand: 'Acme',
    product_price: 199.9,
    product_quantity: 2,
    properties: { campaign: 'spring', position: '3', promoted: 'true' },
    // no touch: the page's own referrer is the touch (search.example is no listed site)
    channel: 'referral',
    source: 'search.example',
    medium: 'referral',
  });
});

test('a product with a price of 0 keeps 0, not null', () => {
  const event = { ...base, type: 'product_view', product: { id: 'p-1', price: 0 } } as RawEnvelope;
  assert.equal(toEventRow(event, SOURCE).product_price, 0);
});

test('an order event: item arrays are aligned, currency defaults to CNY', () => {
  const event = {
    ...base,
    type: 'order_pay',
    order: {
      id: 'o-1',
      amount: 259.8,
      items: [
        { product_id: 'p-1', category_id: 'c-1', price: 99.9, quantity: 2 },
        { product_id: 'p-2', price: 60, quantity: 1 },
      ],
    },
  } as RawEnvelope;
  assert.deepEqual(toEventRow(event, SOURCE), {
    ...emptyRow,
    type: 'order_pay',
    order_id: 'o-1',
    order_amount: 259.8,
    order_currency: 'CNY',
    order_item_product_ids: ['p-1', 'p-2'],
    order_item_category_ids: ['c-1', ''],
    order_item_prices: [99.9, 60],
    order_item_quantities: [2, 1],
  });
});

test('an order keeps its own currency', () => {
  const event = { ...base, type: 'order_submit', order: { id: 'o-2', amount: 5, currency: 'USD', items: [] } } as RawEnvelope;
  assert.equal(toEventRow(event, SOURCE).order_currency, 'USD');
});

test('a review fills the review columns only', () => {
  const event = { ...base, type: 'review', review: { product_id: 'p-3', rating: 4 } } as RawEnvelope;
  assert.deepEqual(toEventRow(event, SOURCE), { ...emptyRow, type: 'review', review_product_id: 'p-3', review_rating: 4 });
});

test('skew_ms moves ts onto the collector clock and keeps the client time; enrichment is copied', () => {
  const event = {
    ...base,
    type: 'page_leave',
    engagement: { dwell_ms: 4200 },
    skew_ms: -60_000,
    ua_browser: 'Chrome',
    ua_os: 'Android',
    ua_device: 'mobile',
    geo_country: '中国',
    geo_province: '浙江省',
    geo_city: '杭州市',
  } as RawEnvelope;
  const row = toEventRow(event, SOURCE);
  assert.equal(row.ts, T - 60_000);
  assert.equal(row.client_ts, T);
  assert.equal(row.skew_ms, -60_000);
  assert.equal(row.dwell_ms, 4200);
  assert.deepEqual([row.ua_browser, row.ua_os, row.ua_device, row.geo_country, row.geo_province, row.geo_city], ['Chrome', 'Android', 'mobile', '中国', '浙江省', '杭州市']);
});

test('the session touch and the first touch are classified into their columns; first_touch_at takes the skew', () => {
  const event = {
    ...base,
    type: 'page_view',
    schema_version: 2,
    skew_ms: 1000,
    page: { url: 'https://shop.example/p/2', referrer: 'https://shop.example/' },
    touch: {
      session: { ts: T - 5000, source: 'newsletter', medium: 'email', campaign: 'double11', content: 'hero' },
      first: { ts: T - 86_400_000, referrer: 'https://www.baidu.com/s?wd=%E7%94%B5%E6%B0%B4%E5%A3%B6' },
    },
  } as RawEnvelope;
  const row = toEventRow(event, SOURCE);
  assert.deepEqual(
    [row.channel, row.source, row.medium, row.campaign, row.term, row.content],
    ['email', 'newsletter', 'email', 'double11', '', 'hero'],
  );
  assert.deepEqual(
    [row.first_channel, row.first_source, row.first_medium, row.first_campaign, row.first_touch_at],
    ['organic_search', 'baidu', 'organic', '', T - 86_400_000 + 1000],
  );
});

test('without a touch an internal page is internal and a landing page with campaign parameters is a campaign', () => {
  const internal = { ...base, type: 'page_view', page: { url: 'https://shop.example/p/2', referrer: 'https://shop.example/' } } as RawEnvelope;
  assert.equal(toEventRow(internal, SOURCE).channel, 'internal');
  const landing = {
    ...base,
    type: 'page_view',
    page: { url: 'https://shop.example/?utm_source=weibo&utm_medium=cpc&utm_campaign=618', referrer: 'https://weibo.com/' },
  } as RawEnvelope;
  const row = toEventRow(landing, SOURCE);
  assert.deepEqual([row.channel, row.source, row.medium, row.campaign], ['display', 'weibo', 'cpc', '618']);
  assert.equal(row.first_channel, '');
});
