// Two processor instances in one consumer group share the raw topic's six
// partitions, and a rebalance in the middle loses nothing and doubles nothing.
// (Both run in this process: embedded chDB binds its data dir to one process,
// so they share one engine, as two processes would share a ClickHouse server.)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import { clickHouseTarget, createClickHouse } from '../../infra/clickhouse/client.ts';
import { migrate } from '../../infra/clickhouse/migrate.ts';
import { createKafka } from '../../infra/kafka/client.ts';
import { ensureEventTopics } from '../../infra/kafka/topics.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { readProcessorConfig } from '../../stream-processor/config.ts';
import { startProcessor, type RunningProcessor } from '../../stream-processor/processor.ts';
import { consumerLag, produceEnvelopes } from '../helpers/raw-events.ts';

const EVENTS = 60_000;
const log = createRootLogger({ name: 'scale-out', level: 'warn' });
const suffix = randomUUID().slice(0, 8);
const topics = { raw: `test.${suffix}.events.raw`, failed: `test.${suffix}.events.failed` };
const groupId = `test-${suffix}`;
const kafka = createKafka({ brokers: (process.env.KAFKA_BROKERS ?? '').split(','), clientId: 'scale-out-test' }, log);
let clickhouse: ClickHouseClient;
const running: RunningProcessor[] = [];

before(() => {
  // In before(), not at import: test files share a process (test/run.ts), and chDB holds one data directory per process.
  clickhouse = createClickHouse(
    clickHouseTarget({ url: undefined, username: '', password: '', database: 'default', dataDir: mkdtempSync(join(tmpdir(), `shoppulse-scale-${suffix}-`)) }),
  );
});
after(async () => {
  for (const p of running) await p.stop();
  await clickhouse?.close();
});

const start = () =>
  startProcessor({
    kafka,
    topics,
    groupId,
    clickhouse,
    batching: readProcessorConfig({}),
    log,
    onFatal: (err) => {
      throw err;
    },
  });

test('two processors in one group share the work with no loss or double counting', { timeout: 180_000 }, async () => {
  await migrate(clickhouse, log);
  await ensureEventTopics(kafka, { raw: topics.raw });

  // Both members join and split the six partitions before any event exists,
  // so neither can drain the topic alone in one big fetch.
  const [a, b] = await Promise.all([start(), start()]);
  running.push(a, b);
  const admin = kafka.admin();
  await admin.connect();
  const joinDeadline = Date.now() + 60_000;
  for (;;) {
    const { groups } = await admin.describeGroups([groupId]);
    if (groups[0]?.state === 'Stable' && groups[0].members.length === 2) break;
    assert.ok(Date.now() < joinDeadline, 'both members joined the group');
    await new Promise((r) => setTimeout(r, 200));
  }
  await admin.disconnect();
  await produceEnvelopes(kafka, topics.raw, EVENTS);

  // When a third of the events are in, B leaves mid-stream and the group rebalances onto A.
  while (a.stats.messages + b.stats.messages < EVENTS / 3) await new Promise((r) => setTimeout(r, 20));
  const bMessages = b.stats.messages;
  await b.stop();
  running.splice(running.indexOf(b), 1);

  const deadline = Date.now() + 150_000;
  while ((await consumerLag(kafka, groupId, topics.raw)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  assert.equal(await consumerLag(kafka, groupId, topics.raw), 0);

  const result = await clickhouse.query({ query: 'SELECT count() AS n, uniqExact(event_id) AS ids, uniqExact(kafka_partition) AS partitions FROM events', format: 'JSONEachRow' });
  const [row] = await result.json<{ n: string; ids: string; partitions: string }>();
  assert.deepEqual({ n: Number(row!.n), ids: Number(row!.ids), partitions: Number(row!.partitions) }, { n: EVENTS, ids: EVENTS, partitions: 6 });
  assert.ok(a.stats.messages > 0 && bMessages > 0, `both worked: ${a.stats.messages} + ${bMessages} messages`);
  // Redelivered around the rebalance are dropped as already stored, never stored twice.
  assert.equal(a.stats.writer.inserted + b.stats.writer.inserted, EVENTS);
});
