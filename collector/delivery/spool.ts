// The on-disk spool: Kafka messages the collector acknowledged while Kafka
// could not take them. Append-only JSON-lines segment files under one
// directory (000000000001.jsonl, …), oldest first:
// - append() resolves only after the bytes are written and fdatasync'ed, so a
//   2xx answered after it survives a crash or power loss;
// - concurrent appends are written together with one fdatasync (group commit);
// - the segment being written is sealed at segmentBytes, or when the replayer
//   has caught up with every sealed one;
// - a segment is deleted only after Kafka acknowledged all of its messages
//   (the replayer calls remove());
// - after a restart existing segments are replayed and new appends go to a new
//   file, never after a possibly torn last line.
// See docs/collector.md for why this is hand-written.
import { mkdir, open, readdir, readFile, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutgoingMessage } from '../steps/to-kafka-messages.ts';

export interface SpoolRecord {
  /** the publish call it came from; lets the replayer skip a batch Kafka took after all */
  batch: string;
  message: OutgoingMessage;
}

export interface SpoolSegment {
  name: string;
  records: SpoolRecord[];
  /** lines that did not parse: a torn last line after a crash (never acknowledged), or damage */
  corruptLines: number;
}

interface SpoolStats {
  bytes: number;
  messages: number;
  segments: number;
}

export interface Spool {
  append(records: SpoolRecord[]): Promise<void>;
  /** The oldest segment, sealing the one being written when it is the only one left; undefined when empty. */
  oldest(): Promise<SpoolSegment | undefined>;
  remove(name: string): Promise<void>;
  isEmpty(): boolean;
  stats(): SpoolStats;
  close(): Promise<void>;
}

export class SpoolFullError extends Error {
  readonly code = 'SPOOL_FULL';
  readonly retriable = true;
}

export interface SpoolOptions {
  dir: string;
  /** appends beyond this many bytes on disk are refused with SpoolFullError */
  maxBytes: number;
  segmentBytes?: number;
}

interface SegmentInfo {
  name: string;
  bytes: number;
  messages: number;
}

interface Active extends SegmentInfo {
  file: FileHandle;
}

interface QueuedAppend {
  data: string;
  bytes: number;
  messages: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const SEGMENT_FILE = /^\d{12}\.jsonl$/;
const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;

/** Wire form of one line: short keys, as every spooled message pays for them. */
interface Line {
  b: string;
  t: string;
  k: string;
  v: string;
  h?: Record<string, string>;
}

const toLine = ({ batch, message }: SpoolRecord): string =>
  `${JSON.stringify({ b: batch, t: message.topic, k: message.key, v: message.value, ...(message.headers ? { h: message.headers } : {}) } satisfies Line)}\n`;

function fromLine(text: string): SpoolRecord | undefined {
  try {
    const line = JSON.parse(text) as Partial<Line>;
    if (typeof line.b !== 'string' || typeof line.t !== 'string' || typeof line.k !== 'string' || typeof line.v !== 'string') return undefined;
    return { batch: line.b, message: { topic: line.t, key: line.k, value: line.v, ...(line.h ? { headers: line.h } : {}) } };
  } catch {
    return undefined;
  }
}

async function syncDir(dir: string): Promise<void> {
  // A new or deleted file is durable only once its directory entry is.
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const countLines = (buffer: Buffer): number => {
  let n = 0;
  for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) n++;
  return n;
};

export async function openSpool(options: SpoolOptions): Promise<Spool> {
  const { dir, maxBytes } = options;
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  await mkdir(dir, { recursive: true });

  const sealed: SegmentInfo[] = [];
  for (const name of (await readdir(dir)).filter((n) => SEGMENT_FILE.test(n)).sort()) {
    const path = join(dir, name);
    const { size } = await stat(path);
    if (size === 0) await rm(path);
    else sealed.push({ name, bytes: size, messages: countLines(await readFile(path)) });
  }
  let nextSeq = sealed.length > 0 ? Number(sealed.at(-1)!.name.slice(0, 12)) + 1 : 1;
  let active: Active | undefined;
  let queue: QueuedAppend[] = [];
  let queuedBytes = 0;
  let pendingAppends = 0;
  let closed = false;
  // File operations run one at a time: writes, sealing and closing never interleave.
  let lock: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn);
    lock = run.catch(() => undefined);
    return run;
  };

  const diskBytes = () => sealed.reduce((sum, s) => sum + s.bytes, 0) + (active?.bytes ?? 0);

  async function seal(): Promise<void> {
    if (!active) return;
    const { file, ...info } = active;
    // Listed as sealed before the await: isEmpty() must never see the messages in neither place.
    if (info.bytes > 0) sealed.push(info);
    active = undefined;
    await file.close();
  }

  async function writeQueued(): Promise<void> {
    const items = queue;
    queue = [];
    if (items.length === 0) return;
    const data = items.map((i) => i.data).join('');
    const bytes = items.reduce((sum, i) => sum + i.bytes, 0);
    const messages = items.reduce((sum, i) => sum + i.messages, 0);
    try {
      if (!active) {
        const name = `${String(nextSeq++).padStart(12, '0')}.jsonl`;
        const file = await open(join(dir, name), 'wx');
        active = { name, bytes: 0, messages: 0, file };
        await syncDir(dir);
      }
      await active.file.write(data);
      await active.file.datasync();
      active.bytes += bytes;
      active.messages += messages;
      if (active.bytes >= segmentBytes) await seal();
      for (const item of items) item.resolve();
    } catch (err) {
      // Part of the data may be on disk: seal, so the next write starts a new
      // file and the possibly torn line stays at the end of this one. Its
      // whole lines are replayed like the rest (at worst, events the client
      // was told to resend arrive twice; the processor dedupes by event_id).
      if (active) {
        const onDisk = await stat(join(dir, active.name)).then((s) => s.size, () => active?.bytes ?? 0);
        active.bytes = onDisk;
      }
      await seal().catch(() => undefined);
      for (const item of items) item.reject(err);
    } finally {
      queuedBytes -= bytes;
      pendingAppends -= items.length;
    }
  }

  return {
    append(records) {
      if (closed) return Promise.reject(new Error('the spool is closed'));
      const data = records.map(toLine).join('');
      const bytes = Buffer.byteLength(data);
      if (diskBytes() + queuedBytes + bytes > maxBytes) {
        return Promise.reject(new SpoolFullError(`the spool holds its maximum of ${maxBytes} bytes`));
      }
      queuedBytes += bytes;
      pendingAppends++;
      return new Promise<void>((resolve, reject) => {
        queue.push({ data, bytes, messages: records.length, resolve, reject });
        // Appends that arrive while a write is running are taken together by the next one.
        void exclusive(writeQueued);
      });
    },

    async oldest() {
      if (sealed.length === 0) await exclusive(async () => (active && active.messages > 0 ? seal() : undefined));
      const first = sealed[0];
      if (!first) return undefined;
      const lines = (await readFile(join(dir, first.name), 'utf8')).split('\n');
      const tail = lines.pop(); // '' after the last newline, or a torn line
      const records: SpoolRecord[] = [];
      let corruptLines = tail ? 1 : 0;
      for (const line of lines) {
        const record = fromLine(line);
        if (record) records.push(record);
        else corruptLines++;
      }
      return { name: first.name, records, corruptLines };
    },

    async remove(name) {
      const index = sealed.findIndex((s) => s.name === name);
      if (index === -1) throw new Error(`no sealed spool segment ${name}`);
      await rm(join(dir, name), { force: true });
      await syncDir(dir);
      sealed.splice(index, 1);
    },

    isEmpty: () => sealed.length === 0 && (active?.messages ?? 0) === 0 && pendingAppends === 0,

    stats: () => ({
      bytes: diskBytes(),
      messages: sealed.reduce((sum, s) => sum + s.messages, 0) + (active?.messages ?? 0),
      segments: sealed.length + (active ? 1 : 0),
    }),

    async close() {
      closed = true;
      await exclusive(seal);
    },
  };
}
