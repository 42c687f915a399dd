// The inlined literals read as the bound values: every case runs both ways
// on the real embedded engine (the bound way on a plain chdb connection).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { createClickHouse } from './client.ts';
import { inlineQueryParams } from './inline-params.ts';

// Opened in before() of a suite: chDB has one active data directory per
// process, and the unit tests share one process.
describe('inlined parameters on chDB', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'shoppulse-inline-params-'));
  let inlined: ClickHouseClient;
  let bound: ClickHouseClient;
  before(() => {
    inlined = createClickHouse({ kind: 'embedded', dataDir });
    bound = createClient({ connection: createChdbConnection({ path: dataDir }) as never });
  });
  after(async () => {
    await bound.close();
    await inlined.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const CASES: Array<[type: string, value: unknown]> = [
    ['String', "it's a \\ back\tslash\nand 'quotes' {x:String} 中文 🙂"],
    ['String', ''],
    ['UInt32', 4_000_000_000],
    ['Int64', '-9223372036854775808'],
    ['Int64', 1_700_000_000_000],
    ['Float64', 0.1],
    ['Array(String)', ['a', "b'c", '', '\\']],
    ['Array(String)', []],
    ['Array(UInt32)', [1, 2, 3]],
    ['Array(Float64)', [1.5, -2]],
    ['Array(UUID)', ['0b6c5bd0-8d57-4dd6-9d2a-6c3a2f8f3c11']],
    ['Array(Array(String))', [['x'], [], ["y'"]]],
    ['Array(Array(Float64))', [[1, 2], []]],
    ['DateTime64(3, \'UTC\')', '2026-12-02 16:32:43.123'],
    ['Nullable(String)', null],
  ];

  for (const [type, value] of CASES) {
    test(`{v:${type}} = ${JSON.stringify(value)}: inlined reads as bound`, async () => {
      const sql = `SELECT {v:${type}} AS v, toTypeName({v:${type}}) AS t`;
      const read = async (client: ClickHouseClient) => (await (await client.query({ query: sql, query_params: { v: value }, format: 'JSONEachRow' })).json())[0];
      assert.deepEqual(await read(inlined), await read(bound));
    });
  }
});

test('a placeholder without a value leaves the SQL to the bound path', () => {
  assert.equal(inlineQueryParams('SELECT {a:UInt8}, {b:UInt8}', { a: 1 }), undefined);
  assert.equal(inlineQueryParams('SELECT { a : UInt8 }', { a: 1 }), 'SELECT CAST(1 AS UInt8)');
});
