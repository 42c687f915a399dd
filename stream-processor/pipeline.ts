// Connects the pure steps: Kafka messages of one partition in; rows for
// `events`, rows for `bot_events`, and failures with their reason out.
// Repeated event_ids stay in the event rows: the writer drops them on its
// flush, together with those already stored, and records them.
import type { RawEnvelope } from '../collector/contract/events.ts';
import { cleanEvent } from './steps/clean-event.ts';
import { dedupeBatch } from './steps/dedupe-batch.ts';
import { parseMessage } from './steps/parse-message.ts';
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
}

export function processMessages(messages: readonly SourceMessage[], partition: number): BatchResult {
  const clean: Array<RawEnvelope & { offset: string }> = [];
  const failures: Failure[] = [];
  for (const message of messages) {
    const parsed = parseMessage(message.value);
    const outcome = parsed.kind === 'ok' ? cleanEvent(parsed.value) : parsed;
    if (outcome.kind === 'ok') clean.push({ ...outcome.value, offset: message.offset });
    else {
      failures.push({
        offset: message.offset,
        reason: outcome.reason,
        detail: outcome.detail,
        payload: message.value?.toString('utf8') ?? '',
      });
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
