// Which Kafka offsets may be committed, when the rows they hold are stored
// later than the batch was handled. The consumer hands a partition's batch
// over and fetches the next one while the insert runs; a partition's offset
// is committed only once the inserts of all its earlier batches were
// acknowledged, in order. An insert that fails poisons every batch handed
// over before it settled: none of them is committed, and `rewind` names,
// for each partition with such batches, the offset to read again from. The
// failure is handed to the consumer once (takeFailure), which throws it so
// that kafkajs backs off, retries and, past its budget, restarts.
import type { Logger } from 'pino';

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** the next offset to read (Kafka's committed offset) */
  offset: string;
}

export interface OffsetCommits {
  /** A batch [firstOffset, nextOffset) of a partition whose rows are stored when `stored` resolves. */
  track(batch: { topic: string; partition: number; firstOffset: string; nextOffset: string }, stored: Promise<void>): void;
  /** An insert failure not reported yet (then forgotten), or undefined. */
  takeFailure(): unknown;
  /** A new group generation: forget what was pending (its new owner reads it again). */
  reset(): void;
  /** Resolves once every tracked batch settled and its commit was sent. */
  settled(): Promise<void>;
}

export function createOffsetCommits(options: {
  commit: (offsets: TopicPartitionOffset[]) => Promise<void>;
  /** After a failure: for each partition with unconfirmed batches, the first offset not known to be stored. */
  rewind: (offsets: TopicPartitionOffset[]) => void;
  log: Logger;
}): OffsetCommits {
  const { commit, rewind, log } = options;
  interface Entry {
    firstOffset: string;
    nextOffset: string;
    stored: boolean;
  }
  const pending = new Map<string, { topic: string; partition: number; entries: Entry[] }>();
  let generation = 0;
  let failure: unknown;
  const outstanding = new Set<Promise<void>>();
  /** offsets ready to commit, by topic|partition, sent together after the current turn */
  let ready = new Map<string, TopicPartitionOffset>();
  let committing: Promise<void> = Promise.resolve();
  let sendScheduled = false;

  function scheduleSend(): void {
    if (sendScheduled) return;
    sendScheduled = true;
    setImmediate(() => {
      sendScheduled = false;
      const offsets = [...ready.values()];
      ready = new Map();
      if (offsets.length === 0) return;
      const sentIn = generation;
      committing = committing.then(async () => {
        if (sentIn !== generation) return; // the group moved on: its new owners read these again
        try {
          await commit(offsets);
        } catch (err) {
          // Not fatal: the rows are stored, so a later commit or the stored-id
          // lookup after a redelivery covers them.
          log.warn({ err, offsets }, 'offset commit failed');
        }
      });
    });
  }

  function onStored(key: string, entry: Entry, trackedIn: number): void {
    if (trackedIn !== generation) return;
    entry.stored = true;
    const p = pending.get(key);
    if (!p) return;
    let next: string | undefined;
    while (p.entries[0]?.stored) next = p.entries.shift()!.nextOffset;
    if (next !== undefined) {
      ready.set(key, { topic: p.topic, partition: p.partition, offset: next });
      scheduleSend();
    }
  }

  function onFailed(err: unknown, trackedIn: number): void {
    if (trackedIn !== generation) return;
    failure ??= err;
    const offsets = [...pending.values()]
      .filter((p) => p.entries.length > 0)
      .map((p) => ({ topic: p.topic, partition: p.partition, offset: p.entries[0]!.firstOffset }));
    pending.clear();
    ready = new Map();
    generation += 1;
    rewind(offsets);
  }

  return {
    track(batch, stored) {
      const key = `${batch.topic}|${batch.partition}`;
      let p = pending.get(key);
      if (!p) pending.set(key, (p = { topic: batch.topic, partition: batch.partition, entries: [] }));
      const entry: Entry = { firstOffset: batch.firstOffset, nextOffset: batch.nextOffset, stored: false };
      p.entries.push(entry);
      const trackedIn = generation;
      const settled = stored.then(
        () => onStored(key, entry, trackedIn),
        (err: unknown) => onFailed(err, trackedIn),
      );
      outstanding.add(settled);
      void settled.then(() => outstanding.delete(settled));
    },
    takeFailure() {
      const err = failure;
      failure = undefined;
      return err;
    },
    reset() {
      generation += 1;
      failure = undefined;
      pending.clear();
      ready = new Map();
    },
    async settled() {
      while (outstanding.size > 0) await Promise.all([...outstanding]);
      // The commits scheduled by the last settlements go after the current turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await committing;
    },
  };
}
