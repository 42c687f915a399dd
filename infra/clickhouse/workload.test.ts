import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classSettings, defaultMemoryBudgetBytes, defaultWorkloadPolicy, limitExceeded, WORKLOAD_CLASSES } from './workload.ts';

const GiB = 2 ** 30;

test('the memory budget: a quarter of the machine, between 512 MiB and 3 GiB', () => {
  assert.equal(defaultMemoryBudgetBytes(24 * GiB), 3 * GiB);
  assert.equal(defaultMemoryBudgetBytes(8 * GiB), 2 * GiB);
  assert.equal(defaultMemoryBudgetBytes(1 * GiB), 0.5 * GiB);
});

test('the classes share 80% of the budget; the rest is left to merges and caches', () => {
  const policy = defaultWorkloadPolicy({ cores: 2, memoryBudgetBytes: 3 * GiB });
  const total = WORKLOAD_CLASSES.reduce((sum, c) => sum + policy.classes[c].memoryBytes, 0);
  assert.ok(total <= 0.8 * 3 * GiB && total > 0.79 * 3 * GiB, String(total));
  // Every class may use every core (the nice values share them out); analysts run one per two cores.
  assert.deepEqual(
    WORKLOAD_CLASSES.map((c) => policy.classes[c].threads),
    [2, 2, 2, 2],
  );
  assert.equal(policy.classes.analyst.concurrency, 1);
  assert.equal(defaultWorkloadPolicy({ cores: 8, memoryBudgetBytes: GiB }).classes.analyst.concurrency, 4);
});

test('a class is ClickHouse settings: per-query memory is the class memory over its concurrency, priority by precedence', () => {
  const limits = { memoryBytes: 1000, concurrency: 4, queueLength: 0, threads: 3, maxRowsToRead: 0, maxBytesToRead: 7, maxExecutionS: 0 };
  assert.deepEqual(classSettings('analyst', limits), {
    max_memory_usage: '250',
    max_threads: 3,
    priority: '3',
    os_thread_priority: '10',
    // Past half its memory a query spills to disk.
    max_bytes_before_external_group_by: '125',
    max_bytes_before_external_sort: '125',
    join_algorithm: 'auto',
    max_bytes_in_join: '125',
    max_bytes_to_read: '7',
  });
  assert.equal(classSettings('ingest', limits).priority, '1');
  assert.equal(classSettings('ingest', limits).os_thread_priority, undefined);
  assert.equal(classSettings('live', limits).max_bytes_before_external_group_by, undefined);
  assert.equal(classSettings('jobs', limits).os_thread_priority, '19');
  assert.equal(classSettings('jobs', { ...limits, maxRowsToRead: 5, maxExecutionS: 9 }).max_execution_time, 9);
});

test('limit errors by exception code: memory and rows read are 413, time is 400, anything else is not a limit', () => {
  const chError = (code: string) => Object.assign(new (class ClickHouseError extends Error {})(`Code: ${code}. boom `), { code });
  assert.deepEqual(limitExceeded(chError('241')), { limit: 'max_memory_usage', status: 413, message: `Code: 241. boom` });
  assert.equal(limitExceeded(chError('158'))?.limit, 'max_rows_to_read');
  assert.equal(limitExceeded(chError('159'))?.status, 400);
  assert.equal(limitExceeded(chError('62')), undefined);
  assert.equal(limitExceeded(new Error('Code: 241.')), undefined);
});
