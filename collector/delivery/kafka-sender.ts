// The collector's Kafka adapter: produces messages with acks=all and tells
// whether a broker answers at all. The durable publisher decides what to do
// when it fails.
import { connect } from 'node:net';
import { CompressionTypes, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import { createProducer } from '../../infra/kafka/client.ts';
import type { OutgoingMessage } from '../steps/to-kafka-messages.ts';

export class PublishError extends Error {
  readonly code = 'KAFKA_PUBLISH_FAILED';
  readonly retriable = true;
}

export interface MessageSender {
  /** Resolves once Kafka acknowledged every message (acks=all); rejects with PublishError. */
  send(messages: OutgoingMessage[]): Promise<void>;
  /** Stops using the current producer after a send timed out (a failed send retires its producer itself; see createKafkaSender). */
  retire(): void;
  /** Whether a TCP connection to any broker opens. */
  probe(): Promise<boolean>;
  close(): Promise<void>;
}

// The broker refuses a record batch over message.max.bytes (1 MiB by default)
// and kafkajs puts all messages of one send for one partition into one batch:
// large requests are sent in slices well below it.
const MAX_SEND_BYTES = 512 * 1024;

/** Messages in order, cut into slices of at most maxBytes of keys and values (a larger single message is a slice of its own). */
export function sliceMessages(messages: OutgoingMessage[], maxBytes = MAX_SEND_BYTES): OutgoingMessage[][] {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: most sends fit by that bound
  // and are never measured byte by byte.
  if (3 * messages.reduce((n, m) => n + m.value.length + m.key.length, 0) <= maxBytes) return messages.length > 0 ? [messages] : [];
  const slices: OutgoingMessage[][] = [];
  let slice: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.value) + Buffer.byteLength(message.key);
    if (slice.length > 0 && bytes + size > maxBytes) {
      slices.push(slice);
      slice = [];
      bytes = 0;
    }
    slice.push(message);
    bytes += size;
  }
  if (slice.length > 0) slices.push(slice);
  return slices;
}

const byTopic = (messages: OutgoingMessage[]): TopicMessages[] => {
  const topics = new Map<string, TopicMessages>();
  for (const { topic, key, value, headers } of messages) {
    let entry = topics.get(topic);
    if (!entry) topics.set(topic, (entry = { topic, messages: [] }));
    // A Buffer, not the string: kafkajs measures a string value's UTF-8 length
    // twice before encoding it; a Buffer it only copies.
    entry.messages.push({ key, value: Buffer.from(value), ...(headers ? { headers } : {}) });
  }
  return [...topics.values()];
};

interface ProducerSlot {
  producer: Producer;
  connected: Promise<void>;
  inFlight: number;
  retired: boolean;
}

/**
 * A producer is used until one of its sends fails or times out, then replaced.
 * kafkajs rolls a partition's sequence number back when a request fails
 * (producer/sendMessages.js), although the broker may have written it; the
 * next send on that producer would reuse those sequence numbers and the
 * broker would take the new batch for a retry of the old one and drop it
 * while acknowledging it. A fresh producer gets a new producer id, so nothing
 * is dropped (at worst a write whose acknowledgement was lost is sent again,
 * and the processor dedupes by event_id). The retired producer disconnects
 * once its last send settled: a timed-out send may still complete, and the
 * durable publisher waits for that before replaying the same events.
 */
export function createKafkaSender(kafka: Kafka, options: { brokers: string[]; probeTimeoutMs?: number; log: Logger }): MessageSender {
  const log = options.log;
  const disconnecting = new Set<Promise<void>>();

  const newSlot = (): ProducerSlot => {
    // kafkajs' own retries are bounded (infra's producer factory) so a send
    // fails in seconds; the collector's spool keeps the events meanwhile.
    const producer = createProducer(kafka);
    const connected = producer.connect();
    connected.catch(() => undefined); // observed by send(); a failed connect retires the slot there
    return { producer, connected, inFlight: 0, retired: false };
  };
  // Connected up front so the first beacon does not pay for it.
  let current: ProducerSlot | undefined = newSlot();

  const retireSlot = (slot: ProducerSlot) => {
    if (slot.retired) return;
    if (current === slot) current = undefined;
    slot.retired = true;
    if (slot.inFlight === 0) disconnect(slot);
  };
  const retire = () => current && retireSlot(current);

  const disconnect = (slot: ProducerSlot) => {
    const done = slot.producer
      .disconnect()
      .catch((err: unknown) => log.debug({ err }, 'retired Kafka producer did not disconnect cleanly'))
      .finally(() => disconnecting.delete(done));
    disconnecting.add(done);
  };

  return {
    async send(messages) {
      if (messages.length === 0) return;
      const slot = (current ??= newSlot());
      slot.inFlight++;
      try {
        await slot.connected;
        for (const slice of sliceMessages(messages)) {
          await slot.producer.sendBatch({ topicMessages: byTopic(slice), acks: -1, timeout: 10_000, compression: CompressionTypes.None });
        }
      } catch (err) {
        retireSlot(slot);
        throw new PublishError('Kafka did not acknowledge the messages', { cause: err });
      } finally {
        slot.inFlight--;
        if (slot.retired && slot.inFlight === 0) disconnect(slot);
      }
    },

    retire,

    probe: () => probeBrokers(options.brokers, options.probeTimeoutMs ?? 1000),

    async close() {
      retire();
      // A producer whose send is still retrying against a dead broker would hold shutdown for minutes.
      await Promise.race([Promise.allSettled([...disconnecting]), new Promise((r) => setTimeout(r, 5000).unref())]);
    },
  };
}

/** True as soon as a TCP connection to one of the brokers opens; kafkajs' own reconnects back off for up to a minute. */
export function probeBrokers(brokers: string[], timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let waiting = brokers.length;
    if (waiting === 0) return resolve(false);
    for (const broker of brokers) {
      const separator = broker.lastIndexOf(':');
      const host = broker.slice(0, separator).replace(/^\[|\]$/g, '');
      const socket = connect({ host, port: Number(broker.slice(separator + 1)), timeout: timeoutMs });
      let finished = false;
      const done = (ok: boolean) => {
        if (finished) return;
        finished = true;
        socket.destroy();
        if (ok) resolve(true);
        else if (--waiting === 0) resolve(false);
      };
      socket.once('connect', () => done(true));
      socket.once('timeout', () => done(false));
      socket.once('error', () => done(false));
    }
  });
}
