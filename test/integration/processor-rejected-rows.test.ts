// A row ClickHouse refuses for its data (here: a CHECK constraint an operator
// added) must not stop its partition or crash-loop the processor: it lands in
// failed_events with ClickHouse's reason, every other event of the same
// insert is stored once, and the offsets move on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import { clickHouseTarget, createClickHouse } from '../../infra/clickhouse/client.ts';
import { createKafka } from '../../infra/kafka/client.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { makeEvent, pollUntil, postEvents } from '../helpers/events.ts';
import { consumerLag } from '../helpers/raw-events.ts';
import { startTestStack, type TestStack } from '../helpers/test-stack.ts';

let stack: TestStack;
let admin: ClickHouseClient;
const fatal: Error[] = [];

before(async () => {
  stack = await startTestStack({ onFatal: (err) => fatal.push(err) });
  admin = createClickHouse(clickHouseTarget({ ...stack.engines.clickhouse, dataDir: stack.engines.dataDir }));
});
after(async () => {
  await admin?.close();
  await stack?.stop();
});

test('rows ClickHouse refuses go to failed_events; the rest of their insert is stored and committed', { timeout: 90_000 }, async () => {
  await admin.command({ query: "ALTER TABLE events ADD CONSTRAINT no_poison CHECK page_url NOT LIKE '%poison%'" });
  const good = Array.from({ length: 60 }, (_, i) => makeEvent('page_view', { anonymous_id: `v-${i}`, page: { url: `https://shop.example/ok/${i}` } }));
  const bad = [7, 31].map((i) => makeEvent('page_view', { anonymous_id: `bad-${i}`, page: { url: `https://shop.example/poison/${i}` } }));
  const all = [...good.slice(0, 7), bad[0]!, ...good.slice(7, 31), bad[1]!, ...good.slice(31)];
  assert.equal((await postEvents(stack.url, all)).status, 200);

  const failed = await pollUntil(
    () => stack.sql<{ event_id: string; reason: string; detail: string; payload: string }>(
      "SELECT event_id, reason, detail, payload FROM failed_events WHERE stage = 'processor' ORDER BY event_id",
    ),
    (rows) => rows.length >= 2,
    30_000,
  );
  assert.deepEqual(failed.map((f) => f.event_id).sort(), bad.map((e) => e.event_id).sort());
  for (const f of failed) {
    assert.equal(f.reason, 'clickhouse_rejected');
    assert.match(f.detail, /no_poison/);
    assert.match(f.payload, /poison/);
  }

  const stored = await pollUntil(
    () => stack.sql<{ n: number; ids: number }>('SELECT count() AS n, uniqExact(event_id) AS ids FROM events'),
    (rows) => rows[0]!.n >= good.length,
    15_000,
  );
  assert.deepEqual(stored[0], { n: good.length, ids: good.length });
  const [poisoned] = await stack.sql<{ n: number }>("SELECT count() AS n FROM events WHERE page_url LIKE '%poison%'");
  assert.equal(poisoned!.n, 0);

  const kafka = createKafka({ brokers: stack.brokers, clientId: 'rejected-rows-test' }, createRootLogger({ name: 'rejected', level: 'warn' }));
  const lag = await pollUntil(() => consumerLag(kafka, stack.engines.kafka.consumerGroup, stack.engines.kafka.rawTopic), (l) => l === 0, 15_000);
  assert.equal(lag, 0, 'the partitions moved past the refused rows');
  assert.deepEqual(fatal, [], 'no restart loop');
});
