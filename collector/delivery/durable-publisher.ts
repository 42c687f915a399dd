// "2xx means in Kafka or on disk." Produces straight to Kafka while it
// answers; when a send fails or takes longer than produceTimeoutMs, that batch
// and every later one go to the on-disk spool (in order) until a background
// loop has replayed the spool into Kafka, then straight to Kafka again.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { PublishError, type MessageSender } from './kafka-sender.ts';
import type { CollectorMetrics } from '../metrics.ts';
import { createAlarm, TIMEOUT, within } from './timing.ts';
import { SpoolFullError, type Spool, type SpoolRecord, type SpoolSegment } from './spool.ts';
import { toKafkaMessages, type OutgoingMessage, type PublishBatch, type Topics } from '../steps/to-kafka-messages.ts';

export type Delivery = 'kafka' | 'spool';

export type Readiness =
  | { ready: true; status: 'ok' | 'draining'; spooled_messages: number }
  | { ready: false; reason: 'kafka_unreachable' | 'spool_full' | 'spool_not_draining' | 'stopped'; spooled_messages: number };

/** What the collect route needs: publish one request's outcome, and say whether it can. */
export interface EventPublisher {
  publish(batch: PublishBatch): Promise<Delivery>;
  readiness(): Readiness;
}

export interface DurablePublisher extends EventPublisher {
  stop(): Promise<void>;
}

export interface DurablePublisherOptions {
  sender: MessageSender;
  spool: Spool;
  topics: Topics;
  produceTimeoutMs: number;
  metrics: CollectorMetrics;
  log: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  now?: () => number;
  /** replay retry back-off, doubling from min to max */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** how often Kafka is probed while nothing is spooled (for /readyz) */
  idleProbeMs?: number;
  /** a non-empty spool without replay progress for this long makes /readyz fail */
  stallMs?: number;
  /** how long replay waits for a timed-out send to settle before sending its events again */
  pendingWaitMaxMs?: number;
  /** messages per replayed send */
  replayChunk?: number;
}

export function startDurablePublisher(options: DurablePublisherOptions): DurablePublisher {
  const { sender, spool, topics, metrics, log } = options;
  const now = options.now ?? Date.now;
  const retryMinMs = options.retryMinMs ?? 250;
  const retryMaxMs = options.retryMaxMs ?? 5000;
  const idleProbeMs = options.idleProbeMs ?? 5000;
  const stallMs = options.stallMs ?? 30_000;
  const pendingWaitMaxMs = options.pendingWaitMaxMs ?? 120_000;
  const replayChunk = options.replayChunk ?? 500;

  let mode: 'direct' | 'spool' = spool.isEmpty() ? 'direct' : 'spool';
  let kafkaReachable = true;
  let spoolFull = false;
  let progressAt = now(); // last time the spool started filling or a replay was acknowledged
  let stopped = false;
  // Batches whose direct send timed out: spooled, but Kafka may still take them.
  const pending = new Map<string, Promise<void>>();
  const delivered = new Set<string>();
  const bootId = randomUUID().slice(0, 8);
  let batchSeq = 0;
  const alarm = createAlarm();

  const setReachable = (reachable: boolean) => {
    kafkaReachable = reachable;
    metrics.kafkaReachable.set(reachable ? 1 : 0);
  };
  setReachable(true);

  const updateSpoolGauges = () => {
    const stats = spool.stats();
    metrics.spoolBytes.set(stats.bytes);
    metrics.spoolMessages.set(stats.messages);
  };
  updateSpoolGauges();

  const enterSpoolMode = (why: string, fields: Record<string, unknown> = {}) => {
    setReachable(false);
    if (mode === 'spool') return;
    mode = 'spool';
    progressAt = now();
    log.warn(fields, `Kafka ${why}: spooling events to disk until it is back`);
    alarm.wake(); // the replay loop may be in its idle sleep
  };

  async function appendToSpool(batch: string, messages: OutgoingMessage[]): Promise<void> {
    try {
      await spool.append(messages.map((message) => ({ batch, message })));
    } catch (err) {
      if (err instanceof SpoolFullError) {
        if (!spoolFull) log.error({ spoolBytes: spool.stats().bytes }, 'the spool is full and Kafka is not taking events: answering 503');
        spoolFull = true;
        throw err;
      }
      log.error({ err }, 'could not write to the spool');
      throw new PublishError('neither Kafka nor the spool took the events', { cause: err });
    } finally {
      updateSpoolGauges();
    }
    for (const m of messages) metrics.spooledMessages.inc({ topic: m.topic === topics.raw ? 'raw' : 'failed' });
  }

  async function publish(batch: PublishBatch): Promise<Delivery> {
    if (stopped) throw new PublishError('the collector is stopping');
    const messages = toKafkaMessages(batch, topics);
    if (messages.length === 0) return 'kafka';
    const batchId = `${bootId}-${++batchSeq}`;
    if (mode === 'direct') {
      const started = now();
      const sending = sender.send(messages);
      const outcome = await within(sending, options.produceTimeoutMs);
      const label = outcome === TIMEOUT ? 'timeout' : outcome.ok ? 'ok' : 'error';
      metrics.produceSeconds.observe({ path: 'direct', outcome: label }, (now() - started) / 1000);
      if (outcome !== TIMEOUT && outcome.ok) {
        setReachable(true);
        return 'kafka';
      }
      if (outcome === TIMEOUT) {
        sender.retire();
        // The send goes on in the background and may still succeed: remember
        // how it ends so replay does not send the same events twice.
        const settled = sending.then(
          () => void delivered.add(batchId),
          () => undefined,
        );
        pending.set(batchId, settled);
        void settled.finally(() => pending.delete(batchId));
        enterSpoolMode('did not acknowledge in time', { timeoutMs: options.produceTimeoutMs });
      } else {
        enterSpoolMode('refused the events', { err: outcome.error });
      }
    }
    // Every publish call that reaches this line in one tick queues its append
    // before the replayer can see an empty spool: order is kept.
    await appendToSpool(batchId, messages);
    return 'spool';
  }

  async function waitForPending(batch: string): Promise<void> {
    const settled = pending.get(batch);
    if (!settled) return;
    const outcome = await within(settled, pendingWaitMaxMs);
    if (outcome === TIMEOUT) log.warn({ batch, waitedMs: pendingWaitMaxMs }, 'a timed-out send has not settled; replaying its events anyway');
  }

  async function sendChunk(chunk: OutgoingMessage[]): Promise<void> {
    if (chunk.length === 0) return;
    const started = now();
    try {
      await sender.send(chunk);
    } catch (err) {
      metrics.produceSeconds.observe({ path: 'replay', outcome: 'error' }, (now() - started) / 1000);
      throw err;
    }
    metrics.produceSeconds.observe({ path: 'replay', outcome: 'ok' }, (now() - started) / 1000);
    metrics.replayedMessages.inc(chunk.length);
    progressAt = now();
    setReachable(true);
  }

  // Where the replay of the oldest segment got to: after a failed send the
  // segment is resumed there instead of sending its acknowledged part again.
  let resume = { segment: '', next: 0 };

  async function replay(segment: SpoolSegment): Promise<void> {
    if (segment.corruptLines > 0 && resume.segment !== segment.name) {
      // A torn last line is a write that never got its 2xx; anything else is damage worth a look.
      log.error({ segment: segment.name, lines: segment.corruptLines }, 'skipping spool lines that do not parse');
    }
    const { records } = segment;
    let index = resume.segment === segment.name ? resume.next : 0;
    let chunk: OutgoingMessage[] = [];
    const flush = async () => {
      await sendChunk(chunk);
      chunk = [];
      resume = { segment: segment.name, next: index };
    };
    for (; index < records.length; ) {
      const record = records[index]!;
      if (pending.has(record.batch)) {
        await flush(); // keep order: everything before it first
        await waitForPending(record.batch);
      }
      index++;
      if (delivered.has(record.batch)) continue;
      chunk.push(record.message);
      if (chunk.length >= replayChunk) await flush();
    }
    await flush();
  }

  const forget = (records: SpoolRecord[]) => {
    for (const r of records) delivered.delete(r.batch);
  };

  async function replayLoop(): Promise<void> {
    let backoffMs = retryMinMs;
    const backOff = async () => {
      await alarm.sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, retryMaxMs);
    };
    while (!stopped) {
      try {
        if (spool.isEmpty()) {
          const reachable = await sender.probe();
          if (stopped) break;
          if (!reachable) {
            enterSpoolMode('is unreachable');
            await backOff();
            continue;
          }
          backoffMs = retryMinMs;
          setReachable(true);
          // Re-checked after the probe: an append queued meanwhile keeps spool mode, and order.
          if (mode === 'spool' && spool.isEmpty()) {
            mode = 'direct';
            log.info('spool drained: producing to Kafka directly again');
          }
          await alarm.sleep(mode === 'direct' ? idleProbeMs : retryMinMs);
          continue;
        }
        if (!(await sender.probe())) {
          setReachable(false);
          await backOff();
          continue;
        }
        const segment = await spool.oldest();
        if (!segment) continue;
        await replay(segment);
        await spool.remove(segment.name);
        forget(segment.records);
        spoolFull = false;
        updateSpoolGauges();
        backoffMs = retryMinMs;
      } catch (err) {
        log.warn({ err }, 'replaying the spool into Kafka failed; retrying');
        setReachable(false);
        await backOff();
      }
    }
  }

  const loop = replayLoop();

  return {
    publish,

    readiness() {
      const spooled = spool.stats().messages;
      if (stopped) return { ready: false, reason: 'stopped', spooled_messages: spooled };
      if (spoolFull) return { ready: false, reason: 'spool_full', spooled_messages: spooled };
      if (!kafkaReachable) return { ready: false, reason: 'kafka_unreachable', spooled_messages: spooled };
      if (spooled > 0 && now() - progressAt > stallMs) return { ready: false, reason: 'spool_not_draining', spooled_messages: spooled };
      return { ready: true, status: spooled > 0 ? 'draining' : 'ok', spooled_messages: spooled };
    },

    async stop() {
      stopped = true;
      alarm.wake();
      // A replay send stuck on a dead broker keeps its events in the spool for the next start.
      await Promise.race([loop, new Promise((r) => setTimeout(r, 5000).unref())]);
      await spool.close();
      await sender.close();
    },
  };
}
