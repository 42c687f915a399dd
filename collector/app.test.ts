import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { makeEvent } from '../test/helpers/events.ts';
import { collectorPlugin, type CollectorHttpConfig } from './app.ts';
import { readCollectorConfig } from './config.ts';
import type { Delivery, EventPublisher, Readiness } from './delivery/durable-publisher.ts';
import { PublishError } from './delivery/kafka-sender.ts';
import { createCollectorMetrics, type CollectorMetrics } from './metrics.ts';
import { SpoolFullError } from './delivery/spool.ts';
import type { RegionSearch } from './steps/lookup-geo.ts';
import type { PublishBatch } from './steps/to-kafka-messages.ts';

const NOW = Date.UTC(2026, 10, 11, 12, 0, 0);
const ID_A = '00000000-0000-4000-8000-00000000000a';
const ID_B = '00000000-0000-4000-8000-00000000000b';
const SCRIPT = '(function(){/* tracker */})();';
const BODY_LIMIT = 2048;
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SHENZHEN: RegionSearch = () => ({ country: '中国', province: '广东省', city: '深圳市' });

const event = (event_id: string, overrides: Record<string, unknown> = {}) =>
  makeEvent('page_view', { event_id, ts: NOW - 1000, sent_at: NOW - 500, ...overrides });

function recordingPublisher(delivery: Delivery = 'kafka', readiness: Readiness = { ready: true, status: 'ok', spooled_messages: 0 }) {
  const calls: PublishBatch[] = [];
  const publisher: EventPublisher = {
    publish: async (batch) => {
      calls.push(batch);
      return delivery;
    },
    readiness: () => readiness,
  };
  return { publisher, calls };
}

const failingPublisher = (error: Error): EventPublisher => ({
  publish: async () => {
    throw error;
  },
  readiness: () => ({ ready: true, status: 'ok', spooled_messages: 0 }),
});

async function buildApp(publisher: EventPublisher = recordingPublisher().publisher, config: Partial<CollectorHttpConfig> = {}) {
  const app = Fastify();
  const metrics = createCollectorMetrics();
  await app.register(collectorPlugin, {
    publisher,
    trackerScript: SCRIPT,
    config: { ...readCollectorConfig({}), bodyLimitBytes: BODY_LIMIT, maxEventsPerBatch: 10, ...config },
    metrics,
    searchRegion: SHENZHEN,
    now: () => NOW,
  });
  metricsOf.set(app, metrics);
  return app;
}
type App = Awaited<ReturnType<typeof buildApp>>;
// A fastify instance is thenable: awaiting it drops extra properties, so its metrics live here.
const metricsOf = new WeakMap<object, CollectorMetrics>();

const post = (app: App, payload: string, headers: Record<string, string> = {}, remoteAddress = '120.24.78.23') =>
  app.inject({
    method: 'POST',
    url: '/collect',
    headers: { 'content-type': 'text/plain', 'user-agent': CHROME, ...headers },
    remoteAddress,
    payload,
  });

const metricValue = async (app: App, name: string, labels: Record<string, string> = {}) => {
  const metric = (await metricsOf.get(app)!.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return value?.value ?? 0;
};

describe('POST /collect', () => {
  for (const contentType of ['text/plain', 'application/json', 'text/plain;charset=UTF-8']) {
    test(`200 {accepted} for a ${contentType} batch, published with the enrichment`, async () => {
      const { publisher, calls } = recordingPublisher();
      const app = await buildApp(publisher);
      const a = event(ID_A);
      const b = event(ID_B);
      const res = await post(app, JSON.stringify({ events: [a, b] }), { 'content-type': contentType });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { accepted: 2 });
      assert.equal(res.headers['access-control-allow-origin'], '*');
      const enrichment = {
        received_at: NOW,
        user_agent: CHROME,
        client_ip: '120.24.78.0',
        ua_browser: 'Chrome',
        ua_os: 'Windows',
        ua_device: 'desktop',
        geo_country: '中国',
        geo_province: '广东省',
        geo_city: '深圳市',
      };
      assert.deepEqual(calls, [{ enrichment, events: [a, b], failed: [] }]);
    });
  }

  test('202 {accepted, spooled} when the events went to the spool', async () => {
    const res = await post(await buildApp(recordingPublisher('spool').publisher), JSON.stringify(event(ID_A)));
    assert.equal(res.statusCode, 202);
    assert.deepEqual(res.json(), { accepted: 1, spooled: true });
  });

  test('400 invalid JSON, publisher not called', async () => {
    const { publisher, calls } = recordingPublisher();
    const app = await buildApp(publisher);
    const res = await post(app, '{"events": [');
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /^invalid JSON: /);
    assert.equal(calls.length, 0);
    assert.equal(await metricValue(app, 'collector_requests_rejected_total', { reason: 'invalid_json' }), 1);
  });

  test('400 for a __proto__ key, publisher not called', async () => {
    const { publisher, calls } = recordingPublisher();
    const res = await post(await buildApp(publisher), `{"__proto__": {"admin": true}, "type": "page_view"}`);
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /^invalid JSON: .*prototype/);
    assert.equal(calls.length, 0);
  });

  test('400 for a body nested deeper than the limit, before parsing; 10,000 levels do not hurt', async () => {
    const { publisher, calls } = recordingPublisher();
    const app = await buildApp(publisher, { bodyLimitBytes: 1_048_576 });
    for (const levels of [33, 10_000, 200_000]) {
      const res = await post(app, `{"events":${'['.repeat(levels)}${']'.repeat(levels)}}`);
      assert.equal(res.statusCode, 400, `${levels} levels`);
      assert.deepEqual(res.json(), { error: 'JSON nested deeper than 32 levels' });
    }
    assert.equal(calls.length, 0);
    assert.equal(await metricValue(app, 'collector_requests_rejected_total', { reason: 'too_deep' }), 3);
  });

  test('400 for a body that is not an event or batch', async () => {
    const res = await post(await buildApp(), '[1, 2]');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { error: 'body must be one event object or {"events": [...]}' });
  });

  test('400 for more events than maxEventsPerBatch', async () => {
    const res = await post(await buildApp(), JSON.stringify({ events: Array.from({ length: 11 }, () => ({})) }));
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { error: 'too many events in one request: 11 > 10' });
  });

  test('400 with per-event reasons; valid events published, refused ones handed over as failed events', async () => {
    const { publisher, calls } = recordingPublisher();
    const app = await buildApp(publisher, { bodyLimitBytes: 1_048_576 });
    const badTs = { ...event(ID_B), ts: 'now' };
    const future = event('00000000-0000-4000-8000-00000000000c', { ts: NOW + 3_600_000 });
    const unknown = { ...event('00000000-0000-4000-8000-00000000000d'), coupon: 'X' };
    const res = await post(app, JSON.stringify({ events: [event(ID_A), badTs, future, unknown] }));
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      accepted: 1,
      rejected: [
        { index: 1, event_id: ID_B, reason: 'invalid_event', errors: ['/ts: Expected integer'] },
        { index: 2, event_id: future.event_id, reason: 'ts_out_of_range', errors: ['ts + skew_ms is 3600500 ms in the future; at most 300000 ms allowed'] },
        { index: 3, event_id: unknown.event_id, reason: 'unknown_field', errors: ['/coupon: Unexpected property'] },
      ],
    });
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.events.map((e) => e.event_id), [ID_A]);
    assert.deepEqual(
      calls[0]!.failed.map((f) => [f.stage, f.reason, f.event_id, JSON.parse(f.payload)]),
      [
        ['collector', 'invalid_event', ID_B, badTs],
        ['collector', 'ts_out_of_range', future.event_id, future],
        ['collector', 'unknown_field', unknown.event_id, unknown],
      ],
    );
    assert.equal(await metricValue(app, 'collector_events_received_total'), 4);
    assert.equal(await metricValue(app, 'collector_events_accepted_total'), 1);
    assert.equal(await metricValue(app, 'collector_events_rejected_total', { reason: 'ts_out_of_range' }), 1);
  });

  test('415 for another content type', async () => {
    const res = await post(await buildApp(), 'events=1', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(res.statusCode, 415);
  });

  test('413 for a body over bodyLimitBytes', async () => {
    const { publisher, calls } = recordingPublisher();
    const app = await buildApp(publisher);
    const big = JSON.stringify({ ...event(ID_A), properties: { pad: 'x'.repeat(BODY_LIMIT) } });
    const res = await post(app, big);
    assert.equal(res.statusCode, 413);
    assert.equal(calls.length, 0);
    assert.equal(await metricValue(app, 'collector_requests_rejected_total', { reason: 'body_too_large' }), 1);
  });

  test('503 with retry-after when neither Kafka nor the spool took the events', async () => {
    const res = await post(await buildApp(failingPublisher(new PublishError('Kafka did not acknowledge the events'))), JSON.stringify(event(ID_A)));
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '5');
    assert.deepEqual(res.json(), { error: 'temporarily unavailable, retry later' });
  });

  test('503 with a longer retry-after when the spool is full', async () => {
    const app = await buildApp(failingPublisher(new SpoolFullError('full')));
    const res = await post(app, JSON.stringify(event(ID_A)));
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '30');
    assert.equal(await metricValue(app, 'collector_requests_rejected_total', { reason: 'spool_full' }), 1);
  });

  test('500 without internals when the publisher throws anything else', async () => {
    const res = await post(await buildApp(failingPublisher(new Error('secret broker address 10.0.0.5'))), JSON.stringify(event(ID_A)));
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), { error: 'internal error' });
  });
});

describe('enrichment from the request', () => {
  test('a crawler is flagged in bot, still published, and counted', async () => {
    const { publisher, calls } = recordingPublisher();
    const app = await buildApp(publisher);
    const ua = 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)';
    const res = await post(app, JSON.stringify({ events: [event(ID_A), event(ID_B)] }), { 'user-agent': ua });
    assert.equal(res.statusCode, 200);
    assert.equal(calls[0]!.enrichment.bot, 'Baiduspider');
    assert.equal(calls[0]!.events.length, 2);
    assert.equal(await metricValue(app, 'collector_bot_events_total', { bot: 'Baiduspider' }), 2);
  });

  test('X-Forwarded-For is ignored unless the peer is a trusted proxy', async () => {
    const { publisher, calls } = recordingPublisher();
    const app = await buildApp(publisher);
    await post(app, JSON.stringify(event(ID_A)), { 'x-forwarded-for': '120.24.78.68' }, '198.51.100.23');
    assert.equal(calls[0]!.enrichment.client_ip, '198.51.100.0');
  });

  test('a trusted proxy names the client: geo and client_ip come from it', async () => {
    const { publisher, calls } = recordingPublisher();
    const looked: string[] = [];
    const app = Fastify();
    await app.register(collectorPlugin, {
      publisher,
      trackerScript: SCRIPT,
      config: { ...readCollectorConfig({}), trustedProxies: ['10.0.0.0/8'] },
      searchRegion: (address) => (looked.push(address), null),
      now: () => NOW,
    });
    await app.inject({
      method: 'POST',
      url: '/collect',
      headers: { 'content-type': 'text/plain', 'x-forwarded-for': '120.24.78.68, 10.0.0.7' },
      remoteAddress: '10.0.0.2',
      payload: JSON.stringify(event(ID_A)),
    });
    assert.deepEqual(looked, ['120.24.78.68']);
    assert.equal(calls[0]!.enrichment.client_ip, '120.24.78.0');
  });
});

describe('rate limit', () => {
  const config = { rateLimit: { max: 2, windowMs: 60_000, allowList: ['127.0.0.0/8', '::1'] } };

  test('429 with retry-after once a client address used its requests', async () => {
    const app = await buildApp(recordingPublisher().publisher, config);
    const body = JSON.stringify(event(ID_A));
    assert.equal((await post(app, body)).statusCode, 200);
    assert.equal((await post(app, body)).statusCode, 200);
    const limited = await post(app, body);
    assert.equal(limited.statusCode, 429);
    assert.match(limited.headers['retry-after'] as string, /^\d+$/);
    assert.match(limited.json().error, /rate limit/);
    // Another address has its own budget.
    assert.equal((await post(app, body, {}, '120.24.78.99')).statusCode, 200);
    assert.equal(await metricValue(app, 'collector_requests_rejected_total', { reason: 'rate_limited' }), 1);
  });

  test('loopback (the demo simulator) is never limited by default', async () => {
    const app = await buildApp(recordingPublisher().publisher, config);
    for (let i = 0; i < 5; i++) assert.equal((await post(app, JSON.stringify(event(ID_A)), {}, '127.0.0.1')).statusCode, 200);
  });

  test('the default limit is 600 requests a minute per address', () => {
    assert.deepEqual(readCollectorConfig({}).rateLimit, { max: 600, windowMs: 60_000, allowList: ['127.0.0.0/8', '::1'] });
  });
});

describe('CORS', () => {
  test('OPTIONS /collect answers the preflight with 204 for any origin by default', async () => {
    const res = await (await buildApp()).inject({
      method: 'OPTIONS',
      url: '/collect',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['access-control-allow-methods'], 'POST, OPTIONS');
    assert.equal(res.headers['access-control-allow-headers'], 'content-type');
    assert.equal(res.headers['access-control-max-age'], '86400');
  });

  describe('with an origin list', () => {
    const config = { corsOrigins: ['https://shop.example'] };
    const preflight = async (origin: string) =>
      (await buildApp(recordingPublisher().publisher, config)).inject({
        method: 'OPTIONS',
        url: '/collect',
        headers: { origin, 'access-control-request-method': 'POST' },
      });

    test('a listed origin is echoed', async () => {
      const res = await preflight('https://shop.example');
      assert.equal(res.headers['access-control-allow-origin'], 'https://shop.example');
      assert.match(String(res.headers.vary), /Origin/i);
    });

    test('another origin gets no allow-origin on the preflight and 403 on the beacon', async () => {
      assert.equal((await preflight('https://evil.example')).headers['access-control-allow-origin'], undefined);
      const { publisher, calls } = recordingPublisher();
      const res = await post(await buildApp(publisher, config), JSON.stringify(event(ID_A)), { origin: 'https://evil.example' });
      assert.equal(res.statusCode, 403);
      assert.equal(calls.length, 0);
    });

    test('a listed origin and a request without Origin (a shop backend) are accepted', async () => {
      const app = await buildApp(recordingPublisher().publisher, config);
      const listed = await post(app, JSON.stringify(event(ID_A)), { origin: 'https://shop.example' });
      assert.equal(listed.statusCode, 200);
      assert.equal(listed.headers['access-control-allow-origin'], 'https://shop.example');
      assert.equal((await post(app, JSON.stringify(event(ID_A)))).statusCode, 200);
    });
  });

  test('the preflight catch-all stays under /collect: other OPTIONS requests are not answered', async () => {
    const res = await (await buildApp()).inject({ method: 'OPTIONS', url: '/api/sql', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(res.statusCode, 404);
  });
});

describe('GET /readyz', () => {
  test('200 with the status while the publisher is ready', async () => {
    const app = await buildApp(recordingPublisher('kafka', { ready: true, status: 'draining', spooled_messages: 12 }).publisher);
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'draining', spooled_messages: 12 });
  });

  test('503 with the reason otherwise', async () => {
    const app = await buildApp(recordingPublisher('kafka', { ready: false, reason: 'kafka_unreachable', spooled_messages: 3 }).publisher);
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json(), { status: 'unavailable', reason: 'kafka_unreachable', spooled_messages: 3 });
  });
});

test('GET /metrics serves the Prometheus text format', async () => {
  const app = await buildApp();
  await post(app, JSON.stringify(event(ID_A)));
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain/);
  assert.match(res.body, /^collector_events_accepted_total 1$/m);
});

test('GET /t.js serves the tracker script as javascript', async () => {
  const res = await (await buildApp()).inject({ method: 'GET', url: '/t.js' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, SCRIPT);
  assert.equal(res.headers['content-type'], 'application/javascript; charset=utf-8');
  assert.equal(res.headers['cache-control'], 'public, max-age=300');
});
