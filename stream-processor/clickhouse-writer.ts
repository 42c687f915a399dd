// Buffers event rows from all partitions and inserts them into `events`, one
// insert at a time. While an insert runs, the rows that arrive meanwhile
// gather for the next flush, so fetching and parsing overlap with inserting.
// The next flush starts once the buffer holds maxBatchRows, or
// flushIntervalMs passed since its first row, or shouldFlushNow() says nobody
// is about to add rows. A flush first drops rows whose event_id is already
// stored (Kafka redelivery after a crash or rebalance, a client or spool
// resending an event it had no answer for), so each event_id is stored once;
// that lookup runs while the insert before it is still in flight, and the
// ids of that insert count as stored (it may not be visible to the lookup
// yet). Then it waits for that insert and inserts. write() resolves only once
// ClickHouse acknowledged the insert holding those rows, so callers commit
// Kafka offsets after it and never before; room() is the backpressure: it
// waits while the buffer is full.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { TABLES } from '../infra/clickhouse/tables.ts';
import { dedupeBatch } from './steps/dedupe-batch.ts';
import { EVENT_ROW_COLUMNS, toCompactRow, type BotRow, type EventRow } from './steps/to-event-row.ts';

export interface WriterStats {
  inserted: number;
  /** rows ClickHouse refused for their data, handed to onRejected */
  rejected: number;
  /** rows dropped because their event_id was already stored or repeated in the flush */
  duplicates: number;
  flushes: number;
}

export interface RowWriter {
  /** Buffers the rows; resolves once the insert holding them was acknowledged. */
  write(rows: EventRow[]): Promise<void>;
  /** Resolves once the buffer holds fewer than maxBatchRows rows. */
  room(): Promise<void>;
  /** Starts the next insert now if it may start (after the current turn). */
  nudge(): void;
  /** Inserts what is buffered and waits until nothing is buffered or in flight. */
  drain(): Promise<void>;
  readonly stats: Readonly<WriterStats>;
}

export type InsertRows = (rows: EventRow[]) => Promise<void>;
/** The event_ids of these rows already stored in `events` (see createStoredIdLookup for the window). */
export type FindStoredIds = (rows: ReadonlyArray<Pick<EventRow, 'event_id' | 'ts'>>) => Promise<Set<string>>;
/** Rows ClickHouse refused for their data (isRowError), with its error. */
export type HandleRejected = (rejected: Array<{ row: EventRow; error: Error }>) => Promise<void>;
/**
 * Called before the insert of a flush with the rows it dropped: `stored` were
 * already in `events` (their aggregates may need repair after an interrupted
 * insert), `repeated` came twice in this flush. A rejection fails the flush
 * like a failed insert, so the offsets stay uncommitted and the rows return.
 */
export type HandleDuplicates = (dropped: { stored: EventRow[]; repeated: EventRow[] }) => Promise<void>;

export function createBatchingWriter(options: {
  insert: InsertRows;
  findStored: FindStoredIds;
  maxBatchRows: number;
  flushIntervalMs: number;
  /**
   * True when nobody is about to add rows (the consumer is between fetches):
   * then waiting for the timer only adds latency.
   */
  shouldFlushNow?: () => boolean;
  onDuplicates?: HandleDuplicates;
  /**
   * An insert refused with an error for which this is true is split in halves
   * until the refused rows stand alone; they go to onRejected and the others
   * are stored. Other errors (ClickHouse down) fail the flush: its rows return.
   */
  isRowError?: (err: unknown) => boolean;
  onRejected?: HandleRejected;
  log: Logger;
}): RowWriter {
  const { insert, findStored, maxBatchRows, flushIntervalMs, log, onDuplicates, onRejected } = options;
  const isRowError = onRejected ? (options.isRowError ?? (() => false)) : () => false;
  const shouldFlushNow = options.shouldFlushNow ?? (() => false);
  let nudgeScheduled = false;
  const stats: WriterStats = { inserted: 0, rejected: 0, duplicates: 0, flushes: 0 };
  let buffer: EventRow[] = [];
  let waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  let timer: NodeJS.Timeout | undefined;
  /** flushIntervalMs passed since the buffer's first row */
  let due = false;
  /** drain() calls waiting: everything buffered goes at once */
  let draining = 0;
  // At most two flushes: one inserting, one looking up (or waiting for the
  // insert before it). Inserts run one at a time, in order.
  let flushes = 0;
  let lookingUp = false;
  let lastInsert: Promise<void> = Promise.resolve();
  /** ids being inserted by a flush that has not settled: stored as far as a later flush is concerned */
  const inserting = new Set<string>();
  const roomWaiters: Array<() => void> = [];
  const idleWaiters: Array<() => void> = [];

  /**
   * One flush: the lookup, then (after the insert before it) the insert. A
   * flush behind a failed one fails too without inserting: it was deduped
   * against rows that are not stored after all, and the consumer reads both
   * again.
   */
  async function insertNew(rows: EventRow[], before: Promise<void>): Promise<void> {
    before.catch(() => undefined); // awaited below; a failure meanwhile is not unhandled
    const { kept, repeated } = dedupeBatch(rows);
    let stored: Set<string>;
    try {
      stored = await findStored(kept);
    } finally {
      lookingUp = false;
      scheduleStart();
    }
    for (const r of kept) if (inserting.has(r.event_id)) stored.add(r.event_id);
    const fresh = kept.filter((r) => !stored.has(r.event_id));
    for (const r of fresh) inserting.add(r.event_id);
    try {
      await before;
      await insertFresh(rows, fresh, { stored: kept.filter((r) => stored.has(r.event_id)), repeated });
    } finally {
      for (const r of fresh) inserting.delete(r.event_id);
    }
  }

  async function insertFresh(rows: EventRow[], fresh: EventRow[], dropped: { stored: EventRow[]; repeated: EventRow[] }): Promise<void> {
    if (onDuplicates && fresh.length < rows.length) await onDuplicates(dropped);
    const rejected = fresh.length > 0 ? await insertIsolating(fresh) : [];
    if (rejected.length > 0) {
      log.warn({ rejected: rejected.length, error: rejected[0]!.error.message }, 'ClickHouse refused rows for their data');
      await onRejected!(rejected);
    }
    stats.inserted += fresh.length - rejected.length;
    stats.rejected += rejected.length;
    stats.duplicates += rows.length - fresh.length;
    stats.flushes += 1;
    if (fresh.length < rows.length) log.info({ duplicates: rows.length - fresh.length }, 'dropped events already stored');
  }

  /** Inserts rows; on a row error, halves until the refused rows stand alone. */
  async function insertIsolating(rows: EventRow[]): Promise<Array<{ row: EventRow; error: Error }>> {
    try {
      await insert(rows);
      return [];
    } catch (err) {
      if (!isRowError(err)) throw err;
      // One insert is one block, refused while parsing or checking constraints
      // of `events`, before any part is written; the views on `events` compute
      // nothing that can refuse a row the table took. So nothing is stored yet.
      if (rows.length === 1) return [{ row: rows[0]!, error: err as Error }];
      const half = rows.length >>> 1;
      return [...(await insertIsolating(rows.slice(0, half))), ...(await insertIsolating(rows.slice(half)))];
    }
  }

  /** Starts the next flush if none is looking up, fewer than two are open and the buffer should go now. */
  function maybeStart(): void {
    if (lookingUp || flushes >= 2 || buffer.length === 0) return;
    if (!(due || draining > 0 || buffer.length >= maxBatchRows || shouldFlushNow())) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    due = false;
    const rows = buffer;
    const batchWaiters = waiters;
    buffer = [];
    waiters = [];
    for (const wake of roomWaiters.splice(0)) wake();
    const started = Date.now();
    flushes += 1;
    lookingUp = true;
    const done = insertNew(rows, lastInsert);
    lastInsert = done;
    void done.then(
      () => {
        log.debug({ rows: rows.length, ms: Date.now() - started }, 'inserted events');
        for (const w of batchWaiters) w.resolve();
      },
      (err: unknown) => {
        log.error({ err, rows: rows.length }, 'insert into ClickHouse failed');
        for (const w of batchWaiters) w.reject(err);
      },
    );
    void done
      .catch(() => undefined)
      .then(() => {
        if (lastInsert === done) lastInsert = Promise.resolve(); // a flush started from now on waits for nothing
        flushes -= 1;
        maybeStart();
        if (flushes === 0 && buffer.length === 0) for (const wake of idleWaiters.splice(0)) wake();
      });
  }

  function scheduleStart(): void {
    if (nudgeScheduled) return;
    nudgeScheduled = true;
    setImmediate(() => {
      nudgeScheduled = false;
      maybeStart();
    });
  }

  return {
    stats,
    write(rows) {
      if (rows.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        buffer.push(...rows);
        waiters.push({ resolve, reject });
        timer ??= setTimeout(() => {
          timer = undefined;
          due = true;
          maybeStart();
        }, flushIntervalMs);
        if (buffer.length >= maxBatchRows) maybeStart();
        else this.nudge();
      });
    },
    room() {
      if (buffer.length < maxBatchRows) return Promise.resolve();
      return new Promise<void>((resolve) => roomWaiters.push(resolve));
    },
    nudge() {
      // After the current turn, so batches started in the same round have
      // added their rows before the decision.
      if (nudgeScheduled) return;
      nudgeScheduled = true;
      setImmediate(() => {
        nudgeScheduled = false;
        maybeStart();
      });
    },
    async drain() {
      if (flushes === 0 && buffer.length === 0) return;
      const idle = new Promise<void>((resolve) => idleWaiters.push(resolve));
      draining += 1;
      maybeStart();
      try {
        await idle;
      } finally {
        draining -= 1;
      }
    },
  };
}

export function createClickHouseInsert(client: ClickHouseClient): InsertRows {
  return async (rows) => {
    await client.insert({
      table: TABLES.events,
      values: rows.map(toCompactRow),
      format: 'JSONCompactEachRow',
      columns: [...EVENT_ROW_COLUMNS],
    });
  };
}

/** Ids per lookup: keeps the bound parameter well inside HTTP URL limits on a server. */
const LOOKUP_CHUNK = 5000;
const HOUR_MS = 3_600_000;
/** How far a resent event's `ts` may lie from the stored copy's and still be found. */
export const RESEND_TOLERANCE_MS = 10 * 60_000;

/**
 * Looks event_ids up in `events` near each row's own time. `ts` is on the
 * collector's clock (client time + the batch's skew): a Kafka redelivery
 * carries the same `ts`, and a tracker's resend one that differs only by how
 * much the client's clock offset and the network delay changed between the
 * two sends (seconds). A resend is missed only if the client's clock jumped
 * by more than RESEND_TOLERANCE_MS between them.
 *
 * The window is what keeps the lookup's cost independent of the stored
 * history: the sort key starts with `toStartOfHour(ts)`, so a lookup reads the
 * event_id column of the one or two hours its rows' windows touch, whatever
 * lies before them. (It does grow with the traffic of those hours: ids sorted
 * by hour then by visitor cannot be found any cheaper in a column store.)
 * Rows far apart in time (an import of old events) get one query per run of
 * adjacent hours.
 */
export function createStoredIdLookup(client: ClickHouseClient): FindStoredIds {
  return async (rows) => {
    const stored = new Set<string>();
    for (const range of lookupRanges(rows)) {
      for (let i = 0; i < range.ids.length; i += LOOKUP_CHUNK) {
        const result = await client.query({
          query: `SELECT DISTINCT toString(event_id) AS id FROM ${TABLES.events}
WHERE ts >= fromUnixTimestamp({from_s:UInt32}) AND ts < fromUnixTimestamp({to_s:UInt32}) AND event_id IN {ids:Array(UUID)}`,
          query_params: { from_s: range.fromMs / 1000, to_s: range.toMs / 1000, ids: range.ids.slice(i, i + LOOKUP_CHUNK) },
          format: 'JSONEachRow',
        });
        for (const row of await result.json<{ id: string }>()) stored.add(row.id);
      }
    }
    return stored;
  };
}

/**
 * The whole hours that each row's [ts − tolerance, ts + tolerance] touches,
 * merged into runs of adjacent hours, in time order, each with its rows' ids.
 */
export function lookupRanges(
  rows: ReadonlyArray<Pick<EventRow, 'event_id' | 'ts'>>,
  toleranceMs = RESEND_TOLERANCE_MS,
): Array<{ fromMs: number; toMs: number; ids: string[] }> {
  const windows = rows
    .map((r) => ({
      fromMs: Math.floor((r.ts - toleranceMs) / HOUR_MS) * HOUR_MS,
      toMs: Math.floor((r.ts + toleranceMs) / HOUR_MS) * HOUR_MS + HOUR_MS,
      id: r.event_id,
    }))
    .sort((a, b) => a.fromMs - b.fromMs);
  const ranges: Array<{ fromMs: number; toMs: number; ids: string[] }> = [];
  for (const w of windows) {
    const last = ranges.at(-1);
    if (last && w.fromMs <= last.toMs) {
      last.toMs = Math.max(last.toMs, w.toMs);
      last.ids.push(w.id);
    } else ranges.push({ fromMs: w.fromMs, toMs: w.toMs, ids: [w.id] });
  }
  return ranges;
}

/** Records dropped duplicates in `duplicate_events` (the wall counts them). */
export function createDuplicateRecorder(client: ClickHouseClient, now: () => number = Date.now) {
  return async (dropped: { stored: EventRow[]; repeated: EventRow[] }): Promise<void> => {
    const detectedAt = now();
    const toRow = (r: EventRow, alreadyStored: boolean) => ({
      detected_at: detectedAt,
      event_id: r.event_id,
      type: r.type,
      received_at: r.received_at,
      kafka_partition: r.kafka_partition,
      kafka_offset: r.kafka_offset,
      already_stored: alreadyStored,
    });
    const values = [...dropped.stored.map((r) => toRow(r, true)), ...dropped.repeated.map((r) => toRow(r, false))];
    if (values.length > 0) await client.insert({ table: TABLES.duplicateEvents, values, format: 'JSONEachRow' });
  };
}

export function createBotInsert(client: ClickHouseClient): (rows: BotRow[]) => Promise<void> {
  return async (rows) => {
    if (rows.length > 0) await client.insert({ table: TABLES.botEvents, values: rows, format: 'JSONEachRow' });
  };
}
