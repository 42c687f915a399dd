import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { makeEvent } from '../test/helpers/events.ts';
import { collectorPlugin } from './app.ts';
import type { RawEnvelope } from './contract/events.ts';
import { PublishError, type EventPublisher } from './kafka-publisher.ts';

const NOW = Date.UTC(2026, 10, 11, 12, 0, 0);
const ID_A = '00000000-0000-4000-8000-00000000000a';
const ID_B = '00000000-0000-4000-8000-00000000000b';
const SCRIPT = '(function(){/* tracker */})();';
const BODY_LIMIT = 2048;

const event = (event_id: string) => makeEvent('page_view', { event_id, ts: NOW - 1000, sent_at: NOW - 500 });

function recordingPublisher() {
  const calls: RawEnvelope[][] = [];
  const publisher: EventPublisher = { publish: async (events) => void calls.push(events) };
  return { publisher, calls };
}

async function buildApp(publisher: EventPublisher = recordingPublisher().publisher) {
  const app = Fastify();
  await app.register(collectorPlugin, {
    publisher,
    trackerScript: SCRIPT,
    bodyLimitBytes: BODY_LIMIT,
    maxEventsPerBatch: 10,
    now: () => NOW,
  });
  return app;
}

const post = (app: Awaited<ReturnType<typeof buildApp>>, payload: string, contentType = 'text/plain') =>
  app.inject({
    method: 'POST',
    url: '/collect',
    headers: { 'content-type': contentType, 'user-agent': 'UnitTest/1.0' },
    remoteAddress: '198.51.100.23',
    payload,
  });

describe('POST /collect', () => {
  for (const contentType of ['text/plain', 'application/json', 'text/plain;charset=UTF-8']) {
    test(`200 {accepted} for a ${contentType} batch, published with enrichment`, async () => {
      const { publisher, calls } = recordingPublisher();
      const app = await buildApp(publisher);
      const a = event(ID_A);
      const b = event(ID_B);
      const res = await post(app, JSON.stringify({ events: [a, b] }), contentType);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { accepted: 2 });
      assert.equal(res.headers['access-control-allow-origin'], '*');
      const enrichment = { received_at: NOW, user_agent: 'UnitTest/1.0', client_ip: '198.51.100.0' };
      assert.deepEqual(calls, [[{ ...a, ...enrichment }, { ...b, ...enrichment }]]);
    });
  }

  test('400 invalid JSON, publisher not called', async () => {
    const { publisher, calls } = recordingPublisher();
    const res = await post(await buildApp(publisher), '{"events": [');
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /^invalid JSON: /);
    assert.equal(calls.length, 0);
  });

  test('400 for a __proto__ key, publisher not called', async () => {
    const { publisher, calls } = recordingPublisher();
    const res = await post(await buildApp(publisher), `{"__proto__": {"admin": true}, "type": "page_view"}`);
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /^invalid JSON: .*prototype/);
    assert.equal(calls.length, 0);
  });

  test('400 for a body that is not an event or batch', async () => {
    const res = await post(await buildApp(), '[1, 2]');
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { error: 'body must be one event object or {"events": [...]}' });
  });

  test('400 with per-event rejections; the valid events are still published', async () => {
    const { publisher, calls } = recordingPublisher();
    const res = await post(await buildApp(publisher), JSON.stringify({ events: [event(ID_A), { ...event(ID_B), ts: 'now' }] }));
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), {
      accepted: 1,
      rejected: [{ index: 1, event_id: ID_B, errors: ['/ts: Expected integer'] }],
    });
    assert.deepEqual(
      calls.map((batch) => batch.map((e) => e.event_id)),
      [[ID_A]],
    );
  });

  test(
    'publisher is not called when no event is valid',
    async () => {
      const { publisher, calls } = recordingPublisher();
      const res = await post(await buildApp(publisher), JSON.stringify({ events: [{ type: 'page_view' }] }));
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().accepted, 0);
      assert.deepEqual(calls, []);
    },
  );

  test('415 for another content type', async () => {
    const res = await post(await buildApp(), 'events=1', 'application/x-www-form-urlencoded');
    assert.equal(res.statusCode, 415);
  });

  test('413 for a body over bodyLimitBytes', async () => {
    const { publisher, calls } = recordingPublisher();
    const big = JSON.stringify({ ...event(ID_A), properties: { pad: 'x'.repeat(BODY_LIMIT) } });
    const res = await post(await buildApp(publisher), big);
    assert.equal(res.statusCode, 413);
    assert.equal(calls.length, 0);
  });

  test('503 with retry-after when the publisher throws PublishError', async () => {
    const failing: EventPublisher = {
      publish: async () => {
        throw new PublishError('Kafka did not acknowledge the events');
      },
    };
    const res = await post(await buildApp(failing), JSON.stringify(event(ID_A)));
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '5');
    assert.deepEqual(res.json(), { error: 'temporarily unavailable, retry later' });
  });

  test('500 without internals when the publisher throws anything else', async () => {
    const failing: EventPublisher = {
      publish: async () => {
        throw new Error('secret broker address 10.0.0.5');
      },
    };
    const res = await post(await buildApp(failing), JSON.stringify(event(ID_A)));
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), { error: 'internal error' });
  });
});

test('OPTIONS /collect answers the CORS preflight with 204', async () => {
  const res = await (await buildApp()).inject({ method: 'OPTIONS', url: '/collect' });
  assert.equal(res.statusCode, 204);
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.equal(res.headers['access-control-allow-methods'], 'POST, OPTIONS');
  assert.equal(res.headers['access-control-allow-headers'], 'content-type');
  assert.equal(res.headers['access-control-max-age'], '86400');
});

test('GET /t.js serves the tracker script as javascript', async () => {
  const res = await (await buildApp()).inject({ method: 'GET', url: '/t.js' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, SCRIPT);
  assert.equal(res.headers['content-type'], 'application/javascript; charset=utf-8');
  assert.equal(res.headers['cache-control'], 'public, max-age=300');
});
