import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrackedEvent } from '../../../collector/contract/events.ts';
import { taobaoFormat } from './formats/taobao.ts';
import type { CsvRecord } from './read-records.ts';
import { formatSummary } from './report.ts';
import { runImport } from './run-import.ts';
import type { EventSink } from './sink.ts';

async function* records(lines: string[]): AsyncGenerator<CsvRecord> {
  let bytes = 0;
  for (const [i, l] of lines.entries()) {
    bytes += l.length + 1;
    yield { fields: l.split(','), line: i + 1, bytes };
  }
}

function memorySink(): EventSink & { batches: TrackedEvent[][] } {
  const batches: TrackedEvent[][] = [];
  return {
    batches,
    async send(events) {
      batches.push(events);
      // the contract check refuses the second event of every batch
      return events.length > 1 ? { accepted: events.length - 1, rejected: [{ index: 1, reason: 'invalid_event', detail: 'x' }] } : { accepted: events.length, rejected: [] };
    },
    close: async () => undefined,
  };
}

const LINES = ['1,10,100,pv,1000', '1,10,100,buy,1060', '2,20,200,fav,1030', 'bad', '3,30,300,cart,4000'];

test('keep-times streams the events with their own times and counts everything', async () => {
  const sink = memorySink();
  const counts = await runImport({ file: '/x/t.csv', format: taobaoFormat, timing: { mode: 'keep-times' }, records: records(LINES), sink });
  const sent = sink.batches.flat();
  assert.deepEqual(sent.map((e) => [e.type, e.ts]), [
    ['page_view', 1_000_000], ['product_view', 1_000_000], ['order_submit', 1_060_000], ['order_pay', 1_060_000], ['favorite_add', 1_030_000], ['cart_add', 4_000_000],
  ]);
  assert.equal(counts.rowsRead, 5);
  assert.equal(counts.eventsMapped, 6);
  assert.equal(counts.eventsSent, 5);
  assert.deepEqual(counts.skippedRows, { wrong_column_count: 1 });
  assert.deepEqual(counts.rejectedEvents, { invalid_event: 1 });
  assert.deepEqual(counts.sentByType, { page_view: 1, order_submit: 1, order_pay: 1, favorite_add: 1, cart_add: 1 });
  assert.match(formatSummary({ file: 't.csv', format: 'taobao', via: 'kafka', target: 'topic', timing: 'event times kept', counts, elapsedMs: 1500 }), /rows read {8}5\n {2}events sent {6}5 {2}\(/);
});

test('--speed sends in time order, shifted to now and paced, and --limit stops early', async () => {
  let clock = 10_000_000;
  const sink = memorySink();
  const naps: number[] = [];
  await runImport({
    file: 't.csv',
    format: taobaoFormat,
    timing: { mode: 'speed', speed: 10 },
    limit: 3,
    records: records(LINES),
    sink,
    now: () => clock,
    sleep: async (ms) => {
      naps.push(ms);
      clock += ms;
    },
  });
  const sent = sink.batches.flat();
  // rows 1–3 only; dataset times 1000 s, 1030 s, 1060 s → now, +3 s, +6 s
  assert.deepEqual(sent.map((e) => [e.type, e.ts - 10_000_000]), [
    ['page_view', 0], ['product_view', 0], ['favorite_add', 3000], ['order_submit', 6000], ['order_pay', 6000],
  ]);
  assert.ok(naps.every((ms) => ms <= 1000));
});
