// Buffers rows from all partitions and inserts them into `events` in one
// insert when the buffer holds maxBatchRows or flushIntervalMs after its first
// row, whichever comes first. write() resolves only once ClickHouse
// acknowledged the insert holding those rows, so callers commit Kafka offsets
// after it and never before.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { TABLES } from '../collector/contract/names.ts';
import type { EventRow } from './steps/to-event-row.ts';

export interface RowWriter {
  write(rows: EventRow[]): Promise<void>;
  /** Flushes what is buffered and waits for every insert in flight. */
  drain(): Promise<void>;
}

export type InsertRows = (rows: EventRow[]) => Promise<void>;

export function createBatchingWriter(options: {
  insert: InsertRows;
  maxBatchRows: number;
  flushIntervalMs: number;
  log: Logger;
}): RowWriter {
  const { insert, maxBatchRows, flushIntervalMs, log } = options;
  let buffer: EventRow[] = [];
  let waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  let timer: NodeJS.Timeout | undefined;
  // Inserts run one at a time, in order.
  let tail: Promise<void> = Promise.resolve();

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0) return;
    const rows = buffer;
    const batchWaiters = waiters;
    buffer = [];
    waiters = [];
    tail = tail.then(async () => {
      const started = Date.now();
      try {
        await insert(rows);
        log.debug({ rows: rows.length, ms: Date.now() - started }, 'inserted events');
        for (const w of batchWaiters) w.resolve();
      } catch (err) {
        log.error({ err, rows: rows.length }, 'insert into ClickHouse failed');
        for (const w of batchWaiters) w.reject(err);
      }
    });
  }

  return {
    write(rows) {
      if (rows.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        buffer.push(...rows);
        waiters.push({ resolve, reject });
        if (buffer.length >= maxBatchRows) flush();
        else timer ??= setTimeout(flush, flushIntervalMs);
      });
    },
    async drain() {
      flush();
      await tail;
    },
  };
}

export function createClickHouseInsert(client: ClickHouseClient): InsertRows {
  return async (rows) => {
    await client.insert({ table: TABLES.events, values: rows, format: 'JSONEachRow' });
  };
}
