// A job that aggregates events per person (clusters, item similarity) works
// in passes over buckets of persons, cityHash64(person) % buckets, so that
// its memory does not grow with the history: one pass holds the aggregation
// state of about eventsPerPass events and a join table of about
// visitorsPerPass identified visitors, whatever the number of events.
//
// The join is what needs staging. The person of an event without user_id is
// the user its visitor was identified as last (api/metrics/person.ts), which
// is known only once identities' states of that visitor are merged; so the
// run first resolves identities into job_persons, a slice of visitors at a
// time (by cityHash64(anonymous_id)), and each pass then joins only the
// visitors that can belong to its bucket: those identified as one of its
// persons, and those whose own id falls in it (a visitor never identified is
// a person of its own). A visitor of the second kind identified as someone
// of another bucket is joined, resolved to that person and dropped by the
// pass's bucket filter, as it must be.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { IDENTITIES_SQL, inPersonBucket, type PersonPass } from '../metrics/person.ts';
import { num } from '../metrics/numbers.ts';

export interface PassSizes {
  /** events (rows of `events` the job reads) one pass aggregates, about */
  eventsPerPass: number;
  /** identified visitors one pass joins (and one staging slice resolves), about */
  visitorsPerPass: number;
}

/**
 * Sized so that one pass stays near half the jobs' per-query memory on this
 * machine's defaults (infra/clickhouse/workload.ts): the clusters job over
 * 50 M synthetic events took 10 passes and peaked at 366 MiB with them. The
 * rest is room for the largest persons.
 */
export const DEFAULT_PASS_SIZES: Readonly<PassSizes> = Object.freeze({ eventsPerPass: 5_000_000, visitorsPerPass: 500_000 });

export interface PersonPasses {
  passes: PersonPass[];
  /** Drops the run's staged identities (after the last pass, or when the run fails). */
  drop(): Promise<void>;
}

const JOB_NAME = /^[a-z][a-z0-9-]*$/;

/** The number of buckets for `events` rows and `visitors` rows of identities (each pass joins about 2/buckets of them). */
export function bucketsFor(inputs: { events: number; visitors: number }, sizes: PassSizes = DEFAULT_PASS_SIZES): number {
  return Math.max(1, Math.ceil(inputs.events / sizes.eventsPerPass), Math.ceil((2 * inputs.visitors) / sizes.visitorsPerPass));
}

async function count(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<number> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  const [row] = await result.json<{ n: string | number }>();
  return num(row?.n);
}

/**
 * The passes of one run of `job` over the events `where` selects (conditions
 * on `events AS e`, with their `params`), staging the identities it needs
 * when it takes more than one pass.
 */
export async function planPersonPasses(
  client: ClickHouseClient,
  run: { job: string; computedAt: number; log: Pick<Logger, 'info'> },
  events: { where: string; params: Record<string, unknown> },
  sizes: PassSizes = DEFAULT_PASS_SIZES,
): Promise<PersonPasses> {
  const { job, computedAt } = run;
  if (!JOB_NAME.test(job) || !Number.isSafeInteger(computedAt)) throw new Error(`bad job run ${job} at ${computedAt}`);
  // identities' rows, merged or not: an upper bound of its visitors, read from the parts' counts.
  const [eventRows, visitors] = await Promise.all([
    count(client, `SELECT count() AS n FROM events AS e WHERE ${events.where}`, events.params),
    count(client, 'SELECT count() AS n FROM identities', {}),
  ]);
  const buckets = bucketsFor({ events: eventRows, visitors }, sizes);
  if (buckets === 1) {
    run.log.info({ events: eventRows, visitors, buckets }, 'one pass over every person');
    return { passes: [{ bucket: 0, buckets: 1, identities: IDENTITIES_SQL }], drop: async () => undefined };
  }
  const partition = `('${job}', ${computedAt})`;
  const drop = () => client.command({ query: `ALTER TABLE job_persons DROP PARTITION ${partition}` }).then(() => undefined);
  await dropLeftovers(client, job);
  const slices = Math.max(1, Math.ceil(visitors / sizes.visitorsPerPass));
  try {
    for (let slice = 0; slice < slices; slice++) {
      await client.command({
        query: `
INSERT INTO job_persons (job, computed_at, anonymous_id, identified_as)
SELECT {job:String}, fromUnixTimestamp64Milli({computed_at:Int64}, 'UTC'), anonymous_id, argMaxMerge(identified_as)
FROM identities
WHERE cityHash64(anonymous_id) % {slices:UInt32} = {slice:UInt32}
GROUP BY anonymous_id`,
        query_params: { job, computed_at: computedAt, slices, slice },
      });
    }
  } catch (err) {
    await drop().catch(() => undefined);
    throw err;
  }
  run.log.info({ events: eventRows, visitors, buckets, slices }, 'passes over buckets of persons');
  const staged = `job = '${job}' AND computed_at = fromUnixTimestamp64Milli(${computedAt}, 'UTC')`;
  const passes = Array.from({ length: buckets }, (_, bucket): PersonPass => ({
    bucket,
    buckets,
    identities: `(SELECT anonymous_id, identified_as FROM job_persons WHERE ${staged} AND (${inPersonBucket('identified_as', { bucket, buckets })} OR ${inPersonBucket('anonymous_id', { bucket, buckets })}))`,
  }));
  return { passes, drop };
}

/** The staged identities of earlier runs of `job` that died before dropping them. */
async function dropLeftovers(client: ClickHouseClient, job: string): Promise<void> {
  const result = await client.query({
    query: 'SELECT DISTINCT _partition_id AS id FROM job_persons WHERE job = {job:String}',
    query_params: { job },
    format: 'JSONEachRow',
  });
  for (const { id } of await result.json<{ id: string }>()) {
    if (/^[0-9a-f]+$/.test(id)) await client.command({ query: `ALTER TABLE job_persons DROP PARTITION ID '${id}'` });
  }
}
