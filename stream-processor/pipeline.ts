// Connects the pure steps: Kafka records of one partition in (either record
// format; the events of a format-2 record all keep its offset as their
// kafka_offset); rows for `events`, rows for `bot_events`, and failures with
// their reason out.
// Repeated event_ids stay in the event rows: the writer drops them on its
// flush, together with those already stored, and records them.
import type { RawEnvelope } from '../collector/contract/events.ts';
import { cleanEvent } from './steps/clean-event.ts';
import { dedupeBatch } from './steps/dedupe-batch.ts';
import { readRawRecord, type MessageHeaders } from './steps/parse-message.ts';
import { toBotRow, toEventRow, type BotRow, type EventRow } from './steps/to-event-row.ts';

interface Failure {
  offset: string;
  reason: string;
  detail: string;
  /** the message value as received */
  payload: string;
}

export interface BatchResult {
  rows: EventRow[];
  botRows: BotRow[];
  failures: Failure[];
}

export interface SourceMessage {
  offset: string;
  value: Buffer | null;
  headers?: MessageHeaders;
}

/** A failed event of a format-2 record as one envelope, as format 1 would have carried it. */
const eventPayload = (item: unknown, shared: object): string =>
  JSON.stringify(typeof item === 'object' && item !== null && !Array.isArray(item) ? { ...item, ...shared } : item);

export function processMessages(messages: readonly SourceMessage[], partition: number): BatchResult {
  const clean: Array<RawEnvelope & { offset: string }> = [];
  const failures: Failure[] = [];
  for (const message of messages) {
    const record = readRawRecord(message.value, message.headers);
    if (record.kind !== 'ok') {
      failures.push({ offset: message.offset, reason: record.reason, detail: record.detail, payload: message.value?.toString('utf8') ?? '' });
      continue;
    }
    const { items, shared } = record.value;
    for (const item of items) {
      const outcome = cleanEvent(item, shared);
      if (outcome.kind === 'ok') clean.push({ ...outcome.value, offset: message.offset });
      else {
        failures.push({
          offset: message.offset,
          reason: outcome.reason,
          detail: outcome.detail,
          payload: shared ? eventPayload(item, shared) : (message.value?.toString('utf8') ?? ''),
        });
      }
    }
  }
  const rows: EventRow[] = [];
  const bots: BotRow[] = [];
  for (const { offset, ...event } of clean) {
    const envelope = event as RawEnvelope;
    if (envelope.bot) bots.push(toBotRow(envelope));
    else rows.push(toEventRow(envelope, { partition, offset }));
  }
  return { rows, botRows: dedupeBatch(bots).kept, failures };
}
