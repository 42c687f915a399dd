import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consumerLag } from './consumer-lag.ts';

test('lag is the sum over partitions of end offset minus committed offset', () => {
  assert.equal(
    consumerLag(
      [
        { partition: 0, high: '100', low: '0' },
        { partition: 1, high: '50', low: '0' },
        { partition: 2, high: '7', low: '0' },
      ],
      [
        { partition: 0, offset: '90' },
        { partition: 1, offset: '50' },
        { partition: 2, offset: '0' },
      ],
    ),
    17,
  );
});

test('a partition the group never committed counts from its oldest retained offset', () => {
  assert.equal(consumerLag([{ partition: 0, high: '100', low: '40' }], [{ partition: 0, offset: '-1' }]), 60);
  assert.equal(consumerLag([{ partition: 0, high: '100', low: '40' }], []), 60);
  // A commit older than retention: the deleted messages are not lag any more.
  assert.equal(consumerLag([{ partition: 0, high: '100', low: '40' }], [{ partition: 0, offset: '10' }]), 60);
});

test('empty topic, caught-up group and offsets beyond 2^53 are exact', () => {
  assert.equal(consumerLag([{ partition: 0, high: '0', low: '0' }], [{ partition: 0, offset: '-1' }]), 0);
  assert.equal(consumerLag([{ partition: 0, high: '9007199254740993', low: '0' }], [{ partition: 0, offset: '9007199254740990' }]), 3);
});
