import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSingleStatement } from './single-statement.ts';

describe('isSingleStatement', () => {
  const cases: Array<[string, boolean]> = [
    ['SELECT 1', true],
    ['SELECT 1;', true],
    ['  SELECT 1 ;  \n\t', true],
    ['SELECT 1; -- trailing comment', true],
    ['SELECT 1; /* trailing */', true],
    ['SELECT 1; -- a\n/* b */\n', true],
    ["SELECT ';'", true],
    ['SELECT ";" FROM t', true],
    ['SELECT `a;b` FROM t', true],
    ["SELECT 'it\\'s;'", true],
    ["SELECT 'it''s;'", true],
    ['SELECT "a"";b"', true],
    ['SELECT 1 -- ; DROP TABLE t\n', true],
    ['SELECT 1 /* ; DROP TABLE t */', true],
    ["SELECT '--', ';'", true],
    ['SELECT 1 /* unterminated ;', true],
    ['', true],
    ['SELECT 1; SELECT 2', false],
    ['SELECT 1;SELECT 2;', false],
    ['SELECT 1; -- c\nDROP TABLE t', false],
    ['SELECT 1; /* c */ DROP TABLE t', false],
    ["SELECT 'a;'; SELECT 'b'", false],
    ["SELECT 'it\\'s'; DROP TABLE t", false],
    ["SELECT 'it''s'; DROP TABLE t", false],
    ['SELECT 1;\nx', false],
  ];
  for (const [sql, expected] of cases) {
    test(`${JSON.stringify(sql)} → ${expected}`, () => assert.equal(isSingleStatement(sql), expected));
  }
});

// ClickHouse (and chDB) also know `#` line comments and `$$…$$` heredoc
// strings. The checker treats both as plain text, so a quote inside them opens
// a "string" that hides the real `;`. Checked against chDB: each of these runs
// three statements.
describe('isSingleStatement with ClickHouse-only syntax', () => {
  const bypasses = [
    "SELECT 1 AS a # '\n; SELECT 2 AS b; SELECT 3 AS c # '",
    "SELECT $$'$$ AS a; SELECT 2 AS b; SELECT 3 AS c -- '",
  ];
  for (const sql of bypasses) {
    test(
      `${JSON.stringify(sql)} → false`,
      () => assert.equal(isSingleStatement(sql), false),
    );
  }
});
