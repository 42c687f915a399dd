import { EnrichmentSchema, type RequestEnrichment } from '../../collector/contract/events.ts';
import { RAW_BATCH_FORMAT, RECORD_FORMAT_HEADER } from '../../collector/contract/records.ts';
import { wellFormedReviver } from '../../collector/contract/well-formed.ts';
import { enrichmentError } from './clean-event.ts';
import { fail, ok, type Outcome } from './outcome.ts';

/** Decodes a Kafka message value as JSON. */
export function parseMessage(value: Buffer | null): Outcome<unknown> {
  if (value === null || value.length === 0) return fail('empty_message', 'message has no value');
  try {
    const text = value.toString('utf8');
    return ok(JSON.parse(text, wellFormedReviver(text)) as unknown);
  } catch (err) {
    return fail('invalid_json', (err as Error).message);
  }
}

/** kafkajs' header values: a Buffer, a string, several of them, or nothing. */
export type MessageHeaders = Record<string, Buffer | string | Array<Buffer | string> | undefined>;

/** What a raw record holds: events to clean, and for format 2 the enrichment they share. */
export interface RawRecordItems {
  items: unknown[];
  shared?: RequestEnrichment;
}

const SHARED_KEYS = new Set(Object.keys(EnrichmentSchema.properties).filter((key) => key !== 'skew_ms'));
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a raw-topic record of either format (collector/contract/records.ts). */
export function readRawRecord(value: Buffer | null, headers?: MessageHeaders): Outcome<RawRecordItems> {
  const header = headers?.[RECORD_FORMAT_HEADER];
  const format = header === undefined ? undefined : String(Array.isArray(header) ? header[0] : header);
  if (format !== undefined && format !== RAW_BATCH_FORMAT) {
    return fail('unknown_record_format', `${RECORD_FORMAT_HEADER} ${format} is not one this processor reads (1, ${RAW_BATCH_FORMAT})`);
  }
  const parsed = parseMessage(value);
  if (parsed.kind !== 'ok') return parsed;
  if (format === undefined) return ok({ items: [parsed.value] });
  const record = parsed.value;
  if (!isObject(record) || !isObject(record.enrichment) || !Array.isArray(record.events) || record.events.length === 0) {
    return fail('invalid_record', 'a format-2 record is {"enrichment": {...}, "events": [at least one event]}');
  }
  const shared = record.enrichment;
  const unknown = Object.keys(shared).find((key) => !SHARED_KEYS.has(key));
  if (unknown !== undefined) return fail('invalid_envelope', `/enrichment/${unknown}: not a field the collector adds per request`);
  const invalid = enrichmentError(shared, '/enrichment');
  if (invalid !== undefined) return fail('invalid_envelope', invalid);
  return ok({ items: record.events, shared: shared as RequestEnrichment }); // checked just above
}
