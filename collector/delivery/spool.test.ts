import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openSpool, SpoolFullError, type SpoolRecord } from './spool.ts';

const dirs: string[] = [];
const freshDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shoppulse-spool-test-'));
  dirs.push(dir);
  return dir;
};
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const record = (batch: string, i: number, value = `{"i":${i}}`): SpoolRecord => ({
  batch,
  message: { topic: 'raw', key: `k${i}`, value, headers: { schema_version: '1' } },
});

describe('spool', () => {
  test('an empty spool has no files and no segment', async () => {
    const dir = await freshDir();
    const spool = await openSpool({ dir, maxBytes: 1 << 20 });
    assert.equal(spool.isEmpty(), true);
    assert.equal(await spool.oldest(), undefined);
    assert.deepEqual(await readdir(dir), []);
    await spool.close();
  });

  test('appends are on disk when append resolves, and come back in order', async () => {
    const dir = await freshDir();
    const spool = await openSpool({ dir, maxBytes: 1 << 20 });
    await spool.append([record('b1', 1), record('b1', 2)]);
    await spool.append([record('b2', 3)]);
    const [file] = await readdir(dir);
    assert.equal(file, '000000000001.jsonl');
    assert.equal((await readFile(join(dir, file!), 'utf8')).split('\n').length, 4); // 3 lines + ''
    assert.deepEqual(spool.stats().messages, 3);
    const segment = await spool.oldest();
    assert.deepEqual(segment?.records, [record('b1', 1), record('b1', 2), record('b2', 3)]);
    assert.equal(segment?.corruptLines, 0);
    await spool.remove(segment!.name);
    assert.equal(spool.isEmpty(), true);
    assert.deepEqual(await readdir(dir), []);
    await spool.close();
  });

  test('concurrent appends keep their call order', async () => {
    const spool = await openSpool({ dir: await freshDir(), maxBytes: 1 << 20 });
    await Promise.all(Array.from({ length: 50 }, (_, i) => spool.append([record(`b${i}`, i)])));
    const segment = await spool.oldest();
    assert.deepEqual(
      segment?.records.map((r) => r.batch),
      Array.from({ length: 50 }, (_, i) => `b${i}`),
    );
    await spool.close();
  });

  test('segments roll over at segmentBytes and are replayed oldest first', async () => {
    const dir = await freshDir();
    const spool = await openSpool({ dir, maxBytes: 1 << 20, segmentBytes: 200 });
    for (let i = 0; i < 6; i++) await spool.append([record(`b${i}`, i, 'x'.repeat(100))]);
    assert.ok(spool.stats().segments >= 3, `${spool.stats().segments} segments`);
    const seen: string[] = [];
    for (let segment = await spool.oldest(); segment; segment = await spool.oldest()) {
      seen.push(...segment.records.map((r) => r.batch));
      await spool.remove(segment.name);
    }
    assert.deepEqual(seen, ['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
    assert.deepEqual(await readdir(dir), []);
    await spool.close();
  });

  test('an append beyond maxBytes is refused with SpoolFullError and nothing is written', async () => {
    const spool = await openSpool({ dir: await freshDir(), maxBytes: 300 });
    await spool.append([record('b1', 1, 'x'.repeat(150))]);
    await assert.rejects(spool.append([record('b2', 2, 'x'.repeat(150))]), SpoolFullError);
    assert.equal(spool.stats().messages, 1);
    await spool.close();
  });

  test('a reopened spool replays what it held, and writes new appends to a new file', async () => {
    const dir = await freshDir();
    const first = await openSpool({ dir, maxBytes: 1 << 20 });
    await first.append([record('b1', 1)]);
    await first.close();
    const second = await openSpool({ dir, maxBytes: 1 << 20 });
    assert.equal(second.isEmpty(), false);
    assert.equal(second.stats().messages, 1);
    await second.append([record('b2', 2)]);
    assert.deepEqual((await readdir(dir)).sort(), ['000000000001.jsonl', '000000000002.jsonl']);
    const oldest = await second.oldest();
    assert.deepEqual(oldest?.records.map((r) => r.batch), ['b1']);
    await second.remove(oldest!.name);
    assert.deepEqual((await second.oldest())?.records.map((r) => r.batch), ['b2']);
    await second.close();
  });

  test('a torn last line (a crash mid-write, never acknowledged) is skipped and counted', async () => {
    const dir = await freshDir();
    const first = await openSpool({ dir, maxBytes: 1 << 20 });
    await first.append([record('b1', 1)]);
    await first.close();
    await appendFile(join(dir, '000000000001.jsonl'), '{"b":"b2","t":"raw","k":"k2","v":"{\\"i');
    const reopened = await openSpool({ dir, maxBytes: 1 << 20 });
    const segment = await reopened.oldest();
    assert.deepEqual(segment?.records, [record('b1', 1)]);
    assert.equal(segment?.corruptLines, 1);
    await reopened.close();
  });
});
