// Streams a CSV file as records with their line numbers (csv-parse: quoted
// fields, "" escapes, CRLF or LF, BOM).
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export interface CsvRecord {
  fields: string[];
  /** 1-based line number of the record's last line */
  line: number;
  /** bytes of the file read so far, for the progress line */
  bytes: number;
}

export async function* readRecords(path: string): AsyncGenerator<CsvRecord> {
  const parser = createReadStream(path).pipe(
    parse({ info: true, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
    yield { fields: record, line: info.lines, bytes: info.bytes };
  }
}
