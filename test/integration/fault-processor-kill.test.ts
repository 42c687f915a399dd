// F1: kill -9 the stream processor several times while it drains 100,000
// events. Afterwards every accepted event is in `events` exactly once, and the
// aggregates the wall reads agree.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from '../../infra/paths.ts';
import { clickHouseTarget, createClickHouse } from '../../infra/clickhouse/client.ts';
import { createKafka } from '../../infra/kafka/client.ts';
import { ensureEventTopics } from '../../infra/kafka/topics.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { consumerLag, produceEnvelopes } from '../helpers/raw-events.ts';

const EVENTS = 100_000;
const KILLS = 4;
const TOP_UP = 25_000;

const log = createRootLogger({ name: 'f1', level: 'warn' });
const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
const suffix = randomUUID().slice(0, 8);
const topic = `test.${suffix}.events.raw`;
const groupId = `test-${suffix}`;
const dataDir = mkdtempSync(join(tmpdir(), `shoppulse-f1-${suffix}-`));
const kafka = createKafka({ brokers, clientId: 'f1-test' }, log);
const children = new Set<ChildProcess>();

after(() => {
  for (const child of children) child.kill('SIGKILL');
});

function startProcessor(): ChildProcess {
  // node itself (not the tsx CLI) so that the pid we kill is the processor.
  const child = spawn(process.execPath, ['--import', 'tsx', 'stream-processor/server.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_RAW_TOPIC: topic,
      KAFKA_FAILED_TOPIC: `test.${suffix}.events.failed`,
      KAFKA_CONSUMER_GROUP: groupId,
      DATA_DIR: dataDir,
      CLICKHOUSE_URL: '',
      LOG_LEVEL: 'warn',
      // A killed member holds its partitions until its session times out:
      // the broker's shortest, so each restart waits 6 s instead of 30 s.
      PROCESSOR_SESSION_TIMEOUT_MS: '6000',
      // Inserts of 10,000 rows, not 50,000: commits come sooner and more
      // often, so each run is killed between or inside many more inserts.
      PROCESSOR_MAX_BATCH_ROWS: '10000',
      // 1 MiB of each partition per fetch (~1,700 events): a partition's
      // offsets are committed once its whole fetched batch is inserted, and
      // with the default 10 MiB the first commit waits for the first ~100,000.
      PROCESSOR_FETCH_PARTITION_BYTES: String(1 << 20),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('kill -9 four times during a replay of 100,000 events (and more if drained) loses nothing and counts nothing twice', { timeout: 600_000 }, async () => {
  await ensureEventTopics(kafka, { raw: topic });
  const accepted = await produceEnvelopes(kafka, topic, EVENTS);
  assert.equal(accepted.size, EVENTS);

  const lagAtKills: number[] = [];
  for (let kill = 0; kill < KILLS; kill++) {
    // A fetch can bring tens of thousands of events: if an earlier round
    // drained the topic, add more so that this kill lands mid-consumption.
    if ((await consumerLag(kafka, groupId, topic)) === 0) {
      for (const id of await produceEnvelopes(kafka, topic, TOP_UP)) accepted.add(id);
    }
    const before = await consumerLag(kafka, groupId, topic);
    const child = startProcessor();
    // Kill it once it is inside consumption (it committed something), at a random moment after that.
    const startedAt = Date.now();
    // A deadline, not a timing check: on a busy machine the first start takes a while.
    while ((await consumerLag(kafka, groupId, topic)) >= before && Date.now() - startedAt < 180_000) await sleep(100);
    await sleep(Math.floor(Math.random() * 1000));
    lagAtKills.push(before - (await consumerLag(kafka, groupId, topic)));
    child.kill('SIGKILL');
    assert.deepEqual(await exited(child), { code: null, signal: 'SIGKILL' });
  }
  assert.ok(lagAtKills.every((done) => done > 0), `events committed in each round before its kill: ${lagAtKills.join(', ')}`);

  // The last run must have work too: its SIGTERM should find it running
  // (a signal during module loading, before any handler exists, just kills).
  if ((await consumerLag(kafka, groupId, topic)) === 0) {
    for (const id of await produceEnvelopes(kafka, topic, TOP_UP)) accepted.add(id);
  }
  const last = startProcessor();
  const deadline = Date.now() + 180_000;
  while ((await consumerLag(kafka, groupId, topic)) > 0 && Date.now() < deadline) await sleep(500);
  assert.equal(await consumerLag(kafka, groupId, topic), 0, 'the group caught up');
  last.kill('SIGTERM');
  // 0 only for a clean stop in time: past 10 s the service exits 1 by itself (infra/run-service.ts).
  assert.deepEqual(await exited(last), { code: 0, signal: null });

  // The processor is gone; the data dir is free for this process.
  const clickhouse = createClickHouse(clickHouseTarget({ url: undefined, username: '', password: '', database: 'default', dataDir }));
  try {
    const query = async <T>(sql: string) => (await (await clickhouse.query({ query: sql, format: 'JSONEachRow' })).json<T>())[0]!;
    const rows = await query<{ n: string; ids: string }>('SELECT count() AS n, uniqExact(event_id) AS ids FROM events');
    assert.deepEqual({ n: Number(rows.n), ids: Number(rows.ids) }, { n: accepted.size, ids: accepted.size });
    // The aggregates the wall reads agree too: an insert killed after
    // `events` got its part but before a materialized view got its own comes
    // back from Kafka and the processor puts back what the view missed
    // (stream-processor/repair-aggregates.ts).
    const minute = await query<{ n: string }>("SELECT sum(events) AS n FROM events_minute WHERE type = 'page_view'");
    assert.equal(Number(minute.n), accepted.size, 'per-minute aggregates');
    const second = await query<{ n: string }>('SELECT sum(events) AS n FROM events_second');
    assert.equal(Number(second.n), accepted.size, 'per-second aggregates');
  } finally {
    await clickhouse.close();
  }
});
