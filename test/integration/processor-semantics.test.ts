// What the processor makes of events beyond the happy path, on the real engines:
// late events, sessions, engagement, crawler traffic and failures.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createKafka, createProducer } from '../../infra/kafka/client.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { makeEvent, pollUntil, postEvents } from '../helpers/events.ts';
import { makeEnvelope } from '../helpers/raw-events.ts';
import { startTestStack, type TestStack } from '../helpers/test-stack.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack?.stop();
});

/** Writes straight to the raw topic, as another producer (or an older collector) could. */
async function produceRaw(values: string[]): Promise<void> {
  const kafka = createKafka({ brokers: stack.brokers, clientId: 'semantics-test' }, createRootLogger({ name: 't', level: 'warn' }));
  const producer = createProducer(kafka);
  await producer.connect();
  await producer.send({ topic: stack.engines.kafka.rawTopic, acks: -1, messages: values.map((value) => ({ value })) });
  await producer.disconnect();
}

test('a late event lands in the minute it happened, not the minute it arrived', async () => {
  const now = Date.now();
  const happened = now - 3 * 60_000;
  const late = makeEvent('favorite_add', { anonymous_id: 'late', ts: happened, sent_at: now });
  assert.equal((await postEvents(stack.url, [late])).status, 200);
  const rows = await pollUntil(
    () => stack.sql<{ minute: string; n: number }>("SELECT toString(minute) AS minute, sum(events) AS n FROM events_minute WHERE type = 'favorite_add' GROUP BY minute"),
    (r) => r.length > 0,
    10_000,
  );
  const expected = new Date(Math.floor(happened / 60_000) * 60_000).toISOString().replace('T', ' ').slice(0, 19);
  assert.deepEqual(rows, [{ minute: expected, n: 1 }]);
});

test('a session row has its start, end, pages, entry and exit page, bounce and conversion', async () => {
  const session_id = `s-${randomUUID()}`;
  const sentAt = Date.now();
  const t0 = sentAt - 60_000;
  // One send time for the batch: the collector adds each event's clock skew (received_at − sent_at) to its ts.
  const at = (ms: number) => ({ ts: t0 + ms, sent_at: sentAt, session_id, anonymous_id: 'sessions' });
  const events = [
    makeEvent('page_view', { ...at(0), page: { url: 'https://shop.example/' } }),
    makeEvent('page_view', { ...at(20_000), page: { url: 'https://shop.example/p/1' } }),
    makeEvent('page_leave', { ...at(30_000), page: { url: 'https://shop.example/p/1' }, engagement: { dwell_ms: 9_500 } }),
    makeEvent('order_pay', { ...at(45_000) }),
  ];
  assert.equal((await postEvents(stack.url, events)).status, 200);
  const rows = await pollUntil(
    () => stack.sql(`SELECT pages, events, entry_page, exit_page, bounce, converted, duration_ms, revenue FROM sessions WHERE session_id = '${session_id}'`),
    (r) => r.length === 1 && (r[0] as { events: number }).events === 4,
    10_000,
  );
  assert.deepEqual(rows, [
    { pages: 2, events: 4, entry_page: 'https://shop.example/', exit_page: 'https://shop.example/p/1', bounce: 0, converted: 1, duration_ms: 45_000, revenue: 199.8 },
  ]);
  const [dwell] = await stack.sql<{ dwell_ms: number }>(`SELECT dwell_ms FROM events WHERE session_id = '${session_id}' AND type = 'page_leave'`);
  assert.equal(dwell?.dwell_ms, 9_500);
});

test('crawler events go to bot_events and stay out of events and the aggregates', async () => {
  const crawl = { ...makeEnvelope(1), bot: 'Baiduspider', anonymous_id: 'crawler' };
  const human = { ...makeEnvelope(2), anonymous_id: 'crawler-control' };
  await produceRaw([JSON.stringify(crawl), JSON.stringify(human)]);
  await pollUntil(() => stack.sql("SELECT 1 FROM events WHERE anonymous_id = 'crawler-control'"), (r) => r.length === 1, 10_000);
  assert.deepEqual(await stack.sql("SELECT count() AS n FROM events WHERE anonymous_id = 'crawler'"), [{ n: 0 }]);
  assert.deepEqual(await stack.sql(`SELECT bot, count() AS n FROM bot_events WHERE event_id = '${crawl.event_id}' GROUP BY bot`), [{ bot: 'Baiduspider', n: 1 }]);
});

test('messages the processor cannot use land in failed_events with their reason and payload', async () => {
  const marker = randomUUID();
  const badEnvelope = { ...makeEnvelope(3), event_id: marker, type: 'teleport' };
  await produceRaw(['{not json', JSON.stringify(badEnvelope)]);
  const rows = await pollUntil(
    () => stack.sql<{ stage: string; reason: string; has_payload: number }>(
      "SELECT stage, reason, position(payload, '{not json') = 1 OR position(payload, 'teleport') > 0 AS has_payload FROM failed_events WHERE stage = 'processor' ORDER BY reason",
    ),
    (r) => r.length >= 2,
    15_000,
  );
  assert.deepEqual(rows, [
    { stage: 'processor', reason: 'invalid_event', has_payload: 1 },
    { stage: 'processor', reason: 'invalid_json', has_payload: 1 },
  ]);
  const [byId] = await stack.sql(`SELECT reason FROM failed_events WHERE event_id = '${marker}'`);
  assert.deepEqual(byId, { reason: 'invalid_event' });
  assert.deepEqual(await stack.sql(`SELECT count() AS n FROM events WHERE event_id = '${marker}'`), [{ n: 0 }]);
});

test('the same event sent twice in separate requests is stored once', async () => {
  const event = makeEvent('cart_add', { anonymous_id: 'resent' });
  assert.equal((await postEvents(stack.url, [event])).status, 200);
  await pollUntil(() => stack.sql(`SELECT 1 FROM events WHERE event_id = '${event.event_id}'`), (r) => r.length === 1, 10_000);
  assert.equal((await postEvents(stack.url, [event, makeEvent('cart_add', { anonymous_id: 'resent' })])).status, 200);
  // An insert's part in `events` can be visible a moment before its view parts: wait on the aggregate.
  const minute = await pollUntil(() => stack.sql<{ n: number }>("SELECT sum(events) AS n FROM events_minute WHERE type = 'cart_add'"), (r) => r[0]?.n === 2, 10_000);
  assert.deepEqual(minute, [{ n: 2 }]);
  assert.deepEqual(await stack.sql("SELECT count() AS n FROM events WHERE anonymous_id = 'resent'"), [{ n: 2 }]);
  assert.deepEqual(await stack.sql(`SELECT count() AS n FROM events WHERE event_id = '${event.event_id}'`), [{ n: 1 }]);
});
