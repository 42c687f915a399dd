import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SPEED, DEFAULT_URL, parseImportArgs } from './parse-args.ts';

test('defaults: through the collector at speed 60', () => {
  const r = parseImportArgs(['data.csv', '--format', 'taobao']);
  assert.deepEqual(r, {
    ok: true,
    notes: [],
    args: { file: 'data.csv', format: 'taobao', via: 'collector', timing: { mode: 'speed', speed: DEFAULT_SPEED }, url: DEFAULT_URL, limit: undefined },
  });
});

test('--keep-times implies Kafka and says so', () => {
  const r = parseImportArgs(['d.csv', '--format', 'rees46', '--keep-times', '--limit', '100']);
  assert.equal(r.ok, true);
  if (!r.ok) return;
  assert.equal(r.args.via, 'kafka');
  assert.deepEqual(r.args.timing, { mode: 'keep-times' });
  assert.equal(r.args.limit, 100);
  assert.match(r.notes.join(), /straight to Kafka/);
});

test('--speed through Kafka, and a custom collector URL', () => {
  const r = parseImportArgs(['d.csv', '--format=online-retail', '--via', 'kafka', '--speed', '3600']);
  assert.equal(r.ok && r.args.via, 'kafka');
  assert.deepEqual(r.ok && r.args.timing, { mode: 'speed', speed: 3600 });
  const u = parseImportArgs(['d.csv', '--format', 'taobao', '--url', 'http://10.0.0.5:9000']);
  assert.equal(u.ok && u.args.url, 'http://10.0.0.5:9000');
});

test('every problem is reported at once', () => {
  const r = parseImportArgs(['--format', 'csv', '--speed', '0', '--keep-times', '--via', 'collector', '--limit', '1.5', '--url', 'ftp://x']);
  assert.equal(r.ok, false);
  const errors = (r as { errors: string[] }).errors.join('\n');
  for (const expected of [/expected one file/, /--format must be one of/, /--speed must be a positive number/, /exclude each other/, /cannot go through the collector/, /--limit/, /--url/]) {
    assert.match(errors, expected);
  }
});

test('unknown options and --help', () => {
  assert.equal(parseImportArgs(['d.csv', '--format', 'taobao', '--fast']).ok, false);
  assert.deepEqual(parseImportArgs(['--help']), { ok: false, help: true, errors: [] });
});
