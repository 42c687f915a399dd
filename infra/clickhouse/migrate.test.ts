import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadMigrations, splitStatements } from './migrate.ts';

describe('splitStatements', () => {
  const cases: Array<[string, string, string[]]> = [
    ['one statement without ;', 'SELECT 1', ['SELECT 1']],
    ['a ; at the end of a line ends a statement', 'CREATE TABLE a (x UInt8) ENGINE = Memory;\nSELECT 1;\n', ['CREATE TABLE a (x UInt8) ENGINE = Memory', 'SELECT 1']],
    ['whitespace after ; is fine', 'SELECT 1;   \nSELECT 2;\t\n', ['SELECT 1', 'SELECT 2']],
    ['a ; inside a line does not split', "SELECT ';' AS a,\n  1 AS b;", ["SELECT ';' AS a,\n  1 AS b"]],
    ['comment lines are dropped, indented or not', '-- header\nSELECT\n    -- why\n    1;\n--\n', ['SELECT\n    1']],
    ['blank input gives nothing', '\n  \n-- only a comment\n', []],
  ];
  for (const [name, sql, expected] of cases) {
    test(name, () => assert.deepEqual(splitStatements(sql), expected));
  }

  test(
    'a comment after ; on the same line still ends the statement',
    () => assert.deepEqual(splitStatements('SELECT 1; -- first\nSELECT 2;'), ['SELECT 1', 'SELECT 2']),
  );
});

describe('loadMigrations on infra/clickhouse/migrations', () => {
  const migrations = loadMigrations();

  test('versions start at 1 and ascend by one, names match their files', () => {
    assert.ok(migrations.length >= 2);
    assert.deepEqual(
      migrations.map((m) => m.version),
      migrations.map((_, i) => i + 1),
    );
    for (const m of migrations) assert.match(m.name, new RegExp(`^${String(m.version).padStart(4, '0')}_[a-z0-9_]+$`));
    assert.equal(migrations[0]?.name, '0001_events');
  });

  test('every file yields at least one statement, none ending in ; or holding a comment line', () => {
    for (const m of migrations) {
      assert.ok(m.statements.length >= 1, m.name);
      for (const statement of m.statements) {
        assert.equal(statement.trim(), statement, m.name);
        assert.ok(!statement.endsWith(';'), `${m.name}: ${statement.slice(0, 60)}`);
        assert.ok(!statement.split('\n').some((line) => line.trimStart().startsWith('--')), `${m.name}: ${statement.slice(0, 60)}`);
        assert.ok(!/;\s*\n/.test(statement), `${m.name}: two statements merged: ${statement.slice(0, 60)}`);
      }
    }
  });

  test('0001 creates the events table first', () => {
    assert.match(migrations[0]?.statements[0] ?? '', /^CREATE TABLE IF NOT EXISTS events\n/);
  });
});
