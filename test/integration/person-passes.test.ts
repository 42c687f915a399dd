// The jobs' passes over buckets of persons on the real engine: together they
// hold every event exactly once, each under the person api/metrics/person.ts
// defines (checked against the rule computed here from the fixture), and the
// staged identities are gone after the run.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createRootLogger } from '../../infra/logger.ts';
import { openFreshClickHouse, type FreshClickHouse } from '../helpers/fresh-clickhouse.ts';
import { eventsWithPerson } from '../../api/metrics/person.ts';
import { bucketsFor, planPersonPasses } from '../../api/jobs/person-passes.ts';

const log = createRootLogger({ name: 'person-passes-test', level: 'warn' });
const T0 = Date.UTC(2026, 10, 1);

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  event_id: string;
  type: string;
  ts: number;
  anonymous_id: string;
  user_id: string;
  session_id: string;
}

/**
 * 300 visitors, 120 users: half the visitors log in part-way (as a random
 * user, so users have several devices), some of them later as a second user,
 * and some identical timestamps, so that "last" needs the tie rule.
 */
function fixture(): Row[][] {
  const next = random(11);
  const batches: Row[][] = [[], [], []];
  for (let v = 0; v < 300; v++) {
    const anon = `a${v}`;
    const events = 1 + Math.floor(next() * 6);
    const loginAt = next() < 0.5 ? Math.floor(next() * events) : -1;
    const users = [`u${Math.floor(next() * 120)}`, `u${Math.floor(next() * 120)}`];
    const switchAt = next() < 0.3 ? loginAt + 1 : Infinity;
    for (let i = 0; i < events; i++) {
      const user = loginAt < 0 || i < loginAt ? '' : i >= switchAt ? users[1]! : users[0]!;
      // Whole minutes, so that two events of a visitor sometimes share a ts.
      const ts = T0 + Math.floor(next() * 3) * 60_000 + i * 60_000 * Math.floor(next() * 2);
      batches[Math.floor(next() * 3)]!.push({ event_id: randomUUID(), type: 'page_view', ts, anonymous_id: anon, user_id: user, session_id: `${anon}-s` });
    }
  }
  return batches;
}

/** The person of each event by the rule of api/metrics/person.ts, computed here. */
function expectedPersons(rows: readonly Row[]): Map<string, string> {
  const last = new Map<string, { ts: number; user: string }>();
  for (const r of rows) {
    if (r.user_id === '') continue;
    const seen = last.get(r.anonymous_id);
    if (!seen || r.ts > seen.ts || (r.ts === seen.ts && r.user_id > seen.user)) last.set(r.anonymous_id, { ts: r.ts, user: r.user_id });
  }
  return new Map(rows.map((r) => [r.event_id, r.user_id !== '' ? r.user_id : (last.get(r.anonymous_id)?.user ?? r.anonymous_id)]));
}

describe('passes over buckets of persons, on the real engine', () => {
  let ch: FreshClickHouse;
  const batches = fixture();
  const rows = batches.flat();
  const expected = expectedPersons(rows);

  before(async () => {
    ch = await openFreshClickHouse('person-passes', log);
    // Three inserts: identities holds unmerged states of one visitor, as after days of traffic.
    for (const batch of batches) await ch.client.insert({ table: 'events', values: batch, format: 'JSONEachRow' });
  });
  after(async () => {
    await ch?.close();
  });

  const personsOf = async (source: string): Promise<Array<[string, string]>> => {
    const result = await ch.client.query({ query: `SELECT toString(event_id) AS id, person FROM ${source}`, format: 'JSONEachRow' });
    return (await result.json<{ id: string; person: string }>()).map((r) => [r.id, r.person]);
  };
  const sorted = (pairs: Array<[string, string]>) => pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const where = `e.ts >= fromUnixTimestamp64Milli(${T0}, 'UTC')`;

  test('the number of buckets follows the larger of the events and the visitors', () => {
    assert.equal(bucketsFor({ events: 0, visitors: 0 }), 1);
    assert.equal(bucketsFor({ events: 10, visitors: 3 }, { eventsPerPass: 5, visitorsPerPass: 100 }), 2);
    assert.equal(bucketsFor({ events: 10, visitors: 300 }, { eventsPerPass: 5, visitorsPerPass: 100 }), 6);
  });

  test('one pass is the whole: every event under its person', async () => {
    const { passes, drop } = await planPersonPasses(ch.client, { job: 'test-one', computedAt: 1, log }, { where, params: {} });
    assert.equal(passes.length, 1);
    const got = await personsOf(eventsWithPerson(['event_id'], where, 'person', passes[0]));
    assert.deepEqual(sorted(got), sorted([...expected]));
    await drop();
  });

  test('many passes: each event in exactly one, under the same person, and the staged identities dropped after', async () => {
    const sizes = { eventsPerPass: 100, visitorsPerPass: 20 };
    const { passes, drop } = await planPersonPasses(ch.client, { job: 'test-many', computedAt: 2, log }, { where, params: {} }, sizes);
    assert.ok(passes.length > 10, `${passes.length} passes`);
    const got: Array<[string, string]> = [];
    for (const pass of passes) got.push(...(await personsOf(eventsWithPerson(['event_id'], where, 'person', pass))));
    assert.deepEqual(sorted(got), sorted([...expected]));
    await drop();
    const left = await ch.client.query({
      query: "SELECT count() AS n FROM job_persons WHERE job = 'test-many'",
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    assert.deepEqual(await left.json(), [{ n: 0 }]);
  });

  test('a run that died leaves its staged identities to the next run of its job, which drops them', async () => {
    const sizes = { eventsPerPass: 100, visitorsPerPass: 20 };
    await planPersonPasses(ch.client, { job: 'test-died', computedAt: 3, log }, { where, params: {} }, sizes);
    const next = await planPersonPasses(ch.client, { job: 'test-died', computedAt: 4, log }, { where, params: {} }, sizes);
    const runs = await ch.client.query({
      query: "SELECT DISTINCT toUnixTimestamp64Milli(computed_at) AS at FROM job_persons WHERE job = 'test-died'",
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    assert.deepEqual(await runs.json(), [{ at: 4 }]);
    await next.drop();
  });
});
