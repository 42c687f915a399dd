// Reads a dataset, maps it to contract events and hands them to a sink:
// as fast as possible with the dataset's own times, or paced and shifted to
// now at a chosen speed.
import { basename } from 'node:path';
import type { TrackedEvent } from '../../../collector/contract/events.ts';
import type { ImportFormat, MapResult } from './formats/format.ts';
import type { CsvRecord } from './read-records.ts';
import { emptyCounts, type ImportCounts, type ProgressState } from './report.ts';
import { sortByTime, takeDue, type ReplayClock } from './schedule.ts';
import type { EventSink, SendResult } from './sink.ts';

export type Timing = { mode: 'keep-times' } | { mode: 'speed'; speed: number };

export interface RunImportOptions {
  file: string;
  format: ImportFormat;
  timing: Timing;
  /** stop after this many data rows */
  limit?: number;
  records: AsyncIterable<CsvRecord>;
  /** size of the file, for the share read */
  fileBytes?: number;
  sink: EventSink;
  onProgress?: (state: ProgressState) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Events per sink call while streaming, and at most per replay tick. */
const SEND_BATCH = 2000;
/** A replay sends what is due within this much ahead of the wall clock. */
const LOOKAHEAD_MS = 100;
/** Longest nap between replay ticks, so progress keeps moving. */
const MAX_NAP_MS = 1000;

const bump = (record: Record<string, number>, key: string, by = 1) => {
  record[key] = (record[key] ?? 0) + by;
};

export async function runImport(options: RunImportOptions): Promise<ImportCounts> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const counts = emptyCounts();
  const started = now();
  const source = basename(options.file);
  let fileShare: number | undefined = options.fileBytes ? 0 : undefined;
  const report = (phase: ProgressState['phase'], pending?: number) =>
    options.onProgress?.({ phase, counts, elapsedMs: now() - started, ...(fileShare !== undefined ? { fileShare } : {}), ...(pending !== undefined ? { pending } : {}) });

  const record = (events: readonly TrackedEvent[], result: SendResult) => {
    counts.eventsSent += result.accepted;
    const refused = new Set(result.rejected.map((r) => r.index));
    events.forEach((e, index) => {
      if (!refused.has(index)) bump(counts.sentByType, e.type);
    });
    for (const r of result.rejected) {
      bump(counts.rejectedEvents, r.reason);
      counts.rejectedExamples[r.reason] ??= r.detail;
    }
  };
  const send = async (events: TrackedEvent[]) => {
    if (events.length === 0) return;
    record(events, await options.sink.send(events));
  };
  const take = (result: MapResult, into: TrackedEvent[]) => {
    for (const reason of result.skipped) bump(counts.skippedRows, reason);
    counts.eventsMapped += result.events.length;
    for (const e of result.events) into.push(e);
  };

  const streaming = options.timing.mode === 'keep-times';
  let mapper: ReturnType<ImportFormat['createMapper']> | undefined;
  let buffer: TrackedEvent[] = [];
  let lastReport = now();
  for await (const { fields, line, bytes } of options.records) {
    if (!mapper) {
      const header = options.format.hasHeader ? fields : null;
      mapper = options.format.createMapper({ source, header });
      if (header) continue;
    }
    if (options.limit !== undefined && counts.rowsRead >= options.limit) break;
    counts.rowsRead++;
    take(mapper.mapRow(fields, line), buffer);
    if (options.fileBytes) fileShare = Math.min(1, bytes / options.fileBytes);
    if (streaming && buffer.length >= SEND_BATCH) {
      await send(buffer);
      buffer = [];
    }
    if (now() - lastReport >= MAX_NAP_MS) {
      lastReport = now();
      report('reading');
    }
  }
  if (mapper) take(mapper.finish(), buffer);
  if (options.fileBytes) fileShare = 1;

  if (options.timing.mode === 'keep-times') {
    for (let i = 0; i < buffer.length; i += SEND_BATCH) await send(buffer.slice(i, i + SEND_BATCH));
  } else {
    const events = sortByTime(buffer);
    buffer = [];
    if (events.length > 0) {
      const clock: ReplayClock = { firstTs: events[0]!.ts, startMs: now(), speed: options.timing.speed };
      let next = 0;
      while (next < events.length) {
        const due = takeDue(events, next, now() + LOOKAHEAD_MS, clock, SEND_BATCH);
        if (due.length > 0) {
          await send(due);
          next += due.length;
        } else {
          const wait = clock.startMs + (events[next]!.ts - clock.firstTs) / clock.speed - now();
          await sleep(Math.max(10, Math.min(MAX_NAP_MS, wait)));
        }
        if (now() - lastReport >= MAX_NAP_MS) {
          lastReport = now();
          report('sending', events.length - next);
        }
      }
    }
  }
  report('done');
  return counts;
}
