import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { createOffsetCommits, type TopicPartitionOffset } from './offset-commits.ts';

const log = pino({ level: 'silent' });

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup() {
  const commits: TopicPartitionOffset[][] = [];
  const rewinds: TopicPartitionOffset[][] = [];
  const tracker = createOffsetCommits({ commit: async (offsets) => void commits.push(offsets), rewind: (offsets) => void rewinds.push(offsets), log });
  const batch = (partition: number, first: number, next: number) => ({ topic: 'raw', partition, firstOffset: String(first), nextOffset: String(next) });
  return { tracker, commits, rewinds, batch };
}

test('a stored batch commits its next offset', async () => {
  const { tracker, commits, batch } = setup();
  tracker.track(batch(0, 0, 10), Promise.resolve());
  await tracker.settled();
  assert.deepEqual(commits, [[{ topic: 'raw', partition: 0, offset: '10' }]]);
});

test("a partition's offset waits for its earlier batches, and goes once for all of them", async () => {
  const { tracker, commits, batch } = setup();
  const first = deferred();
  const second = deferred();
  tracker.track(batch(0, 0, 10), first.promise);
  tracker.track(batch(0, 10, 20), second.promise);
  second.resolve();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(commits, [], 'offset 20 would claim rows 0–9, not stored yet');
  first.resolve();
  await tracker.settled();
  assert.deepEqual(commits, [[{ topic: 'raw', partition: 0, offset: '20' }]]);
});

test('partitions commit independently, together when ready in the same turn', async () => {
  const { tracker, commits, batch } = setup();
  const slow = deferred();
  tracker.track(batch(0, 0, 10), Promise.resolve());
  tracker.track(batch(1, 0, 5), Promise.resolve());
  tracker.track(batch(2, 0, 7), slow.promise);
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(commits, [
    [
      { topic: 'raw', partition: 0, offset: '10' },
      { topic: 'raw', partition: 1, offset: '5' },
    ],
  ]);
  slow.resolve();
  await tracker.settled();
  assert.deepEqual(commits.at(-1), [{ topic: 'raw', partition: 2, offset: '7' }]);
});

test('a failed insert commits nothing handed over before it settled, and rewinds each such partition to its first unconfirmed offset', async () => {
  const { tracker, commits, rewinds, batch } = setup();
  const failing = deferred();
  const later = deferred();
  tracker.track(batch(0, 0, 10), Promise.resolve());
  await tracker.settled();
  tracker.track(batch(0, 10, 20), failing.promise);
  tracker.track(batch(1, 0, 5), failing.promise);
  tracker.track(batch(0, 20, 30), later.promise);
  const boom = new Error('ClickHouse down');
  failing.reject(boom);
  later.resolve(); // the next insert worked, but rows 10–19 are not stored
  await tracker.settled();
  assert.equal(tracker.takeFailure(), boom);
  assert.equal(tracker.takeFailure(), undefined, 'reported once');
  assert.deepEqual(commits, [[{ topic: 'raw', partition: 0, offset: '10' }]]);
  assert.deepEqual(rewinds, [
    [
      { topic: 'raw', partition: 0, offset: '10' },
      { topic: 'raw', partition: 1, offset: '0' },
    ],
  ]);

  // Read again from the rewound offset, the rows commit as usual.
  tracker.track(batch(0, 10, 20), Promise.resolve());
  await tracker.settled();
  assert.deepEqual(commits.at(-1), [{ topic: 'raw', partition: 0, offset: '20' }]);
});

test('reset() (a new group generation) drops what was pending: its commit never goes', async () => {
  const { tracker, commits, batch } = setup();
  const old = deferred();
  tracker.track(batch(0, 0, 10), old.promise);
  tracker.reset();
  old.resolve();
  await tracker.settled();
  assert.deepEqual(commits, []);
});

test('a failed commit is logged, not thrown: the rows are stored', async () => {
  let calls = 0;
  const tracker = createOffsetCommits({
    commit: async () => {
      calls++;
      throw new Error('rebalance in progress');
    },
    rewind: () => assert.fail('nothing to rewind'),
    log,
  });
  tracker.track({ topic: 'raw', partition: 0, firstOffset: '0', nextOffset: '1' }, Promise.resolve());
  await tracker.settled();
  assert.equal(calls, 1);
  assert.equal(tracker.takeFailure(), undefined);
});
