// What every dataset format provides: a mapper from CSV records to contract
// events, pure apart from the state the format itself needs (sessions,
// invoices being grouped).
import type { TrackedEvent } from '../../../../collector/contract/events.ts';

export interface MapResult {
  events: TrackedEvent[];
  /** one reason per record that produced no event */
  skipped: string[];
}

export interface RowMapper {
  /** `line` is the 1-based line number of the record in its file */
  mapRow(fields: readonly string[], line: number): MapResult;
  /** Events held back until the whole file was read (Online Retail's invoices). */
  finish(): MapResult;
}

interface MapperOptions {
  /** base name of the file, part of every event id */
  source: string;
  /** the header record, or null for formats without one */
  header: readonly string[] | null;
}

export interface ImportFormat {
  name: FormatName;
  hasHeader: boolean;
  /** Throws FormatError when the header is not this format's. */
  createMapper(options: MapperOptions): RowMapper;
}

export const FORMAT_NAMES = ['taobao', 'rees46', 'online-retail'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export class FormatError extends Error {
  readonly code = 'IMPORT_FORMAT';
  readonly retriable = false;
}

export const skip = (reason: string): MapResult => ({ events: [], skipped: [reason] });

/** A file's base name without its extension, for order ids. Ids are at most 128 characters. */
export const stemOf = (source: string): string => source.replace(/\.[^.]*$/, '').slice(0, 64);

/** Column indices by header name; throws FormatError naming the missing ones. */
export function columnIndex<K extends string>(header: readonly string[] | null, names: readonly K[], format: string): Record<K, number> {
  const trimmed = (header ?? []).map((h) => h.trim());
  const missing = names.filter((n) => !trimmed.includes(n));
  if (missing.length > 0) {
    throw new FormatError(`not a ${format} file: the header lacks ${missing.join(', ')} (got ${JSON.stringify(trimmed.join(','))})`);
  }
  return Object.fromEntries(names.map((n) => [n, trimmed.indexOf(n)])) as Record<K, number>;
}
