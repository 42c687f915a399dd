// Consumer lag of the stream processor's group on the raw topic, for the
// wall's pipeline-health panel: Σ over partitions of (end offset − committed
// offset). The API only reads offsets (admin fetchTopicOffsets and
// fetchOffsets); it never joins the group.
import type { Admin, Kafka } from 'kafkajs';

export interface PartitionOffsets {
  partition: number;
  /** end offset (next offset to be written) */
  high: string;
  /** oldest retained offset */
  low: string;
}

export interface CommittedOffset {
  partition: number;
  /** '-1' when the group never committed on the partition */
  offset: string;
}

/** Messages on the topic the group has not committed yet; a partition without a commit counts from its oldest retained offset. */
export function consumerLag(ends: PartitionOffsets[], committed: CommittedOffset[]): number {
  const done = new Map(committed.map((c) => [c.partition, BigInt(c.offset)]));
  let lag = 0n;
  for (const p of ends) {
    const high = BigInt(p.high);
    const low = BigInt(p.low);
    const c = done.get(p.partition) ?? -1n;
    const from = c < 0n ? low : c < low ? low : c;
    if (high > from) lag += high - from;
  }
  return Number(lag);
}

const PROBE_TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Kafka within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface ConsumerLagProbe {
  /** The lag now, or null when Kafka did not answer within 3 s. Never throws. */
  read(): Promise<number | null>;
  close(): Promise<void>;
}

/**
 * One admin connection kept open between reads; after a failure it is
 * dropped and the next read connects again, so the probe follows a broker
 * restart without piling up connections.
 */
export function createConsumerLagProbe(options: {
  kafka: Kafka;
  groupId: string;
  topic: string;
  log: { debug(obj: object, msg: string): void };
}): ConsumerLagProbe {
  let admin: Admin | undefined;
  let connecting: Promise<Admin> | undefined;
  let closed = false;

  async function connected(): Promise<Admin> {
    if (admin) return admin;
    connecting ??= (async () => {
      // Few retries: a dead broker must give null within the timeout, not stall the panel.
      const a = options.kafka.admin({ retry: { retries: 1, initialRetryTime: 200 } });
      try {
        await a.connect();
      } catch (err) {
        await a.disconnect().catch(() => {});
        throw err;
      }
      admin = a;
      return a;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  async function drop(): Promise<void> {
    const a = admin;
    admin = undefined;
    await a?.disconnect().catch(() => {});
  }

  return {
    async read() {
      if (closed) return null;
      try {
        return await withTimeout(
          (async () => {
            const a = await connected();
            const [ends, groups] = await Promise.all([
              a.fetchTopicOffsets(options.topic),
              a.fetchOffsets({ groupId: options.groupId, topics: [options.topic] }),
            ]);
            const committed = groups.find((g) => g.topic === options.topic)?.partitions ?? [];
            return consumerLag(ends, committed);
          })(),
          PROBE_TIMEOUT_MS,
        );
      } catch (err) {
        options.log.debug({ err }, 'could not read the consumer lag');
        await drop();
        return null;
      }
    },
    async close() {
      closed = true;
      await connecting?.catch(() => {});
      await drop();
    },
  };
}
