// The processor's stored-id lookup (the dedupe before each insert) on the real
// ClickHouse engine: which stored events it finds, and the time window it
// documents as its limit.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { RawEnvelope } from '../../collector/contract/events.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { createStoredIdLookup, RESEND_TOLERANCE_MS, type FindStoredIds } from '../../stream-processor/clickhouse-writer.ts';
import { toEventRow } from '../../stream-processor/steps/to-event-row.ts';
import { openFreshClickHouse, type FreshClickHouse } from '../helpers/fresh-clickhouse.ts';

const log = createRootLogger({ name: 'stored-id-lookup-test', level: 'warn' });
const HOUR = 3_600_000;
const MINUTE = 60_000;
// 1 November, 00:05 UTC: ten minutes before it is another hour, day, month and partition.
const T0 = Date.UTC(2026, 10, 1, 0, 5);

function pageView(ts: number): RawEnvelope {
  return {
    event_id: randomUUID(),
    schema_version: 1,
    type: 'page_view',
    ts,
    sent_at: ts,
    received_at: ts,
    anonymous_id: 'v1',
    session_id: 's1',
    user_agent: 'test',
    client_ip: '',
    skew_ms: 0,
    page: { url: 'https://shop.example/' },
  } as RawEnvelope;
}

describe('stored-id lookup on the real engine', () => {
  let ch: FreshClickHouse;
  let findStored: FindStoredIds;
  // Stored at T0 and at T0 + 40 days: far apart, as an import of old events and today's traffic.
  const early = pageView(T0);
  const late = pageView(T0 + 40 * 24 * HOUR);

  before(async () => {
    ch = await openFreshClickHouse('stored-ids', log);
    await ch.client.insert({ table: 'events', values: [early, late].map((e) => toEventRow(e, { partition: 0, offset: '0' })), format: 'JSONEachRow' });
    findStored = createStoredIdLookup(ch.client);
  });
  after(async () => {
    await ch?.close();
  });

  test('finds a stored event asked with the same ts, and not an id never stored', async () => {
    const found = await findStored([{ event_id: early.event_id, ts: early.ts }, { event_id: randomUUID(), ts: early.ts }]);
    assert.deepEqual([...found], [early.event_id]);
  });

  test('finds it when the resend carries a ts up to the tolerance off, across hour and day boundaries', async () => {
    for (const ts of [early.ts - RESEND_TOLERANCE_MS, early.ts + RESEND_TOLERANCE_MS, early.ts - 1, early.ts + 50 * MINUTE]) {
      assert.deepEqual([...(await findStored([{ event_id: early.event_id, ts }]))], [early.event_id], `ts ${new Date(ts).toISOString()}`);
    }
  });

  test('finds ids of far-apart hours asked in one batch', async () => {
    const found = await findStored([{ event_id: late.event_id, ts: late.ts }, { event_id: early.event_id, ts: early.ts }]);
    assert.deepEqual([...found].sort(), [early.event_id, late.event_id].sort());
  });

  test('the documented limit: a ts more than an hour and the tolerance off is outside the window and not found', async () => {
    assert.equal((await findStored([{ event_id: early.event_id, ts: early.ts + HOUR + RESEND_TOLERANCE_MS }])).size, 0);
    assert.equal((await findStored([{ event_id: early.event_id, ts: early.ts - HOUR - RESEND_TOLERANCE_MS }])).size, 0);
  });
});
