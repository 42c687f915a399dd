// The importer's command line, checked into typed options (pure).
import { parseArgs } from 'node:util';
import { FORMAT_NAMES, type FormatName } from './formats/format.ts';
import type { Timing } from './run-import.ts';

export const USAGE = `usage: npm run import -- <file> --format taobao|rees46|online-retail
         [--via collector|kafka] [--speed N | --keep-times] [--url http://127.0.0.1:8080] [--limit N]

  --format      taobao (UserBehavior), rees46 (multi-category store) or online-retail (UCI invoices)
  --via         collector (default): POST /collect at --url; kafka: the raw topic at KAFKA_BROKERS
                (default 127.0.0.1:KAFKA_PORT, the broker npm start runs), KAFKA_RAW_TOPIC
  --speed N     replay N times faster than real time with times shifted to now (default 60)
  --keep-times  keep the dataset's own event times, as fast as possible; implies --via kafka,
                because the collector refuses events more than 7 days old
  --url         the collector's base URL (default http://127.0.0.1:8080)
  --limit N     read only the first N data rows`;

export const DEFAULT_SPEED = 60;
export const DEFAULT_URL = 'http://127.0.0.1:8080';

interface ImportArgs {
  file: string;
  format: FormatName;
  via: 'collector' | 'kafka';
  timing: Timing;
  url: string;
  limit: number | undefined;
}

export type ParsedArgs =
  | { ok: true; args: ImportArgs; notes: string[] }
  | { ok: false; errors: string[] }
  | { ok: false; help: true; errors: [] };

const isFormat = (value: string): value is FormatName => (FORMAT_NAMES as readonly string[]).includes(value);

export function parseImportArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        via: { type: 'string' },
        speed: { type: 'string' },
        'keep-times': { type: 'boolean', default: false },
        url: { type: 'string' },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    return { ok: false, errors: [(err as Error).message] };
  }
  const { values, positionals } = parsed;
  if (values.help) return { ok: false, help: true, errors: [] };

  const errors: string[] = [];
  const notes: string[] = [];
  if (positionals.length !== 1) errors.push(`expected one file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const format = values.format;
  if (format === undefined) errors.push(`--format is required (${FORMAT_NAMES.join(', ')})`);
  else if (!isFormat(format)) errors.push(`--format must be one of ${FORMAT_NAMES.join(', ')}, got ${JSON.stringify(format)}`);

  const keepTimes = values['keep-times'] === true;
  let speed = DEFAULT_SPEED;
  if (values.speed !== undefined) {
    speed = Number(values.speed);
    if (!Number.isFinite(speed) || speed <= 0) errors.push(`--speed must be a positive number, got ${JSON.stringify(values.speed)}`);
    if (keepTimes) errors.push('--speed and --keep-times exclude each other');
  }

  let via: 'collector' | 'kafka' = keepTimes ? 'kafka' : 'collector';
  if (values.via !== undefined) {
    if (values.via !== 'collector' && values.via !== 'kafka') errors.push(`--via must be collector or kafka, got ${JSON.stringify(values.via)}`);
    else if (values.via === 'collector' && keepTimes) {
      errors.push('--keep-times cannot go through the collector: it refuses events more than 7 days old (reason ts_out_of_range); drop --via or use --via kafka');
    } else via = values.via;
  } else if (keepTimes) {
    notes.push('--keep-times: sending straight to Kafka (the collector refuses events more than 7 days old)');
  }

  const url = values.url ?? DEFAULT_URL;
  if (values.url !== undefined) {
    let valid = false;
    try {
      valid = ['http:', 'https:'].includes(new URL(values.url).protocol);
    } catch {
      valid = false;
    }
    if (!valid) errors.push(`--url must be an http(s) URL, got ${JSON.stringify(values.url)}`);
    if (via === 'kafka') notes.push('--url is not used with --via kafka');
  }

  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!/^\d+$/.test(values.limit) || limit < 1) errors.push(`--limit must be a positive integer, got ${JSON.stringify(values.limit)}`);
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    notes,
    args: {
      file: positionals[0]!,
      format: format as FormatName,
      via,
      timing: keepTimes ? { mode: 'keep-times' } : { mode: 'speed', speed },
      url,
      limit,
    },
  };
}
