import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareValues, nextSort, sortRows } from './sort-rows.ts';

const rows = [
  { id: 'p-10', lift: 1.5, n: 3 },
  { id: 'p-2', lift: 3.25, n: 3 },
  { id: 'p-1', lift: null, n: 1 },
  { id: 'p-3', lift: 0.75, n: 3 },
  { id: 'p-4', lift: 3.25, n: 2 },
];

test('numbers sort by value in both directions, empties last', () => {
  assert.deepEqual(sortRows(rows, (r) => r.lift, 'desc').map((r) => r.id), ['p-2', 'p-4', 'p-10', 'p-3', 'p-1']);
  assert.deepEqual(sortRows(rows, (r) => r.lift, 'asc').map((r) => r.id), ['p-3', 'p-10', 'p-2', 'p-4', 'p-1']);
});

test('text sorts naturally (p-2 before p-10)', () => {
  assert.deepEqual(sortRows(rows, (r) => r.id, 'asc').map((r) => r.id), ['p-1', 'p-2', 'p-3', 'p-4', 'p-10']);
  assert.deepEqual(sortRows(rows, (r) => r.id, 'desc').map((r) => r.id), ['p-10', 'p-4', 'p-3', 'p-2', 'p-1']);
});

test('the sort is stable and does not touch the input', () => {
  const before = rows.map((r) => r.id);
  assert.deepEqual(sortRows(rows, (r) => r.n, 'desc').map((r) => r.id), ['p-10', 'p-2', 'p-3', 'p-4', 'p-1']);
  assert.deepEqual(rows.map((r) => r.id), before);
});

test('mixed columns: numbers before text, empty strings and NaN last', () => {
  const values = ['b', 2, '', 'a', NaN, 1, undefined];
  const sorted = sortRows(values, (v) => v, 'asc');
  assert.deepEqual(sorted.slice(0, 4), [1, 2, 'a', 'b']);
  assert.equal(sorted.slice(4).every((v) => v === '' || v === undefined || Number.isNaN(v)), true);
  assert.ok(compareValues(null, 0) > 0);
  assert.equal(compareValues(null, undefined), 0);
});

test('clicking a header starts with its first direction, clicking again flips it', () => {
  assert.deepEqual(nextSort(null, 'lift', 'desc'), { key: 'lift', direction: 'desc' });
  assert.deepEqual(nextSort({ key: 'lift', direction: 'desc' }, 'lift', 'desc'), { key: 'lift', direction: 'asc' });
  assert.deepEqual(nextSort({ key: 'lift', direction: 'asc' }, 'support', 'desc'), { key: 'support', direction: 'desc' });
});
