// Refused events on the real broker: POST /collect with invalid events → 400
// with a reason per event, and one FailedEvent per refused event on the
// failed-events topic (reason, detail, original payload), while the valid
// events of the same request reach the raw topic. Bodies that are not JSON
// (or too deep) are refused whole and leave nothing on either topic.
import assert from 'node:assert/strict';
import { eventsOfRecord, readTopic } from '../helpers/raw-events.ts';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import { collectorPlugin } from '../../collector/app.ts';
import { readCollectorConfig } from '../../collector/config.ts';
import { FailedEventSchema, type FailedEvent } from '../../collector/contract/failed-event.ts';
import { startCollectorPublisher, type CollectorPublisher } from '../../collector/delivery/start-publisher.ts';
import { createKafka } from '../../infra/kafka/client.ts';
import { ensureEventTopics } from '../../infra/kafka/topics.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { makeEvent } from '../helpers/events.ts';

const suffix = randomUUID().slice(0, 8);
const topics = { raw: `test.${suffix}.events.raw`, failed: `test.${suffix}.events.failed` };
const log = createRootLogger({ name: 'collector-failed-events-test', level: process.env.LOG_LEVEL ?? 'warn' });
const dataDir = mkdtempSync(join(tmpdir(), `shoppulse-failed-events-${suffix}-`));
const isFailedEvent = TypeCompiler.Compile(FailedEventSchema);

let kafka: Kafka;
let delivery: CollectorPublisher;
let app: FastifyInstance;

before(async () => {
  const brokers = process.env.KAFKA_BROKERS?.split(',');
  if (!brokers) throw new Error('integration tests run through `npm test`, which starts Kafka');
  kafka = createKafka({ brokers, clientId: 'collector-failed-events-test' }, log);
  await ensureEventTopics(kafka, topics);
  const config = readCollectorConfig({});
  delivery = await startCollectorPublisher({ kafka, brokers, topics, config, dataDir, log, defaultMetrics: false });
  app = Fastify();
  await app.register(collectorPlugin, { publisher: delivery.publisher, metrics: delivery.metrics, trackerScript: '', config });
});

after(async () => {
  await app?.close();
  await delivery?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});


const post = (payload: string) =>
  app.inject({ method: 'POST', url: '/collect', headers: { 'content-type': 'text/plain' }, remoteAddress: '120.24.78.23', payload });

test('invalid events land on the failed-events topic with their reason and payload; valid ones on the raw topic', async () => {
  const good = makeEvent('page_view', { anonymous_id: 'failed-events-test' });
  const badPrice = makeEvent('cart_add', { product: { id: 'p-1', price: 'abc' } });
  const unknownField = { ...makeEvent('page_view'), coupon: 'SAVE10' };
  const future = makeEvent('page_view', { ts: Date.now() + 3_600_000 });
  const { event_id: _dropped, ...noId } = makeEvent('page_view');

  const res = await post(JSON.stringify({ events: [good, badPrice, unknownField, future, noId] }));
  assert.equal(res.statusCode, 400);
  const body = res.json() as { accepted: number; rejected: Array<{ index: number; event_id: string | null; reason: string; errors: string[] }> };
  assert.equal(body.accepted, 1);
  assert.deepEqual(
    body.rejected.map((r) => [r.index, r.event_id, r.reason]),
    [
      [1, badPrice.event_id, 'invalid_event'],
      [2, unknownField.event_id, 'unknown_field'],
      [3, future.event_id, 'ts_out_of_range'],
      [4, null, 'invalid_event'],
    ],
  );

  // Bodies with nothing to attribute: 400 only, nothing produced.
  assert.equal((await post('{"events": [')).statusCode, 400);
  assert.equal((await post(`{"events":${'['.repeat(10_000)}${']'.repeat(10_000)}}`)).statusCode, 400);
  assert.equal((await post(JSON.stringify({ events: [] }))).statusCode, 400);

  const failed = await readTopic(kafka, topics.failed, 30_000);
  assert.equal(failed.length, 4);
  const byKey = new Map(failed.map((m) => [m.key?.toString(), JSON.parse(m.value!.toString()) as FailedEvent]));
  for (const f of byKey.values()) {
    assert.ok(isFailedEvent.Check(f), JSON.stringify([...isFailedEvent.Errors(f)]));
    assert.equal(f.stage, 'collector');
  }
  const expected: Array<[string, string, unknown, RegExp]> = [
    [badPrice.event_id, 'invalid_event', badPrice, /\/product\/price: Expected number/],
    [unknownField.event_id, 'unknown_field', unknownField, /\/coupon: Unexpected property/],
    [future.event_id, 'ts_out_of_range', future, /in the future/],
    ['unknown', 'invalid_event', noId, /\/event_id: Expected required property/],
  ];
  for (const [key, reason, payload, detail] of expected) {
    const f = byKey.get(key);
    assert.ok(f, `no failed event keyed ${key}`);
    assert.equal(f.reason, reason);
    assert.match(f.detail, detail);
    assert.deepEqual(JSON.parse(f.payload), payload);
    assert.equal(f.event_id, key === 'unknown' ? '' : key);
  }

  const raw = await readTopic(kafka, topics.raw, 30_000);
  assert.deepEqual(
    raw.flatMap(eventsOfRecord).map((e) => e.event_id),
    [good.event_id],
  );
});
