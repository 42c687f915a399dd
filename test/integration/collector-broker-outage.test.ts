// Fault test F2: the broker goes away for 30 s while beacons keep arriving.
// The collector runs on a broker of its own (the shared test broker must not
// stop), answers every beacon with 2xx from its on-disk spool during the
// outage, and once the broker is back on the same port replays the spool:
// every acknowledged event_id is then in the raw topic, and only a request
// caught by the broker's stop (written, never acknowledged) may be there twice.
import assert from 'node:assert/strict';
import { eventsOfRecord, readTopic } from '../helpers/raw-events.ts';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import { collectorPlugin } from '../../collector/app.ts';
import { readCollectorConfig } from '../../collector/config.ts';
import { startCollectorPublisher, type CollectorPublisher } from '../../collector/delivery/start-publisher.ts';
import { createKafka } from '../../infra/kafka/client.ts';
import { startLocalKafka, type LocalKafka } from '../../infra/kafka/local-broker.ts';
import { ensureEventTopics } from '../../infra/kafka/topics.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { makeEvent } from '../helpers/events.ts';

const OUTAGE_MS = 30_000; // as the issue says
const POST_EVERY_MS = 100;
const EVENTS_PER_POST = 3;
const DRAIN_DEADLINE_MS = 120_000;

const suffix = randomUUID().slice(0, 8);
const topics = { raw: `test.${suffix}.events.raw`, failed: `test.${suffix}.events.failed` };
const scratch = mkdtempSync(join(tmpdir(), `shoppulse-outage-${suffix}-`));
const log = createRootLogger({ name: 'collector-broker-outage-test', level: process.env.LOG_LEVEL ?? 'warn' });
// kafkajs reports every refused connection of the outage at error level: keep the test output readable.
const quiet = log.child({}, { level: 'silent' });

let port: number;
let broker: LocalKafka | undefined;
let kafka: Kafka;
let delivery: CollectorPublisher | undefined;
let app: FastifyInstance | undefined;
let url: string;

/** A free port under the kernel's ephemeral range (ip_local_port_range; 32768 when unreadable). */
async function freePortBelowEphemeralRange(): Promise<number> {
  let low = 32768;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
  } catch {
    // not Linux: keep the usual bound
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = 20_000 + Math.floor(Math.random() * (low - 20_000 - 2));
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(candidate, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
  throw new Error('no free port below the ephemeral range');
}

const startBroker = () => startLocalKafka({ dataDir: join(scratch, 'broker'), port, log: quiet, quickStart: true });

before(async () => {
  // The broker must come back where the collector looks for it: one fixed
  // free port for both starts, below the ephemeral range, so that no other
  // process listening on port 0 (other tests run beside this one) can take
  // it during the outage.
  port = await freePortBelowEphemeralRange();
  broker = await startBroker();
  kafka = createKafka({ brokers: broker.brokers, clientId: 'collector-outage-test' }, quiet);
  await ensureEventTopics(kafka, topics);
  const config = readCollectorConfig({});
  delivery = await startCollectorPublisher({ kafka, brokers: broker.brokers, topics, config, dataDir: join(scratch, 'collector'), log, defaultMetrics: false });
  app = Fastify();
  await app.register(collectorPlugin, { publisher: delivery.publisher, metrics: delivery.metrics, trackerScript: '', config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});

after(async () => {
  await app?.close();
  await delivery?.stop();
  await broker?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

interface Sent {
  status: number;
  ids: string[];
  at: number;
}

/** Posts a small batch every POST_EVERY_MS, one request at a time, until stopped. */
function keepPosting() {
  const sent: Sent[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const events = Array.from({ length: EVENTS_PER_POST }, () => makeEvent('page_view', { anonymous_id: `visitor-${sent.length % 17}` }));
      let status = 0;
      try {
        const res = await fetch(`${url}/collect`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ events }),
          signal: AbortSignal.timeout(10_000),
        });
        status = res.status;
        await res.text();
      } catch {
        status = -1; // no answer at all
      }
      sent.push({ status, ids: events.map((e) => e.event_id), at: Date.now() });
      await new Promise((r) => setTimeout(r, POST_EVERY_MS));
    }
  })();
  return {
    sent,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


async function readiness(): Promise<{ status: number; body: { status: string; reason?: string; spooled_messages: number } }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string; spooled_messages: number } };
}

test('F2: a 30 s broker outage loses no acknowledged event; only a request caught by the stop may reach the topic twice', async (t) => {
  const posting = keepPosting();
  // Also when an assertion fails half-way: the loop would post on for ever.
  t.after(() => posting.stop());
  await sleep(3_000);
  assert.equal((await readiness()).status, 200);

  const stoppingAt = Date.now();
  await broker!.stop();
  const downAt = Date.now();
  await sleep(OUTAGE_MS);
  const duringOutage = await readiness();
  assert.equal(duringOutage.status, 503, JSON.stringify(duringOutage.body));
  assert.equal(duringOutage.body.reason, 'kafka_unreachable');
  assert.ok(duringOutage.body.spooled_messages > 0);

  const restartAt = Date.now();
  broker = await startBroker();
  await sleep(3_000);
  await posting.stop();

  const { sent } = posting;
  const outageAnswers = sent.filter((s) => s.at > downAt && s.at < restartAt);
  assert.ok(outageAnswers.length >= 100, `only ${outageAnswers.length} beacons during the outage`);
  assert.deepEqual(
    sent.filter((s) => s.status < 200 || s.status >= 300).map((s) => s.status),
    [],
    'every beacon, during the outage too, got a 2xx',
  );
  assert.deepEqual(
    outageAnswers.filter((s) => s.status !== 202).map((s) => [s.status, s.at - downAt]),
    [],
    'during the outage the answers say "spooled" (202)',
  );

  // The spool drains on its own once the broker is back.
  const deadline = Date.now() + DRAIN_DEADLINE_MS;
  let ready = await readiness();
  while (!(ready.status === 200 && ready.body.spooled_messages === 0) && Date.now() < deadline) {
    await sleep(500);
    ready = await readiness();
  }
  assert.deepEqual(ready, { status: 200, body: { status: 'ok', spooled_messages: 0 } });

  const acknowledged = sent.flatMap((s) => s.ids);
  const counts = new Map<string, number>();
  for (const { event_id: id } of (await readTopic(kafka, topics.raw, 60_000)).flatMap(eventsOfRecord)) {
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const missing = acknowledged.filter((id) => !counts.has(id));
  assert.deepEqual(missing, [], 'every acknowledged event is in the raw topic');
  assert.equal(counts.size, acknowledged.length, 'nothing in the topic that was not acknowledged');
  // Into Kafka the collector is at-least-once (docs/collector.md, Duplicates):
  // a request the broker wrote while it was stopping, whose acknowledgement
  // never came, is replayed from the spool. Only such a request may appear
  // twice (answered from the time the broker began to stop until the
  // produce timeout after it went down); the stream processor stores each
  // event_id once (F1, the processor tests).
  const answeredAt = new Map(sent.flatMap((s) => s.ids.map((id) => [id, s.at] as const)));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => answeredAt.get(id)!);
  const produceTimeoutMs = readCollectorConfig({}).produceTimeoutMs;
  assert.deepEqual(
    duplicated.filter((at) => at < stoppingAt || at > downAt + produceTimeoutMs + POST_EVERY_MS).map((at) => at - downAt),
    [],
    'a duplicate in the raw topic from outside the broker stop',
  );
});
