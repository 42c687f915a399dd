import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_FILTERS,
  describeFilters,
  filterParams,
  filtersFromParams,
  filtersToParams,
  pickGranularity,
  toQueryString,
  type Filters,
} from './filters.ts';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const f = (overrides: Partial<Filters>): Filters => ({ ...DEFAULT_FILTERS, ...overrides });

test('no filters: no parameters', () => {
  assert.deepEqual(filterParams(DEFAULT_FILTERS, NOW), {});
  assert.equal(toQueryString(filterParams(DEFAULT_FILTERS, NOW)), '');
});

test('relative ranges become epoch ms before now, without an end', () => {
  assert.deepEqual(filterParams(f({ range: '1h' }), NOW), { from: String(NOW - 3_600_000) });
  assert.deepEqual(filterParams(f({ range: '7d' }), NOW), { from: String(NOW - 7 * 86_400_000) });
});

test('a custom range is sent as typed; malformed bounds are left out', () => {
  assert.deepEqual(filterParams(f({ range: 'custom', from: '2017-11-25', to: '2017-12-04T08:30' }), NOW), {
    from: '2017-11-25',
    to: '2017-12-04T08:30',
  });
  assert.deepEqual(filterParams(f({ range: 'custom', from: 'yesterday', to: '' }), NOW), {});
  // Bounds typed while another range is chosen do not apply.
  assert.deepEqual(filterParams(f({ range: 'all', from: '2017-11-25' }), NOW), {});
});

test('dimensions are trimmed and sent; the time-only scope (retention) drops them', () => {
  const filters = f({ range: '24h', category: ' phones ', province: '广东省', device: 'mobile', visitor: 'returning' });
  assert.deepEqual(filterParams(filters, NOW), {
    from: String(NOW - 86_400_000),
    category: 'phones',
    province: '广东省',
    device: 'mobile',
    visitor: 'returning',
  });
  assert.deepEqual(filterParams(filters, NOW, 'time'), { from: String(NOW - 86_400_000) });
});

test('query strings encode values and skip empty ones', () => {
  assert.equal(
    toQueryString({ province: '广东省', steps: 'product_view,cart_add', window: 3600, empty: '', none: undefined, nil: null, flag: false }),
    '?province=%E5%B9%BF%E4%B8%9C%E7%9C%81&steps=product_view%2Ccart_add&window=3600&flag=false',
  );
  assert.equal(toQueryString({ category: 'a&b=c' }), '?category=a%26b%3Dc');
});

test('filters survive the URL fragment; unknown values fall back to defaults', () => {
  const filters = f({ range: 'custom', from: '2017-11-25', to: '2017-12-04', device: 'tablet', visitor: 'new' });
  const params = filtersToParams(filters);
  assert.equal(params.toString(), 'range=custom&from=2017-11-25&to=2017-12-04&device=tablet&visitor=new');
  assert.deepEqual(filtersFromParams(new URLSearchParams(params.toString())), filters);
  assert.deepEqual(filtersFromParams(new URLSearchParams('range=forever&visitor=aliens')), DEFAULT_FILTERS);
  assert.equal(filtersToParams(DEFAULT_FILTERS).toString(), '');
});

test('granularity follows the span of the range', () => {
  assert.equal(pickGranularity(f({ range: '1h' }), NOW), 'minute');
  assert.equal(pickGranularity(f({ range: '24h' }), NOW), 'hour');
  assert.equal(pickGranularity(f({ range: '7d' }), NOW), 'hour');
  assert.equal(pickGranularity(f({ range: '30d' }), NOW), 'day');
  assert.equal(pickGranularity(f({ range: 'all' }), NOW), 'day');
  assert.equal(pickGranularity(f({ range: 'custom', from: '2017-11-25', to: '2017-12-04' }), NOW), 'hour');
  assert.equal(pickGranularity(f({ range: 'custom', from: '2017-01-01', to: '2017-12-04' }), NOW), 'day');
  assert.equal(pickGranularity(f({ range: 'custom', from: 'bad' }), NOW), 'day');
});

test('describeFilters names what is active', () => {
  assert.equal(describeFilters(DEFAULT_FILTERS), 'all data');
  assert.equal(describeFilters(f({ range: '7d', device: 'mobile' })), 'last 7d · device mobile');
  assert.equal(describeFilters(f({ range: '7d', device: 'mobile' }), 'time'), 'last 7d');
});

test('channel, source and campaign: sent when set, kept in the fragment, an unknown channel dropped', () => {
  const filters = f({ range: '7d', channel: 'email', source: ' newsletter ', campaign: 'd11' });
  assert.deepEqual(filterParams(filters, NOW), { from: String(NOW - 7 * 86_400_000), channel: 'email', source: 'newsletter', campaign: 'd11' });
  assert.deepEqual(filterParams(filters, NOW, 'time'), { from: String(NOW - 7 * 86_400_000) });
  const kept = f({ channel: 'social', source: 'wechat', campaign: 'd11' });
  assert.deepEqual(filtersFromParams(new URLSearchParams(filtersToParams(kept).toString())), kept);
  assert.equal(filtersFromParams(new URLSearchParams('channel=tv&source=x')).channel, '');
  assert.equal(describeFilters(kept), 'channel social · source wechat · campaign d11');
});
