// Connects the pure steps: Kafka message values in, ClickHouse rows out,
// plus what was dropped or failed and why.
import { cleanEvent } from './steps/clean-event.ts';
import { dedupeBatch } from './steps/dedupe-batch.ts';
import { parseMessage } from './steps/parse-message.ts';
import { toEventRow, type EventRow } from './steps/to-event-row.ts';
import type { RawEnvelope } from '../collector/contract/events.ts';

export interface Failure {
  offset: string;
  reason: string;
  detail: string;
}

export interface BatchResult {
  rows: EventRow[];
  duplicates: number;
  failures: Failure[];
}

export function processMessages(messages: ReadonlyArray<{ offset: string; value: Buffer | null }>): BatchResult {
  const clean: RawEnvelope[] = [];
  const failures: Failure[] = [];
  for (const message of messages) {
    const parsed = parseMessage(message.value);
    const outcome = parsed.kind === 'ok' ? cleanEvent(parsed.value) : parsed;
    if (outcome.kind === 'ok') clean.push(outcome.value);
    else if (outcome.kind === 'fail') failures.push({ offset: message.offset, reason: outcome.reason, detail: outcome.detail });
  }
  const { kept, dropped } = dedupeBatch(clean);
  return { rows: kept.map(toEventRow), duplicates: dropped, failures };
}
