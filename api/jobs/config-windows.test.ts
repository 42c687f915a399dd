// The history windows of the analytics jobs come from the API config
// (SEGMENTS_WINDOW_DAYS, RECS_WINDOW_DAYS) and reach the jobs: each run, on
// the real engine, records the window it used.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createClickHouse } from '../../infra/clickhouse/client.ts';
import { migrate } from '../../infra/clickhouse/migrate.ts';
import { createRootLogger } from '../../infra/logger.ts';
import { readApiConfig } from '../config.ts';
import { DEFAULT_RECOMMENDATION_SETTINGS, withWindowDays } from '../recommendations/settings.ts';
import { createRecommendationJobs } from '../recommendations/jobs.ts';
import { createAllJobs } from './index.ts';

const DAY_MS = 86_400_000;

describe('job windows from the configuration', () => {
  test('defaults: segments over all history, recommendations over 90 days', () => {
    const config = readApiConfig({});
    assert.equal(config.segmentsWindowDays, undefined);
    assert.equal(config.recsWindowDays, DEFAULT_RECOMMENDATION_SETTINGS.windowDays);
  });

  test('set: plain positive integers only, every bad key named', () => {
    const config = readApiConfig({ SEGMENTS_WINDOW_DAYS: '365', RECS_WINDOW_DAYS: '30' });
    assert.equal(config.segmentsWindowDays, 365);
    assert.equal(config.recsWindowDays, 30);
    assert.throws(() => readApiConfig({ SEGMENTS_WINDOW_DAYS: '0', RECS_WINDOW_DAYS: '7.5' }), /SEGMENTS_WINDOW_DAYS[\s\S]*RECS_WINDOW_DAYS|RECS_WINDOW_DAYS[\s\S]*SEGMENTS_WINDOW_DAYS/);
    assert.throws(() => createRecommendationJobs(withWindowDays(DEFAULT_RECOMMENDATION_SETTINGS, 0)), /windowDays/);
  });

  test('the jobs are built with them: every run records the window the configuration set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoppulse-job-windows-'));
    const clickhouse = createClickHouse({ kind: 'embedded', dataDir: dir });
    const log = createRootLogger({ name: 'job-windows-test', level: 'warn' });
    try {
      await migrate(clickhouse, log);
      const now = Date.now();
      const paid = (user: string, ageDays: number, product: string) => ({
        event_id: randomUUID(), type: 'order_pay', ts: now - ageDays * DAY_MS, sent_at: now, received_at: now,
        anonymous_id: user, user_id: user, session_id: `${user}-${ageDays}`, order_id: `${user}-${ageDays}`, order_amount: 10,
        order_item_product_ids: [product, 'p-shared'], order_item_prices: [5, 5], order_item_quantities: [1, 1],
      });
      await clickhouse.insert({ table: 'events', format: 'JSONEachRow', values: [paid('u1', 1, 'p1'), paid('u2', 2, 'p2'), paid('u1', 40, 'p3')] });

      const jobs = createAllJobs(readApiConfig({ SEGMENTS_WINDOW_DAYS: '30', RECS_WINDOW_DAYS: '7' }));
      assert.deepEqual(jobs.map((j) => j.name), ['rfm', 'clusters', 'item-similarity', 'association-rules']);
      for (const job of jobs) await job.run({ clickhouse, computedAt: Date.now(), log, timeZone: 'UTC' });

      const read = async <T>(query: string) => (await clickhouse.query({ query, format: 'JSONEachRow' })).json<T>();
      const segments = await read<{ job: string; window_days: number | null }>('SELECT job, window_days FROM segment_runs ORDER BY job');
      assert.deepEqual(segments.map((r) => [r.job, r.window_days]), [['clusters', 30], ['rfm', 30]]);
      const recs = await read<{ job: string; days: number }>(
        'SELECT job, dateDiff(\'millisecond\', window_from, window_to) / 86400000 AS days FROM recommendation_runs ORDER BY job',
      );
      assert.deepEqual(recs.map((r) => [r.job, Number(r.days)]), [['association-rules', 7], ['item-similarity', 7]]);
    } finally {
      await clickhouse.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
