import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupSchema, previewSql, quoteIdentifier, resultColumns } from './sql-result.ts';

test('columns follow the first row, later keys are appended', () => {
  assert.deepEqual(resultColumns([{ type: 'a', n: 1 }, { type: 'b', n: 2, extra: 3 }]), ['type', 'n', 'extra']);
  assert.deepEqual(resultColumns([]), []);
});

test('schema rows are grouped by table, tables sorted, column order kept', () => {
  const tables = groupSchema([
    { table: 'events', name: 'event_id', type: 'UUID' },
    { table: 'events', name: 'type', type: 'LowCardinality(String)' },
    { table: 'alpha', name: 'x', type: 'UInt8' },
  ]);
  assert.deepEqual(tables, [
    { table: 'alpha', columns: [{ name: 'x', type: 'UInt8' }] },
    {
      table: 'events',
      columns: [
        { name: 'event_id', type: 'UUID' },
        { name: 'type', type: 'LowCardinality(String)' },
      ],
    },
  ]);
});

test('table names are quoted only when needed', () => {
  assert.equal(quoteIdentifier('events_minute'), 'events_minute');
  assert.equal(quoteIdentifier('.inner_id.1234-5'), '`.inner_id.1234-5`');
  assert.equal(quoteIdentifier('a`b'), '`a\\`b`');
  assert.equal(previewSql('events', 10), 'SELECT *\nFROM events\nLIMIT 10');
});
