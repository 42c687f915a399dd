import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { freePort } from '../../infra/kafka/local-broker.ts';
import type { Kafka } from 'kafkajs';
import { pino } from 'pino';
import { createKafkaSender, probeBrokers, PublishError, sliceMessages } from './kafka-sender.ts';

const message = (bytes: number, key = 'k') => ({ topic: 't', key, value: 'x'.repeat(bytes - key.length) });

test('PublishError is retriable with a stable code', () => {
  const err = new PublishError('x');
  assert.equal(err.code, 'KAFKA_PUBLISH_FAILED');
  assert.equal(err.retriable, true);
});

test('sliceMessages keeps order and cuts below the byte budget', () => {
  const messages = [message(40), message(40), message(40), message(100), message(10)];
  assert.deepEqual(
    sliceMessages(messages, 100).map((slice) => slice.length),
    [2, 1, 1, 1],
  );
  assert.deepEqual(sliceMessages(messages, 100).flat(), messages);
  assert.deepEqual(sliceMessages([], 100), []);
  // Within the bound of 3 bytes per UTF-16 unit: one slice, nothing measured.
  const small = [message(10), { topic: 't', key: 'k', value: '中'.repeat(29) }];
  assert.deepEqual(sliceMessages(small, 100), [small]);
});

test('probeBrokers: true when one broker accepts a connection, false when none does', async () => {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const open = (server.address() as { port: number }).port;
  const closed = await freePort();
  try {
    assert.equal(await probeBrokers([`127.0.0.1:${closed}`, `127.0.0.1:${open}`], 1000), true);
    assert.equal(await probeBrokers([`127.0.0.1:${closed}`], 1000), false);
    assert.equal(await probeBrokers([], 1000), false);
  } finally {
    server.close();
  }
});

/** A kafkajs stand-in: each producer() is a new fake whose sends follow `plan` (true = acknowledged). */
function fakeKafka(plan: boolean[]) {
  const producers: Array<{ id: number; sent: number; disconnected: boolean }> = [];
  const kafka = {
    producer: () => {
      const state = { id: producers.length, sent: 0, disconnected: false };
      producers.push(state);
      return {
        connect: async () => undefined,
        disconnect: async () => void (state.disconnected = true),
        sendBatch: async () => {
          state.sent++;
          if (!plan.shift()) throw new Error('NOT_LEADER_OR_FOLLOWER');
          return [];
        },
      };
    },
  } as unknown as Kafka;
  return { kafka, producers };
}

test('a producer whose send failed is disconnected and never used again', async () => {
  const { kafka, producers } = fakeKafka([true, false, true]);
  const sender = createKafkaSender(kafka, { brokers: [], log: pino({ level: 'silent' }) });
  const batch = [message(10)];
  await sender.send(batch);
  await assert.rejects(sender.send(batch), PublishError);
  await sender.send(batch);
  assert.deepEqual(
    producers.map((p) => [p.id, p.sent, p.disconnected]),
    [
      [0, 2, true],
      [1, 1, false],
    ],
  );
  await sender.close();
  assert.equal(producers[1]!.disconnected, true);
});

test('retire() moves later sends to a new producer; the old one disconnects once its send settled', async () => {
  const { kafka, producers } = fakeKafka([true, true]);
  const sender = createKafkaSender(kafka, { brokers: [], log: pino({ level: 'silent' }) });
  await sender.send([message(10)]);
  sender.retire();
  await sender.send([message(10)]);
  assert.deepEqual(
    producers.map((p) => [p.sent, p.disconnected]),
    [
      [1, true],
      [1, false],
    ],
  );
  await sender.close();
});
