import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { createBatchingWriter, lookupRanges, type FindStoredIds, type InsertRows } from './clickhouse-writer.ts';
import type { EventRow } from './steps/to-event-row.ts';

const log = pino({ level: 'silent' });
/** Nothing stored yet: every row is new. */
const noneStored = async () => new Set<string>();
const row = (id: string) => ({ event_id: id }) as EventRow;
const ids = (rows: EventRow[]) => rows.map((r) => r.event_id);
/** Lets pending promise callbacks run (setImmediate is not mocked below). */
const settle = async () => {
  // A few turns: a flush awaits the stored-id lookup before it inserts.
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** A fake insert whose calls stay pending until the test resolves or rejects them. */
function controlledInsert() {
  const calls: Array<{ ids: string[]; resolve: () => void; reject: (err: Error) => void }> = [];
  let active = 0;
  let maxActive = 0;
  const insert: InsertRows = (rows) =>
    new Promise<void>((resolve, reject) => {
      active++;
      maxActive = Math.max(maxActive, active);
      const done = () => void active--;
      calls.push({
        ids: ids(rows),
        resolve: () => (done(), resolve()),
        reject: (err) => (done(), reject(err)),
      });
    });
  return { insert, calls, maxActive: () => maxActive };
}

/** A fake insert that records rows and succeeds at once. */
function recordingInsert() {
  const calls: string[][] = [];
  const insert: InsertRows = async (rows) => void calls.push(ids(rows));
  return { insert, calls };
}

test('write([]) resolves at once without inserting', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { insert, calls } = recordingInsert();
  const writer = createBatchingWriter({ insert, findStored: noneStored, maxBatchRows: 10, flushIntervalMs: 1000, log });
  await writer.write([]);
  t.mock.timers.tick(1000);
  await settle();
  assert.deepEqual(calls, []);
});

test('flushes as soon as the buffer holds maxBatchRows, without waiting for the timer', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { insert, calls } = recordingInsert();
  const writer = createBatchingWriter({ insert, findStored: noneStored, maxBatchRows: 3, flushIntervalMs: 60_000, log });
  const first = writer.write([row('a'), row('b')]);
  await settle();
  assert.deepEqual(calls, []);
  const second = writer.write([row('c')]);
  await Promise.all([first, second]);
  assert.deepEqual(calls, [['a', 'b', 'c']]);
});

test('flushes flushIntervalMs after the first buffered row otherwise', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { insert, calls } = recordingInsert();
  const writer = createBatchingWriter({ insert, findStored: noneStored, maxBatchRows: 100, flushIntervalMs: 1000, log });
  const first = writer.write([row('a')]);
  t.mock.timers.tick(600);
  const second = writer.write([row('b')]);
  t.mock.timers.tick(399);
  await settle();
  assert.deepEqual(calls, []);
  t.mock.timers.tick(1);
  await Promise.all([first, second]);
  assert.deepEqual(calls, [['a', 'b']]);
});

test('write() resolves only after the insert holding its rows resolved', async () => {
  const fake = controlledInsert();
  const writer = createBatchingWriter({ insert: fake.insert, findStored: noneStored, maxBatchRows: 1, flushIntervalMs: 1000, log });
  const order: string[] = [];
  const written = writer.write([row('a')]).then(() => order.push('write resolved'));
  await settle();
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a']]);
  assert.equal(order.length, 0);
  order.push('insert acknowledged');
  fake.calls[0]!.resolve();
  await written;
  assert.deepEqual(order, ['insert acknowledged', 'write resolved']);
});

test('a failed insert rejects every waiter of that flush; later flushes still work', async () => {
  const fake = controlledInsert();
  const writer = createBatchingWriter({ insert: fake.insert, findStored: noneStored, maxBatchRows: 2, flushIntervalMs: 1000, log });
  const boom = new Error('ClickHouse unavailable');
  const first = writer.write([row('a')]);
  const second = writer.write([row('b')]);
  await settle();
  fake.calls[0]!.reject(boom);
  await assert.rejects(first, (err) => err === boom);
  await assert.rejects(second, (err) => err === boom);

  const third = writer.write([row('c'), row('d')]);
  await settle();
  fake.calls[1]!.resolve();
  await third;
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a', 'b'], ['c', 'd']]);
});

test('inserts never overlap and run in order; rows that arrive during an insert go together in the next one', async () => {
  const fake = controlledInsert();
  const writer = createBatchingWriter({ insert: fake.insert, findStored: noneStored, maxBatchRows: 1, flushIntervalMs: 1000, log });
  const writes = [writer.write([row('a')]), writer.write([row('b')]), writer.write([row('c')])];
  await settle();
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a']], 'b and c wait while a is inserted');
  fake.calls[0]!.resolve();
  await settle();
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a'], ['b', 'c']]);
  fake.calls[1]!.resolve();
  await Promise.all(writes);
  assert.equal(fake.maxActive(), 1);
});

test('room() waits while the buffer holds maxBatchRows behind two open flushes, and resolves when the next flush takes it', async () => {
  const fake = controlledInsert();
  const writer = createBatchingWriter({ insert: fake.insert, findStored: noneStored, maxBatchRows: 2, flushIntervalMs: 60_000, log });
  const first = writer.write([row('a'), row('b')]);
  await writer.room(); // a and b went into the first flush at once
  const second = writer.write([row('c'), row('d')]);
  await settle();
  await writer.room(); // c and d went into the second flush: looked up, waiting for the first insert
  const third = writer.write([row('e'), row('f')]);
  let roomy = false;
  const room = writer.room().then(() => (roomy = true));
  await settle();
  assert.equal(roomy, false, 'e and f fill the buffer while two flushes are open');
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a', 'b']], 'one insert at a time');
  fake.calls[0]!.resolve();
  await room;
  await settle();
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a', 'b'], ['c', 'd']]);
  fake.calls[1]!.resolve();
  await settle();
  fake.calls[2]!.resolve();
  await Promise.all([first, second, third]);
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a', 'b'], ['c', 'd'], ['e', 'f']]);
  assert.equal(fake.maxActive(), 1);
});

test("the next flush's lookup runs during the insert before it; that insert's ids count as stored", async () => {
  const fake = controlledInsert();
  const lookups: string[][] = [];
  const findStored: FindStoredIds = async (rows) => (lookups.push(rows.map((r) => r.event_id)), new Set());
  const dropped: string[][] = [];
  const writer = createBatchingWriter({
    insert: fake.insert,
    findStored,
    maxBatchRows: 2,
    flushIntervalMs: 60_000,
    onDuplicates: async (d) => void dropped.push(ids(d.stored)),
    log,
  });
  const first = writer.write([row('a'), row('b')]);
  await settle();
  const second = writer.write([row('b'), row('c')]); // b again: a redelivery
  await settle();
  assert.deepEqual(lookups, [['a', 'b'], ['b', 'c']], 'looked up while a, b are being inserted');
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a', 'b']]);
  fake.calls[0]!.resolve();
  await settle();
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a', 'b'], ['c']], 'b is stored once');
  assert.deepEqual(dropped, [['b']]);
  fake.calls[1]!.resolve();
  await Promise.all([first, second]);
});

test('a flush looked up during an insert that fails fails too, without inserting; a flush after it works', async () => {
  const fake = controlledInsert();
  const writer = createBatchingWriter({ insert: fake.insert, findStored: noneStored, maxBatchRows: 1, flushIntervalMs: 60_000, log });
  const boom = new Error('ClickHouse unavailable');
  const first = writer.write([row('a')]);
  await settle();
  const second = writer.write([row('b')]);
  await settle();
  fake.calls[0]!.reject(boom);
  await assert.rejects(first, (err) => err === boom);
  await assert.rejects(second, (err) => err === boom);
  const third = writer.write([row('c')]);
  await settle();
  fake.calls[1]!.resolve();
  await third;
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a'], ['c']]);
});

test('shouldFlushNow() starts an insert without the timer, also when the one before ends', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const fake = controlledInsert();
  let idle = true;
  const writer = createBatchingWriter({ insert: fake.insert, findStored: noneStored, maxBatchRows: 100, flushIntervalMs: 60_000, shouldFlushNow: () => idle, log });
  const first = writer.write([row('a')]);
  await settle();
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a']]);
  idle = false;
  const second = writer.write([row('b')]);
  fake.calls[0]!.resolve();
  await settle();
  assert.equal(fake.calls.length, 1, 'b waits: rows are still arriving');
  idle = true;
  writer.nudge();
  await settle();
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a'], ['b']]);
  fake.calls[1]!.resolve();
  await Promise.all([first, second]);
});

test('drain() waits for the insert in flight and the rows buffered behind it', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const fake = controlledInsert();
  const writer = createBatchingWriter({ insert: fake.insert, findStored: noneStored, maxBatchRows: 1, flushIntervalMs: 60_000, log });
  const writes = [writer.write([row('a')]), writer.write([row('b')])];
  let drained = false;
  const draining = writer.drain().then(() => (drained = true));
  await settle();
  fake.calls[0]!.resolve();
  await settle();
  assert.equal(drained, false);
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a'], ['b']]);
  fake.calls[1]!.resolve();
  await Promise.all([...writes, draining]);
});

test('drain() flushes the remainder and waits for the insert', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const fake = controlledInsert();
  const writer = createBatchingWriter({ insert: fake.insert, findStored: noneStored, maxBatchRows: 100, flushIntervalMs: 60_000, log });
  const written = writer.write([row('a'), row('b')]);
  let drained = false;
  const draining = writer.drain().then(() => (drained = true));
  await settle();
  assert.deepEqual(fake.calls.map((c) => c.ids), [['a', 'b']]);
  assert.equal(drained, false);
  fake.calls[0]!.resolve();
  await Promise.all([written, draining]);
  assert.equal(drained, true);
});

test('drain() with nothing buffered resolves without inserting', async () => {
  const { insert, calls } = recordingInsert();
  const writer = createBatchingWriter({ insert, findStored: noneStored, maxBatchRows: 10, flushIntervalMs: 1000, log });
  await writer.drain();
  assert.deepEqual(calls, []);
});

test('rows whose event_id is already stored, or repeated within the flush, are not inserted again', async () => {
  const { insert, calls } = recordingInsert();
  const asked: string[][] = [];
  const findStored: FindStoredIds = async (rows) => {
    const eventIds = rows.map((r) => r.event_id);
    asked.push(eventIds);
    return new Set(eventIds.filter((id) => id === 'b'));
  };
  const writer = createBatchingWriter({ insert, findStored, maxBatchRows: 4, flushIntervalMs: 60_000, log });
  await writer.write([row('a'), row('b'), row('c'), row('a')]);
  assert.deepEqual(asked, [['a', 'b', 'c']]);
  assert.deepEqual(calls, [['a', 'c']]);
  assert.deepEqual(writer.stats, { inserted: 2, rejected: 0, duplicates: 2, flushes: 1 });
});

test('a flush whose rows are all stored inserts nothing and still resolves its writers', async () => {
  const { insert, calls } = recordingInsert();
  const writer = createBatchingWriter({ insert, findStored: async (rows) => new Set(rows.map((r) => r.event_id)), maxBatchRows: 2, flushIntervalMs: 60_000, log });
  await writer.write([row('x'), row('y')]);
  assert.deepEqual(calls, []);
  assert.equal(writer.stats.duplicates, 2);
});

test('a failing lookup fails the flush like a failing insert', async () => {
  const { insert, calls } = recordingInsert();
  const writer = createBatchingWriter({
    insert,
    findStored: async () => {
      throw new Error('clickhouse down');
    },
    maxBatchRows: 1,
    flushIntervalMs: 60_000,
    log,
  });
  await assert.rejects(writer.write([row('x')]), /clickhouse down/);
  assert.deepEqual(calls, []);
});

test('dropped rows go to onDuplicates, stored apart from repeated, before the insert', async () => {
  const order: string[] = [];
  const insert: InsertRows = async (rows) => void order.push(`insert ${ids(rows).join(',')}`);
  const writer = createBatchingWriter({
    insert,
    findStored: async (rows) => new Set(rows.map((r) => r.event_id).filter((id) => id === 'b')),
    onDuplicates: async ({ stored, repeated }) => void order.push(`stored ${ids(stored).join(',')} repeated ${ids(repeated).join(',')}`),
    maxBatchRows: 5,
    flushIntervalMs: 60_000,
    log,
  });
  await writer.write([row('a'), row('b'), row('c'), row('a'), row('b')]);
  assert.deepEqual(order, ['stored b repeated a,b', 'insert a,c']);
});

test('a failing onDuplicates fails the flush before anything is inserted', async () => {
  const { insert, calls } = recordingInsert();
  const writer = createBatchingWriter({
    insert,
    findStored: async (rows) => new Set(rows.map((r) => r.event_id).filter((id) => id === 'b')),
    onDuplicates: async () => {
      throw new Error('repair failed');
    },
    maxBatchRows: 2,
    flushIntervalMs: 60_000,
    log,
  });
  await assert.rejects(writer.write([row('a'), row('b')]), /repair failed/);
  assert.deepEqual(calls, []);
});

test('no duplicates, no onDuplicates call', async () => {
  const { insert } = recordingInsert();
  let called = 0;
  const writer = createBatchingWriter({ insert, findStored: noneStored, onDuplicates: async () => void called++, maxBatchRows: 2, flushIntervalMs: 60_000, log });
  await writer.write([row('a'), row('b')]);
  assert.equal(called, 0);
});

test('a row error splits the insert until the refused rows stand alone; the others are stored', async () => {
  const calls: string[][] = [];
  const rowError = Object.assign(new Error('violated'), { rowError: true });
  const insert: InsertRows = async (rows) => {
    calls.push(ids(rows));
    if (rows.some((r) => r.event_id.startsWith('bad'))) throw rowError;
  };
  const rejected: string[] = [];
  const writer = createBatchingWriter({
    insert,
    findStored: noneStored,
    isRowError: (err) => err === rowError,
    onRejected: async (rows) => void rejected.push(...rows.map((r) => `${r.row.event_id}: ${r.error.message}`)),
    maxBatchRows: 6,
    flushIntervalMs: 60_000,
    log,
  });
  await writer.write(['a', 'bad1', 'c', 'd', 'e', 'bad2'].map(row));
  assert.deepEqual(rejected, ['bad1: violated', 'bad2: violated']);
  const stored = calls.filter((c) => !c.some((id) => id.startsWith('bad'))).flat().sort();
  assert.deepEqual(stored, ['a', 'c', 'd', 'e']);
  assert.deepEqual(writer.stats, { inserted: 4, rejected: 2, duplicates: 0, flushes: 1 });
});

test('any other insert error fails the flush without splitting it', async () => {
  let calls = 0;
  const writer = createBatchingWriter({
    insert: async () => {
      calls++;
      throw new Error('connection refused');
    },
    findStored: noneStored,
    isRowError: () => false,
    onRejected: async () => assert.fail('nothing is rejected during an outage'),
    maxBatchRows: 4,
    flushIntervalMs: 60_000,
    log,
  });
  await assert.rejects(writer.write(['a', 'b', 'c', 'd'].map(row)), /connection refused/);
  assert.equal(calls, 1);
});

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (event_id: string, ts: number) => ({ event_id, ts });

test('lookupRanges: a row mid-hour looks in its own hour only', () => {
  const t = Date.UTC(2026, 11, 3, 10);
  assert.deepEqual(lookupRanges([at('a', t + 30 * MINUTE), at('b', t + 49 * MINUTE)]), [{ fromMs: t, toMs: t + HOUR, ids: ['a', 'b'] }]);
});

test('lookupRanges: a row within the tolerance of an hour boundary looks in the hour beyond it too', () => {
  const t = Date.UTC(2026, 11, 3, 10);
  assert.deepEqual(lookupRanges([at('early', t + 5 * MINUTE)]), [{ fromMs: t - HOUR, toMs: t + HOUR, ids: ['early'] }]);
  assert.deepEqual(lookupRanges([at('late', t + 55 * MINUTE)]), [{ fromMs: t, toMs: t + 2 * HOUR, ids: ['late'] }]);
});

test('lookupRanges: adjacent hours merge into one run, hours far apart are separate lookups, in time order', () => {
  const t = Date.UTC(2026, 11, 3, 10);
  const ranges = lookupRanges([at('later', t + 30 * HOUR + 30 * MINUTE), at('a', t + 30 * MINUTE), at('b', t + HOUR + 30 * MINUTE), at('c', t + 3 * HOUR + 30 * MINUTE)]);
  assert.deepEqual(ranges, [
    { fromMs: t, toMs: t + 2 * HOUR, ids: ['a', 'b'] },
    // the hour t + 2 h holds no row: c's hour is a run of its own
    { fromMs: t + 3 * HOUR, toMs: t + 4 * HOUR, ids: ['c'] },
    { fromMs: t + 30 * HOUR, toMs: t + 31 * HOUR, ids: ['later'] },
  ]);
});

test('lookupRanges: no rows, no lookups', () => {
  assert.deepEqual(lookupRanges([]), []);
});
