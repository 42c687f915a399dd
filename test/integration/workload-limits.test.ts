// The workload policy on the real engine (infra/clickhouse/workload.ts): a
// query over its class's limits gets a 4xx naming the limit and the API goes
// on serving; a full analyst class answers 429 with Retry-After; a request
// whose client went away leaves no query running; a job over its budget
// stops with the reason in GET /api/jobs. Outcomes only: the timing is the
// isolation benchmark's (npm run bench -- isolation).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../helpers/api-app.ts';
import { pollUntil } from '../helpers/events.ts';
import { TEST_API_TOKEN } from '../helpers/test-stack.ts';

const sql = (api: TestApi, query: string) => api.inject({ method: 'POST', url: '/api/sql', payload: { sql: query } });
/** Seconds of work for one thread whatever the machine: stopped by a limit or a cancel long before it ends. */
const HEAVY = 'SELECT sum(sipHash64(number)) AS s FROM numbers(999999999)';

describe('one analyst query over a limit', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ WORKLOAD_ANALYST_MEMORY_MB: '64' });
  });
  after(() => api?.close());

  test('over the per-query memory: 413 naming max_memory_usage, and the API goes on', async () => {
    const res = await sql(api, 'SELECT length(groupArray(number)) AS n FROM numbers(100000000)');
    assert.equal(res.statusCode, 413, res.body);
    assert.deepEqual({ code: res.json().code, limit: res.json().limit }, { code: 'QUERY_LIMIT', limit: 'max_memory_usage' });
    assert.equal((await api.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const ok = await sql(api, 'SELECT 1 AS one');
    assert.deepEqual(ok.json(), { rows: [{ one: 1 }] });
    // The analysis routes share the class and still answer.
    assert.equal((await api.inject({ method: 'GET', url: '/api/analysis/overview?range=7d' })).statusCode, 200);
  });

  test('over the rows one query may read: 413 naming max_rows_to_read, before any work', async () => {
    const res = await sql(api, 'SELECT count() FROM numbers(100000000000)');
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(res.json().limit, 'max_rows_to_read');
  });

  test('no query of the class is left running', async () => {
    assert.deepEqual(await api.workloads.running('analyst'), []);
  });
});

describe('a full analyst class', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ WORKLOAD_ANALYST_CONCURRENCY: '1', WORKLOAD_ANALYST_QUEUE: '1', WORKLOAD_ANALYST_MAX_EXECUTION_S: '2' });
  });
  after(() => api?.close());

  test('one runs, one waits, the third is refused with 429 and Retry-After', async () => {
    const answers = await Promise.all([sql(api, HEAVY), sql(api, HEAVY), sql(api, HEAVY)]);
    const refused = answers.filter((a) => a.statusCode === 429);
    assert.equal(refused.length, 1, answers.map((a) => `${a.statusCode} ${a.body}`).join('\n'));
    assert.equal(refused[0]!.headers['retry-after'], '2');
    assert.equal(refused[0]!.json().code, 'WORKLOAD_BUSY');
    // The other two ran, each stopped by the class's time limit.
    for (const a of answers.filter((x) => x.statusCode !== 429)) {
      assert.equal(a.statusCode, 400, a.body);
      assert.equal(a.json().limit, 'max_execution_time');
    }
  });
});

describe('a request whose client goes away', () => {
  let api: TestApi;
  let url: string;
  before(async () => {
    // Long enough that only the cancel can end the query within the deadlines below.
    api = await startTestApi({ WORKLOAD_ANALYST_MAX_EXECUTION_S: '120', JOBS_INTERVAL_MS: '0' });
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  });
  after(() => api?.close());

  test('leaves no query running in ClickHouse', async () => {
    const gone = new AbortController();
    const answer = fetch(`${url}/api/sql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: HEAVY }),
      signal: gone.signal,
    }).catch((err: unknown) => err);
    const running = await pollUntil(() => api.workloads.running('analyst'), (qs) => qs.length === 1, 30_000);
    assert.equal(running.length, 1, 'the query started');
    gone.abort();
    assert.equal(((await answer) as Error).name, 'AbortError');
    const left = await pollUntil(() => api.workloads.running('analyst'), (qs) => qs.length === 0, 30_000);
    assert.deepEqual(left, []);
  });
});

describe('a job over its budget', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ WORKLOAD_JOBS_MEMORY_MB: '16', JOBS_INTERVAL_MS: '0' });
    // 400,000 paid orders of 200,000 people over 100 days.
    await api.clickhouse.command({
      query: `INSERT INTO events (event_id, type, schema_version, ts, sent_at, received_at, anonymous_id, user_id, session_id, order_id, order_amount, order_currency)
              SELECT generateUUIDv4(), 'order_pay', 1, t, t, t, concat('a', toString(number % 200000)), concat('u', toString(number % 200000)),
                     concat('s', toString(number)), concat('o', toString(number)), toDecimal64(10 + number % 90, 2), 'CNY'
              FROM (SELECT number, now64(3) - toIntervalSecond(number * 21) AS t FROM numbers(400000))`,
    });
  });
  after(() => api?.close());

  test('stops with the limit in GET /api/jobs, and the API goes on', async () => {
    const run = await api.inject({ method: 'POST', url: '/api/jobs/rfm/run' });
    assert.equal(run.statusCode, 200, run.body);
    const { jobs } = await api.get<{ jobs: Array<{ name: string; last_error: string | null; running: boolean; last_peak_memory_bytes: number | null }> }>('/api/jobs');
    const rfm = jobs.find((j) => j.name === 'rfm')!;
    assert.equal(rfm.running, false);
    assert.match(rfm.last_error ?? '', /stopped by the jobs' limit max_memory_usage/);
    assert.equal(typeof rfm.last_peak_memory_bytes, 'number');
    assert.equal((await api.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.deepEqual(await api.workloads.running('jobs'), []);
  });
});
