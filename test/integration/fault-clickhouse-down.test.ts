// F3: ClickHouse refuses writes for a while. No offsets are committed
// meanwhile, and once it accepts writes again every event is there, once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import { clickHouseTarget, createClickHouse } from '../../infra/clickhouse/client.ts';
import { createKafka } from '../../infra/kafka/client.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { makeEvent, pollUntil, postEvents } from '../helpers/events.ts';
import { consumerLag, topicEnd } from '../helpers/raw-events.ts';
import { startTestStack, type TestStack } from '../helpers/test-stack.ts';

let stack: TestStack;
let admin: ClickHouseClient;
const fatal: Error[] = [];

before(async () => {
  stack = await startTestStack({ onFatal: (err) => fatal.push(err) });
  // A second read-write connection to the same engine, as an operator would have.
  admin = createClickHouse(clickHouseTarget({ ...stack.engines.clickhouse, dataDir: stack.engines.dataDir }));
});
after(async () => {
  await admin?.close();
  await stack?.stop();
});

const count = async () => (await stack.sql<{ n: number; ids: number }>('SELECT count() AS n, uniqExact(event_id) AS ids FROM events'))[0]!;

test('while inserts fail no offset is committed; afterwards every event is stored once', { timeout: 120_000 }, async () => {
  const kafka = createKafka({ brokers: stack.brokers, clientId: 'f3-test' }, createRootLogger({ name: 'f3', level: 'warn' }));
  const first = Array.from({ length: 100 }, () => makeEvent('page_view', { anonymous_id: 'f3' }));
  assert.equal((await postEvents(stack.url, first)).status, 200);
  await pollUntil(count, (c) => c.n === 100, 10_000);

  // "Too many parts": ClickHouse refuses every insert into `events` before
  // writing anything — the error a struggling server really gives.
  await admin.command({ query: 'ALTER TABLE events MODIFY SETTING parts_to_throw_insert = 1' });
  const during = Array.from({ length: 500 }, () => makeEvent('cart_add', { anonymous_id: 'f3' }));
  const recordsBefore = await topicEnd(kafka, stack.engines.kafka.rawTopic);
  for (let i = 0; i < 5; i++) assert.equal((await postEvents(stack.url, during.slice(i * 100, (i + 1) * 100))).status, 200);
  // The lag counts Kafka records: one per request and visitor here.
  const recordsDuring = (await topicEnd(kafka, stack.engines.kafka.rawTopic)) - recordsBefore;
  assert.equal(recordsDuring, 5);

  const lagSamples: number[] = [];
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    lagSamples.push(await consumerLag(kafka, stack.engines.kafka.consumerGroup, stack.engines.kafka.rawTopic));
  }
  assert.ok(lagSamples.every((lag) => lag === recordsDuring), `uncommitted records while ClickHouse refused writes: ${lagSamples.join(', ')}`);
  assert.equal((await count()).n, 100, 'nothing new stored meanwhile');

  await admin.command({ query: 'ALTER TABLE events MODIFY SETTING parts_to_throw_insert = 3000' });
  const final = await pollUntil(count, (c) => c.n >= 600, 60_000, 500);
  assert.deepEqual(final, { n: 600, ids: 600 });
  const lag = await pollUntil(() => consumerLag(kafka, stack.engines.kafka.consumerGroup, stack.engines.kafka.rawTopic), (l) => l === 0, 10_000);
  assert.equal(lag, 0);
  assert.deepEqual(fatal, [], 'the processor rode out the outage within its restart budget');
});
