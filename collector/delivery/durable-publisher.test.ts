import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pino } from 'pino';
import { makeEvent } from '../../test/helpers/events.ts';
import type { RawEnvelope, TrackedEvent } from '../contract/events.ts';
import type { RawBatchValue } from '../contract/records.ts';
import type { FailedEvent } from '../contract/failed-event.ts';
import { startDurablePublisher, type DurablePublisherOptions } from './durable-publisher.ts';
import { PublishError, type MessageSender } from './kafka-sender.ts';
import { createCollectorMetrics } from '../metrics.ts';
import { openSpool, SpoolFullError, type Spool } from './spool.ts';
import type { OutgoingMessage } from '../steps/to-kafka-messages.ts';

const TOPICS = { raw: 'raw', failed: 'failed' };
const log = pino({ level: 'silent' });

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function freshSpool(maxBytes = 1 << 20): Promise<{ spool: Spool; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'shoppulse-publisher-test-'));
  dirs.push(dir);
  return { spool: await openSpool({ dir, maxBytes }), dir };
}

const ENRICHMENT = { received_at: 1, user_agent: '', client_ip: '' };
const event = (anonymous_id: string): TrackedEvent => makeEvent('page_view', { anonymous_id });
const batchOf = (...ids: string[]) => ({ enrichment: ENRICHMENT, events: ids.map(event), failed: [] as FailedEvent[] });
/** Visitors of the events in raw records of either format, in order. */
const idsOf = (message: OutgoingMessage): string[] => {
  const value = JSON.parse(message.value) as RawBatchValue | RawEnvelope;
  return 'events' in value ? value.events.map((e) => e.anonymous_id) : [value.anonymous_id];
};

/** A Kafka stand-in: up (acknowledges), down (refuses), or hanging (answers when told). */
function fakeKafka() {
  const state = { up: true, hang: false, reachable: true, failNextSends: 0 };
  const acknowledged: OutgoingMessage[][] = [];
  const hanging: Array<{ messages: OutgoingMessage[]; finish: (ok: boolean) => void }> = [];
  let retired = 0;
  const sender: MessageSender = {
    async send(messages) {
      if (state.hang) {
        return new Promise<void>((resolve, reject) =>
          hanging.push({
            messages,
            finish: (ok) => {
              if (ok) acknowledged.push(messages);
              return ok ? resolve() : reject(new PublishError('late failure'));
            },
          }),
        );
      }
      if (!state.up || state.failNextSends-- > 0) throw new PublishError('broker down');
      acknowledged.push(messages);
    },
    retire: () => void retired++,
    probe: async () => state.reachable,
    close: async () => undefined,
  };
  return { state, sender, acknowledged, hanging, retired: () => retired, ids: () => acknowledged.flat().flatMap(idsOf) };
}

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const start = (sender: MessageSender, spool: Spool, overrides: Partial<DurablePublisherOptions> = {}) =>
  startDurablePublisher({
    sender,
    spool,
    topics: TOPICS,
    produceTimeoutMs: 50,
    metrics: createCollectorMetrics(),
    log,
    retryMinMs: 5,
    retryMaxMs: 20,
    idleProbeMs: 10,
    ...overrides,
  });

describe('durable publisher', () => {
  test('Kafka up: straight to Kafka, raw events and failed events on their topics', async () => {
    const kafka = fakeKafka();
    const { spool } = await freshSpool();
    const publisher = start(kafka.sender, spool);
    const failed: FailedEvent = { failed_at: 1, stage: 'collector', reason: 'invalid_event', detail: 'x', payload: '{}', event_id: '' };
    assert.equal(await publisher.publish({ enrichment: ENRICHMENT, events: [event('a')], failed: [failed] }), 'kafka');
    assert.deepEqual(
      kafka.acknowledged[0]!.map((m) => [m.topic, m.key]),
      [
        ['raw', 'a'],
        ['failed', 'unknown'],
      ],
    );
    assert.equal(spool.isEmpty(), true);
    assert.deepEqual(publisher.readiness(), { ready: true, status: 'ok', spooled_messages: 0 });
    await publisher.stop();
  });

  test('Kafka down: events go to the spool, later ones too, and are replayed in order once it is back', async () => {
    const kafka = fakeKafka();
    const { spool } = await freshSpool();
    const publisher = start(kafka.sender, spool);
    kafka.state.up = false;
    kafka.state.reachable = false;
    assert.equal(await publisher.publish(batchOf('a')), 'spool');
    assert.equal(await publisher.publish(batchOf('b', 'c')), 'spool');
    assert.deepEqual(publisher.readiness(), { ready: false, reason: 'kafka_unreachable', spooled_messages: 3 });

    kafka.state.up = true;
    kafka.state.reachable = true;
    await until(() => spool.isEmpty(), 'the spool to drain');
    assert.deepEqual(kafka.ids(), ['a', 'b', 'c']);
    await until(() => publisher.readiness().ready, 'readiness');
    assert.equal(await publisher.publish(batchOf('d')), 'kafka');
    assert.deepEqual(kafka.ids(), ['a', 'b', 'c', 'd']);
    await publisher.stop();
  });

  test('while the spool drains, new events queue behind it instead of overtaking it', async () => {
    const kafka = fakeKafka();
    const { spool } = await freshSpool();
    const publisher = start(kafka.sender, spool);
    kafka.state.up = false;
    kafka.state.reachable = false;
    await publisher.publish(batchOf('a'));
    kafka.state.up = true; // Kafka answers sends again but the probe has not seen it yet
    assert.equal(await publisher.publish(batchOf('b')), 'spool');
    kafka.state.reachable = true;
    await until(() => spool.isEmpty(), 'the spool to drain');
    assert.deepEqual(kafka.ids(), ['a', 'b']);
    await publisher.stop();
  });

  test('a send that times out and then succeeds is not sent again by the replay', async () => {
    const kafka = fakeKafka();
    const { spool } = await freshSpool();
    const publisher = start(kafka.sender, spool);
    kafka.state.hang = true;
    assert.equal(await publisher.publish(batchOf('late')), 'spool');
    assert.equal(kafka.retired(), 1, 'the producer of a timed-out send takes no new sends');
    kafka.state.hang = false;
    assert.equal(await publisher.publish(batchOf('after')), 'spool');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(kafka.ids(), [], 'replay waits for the timed-out send to settle');
    kafka.hanging[0]!.finish(true);
    await until(() => spool.isEmpty(), 'the spool to drain');
    assert.deepEqual(kafka.ids(), ['late', 'after']);
    await publisher.stop();
  });

  test('a send that times out and then fails is replayed', async () => {
    const kafka = fakeKafka();
    const { spool } = await freshSpool();
    const publisher = start(kafka.sender, spool);
    kafka.state.hang = true;
    await publisher.publish(batchOf('lost'));
    kafka.state.hang = false;
    kafka.hanging[0]!.finish(false);
    await until(() => spool.isEmpty(), 'the spool to drain');
    assert.deepEqual(kafka.ids(), ['lost']);
    await publisher.stop();
  });

  test('after a failed replay send, the replay resumes where it stopped instead of resending', async () => {
    const kafka = fakeKafka();
    const { spool } = await freshSpool();
    const publisher = start(kafka.sender, spool, { replayChunk: 1 });
    kafka.state.up = false;
    kafka.state.reachable = false;
    for (const id of ['a', 'b', 'c']) await publisher.publish(batchOf(id));
    kafka.state.up = true;
    kafka.state.reachable = true;
    // Let 'a' through, then refuse once: 'b' is retried, 'a' is not resent.
    const original = kafka.sender.send;
    let calls = 0;
    kafka.sender.send = async (messages) => {
      if (++calls === 2) throw new PublishError('blip');
      return original(messages);
    };
    await until(() => spool.isEmpty(), 'the spool to drain');
    assert.deepEqual(kafka.ids(), ['a', 'b', 'c']);
    await publisher.stop();
  });

  test('a full spool refuses with SpoolFullError and readiness says so', async () => {
    const kafka = fakeKafka();
    const { spool } = await freshSpool(1024 * 1024);
    const publisher = start(kafka.sender, spool);
    kafka.state.up = false;
    kafka.state.reachable = false;
    const big = { enrichment: ENRICHMENT, events: Array.from({ length: 600 }, (_, i) => event(`visitor-${i}-${'x'.repeat(300)}`)), failed: [] };
    await publisher.publish(big);
    await assert.rejects(publisher.publish(big), SpoolFullError);
    assert.deepEqual(publisher.readiness(), { ready: false, reason: 'spool_full', spooled_messages: 600 });
    await publisher.stop();
  });

  test('events spooled before a restart are replayed at start', async () => {
    const kafka = fakeKafka();
    const { spool, dir } = await freshSpool();
    await spool.append([{ batch: 'old-1', message: { topic: 'raw', key: 'k', value: JSON.stringify({ ...event('from-before'), ...ENRICHMENT }) } }]);
    await spool.close();
    const publisher = start(kafka.sender, await openSpool({ dir, maxBytes: 1 << 20 }));
    await until(() => kafka.ids().length === 1, 'the replay');
    assert.deepEqual(kafka.ids(), ['from-before']);
    await publisher.stop();
  });

  test('a spool that does not drain makes readiness fail after stallMs', async () => {
    const kafka = fakeKafka();
    const { spool } = await freshSpool();
    let clock = 1_000_000;
    const publisher = start(kafka.sender, spool, { now: () => clock, stallMs: 30_000 });
    kafka.state.up = false; // probes answer, sends fail: a broker that accepts connections but no writes
    await publisher.publish(batchOf('a'));
    clock += 31_000;
    await until(() => publisher.readiness().ready === false, 'readiness');
    const readiness = publisher.readiness();
    assert.equal(readiness.ready, false);
    assert.ok(!readiness.ready && ['spool_not_draining', 'kafka_unreachable'].includes(readiness.reason));
    await publisher.stop();
  });

  test('Kafka unreachable while idle: readiness fails before any event is lost', async () => {
    const kafka = fakeKafka();
    const { spool } = await freshSpool();
    const publisher = start(kafka.sender, spool);
    kafka.state.reachable = false;
    await until(() => !publisher.readiness().ready, 'readiness to notice');
    assert.deepEqual(publisher.readiness(), { ready: false, reason: 'kafka_unreachable', spooled_messages: 0 });
    kafka.state.reachable = true;
    await until(() => publisher.readiness().ready, 'readiness to recover');
    await publisher.stop();
  });
});
