import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellText, csvField, csvFileName, toCsv } from './csv.ts';

test('fields with commas, quotes and line breaks are quoted, quotes doubled', () => {
  const cases: Array<[unknown, string]> = [
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r\nlf', '"cr\r\nlf"'],
    ['', ''],
    [null, ''],
    [undefined, ''],
    [42, '42'],
    [-3.5, '-3.5'],
    [true, 'true'],
    ['中文 商品', '中文 商品'],
  ];
  for (const [value, expected] of cases) assert.equal(csvField(value), expected, JSON.stringify(value));
});

test('formula-looking text gets an apostrophe, plain numbers do not', () => {
  const cases: Array<[unknown, string]> = [
    ['=1+1', "'=1+1"],
    ['+cmd', "'+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['=a,b', `"'=a,b"`],
    ['-12.5', '-12.5'],
    ['+7', '+7'],
    ['-1e3', '-1e3'],
    [-7, '-7'],
    ['a=b', 'a=b'],
  ];
  for (const [value, expected] of cases) assert.equal(csvField(value), expected, JSON.stringify(value));
});

test('objects and arrays are written as JSON', () => {
  assert.equal(cellText(['a', 'b']), '["a","b"]');
  assert.equal(csvField({ k: 'v' }), '"{""k"":""v""}"');
  assert.equal(csvField(['x']), '"[""x""]"');
});

test('toCsv writes the header, the rows in column order and CRLF line ends', () => {
  const csv = toCsv(['name', 'n', 'note'], [
    { n: 1, name: 'a,b', note: 'ok' },
    { name: '=cmd', n: -2 },
  ]);
  assert.equal(csv, 'name,n,note\r\n"a,b",1,ok\r\n\'=cmd,-2,\r\n');
});

test('toCsv of no rows is the header alone; headers are escaped too', () => {
  assert.equal(toCsv(['count()', 'a,b'], []), 'count(),"a,b"\r\n');
});

test('file names keep only safe characters and carry a UTC stamp', () => {
  assert.equal(csvFileName('SELECT * FROM events', Date.UTC(2026, 0, 2, 3, 4, 5)), 'SELECT-FROM-events-20260102-030405.csv');
  assert.equal(csvFileName('../../etc', 0), 'etc-19700101-000000.csv');
  assert.equal(csvFileName('中文', 0), 'result-19700101-000000.csv');
});
